"""The breach procedure (UU 27/2022 Pasal 46) through the admin's chat: record, who is touched,
the 3×24-hour deadline, both drafts, the notice sent once, the authority's letter recorded.
The harness starts on Friday 27 November 2026, 09:00 WITA."""

from __future__ import annotations

from datetime import date

from bot.domain.breach import Recorded, parse_record
from tests.harness import TestBot, file_complaint, file_request, grant_role, onboard


def test_a_record_line_is_read_or_refused_with_the_format() -> None:
    parsed = parse_record("2026-11-01 2026-11-30 nama,nik,hp | Laptop hilang | Sandi diganti")
    assert parsed == Recorded(
        date(2026, 11, 1),
        date(2026, 11, 30),
        ("name", "nik", "phone"),
        "Laptop hilang",
        "Sandi diganti",
    )
    assert parse_record("1/11/2026 30/11/2026 nik | a | b") == Recorded(
        date(2026, 11, 1), date(2026, 11, 30), ("nik",), "a", "b"
    )
    assert not isinstance(parse_record("kemarin bocor"), Recorded)
    assert not isinstance(parse_record("2026-02-30 2026-03-01 nik | a | b"), Recorded)
    assert not isinstance(parse_record("2026-11-30 2026-11-01 nik | a | b"), Recorded)
    assert not isinstance(parse_record("2026-11-01 2026-11-30 rahasia | a | b"), Recorded)
    assert not isinstance(parse_record("2026-11-01 2026-11-30 nik | hanya satu"), Recorded)


async def test_an_admin_records_a_breach_and_the_people_touched_are_told_once(
    bot: TestBot,
) -> None:
    await grant_role(bot, "admin", "admin")
    await file_complaint(bot, "warga")
    await file_request(bot, "siti")
    outsider = bot.citizen("lain")
    await onboard(outsider)  # no case: not touched
    admin, warga, siti = bot.citizen("admin"), bot.citizen("warga"), bot.citizen("siti")
    for chat in (warga, siti, outsider):
        chat.unread()

    said = await admin.say(
        "/kebocoran catat 2026-11-01 2026-11-30 nama,nik,hp | Laptop petugas berisi ekspor "
        "rekap hilang | Akun petugas diblokir dan sandi diganti"
    )
    assert "Insiden #1 dicatat" in said and "2 orang (2 laporan/permohonan)" in said
    assert "30 November 2026 09.00" in said  # 72 hours from Fri 27 Nov 09:00 WITA
    assert "Draf surat kepada Lembaga Pelindungan Data Pribadi" in said
    assert "nama, NIK, nomor HP" in said
    assert warga.unread() == []  # nothing goes out before the admin says so

    sent = await admin.say("/kebocoran kirim 1")
    assert "dikirim ke 2 orang" in sent
    for chat in (warga, siti):
        told = chat.unread_text()
        assert "kegagalan pelindungan data pribadi" in told and "Laptop petugas" in told
    assert outsider.unread() == []
    assert "sudah dikirim sebelumnya" in await admin.say("/kebocoran kirim 1")
    assert warga.unread() == []

    assert "sudah dikirim" in await admin.say("/kebocoran lapor 1")
    listed = await admin.say("/kebocoran")
    assert "#1" in listed and "belum diberi tahu" not in listed


async def test_only_an_admin_has_the_command(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    for chat in ("ppid", "warga"):
        citizen = bot.citizen(chat)
        await onboard(citizen)
        said = await citizen.say("/kebocoran catat 2026-11-01 2026-11-30 nik | a | b")
        assert "Insiden" not in said
