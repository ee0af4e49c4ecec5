"""A citizen talking to the real engine on a real SQLite file, through a recording sender."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.app import App, build_app
from bot.config import SETTING_NAMES, Settings, load_settings
from bot.engine.clock import FakeClock
from bot.engine.dispatcher import SendResult
from bot.values.types import Inbound, Location, Media, Outbound

AGENCY = Path(__file__).resolve().parent.parent / "config" / "agency.soppeng.toml"
# A Friday morning in Soppeng (WITA): 27 November 2026, 09:00 local.
START = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


@dataclass
class RecordingSender:
    channel: str = "console"
    sent: list[Outbound] = field(default_factory=list)
    fail_with: str | None = None
    fail_for_good: bool = False  # the platform refuses for good (e.g. 400): no retries

    async def send(self, message: Outbound) -> SendResult:
        if self.fail_with:
            return SendResult(False, error=self.fail_with, permanent=self.fail_for_good)
        self.sent.append(message)
        return SendResult(True, provider_id=f"rec-{message.outbox_id}")


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings from these values alone: no environment variable and no `.env` of the
    developer's can change what a test sees."""
    values: dict[str, object] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "agency_config": AGENCY,
        "reports_dir": tmp_path / "reports",
    }
    values.update(overrides)
    return load_settings(environment=False, **values)


def clean_environment(**env: str) -> dict[str, str]:
    """The process environment without any of the bot's settings (the developer's own, or a
    CI's), with the bot's clock started at START, then `env`."""
    kept = {k: v for k, v in os.environ.items() if k.upper() not in SETTING_NAMES}
    return {**kept, "CLOCK_START": START.isoformat(), **env}


def run_bot(
    cwd: Path,
    *args: str,
    database: Path | None = None,
    stdin: str | None = None,
    unset: tuple[str, ...] = (),
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as a person runs it: a real process with the example agency, on
    `database` if given, in `cwd` (a test's own folder: no `.env` there), its clock started
    at START; `env` adds or overrides variables, `unset` removes them."""
    environment = clean_environment(AGENCY_CONFIG=str(AGENCY), **env)
    if database is not None:
        environment["DATABASE_URL"] = f"sqlite+aiosqlite:///{database}"
    for name in unset:
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


_ids = itertools.count(1)


class Citizen:
    """One chat; `say` returns the texts of the replies it produced (buttons numbered)."""

    def __init__(self, bot: TestBot, chat_id: str, channel: str = "console") -> None:
        self.bot, self.chat_id, self.channel = bot, chat_id, channel
        self.seen = 0  # messages to this chat already read through `unread`

    def unread(self) -> list[Outbound]:
        """Messages to this chat since the last call, whoever caused them (notices too)."""
        mine = [m for m in self.bot.sender.sent if m.address == self.chat_id]
        fresh, self.seen = mine[self.seen :], len(mine)
        return fresh

    def unread_text(self) -> str:
        return "\n---\n".join(render_text(m) for m in self.unread())

    async def send(self, delivery_id: str | None = None, **fields: object) -> list[Outbound]:
        inbound = Inbound(
            channel=self.channel,
            chat_id=self.chat_id,
            delivery_id=delivery_id or f"d{next(_ids)}",
            at=self.bot.clock.now(),
            **fields,  # type: ignore[arg-type]
        )
        before = len(self.bot.sender.sent)
        await self.bot.app.engine.submit(inbound)
        await self.bot.app.dispatcher.wait_idle()
        await self.bot.app.engine.flush()  # delivery results are recorded lazily
        return [m for m in self.bot.sender.sent[before:] if m.address == self.chat_id]

    async def say(self, text: str, **fields: object) -> str:
        messages = await self.send(text=text, **fields)
        return "\n---\n".join(render_text(m) for m in messages)

    async def press(self, choice: str) -> str:
        messages = await self.send(choice=choice)
        return "\n---\n".join(render_text(m) for m in messages)

    async def photo(self, ref: str = "photo-1", caption: str | None = None) -> str:
        messages = await self.send(media=(Media("photo", ref, "image/jpeg"),), text=caption)
        return "\n---\n".join(render_text(m) for m in messages)

    async def location(self, lat: float, lon: float) -> str:
        messages = await self.send(location=Location(lat, lon))
        return "\n---\n".join(render_text(m) for m in messages)


def render_text(message: Outbound) -> str:
    options = "\n".join(f"{n}. {label}" for n, (_id, label) in enumerate(message.buttons, 1))
    return f"{message.text}\n{options}" if options else message.text


class TestBot:
    __test__ = False  # not a pytest class

    def __init__(self, settings: Settings, clock: FakeClock | None = None) -> None:
        self.settings = settings
        self.clock = clock or FakeClock(START)
        self.sender = RecordingSender()
        self.app: App

    async def start(self) -> TestBot:
        self.app = await build_app(self.settings, [self.sender], self.clock)
        return self

    async def restart(self) -> None:
        await self.app.stop()
        self.sender = RecordingSender()
        await self.start()

    async def stop(self) -> None:
        await self.app.stop()

    def citizen(self, chat_id: str = "warga-1") -> Citizen:
        return Citizen(self, chat_id)


async def onboard(citizen: Citizen, language: str = "1") -> None:
    await citizen.say("halo")
    await citizen.say(language)


COMPLAINT_SCRIPT = [
    "1",  # menu: pengaduan / aspirasi
    "1",  # pengaduan
    "1",  # jalan dan jembatan
    "Jalan di depan rumah saya berlubang besar sejak 2 bulan",
    "lanjut",
    "lapajung",
    "lewati",
    "1",  # biasa
    "Budi Santoso",
]

REQUEST_SCRIPT = [
    "2",  # menu: permohonan informasi publik
    "1",  # perorangan
    "Siti Aminah",
    "7312015708850002",
    "Jl. Kemakmuran No. 5, Lapajung",
    "081234567890",
    "Guru",
    "Dokumen APBDes Lapajung 2025",
    "Bahan diskusi warga",
    "2",  # softcopy
    "1",  # ambil langsung
]


async def grant_on(
    app: App,
    channel: str,
    address: str,
    role: str,
    unit: str | None = None,
    area: str | None = None,
    kim_name: str | None = None,
) -> None:
    """Give a chat a staff role, as `suara-warga staff add` does."""
    from bot.grants import Grant, grant

    async with app.db.begin() as conn:
        await grant(
            conn,
            app.agency,
            Grant(channel, address, role, unit, area, kim_name),
            locale="id",
            now=app.clock.now(),
        )


async def grant_role(
    bot: TestBot,
    chat_id: str,
    role: str,
    unit: str | None = None,
    area: str | None = None,
    kim_name: str | None = None,
) -> None:
    """Give a console chat a staff role."""
    await grant_on(bot.app, "console", chat_id, role, unit, area, kim_name)


CODE = r"[PAIKD]-[2-9A-Z]{4}-[2-9A-Z]{4}"


def code_in(text: str) -> str:
    import re

    found = re.search(CODE, text)
    assert found, text
    return found.group(0)


async def file_complaint(bot: TestBot, chat_id: str, *, anonymous: bool = False) -> str:
    """A citizen files the standard pothole complaint (to Dinas PUPR); returns its code."""
    citizen = bot.citizen(chat_id)
    await onboard(citizen)
    script = [*COMPLAINT_SCRIPT[:7], "2"] if anonymous else COMPLAINT_SCRIPT
    for line in script:
        await citizen.say(line)
    return code_in(await citizen.say("kirim"))


async def file_request(bot: TestBot, chat_id: str) -> str:
    citizen = bot.citizen(chat_id)
    await onboard(citizen)
    for line in REQUEST_SCRIPT:
        await citizen.say(line)
    return code_in(await citizen.say("kirim"))
