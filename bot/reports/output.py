"""Writing a report: an XLSX workbook (one sheet per table, Indonesian headings), one CSV per
table, and a PNG chart. Files a PPID office can paste into its own report."""

from __future__ import annotations

import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen on a server

import matplotlib.pyplot as plt
import xlsxwriter

from bot.reports.ppid import Report

CHART_SIZE = (8.0, 4.5)  # inches
CHART_DPI = 100  # → 800 × 450 pixels


def write_report(report: Report, out: Path, stem: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [write_xlsx(report, out / f"{stem}.xlsx")]
    for table in report.tables:
        path = out / f"{stem}-{table.name}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as handle:  # Excel reads the BOM
            writer = csv.writer(handle)
            writer.writerow(table.headers)
            writer.writerows(table.rows)
        written.append(path)
    written.append(write_chart(report, out / f"{stem}.png"))
    return written


def write_xlsx(report: Report, path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1})
    for table in report.tables:
        sheet = book.add_worksheet(table.name[:31])
        sheet.write(0, 0, report.title, title)
        sheet.write(1, 0, table.title)
        for col, header in enumerate(table.headers):
            sheet.write(3, col, header, head)
            width = max([len(str(header))] + [len(str(r[col])) for r in table.rows if col < len(r)])
            sheet.set_column(col, col, min(max(width + 2, 10), 60))
        for row_no, row in enumerate(table.rows, start=4):
            for col, value in enumerate(row):
                sheet.write(row_no, col, value, cell)
    book.close()
    return path


def write_chart(report: Report, path: Path) -> Path:
    labels, values = list(report.chart), list(report.chart.values())
    figure, axes = plt.subplots(figsize=CHART_SIZE, dpi=CHART_DPI)
    bars = axes.barh(labels, values, color="#2F75B5")
    axes.bar_label(bars)
    axes.invert_yaxis()
    axes.set_title(report.chart_title or report.title)
    axes.set_xlabel("Jumlah")
    figure.tight_layout()
    figure.savefig(path, dpi=CHART_DPI)
    plt.close(figure)
    return path
