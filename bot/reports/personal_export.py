"""A person's own data, as their right of access hands it over (UU 27/2022 Pasal 32): a short
summary for the chat, and the whole record as a file (JSON, which any phone can open as text
and any program can read, the "structured, commonly used" form of Pasal 13).

The NIK is shown masked in both: the chat may be read over a shoulder, and the person knows
their own number. Everything else is shown as held.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.domain.cases import KIND_LABELS, STATUS_LABELS
from bot.domain.contact import mask_phone
from bot.domain.nik import mask_nik
from bot.values.messages import Msg, Raw, _, join, lines


def _mask_number(value: str) -> str:
    """A principal's number is a NIK (masked) or a legal entity's decree number (shown)."""
    return mask_nik(value) if value.isdigit() else value


_MASKED: dict[str, Callable[[str], str]] = {"nik": mask_nik, "principal_number": _mask_number}
# Internal bookkeeping, not data about the person.
_INTERNAL = {"alerted_on", "next_update_on", "due_on", "register_seq", "register_year"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def shown(record: dict[str, Any]) -> dict[str, Any]:
    """The record as handed over: dates as text, the NIK masked, bookkeeping left out."""

    def clean(row: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in row.items():
            if key in _INTERNAL or value is None:
                continue
            masked = _MASKED.get(key)
            out[key] = masked(str(value)) if masked and value else _plain(value)
        return out

    cases = []
    for case in record.get("cases", []):
        entry = clean(case)
        detail = record.get("details", {}).get(case["id"])
        if detail:
            entry["request_details"] = clean(detail)
        cases.append(entry)
    return {
        "person": clean(record.get("person", {})),
        "chats": [clean(c) for c in record.get("chats", [])],
        "roles": [clean(r) for r in record.get("roles", [])],
        "cases": cases,
        "attachments": [clean(a) for a in record.get("attachments", [])],
    }


def summary(record: dict[str, Any]) -> Msg:
    """What the chat shows at once: who we know them as, their chats, their cases."""
    person = record.get("person", {})
    chats = [
        f"• {c['channel']}: "
        + (mask_phone(c["address"]) if str(c["address"]).startswith("+") else str(c["address"]))
        for c in record.get("chats", [])
    ]
    cases = [
        _(
            "• *{code}* · {kind} · {status} · diterima {day}",
            code=Raw(c["tracking_code"]),
            kind=KIND_LABELS.get(c["kind"], Raw(c["kind"])),
            status=STATUS_LABELS.get(c["status"], Raw(c["status"])),
            day=c["received_on"],
        )
        for c in record.get("cases", [])
        if c["kind"] != "data_pribadi"  # the requests for one's data: in the file, not here
    ]
    details = list(record.get("details", {}).values())

    def latest(key: str) -> str | None:
        """What the person's most recent request holds for `key` (older ones may differ:
        the file has them all)."""
        return next((str(d[key]) for d in reversed(details) if d.get(key)), None)

    nik, phone = latest("nik"), latest("phone")
    head = _(
        "🔒 *Data Anda yang kami simpan*\n"
        "Nama: {name}\nBahasa: {locale}\nNIK (tersamar): {nik}\nNomor HP: {phone}\n"
        "Email: {email}\nAlamat: {address}\nAkun chat:\n{chats}",
        name=Raw(person.get("display_name") or "-"),
        locale=Raw(person.get("locale") or "-"),
        nik=Raw(mask_nik(nik) if nik else "-"),
        phone=Raw(mask_phone(phone) if phone else "-"),
        email=Raw(latest("email") or "-"),
        address=Raw(latest("address") or "-"),
        chats=Raw("\n".join(chats) or "-"),
    )
    if not cases:
        return join(head, _("Anda belum punya laporan atau permohonan."))
    return join(head, lines(_("Laporan dan permohonan Anda ({n}):", n=len(cases)), *cases))


def write_file(record: dict[str, Any], folder: Path, name: str) -> Path:
    """The whole record as JSON, readable by its owner only (personal data, 0600)."""
    path = folder / name
    body = json.dumps(shown(record), ensure_ascii=False, indent=2, sort_keys=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(body)
    return path
