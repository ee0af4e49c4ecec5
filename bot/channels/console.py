"""The offline console channel: a citizen's chat in a terminal, on the same engine and database.

Interactive in a terminal; with stdin piped it reads one message per line, prints each reply
and exits at end of input, so scripted conversations work. Lines starting with `!` stand in for
what a phone can send but a keyboard cannot: `!lokasi -4.35 119.88`, `!foto path.jpg`,
`!suara`, `!stiker`. `!sebagai NAMA` switches who is typing, so one terminal can play the
citizen and the officer; messages for someone else are printed under their name.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Protocol, TextIO

from bot.channels.text import with_numbered_options
from bot.config import Settings
from bot.engine.clock import Clock
from bot.engine.dispatcher import Dispatcher, SendResult
from bot.engine.engine import Engine, EngineUnavailableError
from bot.i18n import render
from bot.values.messages import _
from bot.values.types import Inbound, Location, Media, Outbound

CHANNEL = "console"
# The database did not take the message: the terminal says so (there is no platform here
# to deliver it again).
NOT_SAVED = _(
    "⚠️ Pesan ini belum tersimpan karena penyimpanan data sedang bermasalah. "
    "Mohon kirim lagi sebentar lagi."
)


class ConsoleSender:
    channel = CHANNEL

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.user: str | None = None  # who is typing now; others' messages get a header

    async def send(self, message: Outbound) -> SendResult:
        if self.user is not None and message.address != self.user:
            self._out.write(f"📨 [untuk {message.address}]\n")
        self._out.write(with_numbered_options(message.text, message.buttons) + "\n\n")
        self._out.flush()
        return SendResult(True, provider_id=f"console-{message.outbox_id}")


def parse_line(line: str, user: str, at: datetime) -> Inbound:
    delivery = uuid.uuid4().hex
    base = Inbound(channel=CHANNEL, chat_id=user, delivery_id=delivery, at=at)
    if line.startswith("!"):
        command, _sep, rest = line[1:].partition(" ")
        command = command.lower()
        if command in ("lokasi", "location"):
            try:
                lat, lon = (float(v) for v in rest.replace(",", " ").split()[:2])
            except ValueError:
                return replace(base, text=line)
            return replace(base, location=Location(lat, lon))
        if command in ("foto", "photo"):
            path, _s, caption = rest.partition(" ")
            media = (Media("photo", path or "photo.jpg", "image/jpeg"),)
            return replace(base, media=media, text=caption or None)
        if command in ("suara", "voice"):
            return replace(base, media=(Media("voice", "voice.ogg", "audio/ogg"),))
        if command in ("stiker", "sticker"):
            return replace(base, unsupported="sticker")
    return replace(base, text=line)


class Host(Protocol):
    """What the console needs of the running bot (`bot.app.App` is one): the channel stays
    below the wiring that builds it."""

    @property
    def engine(self) -> Engine: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def dispatcher(self) -> Dispatcher: ...
    @property
    def settings(self) -> Settings: ...


async def run_console(
    app: Host,
    user: str,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    sender: ConsoleSender | None = None,
) -> None:
    interactive = stdin.isatty()
    if sender is not None:
        sender.user = user
    if interactive:
        print("Suara Warga — konsol offline. Ketik pesan, misalnya: halo. Ctrl+D untuk keluar.\n")
    while True:
        line = await asyncio.to_thread(_read_line, stdin, interactive)
        if line is None:
            break
        if not interactive:
            out.write(f"> {line}\n")
        switch = line.strip().split()
        if len(switch) == 2 and switch[0].lower() in ("!sebagai", "!as"):
            user = switch[1]
            if sender is not None:
                sender.user = user
            out.write(f"(sekarang Anda: {user})\n\n")
            continue
        try:
            await app.engine.submit(parse_line(line, user, app.clock.now()))
        except EngineUnavailableError as exc:  # nothing was saved: say so, and go on
            out.write(f"{render(NOT_SAVED, app.settings.default_locale)} ({exc})\n\n")
            continue
        await app.dispatcher.wait_idle()


def _read_line(stdin: TextIO, interactive: bool) -> str | None:
    if interactive:
        try:
            return input("> ")
        except EOFError:
            return None
    line = stdin.readline()
    if not line:
        return None
    return line.rstrip("\n")
