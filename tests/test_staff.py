"""Staff roles from the command line and from configuration."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import select

from storage.schema import staff_roles
from tests.harness import TestBot, grant_on, make_settings, run_bot


def staff(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_bot(tmp_path, "staff", *args, database=tmp_path / "staff.db")


def test_add_list_and_remove_roles(tmp_path: Path) -> None:
    added = staff(
        tmp_path, "add", "--channel", "telegram", "--address", "1234567", "--role", "admin"
    ).stdout
    assert "Role granted." in added
    assert "never written to the bot" in added  # the bot cannot reach them until they do
    assert (
        "already"
        in staff(
            tmp_path, "add", "--channel", "telegram", "--address", "1234567", "--role", "admin"
        ).stdout
    )
    officer = staff(
        tmp_path,
        "add",
        "--channel",
        "whatsapp",
        "--address",
        "0812-3456-7890",
        "--role",
        "ppid_pembantu",
        "--unit",
        "dinas-pupr",
    )
    assert officer.returncode == 0, officer.stderr
    volunteer = staff(
        tmp_path,
        "add",
        "--channel",
        "whatsapp",
        "--address",
        "081298765432",
        "--role",
        "kim",
        "--area",
        "lalabata/lapajung",
        "--kim-name",
        "KIM Sipakatau",
    )
    assert volunteer.returncode == 0, volunteer.stderr
    listing = staff(tmp_path, "list").stdout
    assert "admin" in listing and "+6281234567890" in listing and "dinas-pupr" in listing
    assert "lalabata/lapajung" in listing
    assert (
        "Role removed."
        in staff(
            tmp_path, "remove", "--channel", "telegram", "--address", "1234567", "--role", "admin"
        ).stdout
    )
    remaining = staff(tmp_path, "list").stdout.splitlines()
    assert not any(line.startswith("admin") for line in remaining) and len(remaining) == 2


def test_a_grant_missing_what_the_role_needs_is_refused_in_one_line(tmp_path: Path) -> None:
    for args in (
        ("--role", "ppid_pembantu"),  # no unit
        ("--role", "kim", "--area", "lalabata"),  # a kecamatan, not a desa; no KIM name
        ("--role", "bupati"),
    ):
        result = staff(tmp_path, "add", "--channel", "telegram", "--address", "42", *args)
        assert result.returncode == 2 and result.stderr.startswith("Not done:"), result.stderr
        assert "Traceback" not in result.stderr


async def test_admins_from_configuration_exist_after_every_start(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, admin_telegram_ids="111, 222", admin_whatsapp_numbers="081234567890"
    )
    for _ in range(2):  # a second start adds nothing
        bot = await TestBot(settings).start()
        async with bot.app.db.connect() as conn:
            roles = (await conn.execute(select(staff_roles.c.role))).scalars().all()
        await bot.stop()
        assert roles == ["admin", "admin", "admin"]


async def _make_admin(bot: TestBot, chat_id: str) -> None:

    await grant_on(bot.app, "console", chat_id, "admin")


async def test_an_admin_invites_and_the_invitee_joins_once(bot: TestBot) -> None:
    import re

    await _make_admin(bot, "admin-1")
    admin = bot.citizen("admin-1")
    made = await admin.say("/undang ppid_pembantu dinas-pupr")
    code = re.search(r"\*([2-9A-Z]{4}-[2-9A-Z]{4})\*", made)
    assert code, made
    officer = bot.citizen("petugas-pupr")
    assert "Selamat bergabung" in await officer.say(f"/gabung {code.group(1)}")  # first message
    async with bot.app.db.connect() as conn:
        rows = (await conn.execute(select(staff_roles.c.role, staff_roles.c.unit_code))).all()
    assert ("ppid_pembantu", "dinas-pupr") in rows
    other = bot.citizen("orang-lain")
    assert "tidak berlaku" in await other.say(f"/gabung {code.group(1)}")  # used already


async def test_an_invite_is_asked_step_by_step(bot: TestBot) -> None:
    import re

    await _make_admin(bot, "admin-3")
    admin = bot.citizen("admin-3")
    assert "peran apa" in await admin.say("/undang")
    assert "desa/kelurahan mana" in await admin.press("kim")
    assert "belum kami kenali" in await admin.say("Atlantis")
    assert "Nama KIM" in await admin.say("lapajung")
    made = await admin.say("KIM Sipakatau")
    assert "*Relawan KIM* (KIM Sipakatau, Kelurahan Lapajung" in made
    code = re.search(r"\*([2-9A-Z]{4}-[2-9A-Z]{4})\*", made)
    assert code, made
    joined = await bot.citizen("relawan").say(f"/gabung {code.group(1)}")
    assert "terdaftar sebagai *Relawan KIM*" in joined
    async with bot.app.db.connect() as conn:
        rows = (await conn.execute(select(staff_roles.c.area_code, staff_roles.c.kim_name))).all()
    assert ("lalabata/lapajung", "KIM Sipakatau") in rows

    assert "peran apa" in await admin.say("/undang")
    assert "unit mana" in await admin.press("ppid_pembantu")
    made = await admin.say("Dinas Sosial")  # the unit's name, typed
    assert "Undangan untuk *PPID Pembantu* (Dinas Sosial) dibuat" in made
    assert "nomornya" in await admin.say("/kirimulang")
    assert "0 pesan dijadwalkan ulang" in await admin.say("semua")
    # Nobody else is asked anything
    assert "tidak dikenal" in await bot.citizen("relawan").say("/undang")


async def test_invites_are_for_admins_only_and_expire(bot: TestBot) -> None:
    citizen = bot.citizen("warga")
    await citizen.say("halo")
    await citizen.say("1")
    refused = await citizen.say("/undang admin")
    assert "Perintah itu tidak dikenal" in refused  # neutral: reveals nothing
    await _make_admin(bot, "admin-2")
    admin = bot.citizen("admin-2")
    import re

    code = re.search(r"\*([2-9A-Z]{4}-[2-9A-Z]{4})\*", await admin.say("/undang koordinator"))
    assert code
    bot.clock.advance(days=8)
    assert "tidak berlaku" in await citizen.say(f"/gabung {code.group(1)}")
    fresh = re.search(r"\*([2-9A-Z]{4}-[2-9A-Z]{4})\*", await admin.say("/undang koordinator"))
    assert fresh and "dicabut" in await admin.say(f"/cabut {fresh.group(1)}")
    assert "tidak berlaku" in await citizen.say(f"/gabung {fresh.group(1)}")


async def _grant(bot: TestBot, chat_id: str, role: str, unit: str | None = None) -> None:

    await grant_on(bot.app, "console", chat_id, role, unit)


async def test_who_sees_which_case(bot: TestBot) -> None:
    """A small matrix: role × command × case."""
    import re

    from tests.harness import COMPLAINT_SCRIPT, onboard

    citizen = bot.citizen("pelapor")
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT[:7]:
        await citizen.say(line)
    await citizen.say("2")  # anonim
    receipt = await citizen.say("kirim")
    code = re.search(r"[PA]-[2-9A-Z]{4}-[2-9A-Z]{4}", receipt).group(0)  # type: ignore[union-attr]
    await _grant(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await _grant(bot, "dinkes", "ppid_pembantu", "dinas-kesehatan")
    await _grant(bot, "koor", "koordinator")
    pupr, dinkes, koor = bot.citizen("pupr"), bot.citizen("dinkes"), bot.citizen("koor")
    assert code in await pupr.say("/antrian")
    card = await pupr.say(f"/kasus {code}")
    assert "(anonim)" in card and "Budi" not in card and "berlubang" in card
    assert code not in await dinkes.say("/antrian")
    outside = await dinkes.say(f"/kasus {code}")
    missing = await dinkes.say("/kasus P-2222-2222")
    assert "tidak ditemukan" in outside and outside.replace(code, "X") == missing.replace(
        "P-2222-2222", "X"
    )
    assert code in await koor.say("/antrian")
    assert "Perintah itu tidak dikenal" in await citizen.say("/antrian")
    assert "Perintah itu tidak dikenal" in await citizen.say(f"/kasus {code}")
