"""The bot as a real process (`python -m bot run`), on a database file and a free port,
against the fake platforms: what a kill -9, or a hostile client, is done to."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

from tests.fake_platforms import FakePlatforms
from tests.harness import AGENCY, clean_environment

TOKEN = "4242:FAKE-token"
SECRET = "drill-webhook-secret"
TWILIO_SID, TWILIO_TOKEN = "AC" + "1" * 32, "drill-twilio-token"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    def __init__(
        self,
        workdir: Path,
        platforms: FakePlatforms,
        *,
        open_files: int | None = None,
        **env: str,
    ) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.open_files = open_files
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self.env = clean_environment(
            AGENCY_CONFIG=str(AGENCY),
            DATABASE_URL=f"sqlite+aiosqlite:///{self.database}",
            REPORTS_DIR=str(workdir / "reports"),
            HTTP_HOST="127.0.0.1",
            HTTP_PORT=str(self.port),
            LOG_LEVEL="WARNING",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=platforms.telegram_url,
            TELEGRAM_WEBHOOK_URL="https://bot.example.id/telegram/webhook",
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            TWILIO_ACCOUNT_SID=TWILIO_SID,
            TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
            TWILIO_WHATSAPP_FROM="+14155238886",
            TWILIO_API_BASE_URL=platforms.twilio_url,
            PUBLIC_BASE_URL="https://bot.example.id",
            PYTHONPATH=str(ROOT),
            # The real clock: CLOCK_START would begin again at the same instant after every
            # restart, and rows written before a kill would seem to lie in the future. No
            # quiet hours, so the run does not depend on the hour.
            QUIET_HOURS="",
            **env,
        )
        self.env.pop("CLOCK_START")

    @property
    def database(self) -> Path:
        return self.workdir / "bot.db"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / "bot.log"

    async def start(self, seconds: float = 60.0) -> None:
        self.starts += 1

        def limit_files() -> None:  # in the child, before it runs the bot
            if self.open_files is not None:
                import resource

                resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, self.open_files))

        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=log,
                preexec_fn=limit_files,
            )
        await self.wait_healthy(seconds)

    async def wait_healthy(self, seconds: float) -> None:
        async with httpx.AsyncClient(base_url=self.url) as client:
            for _ in range(int(seconds / 0.1)):
                assert self.process is not None
                if self.process.returncode is not None:
                    raise AssertionError(f"the bot exited: {self.log.read_text()[-2000:]}")
                try:
                    if (await client.get("/healthz", timeout=1.0)).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError("the bot did not become healthy")

    async def kill(self) -> None:
        """kill -9: no shutdown, no flush, nothing."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), 60)

    @property
    def rss_mb(self) -> float:
        import psutil

        assert self.process is not None
        return float(psutil.Process(self.process.pid).memory_info().rss) / 1e6
