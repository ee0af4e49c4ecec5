"""What a report is made of, whatever it counts: tables (a sheet and a CSV file each), charts
(a PNG each), and the progress callback. Kept apart from the counting so that the PPID's
sheets can live in modules of their own without importing each other in a circle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    """One sheet of the workbook / one CSV file."""

    name: str  # file and sheet name
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Chart:
    """One PNG: counts by label. Horizontal bars for categories; columns for a trend."""

    name: str  # file name suffix
    title: str
    data: dict[str, int]  # label → count, in display order
    columns: bool = False


@dataclass
class Report:
    title: str
    period: str
    tables: list[Table]
    charts: list[Chart]  # the first is the headline chart (the one /rekap sends)
    # Nothing at all to report (the PPID's "laporan nihil": no request, objection or dispute).
    nil: bool = False

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


Step = Callable[[str], None]  # told as each table is counted or file written (a progress bar)


def no_progress(_label: str) -> None:
    return None


class EmptyPeriodError(Exception):
    """Nothing to report for the period asked."""
