"""`bantuan` for staff lists exactly the commands the lifecycle lets each role take."""

from __future__ import annotations

import pytest

from bot.domain.cases import Kind
from bot.domain.lifecycle import Action, roles_for
from bot.handlers.help import staff_help
from bot.i18n import render


def shown(*roles: str, extension: int = 7) -> str:
    found = staff_help(frozenset(roles), extension)
    return render(found, "id") if found is not None else ""


def test_the_ppid_utama_is_not_offered_verification_or_archiving() -> None:
    """Drift found in review: help listed /verifikasi and /arsip for the PPID utama, which
    `roles_for` refuses."""
    ppid = shown("ppid_utama")
    assert "/verifikasi" not in ppid and "/arsip" not in ppid
    assert "/perpanjang" in ppid and "/putus KODE diberikan" in ppid
    coordinator = shown("koordinator")
    assert "/verifikasi" in coordinator and "/arsip" in coordinator
    assert "/perpanjang" not in coordinator


@pytest.mark.parametrize(
    ("role", "kind", "action", "command"),
    [
        ("ppid_utama", Kind.PENGADUAN, Action.VERIFY, "/verifikasi"),
        ("ppid_pembantu", Kind.PENGADUAN, Action.ARCHIVE, "/arsip"),
        ("koordinator", Kind.INFORMASI, Action.EXTEND, "/perpanjang"),
        ("atasan_ppid", Kind.KEBERATAN, Action.DISPUTE, "/sengketa"),
        ("ppid_pembantu", Kind.KEBERATAN, Action.DISPUTE, "/sengketa"),
        ("atasan_ppid", Kind.KEBERATAN, Action.DECIDE, "/putus KODE diterima"),
        ("ppid_utama", Kind.KEBERATAN, Action.DECIDE, "/putus KODE diterima"),
    ],
)
def test_help_and_the_lifecycle_agree(role: str, kind: Kind, action: Action, command: str) -> None:
    needed = roles_for(kind, action)
    allowed = needed is None or role in {r.value for r in needed}
    assert (command in shown(role)) == allowed


def test_the_extension_limit_is_the_agencys() -> None:
    """Drift found in review: help said "paling lama 7 hari kerja" whatever was configured."""
    assert "paling lama 5 hari kerja" in shown("ppid_pembantu", extension=5)
    assert "paling lama 7 hari kerja" not in shown("ppid_pembantu", extension=5)


def test_citizens_get_no_staff_help() -> None:
    assert staff_help(frozenset(), 7) is None
    assert "/laporwarga" in shown("kim") and "/ambil" not in shown("kim")
