"""The data's place: private whatever the umask, and a place that cannot be written stops the
program with one line naming it (never a traceback, never a bot that cannot keep messages)."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.harness import TestBot, make_settings, onboard, run_bot


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_folder_and_every_database_file_are_private_whatever_the_umask(
    tmp_path: Path,
) -> None:
    before = os.umask(0o022)  # the usual umask: files readable by everyone
    try:
        database = tmp_path / "data" / "bot.db"
        settings = make_settings(
            tmp_path,
            database_url=f"sqlite+aiosqlite:///{database}",
            reports_dir=tmp_path / "data" / "reports",
        )
        bot = await TestBot(settings).start()
        await onboard(bot.citizen())  # the bot is running: -wal and -shm exist now
        files = [database, database.with_name("bot.db-wal"), database.with_name("bot.db-shm")]
        assert all(f.exists() for f in files)
        assert [mode(f) for f in files] == [0o600, 0o600, 0o600]
        assert mode(database.parent) == 0o700 and mode(tmp_path / "data" / "reports") == 0o700
        await bot.stop()
    finally:
        os.umask(before)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The one line that says what is wrong (`run` may first say which channels start)."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_folder_that_cannot_be_made_is_named_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a folder")
    result = run_bot(tmp_path, "db", "upgrade", database=tmp_path / "afile" / "data" / "bot.db")
    line = one_line_error(result)
    assert line.startswith("Storage error: cannot create the folder") and "afile" in line


def test_a_file_that_is_not_a_database_is_named_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "bot.db").write_text("these are notes, not a database" * 100)
    line = one_line_error(run_bot(tmp_path, "run", database=tmp_path / "bot.db"))
    assert "bot.db" in line and "not a SQLite database" in line


def test_a_read_only_database_is_named_in_one_line(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    assert run_bot(tmp_path, "db", "upgrade", database=database).returncode == 0
    database.chmod(0o400)
    # chmod does not stop root; an immutable file does (ext4, xfs, btrfs).
    immutable = os.geteuid() == 0
    if immutable and subprocess.run(["chattr", "+i", str(database)], check=False).returncode:
        pytest.skip("running as root on a file system without chattr +i: cannot make it read-only")
    try:
        line = one_line_error(run_bot(tmp_path, "run", database=database))
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(database)], check=True)
    assert line == f"Storage error: cannot write {database}: the file is read-only."


def test_a_database_others_can_read_is_warned_about(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    assert run_bot(tmp_path, "db", "upgrade", database=database).returncode == 0
    database.chmod(0o644)
    result = run_bot(tmp_path, "db", "upgrade", database=database)
    assert result.returncode == 0
    assert f"{database} can be read by other users of this machine (mode 644)" in result.stderr
    assert f"chmod 600 {database}" in result.stderr
