"""Staff roles from the command line and from configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from storage.schema import staff_roles
from tests.harness import AGENCY, TestBot, make_settings


def staff(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'staff.db'}",
        "AGENCY_CONFIG": str(AGENCY),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "staff", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_add_list_and_remove_roles(tmp_path: Path) -> None:
    assert (
        "Role granted."
        in staff(
            tmp_path, "add", "--channel", "telegram", "--address", "1234567", "--role", "admin"
        ).stdout
    )
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
