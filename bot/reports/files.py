"""Report files made for the chat, and the short-lived signed links that serve them.

Telegram takes the files as uploads. WhatsApp (Twilio) cannot upload from here: it fetches
media from a public URL, and a spreadsheet is better as a link anyway. So each `/rekap` gets
its own folder under a random name, and a link to a file in it carries its expiry and an
HMAC over folder, name and expiry. No login, nothing guessable, and it stops working by
itself; the folder is deleted once its links have expired.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from bot.config import MIN_LINK_SECRET
from bot.web import Endpoint

log = logging.getLogger(__name__)

FOLDER = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
EXPIRY = re.compile(r"^[0-9]{1,12}$")  # ASCII digits only ("²" is a digit to isdigit())
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
CONTENT_TYPES = {
    ".png": "image/png",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}
EXPIRED = (
    "Tautan ini sudah kedaluwarsa. Minta rekap baru dengan /rekap.\n"
    "This link has expired. Ask for a new recap with /rekap.\n"
)
NOT_FOUND = "Berkas tidak ditemukan.\nFile not found.\n"


def load_secret(root: Path, configured: str | None) -> bytes:
    """LINK_SECRET if set; else one made on first use and kept beside the files, so links
    survive a restart without anyone having to configure a secret. Written whole or not at
    all (a temporary file renamed into place): a crash can never leave an empty key."""
    if configured:
        return configured.encode()
    root.mkdir(parents=True, exist_ok=True)
    path = root / ".link-secret"
    stored = path.read_text().strip() if path.exists() else ""
    if len(stored) >= MIN_LINK_SECRET:
        return stored.encode()
    fresh = secrets.token_hex(32)
    temporary = root / f".link-secret.{secrets.token_hex(4)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(fresh)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
    return fresh.encode()


class ReportFiles:
    def __init__(
        self, root: Path, secret: bytes, ttl: timedelta, public_base_url: str | None
    ) -> None:
        # Our own subfolder: pruning deletes old folders, so never anyone else's, even if
        # REPORTS_DIR is pointed at a shared place.
        self.root = root / "rekap"
        self.ttl = ttl
        self._secret = secret
        self._base = public_base_url

    def new_folder(self) -> tuple[str, Path]:
        token = secrets.token_urlsafe(18)  # 24 characters, 144 random bits
        folder = self.root / token
        folder.mkdir(parents=True, mode=0o700)  # reports and personal data: the owner only
        return token, folder

    def _signature(self, token: str, name: str, expires: int) -> str:
        message = f"{token}/{name}/{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def link(self, token: str, name: str, now: datetime) -> tuple[str, datetime] | None:
        """(URL, expiry) of a file, or None when the app has no public address."""
        if not self._base:
            return None
        expiry = now + self.ttl
        expires = int(expiry.timestamp())
        signature = self._signature(token, name, expires)
        url = f"{self._base}/files/{token}/{quote(name)}?exp={expires}&sig={signature}"
        return url, expiry

    def resolve(
        self, token: str, name: str, expires: str, signature: str, now: float
    ) -> Path | str:
        """The file a link points at, or why not: "forged", "expired" or "missing"."""
        if not (FOLDER.match(token) and NAME.match(name) and EXPIRY.match(expires)):
            return "forged"
        expected = self._signature(token, name, int(expires))
        if not hmac.compare_digest(expected, signature):
            return "forged"
        if int(expires) < now:
            return "expired"
        path = self.root / token / name
        return path if path.is_file() else "missing"

    def prune(self, now: float) -> int:
        """Delete folders whose links have all expired (made more than the TTL ago)."""
        if not self.root.is_dir():
            return 0
        removed = 0
        for folder in self.root.iterdir():
            if not folder.is_dir() or not FOLDER.match(folder.name):
                continue
            if folder.stat().st_mtime < now - self.ttl.total_seconds():
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed


def download_endpoint(files: ReportFiles, now: Callable[[], float] = time.time) -> Endpoint:
    """GET /files/{token}/{name}?exp=…&sig=…: a forged or unknown link reads as not found,
    an expired one says so politely. Never cached, never sniffed."""

    async def endpoint(request: Request) -> Response:
        token = str(request.path_params.get("token", ""))
        name = str(request.path_params.get("name", ""))
        found = files.resolve(
            token,
            name,
            request.query_params.get("exp", ""),
            request.query_params.get("sig", ""),
            now(),
        )
        if found == "expired":
            return PlainTextResponse(EXPIRED, status_code=410)
        if isinstance(found, str):
            log.info("file link refused: %s", found)
            return PlainTextResponse(NOT_FOUND, status_code=404)
        suffix = found.suffix.lower()
        return FileResponse(
            found,
            media_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
            filename=found.name,
            content_disposition_type="inline" if suffix == ".png" else "attachment",
            headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
        )

    return endpoint
