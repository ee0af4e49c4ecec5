"""A progress bar for the command line: one line redrawn on a terminal, one line per step
when the output is a file or a pipe (cron logs stay readable)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 24


class Bar:
    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total = max(total, 1)
        self.done = 0
        self._stream = stream
        self._tty = stream.isatty()
        self._started = time.monotonic()

    def __call__(self, label: str) -> None:
        """A step starts: counting a table or writing a file."""
        self.done = min(self.done + 1, self.total)
        if self._tty:
            filled = WIDTH * self.done // self.total
            bar = "#" * filled + "." * (WIDTH - filled)
            self._stream.write(f"\r[{bar}] {self.done}/{self.total} {label[:40]:<40}")
        else:
            self._stream.write(f"[{self.done}/{self.total}] {label}\n")
        self._stream.flush()

    def close(self) -> None:
        elapsed = time.monotonic() - self._started
        end = "\r" + " " * (WIDTH + 52) + "\r" if self._tty else ""
        seconds = f"{elapsed:.1f}".replace(".", ",")  # Indonesian decimal comma
        self._stream.write(f"{end}Selesai dalam {seconds} detik.\n")
        self._stream.flush()
