"""Writing a report: an XLSX workbook (one sheet per table, Indonesian headings), one CSV per
table, and a PNG chart. Files a PPID office can paste into its own report."""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.reports.tables import Chart, Report, Step, no_progress

CHART_SIZE = (8.0, 4.5)  # inches
CHART_DPI = 100  # → 800 × 450 pixels


def write_report(report: Report, out: Path, stem: str, step: Step = no_progress) -> list[Path]:
    """`step` is told each file's name as it is written (a progress bar)."""
    out.mkdir(parents=True, exist_ok=True)
    step(f"{stem}.xlsx")
    written = [write_workbook([report], out / f"{stem}.xlsx")]
    for table in report.tables:
        path = out / f"{stem}-{table.name}.csv"
        step(path.name)
        with path.open("w", newline="", encoding="utf-8-sig") as handle:  # Excel reads the BOM
            writer = csv.writer(handle)
            writer.writerow(table.headers)
            writer.writerows(table.rows)
        written.append(path)
    for chart in report.charts:
        path = out / f"{stem}-{chart.name}.png"
        step(path.name)
        written.append(write_chart(chart, path))
    return written


def write_workbook(reports: list[Report], path: Path) -> Path:
    """One sheet per table. Several reports share one workbook (the chat's /rekap): a sheet
    name already taken gets the report's number in front."""
    book = xlsxwriter.Workbook(str(path))
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1})
    taken: set[str] = set()
    for number, report in enumerate(reports, start=1):
        for table in report.tables:
            name = table.name[:31]
            if name in taken:
                name = f"{number}-{table.name}"[:31]
            taken.add(name)
            sheet = book.add_worksheet(name)
            sheet.write(0, 0, report.title, title)
            sheet.write(1, 0, table.title)
            for col, header in enumerate(table.headers):
                sheet.write(3, col, header, head)
                width = max(
                    [len(str(header))] + [len(str(r[col])) for r in table.rows if col < len(r)]
                )
                sheet.set_column(col, col, min(max(width + 2, 10), 60))
            for row_no, row in enumerate(table.rows, start=4):
                for col, value in enumerate(row):
                    sheet.write(row_no, col, value, cell)
    book.close()
    return path


def write_chart(chart: Chart, path: Path) -> Path:
    # The object API, not pyplot: no global figure state, so charts can be drawn in a worker
    # thread (the chat's /rekap) while the event loop goes on.
    labels, values = list(chart.data), list(chart.data.values())
    figure = Figure(figsize=CHART_SIZE, dpi=CHART_DPI)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    # Bars at positions, names as tick labels: month labels such as "2026-11" would otherwise
    # be taken for dates by matplotlib's category guessing.
    positions = list(range(len(labels)))
    if chart.columns:  # a trend: time runs left to right
        bars = axes.bar(positions, values, color="#2F75B5")
        axes.set_xticks(positions, labels, rotation=45 if len(labels) > 6 else 0, ha="right")
        axes.set_ylabel("Jumlah")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.2 ticks
    else:
        bars = axes.barh(positions, values, color="#2F75B5")
        axes.set_yticks(positions, [_short(label) for label in labels])
        axes.invert_yaxis()
        axes.set_xlabel("Jumlah")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.bar_label(bars, padding=3)
    if chart.columns:  # room for the value labels at the bar ends
        axes.margins(x=0.02, y=0.12)
        axes.set_ylim(bottom=0, top=None if any(values) else 1)  # all zero: still 0 to 1
    else:
        axes.margins(x=0.12)
        axes.set_xlim(left=0, right=None if any(values) else 1)
    axes.set_title(chart.title)
    figure.tight_layout()
    figure.savefig(path, dpi=CHART_DPI)
    return path


def _short(label: str, limit: int = 46) -> str:
    """Long category and unit names cut to fit beside the bars (the table has them whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
