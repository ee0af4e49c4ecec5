"""Who is acting on a case: their roles and the units they see, and whether they may work it.

Seeing a case and acting on it are two rules. Seeing (`Actor.units`) decides whether the case
exists for them at all; acting (`may_act`) decides whether they may change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.case import Case
from bot.domain.cases import COMPLAINT_KINDS, Kind
from bot.domain.roles import SEE_ALL, Role
from storage import repo

OFFICER_ROLES = SEE_ALL | {Role.PPID_PEMBANTU}
# The order says which role an event records when someone holds several.
_MOST_SPECIFIC = (Role.ATASAN_PPID, Role.PPID_UTAMA, Role.KOORDINATOR, Role.PPID_PEMBANTU)


@dataclass(frozen=True)
class Actor:
    person_id: int
    roles: frozenset[str]
    units: list[str] | None  # the units whose cases they see; None: every unit
    own_units: tuple[str, ...] = ()  # the units they were granted (PPID pembantu)
    system: bool = False  # the scheduler's own actions (closing a silent case)

    @property
    def officer(self) -> bool:
        return bool(self.roles & {r.value for r in OFFICER_ROLES})

    def role_label(self) -> str:
        """The role recorded on events: the most specific one they hold."""
        if self.system:
            return "system"
        for role in _MOST_SPECIFIC:
            if role.value in self.roles:
                return role.value
        return Role.ADMIN.value if Role.ADMIN.value in self.roles else "citizen"


SYSTEM = Actor(0, frozenset(), None, system=True)


async def load_actor(conn: AsyncConnection, person_id: int) -> Actor:
    grants = await repo.grants_of(conn, person_id)
    roles = frozenset(g.role for g in grants)
    own = tuple(sorted({g.unit_code for g in grants if g.unit_code}))
    if roles & {r.value for r in SEE_ALL}:
        return Actor(person_id, roles, None, own)
    return Actor(person_id, roles, list(own), own)


def may_see(actor: Actor, case: Case, *, citizen_side: bool) -> bool:
    """Reporters (and the KIM volunteer who filed) see their own cases; officers their units'."""
    if citizen_side:
        return actor.person_id in (case.reporter_person_id, case.submitter_person_id)
    return actor.units is None or case.unit_code in actor.units


class Placed(Protocol):
    """What `may_act` reads: a `Case`, or a row of the queue."""

    @property
    def kind(self) -> str: ...
    @property
    def unit_code(self) -> str: ...


def may_act(actor: Actor, case: Placed, agency: Agency) -> bool:
    """Seeing every case is not acting on every case: the coordinator works complaints, the
    PPID utama requests and objections, the atasan PPID objections, a PPID pembantu their
    unit's cases; admins anything."""
    roles, complaint, unit = actor.roles, case.kind in COMPLAINT_KINDS, case.unit_code
    return (
        Role.ADMIN.value in roles
        or unit in actor.own_units
        or (Role.KOORDINATOR.value in roles and (complaint or case.unit_code == agency.triage_unit))
        or (
            Role.PPID_UTAMA.value in roles and (not complaint or case.unit_code == agency.ppid_unit)
        )
        or (Role.ATASAN_PPID.value in roles and case.kind == Kind.KEBERATAN)
    )
