"""Backups: a consistent copy while the bot runs, a daily rotation, and a restore tried end
to end (the disk is lost, the backup brings the case back)."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from tests.harness import TestBot, file_complaint, make_settings, run_bot


def named(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.glob(pattern))


def cases_in(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [r[0] for r in db.execute("SELECT tracking_code FROM cases ORDER BY id")]


async def test_a_backup_taken_while_the_bot_runs_restores_after_the_disk_is_lost(
    tmp_path: Path,
) -> None:
    database = tmp_path / "data" / "bot.db"
    settings = make_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{database}")
    bot = await TestBot(settings).start()
    code = await file_complaint(bot, "budi")
    copy = run_bot(tmp_path, "db", "backup", str(tmp_path / "usb") + "/", database=database)
    assert copy.returncode == 0, copy.stderr
    [written] = named(tmp_path / "usb", "suara-warga-*.db")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert not written.with_name(written.name + "-wal").exists()  # one self-contained file
    assert cases_in(written) == [code]

    refused = run_bot(tmp_path, "db", "restore", str(written), database=database)
    assert refused.returncode == 2 and "another Suara Warga process is using" in refused.stderr
    await bot.stop()

    for part in database.parent.glob("bot.db*"):  # the disk is lost
        part.unlink(missing_ok=True)  # the last connection may remove its -wal meanwhile
    restored = run_bot(tmp_path, "db", "restore", str(written), database=database)
    assert restored.returncode == 0, restored.stderr
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    bot = await TestBot(settings).start()
    status = await bot.citizen("budi").say(code)  # the same citizen, the same case
    assert "Diterima, menunggu verifikasi" in status
    await bot.stop()


async def test_restoring_keeps_the_database_it_replaces(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    bot = await TestBot(make_settings(tmp_path)).start()
    first = await file_complaint(bot, "a")
    await bot.stop()
    assert (
        run_bot(tmp_path, "db", "backup", str(tmp_path / "b.db"), database=database).returncode == 0
    )
    bot = await TestBot(make_settings(tmp_path)).start()
    second = await file_complaint(bot, "b")
    await bot.stop()
    result = run_bot(tmp_path, "db", "restore", str(tmp_path / "b.db"), database=database)
    assert result.returncode == 0 and "is kept as" in result.stdout
    assert cases_in(database) == [first]
    [kept] = named(tmp_path, "bot.db.before-restore-*")
    assert cases_in(kept) == [first, second]


async def test_a_second_bot_on_the_same_file_is_refused(tmp_path: Path) -> None:
    bot = await TestBot(make_settings(tmp_path)).start()
    result = run_bot(tmp_path, "chat", database=tmp_path / "bot.db", stdin="halo\n")
    await bot.stop()
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "another Suara Warga process is using" in result.stderr


async def test_a_damaged_backup_is_not_restored(tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    result = run_bot(
        tmp_path, "db", "restore", str(tmp_path / "junk.db"), database=tmp_path / "x.db"
    )
    assert result.returncode == 2 and "Storage error" in result.stderr
    assert not (tmp_path / "x.db").exists()


async def test_the_daily_backup_keeps_the_newest_and_runs_at_start_when_overdue(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "backups"
    settings = make_settings(tmp_path, backup_dir=folder, backup_keep=2)
    bot = await TestBot(settings).start()
    await file_complaint(bot, "c")
    made = []
    for _day in range(3):
        made.append(await bot.app.daily_backup())
        made.append(await bot.app.daily_backup())  # the same day again: nothing more
        bot.clock.advance(days=1)
    assert made == [1, 0, 1, 0, 1, 0]
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["suara-warga-2026-11-28.db", "suara-warga-2026-11-29.db"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    await bot.stop()

    for path in folder.iterdir():
        path.unlink()  # none yet: the first comes at start, not at 02:00 tomorrow
    bot = await TestBot(settings).start()
    bot.app.start_scheduler()
    assert bot.app.scheduler is not None
    job = bot.app.scheduler.get_job("backup")
    assert job is not None and job.next_run_time is not None
    assert (job.next_run_time - bot.clock.now()).total_seconds() < 60
    await bot.stop()
