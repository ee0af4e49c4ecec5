"""Staff roles and what each needs: a unit for unit officers, a desa and a KIM for volunteers."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.agency import Agency


class Role(StrEnum):
    ADMIN = "admin"
    KOORDINATOR = "koordinator"  # verifies and dispatches complaints, sees all
    PPID_UTAMA = "ppid_utama"
    PPID_PEMBANTU = "ppid_pembantu"  # PPID pembantu / pejabat penghubung of a unit
    ATASAN_PPID = "atasan_ppid"  # decides objections
    KIM = "kim"  # volunteer filing for residents of one desa/kelurahan


UNIT_ROLES = frozenset({Role.PPID_PEMBANTU})
# Roles that see every unit's cases (a PPID pembantu sees their unit's).
SEE_ALL = frozenset({Role.ADMIN, Role.KOORDINATOR, Role.PPID_UTAMA, Role.ATASAN_PPID})
# How people name the roles (the same in both languages: they are Indonesian titles).
ROLE_NAMES = {
    Role.ADMIN: "Admin",
    Role.KOORDINATOR: "Admin Koordinator",
    Role.PPID_UTAMA: "PPID Utama",
    Role.PPID_PEMBANTU: "PPID Pembantu",
    Role.ATASAN_PPID: "Atasan PPID",
    Role.KIM: "Relawan KIM",
}


def role_name(value: str) -> str:
    """How people name a stored role ("ppid_pembantu" → "PPID Pembantu")."""
    known = {r.value: name for r, name in ROLE_NAMES.items()}
    return known.get(value, value)


class RoleError(ValueError):
    """A role grant that misses what the role needs."""


def check_grant(
    agency: Agency, role: str, unit: str | None, area: str | None, kim_name: str | None
) -> Role:
    try:
        checked = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise RoleError(f"unknown role {role!r}: use one of {allowed}") from None
    if checked in UNIT_ROLES and unit not in agency.units:
        raise RoleError(f"{checked} needs --unit, one of the agency's unit codes")
    if unit is not None and unit not in agency.units:
        raise RoleError(f"unknown unit {unit!r}")
    if checked is Role.KIM:
        if area not in agency.areas or agency.areas[area].parent is None:
            raise RoleError("kim needs --area, a desa/kelurahan code like lalabata/lapajung")
        if not kim_name:
            raise RoleError("kim needs --kim-name, the KIM's name in its decree")
    return checked
