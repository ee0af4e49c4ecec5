"""`/kebocoran`: the admin's breach procedure (UU 27/2022 Pasal 46), step by step.

- `/kebocoran catat DARI SAMPAI DATA | apa yang terjadi | apa yang sudah dilakukan` records a
  breach, finds the people it touches (everyone with a case received in the period), and
  shows the deadline (3×24 hours from now) with both drafts;
- `/kebocoran kirim N` sends the notice to every person touched (once, through the outbox);
- `/kebocoran lapor N` records that the signed letter went to the authority;
- `/kebocoran N` shows one breach again, `/kebocoran` the latest ones.

The README's runbook says what happens around these commands (who decides, what to keep).
"""

from __future__ import annotations

import logging
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.breach import (
    USAGE,
    Recorded,
    deadline,
    kinds_text,
    notice_to_authority,
    notice_to_subject,
    parse_record,
)
from bot.values.messages import Msg, Raw, _, join, lines
from bot.values.types import Notice, Reply
from storage import repo

log = logging.getLogger(__name__)


async def breach_command(
    conn: AsyncConnection, agency: Agency, person_id: int, rest: str, now: datetime, zone: tzinfo
) -> tuple[list[Reply], list[Notice]]:
    words = rest.split()
    if not words:
        return [await _recent(conn, zone)], []
    verb = words[0].lower()
    if verb == "catat":
        return [await _record(conn, agency, person_id, rest.split(None, 1)[1:], now, zone)], []
    number = words[1] if verb in ("kirim", "lapor") and len(words) > 1 else words[0]
    if not number.isdigit():
        return [Reply(USAGE)], []
    found = await repo.breach(conn, int(number))
    if found is None:
        return [Reply(_("Insiden #{n} tidak ada.", n=Raw(number)))], []
    if verb == "kirim":
        return await _notify_subjects(conn, agency, found, now, zone)
    if verb == "lapor":
        done = await repo.mark_breach(conn, found.id, "authority_notified_at", now)
        said = _(
            "Tercatat: surat kepada {authority} sudah dikirim.",
            authority=Raw(agency.data_protection_authority),
        )
        return [Reply(said if done else _("Sudah tercatat sebelumnya."))], []
    head = _("🔐 Insiden #{n}", n=found.id)
    return [Reply(join(head, _shown(agency, found, zone)))], []


async def _record(
    conn: AsyncConnection,
    agency: Agency,
    person_id: int,
    rest: list[str],
    now: datetime,
    zone: tzinfo,
) -> Reply:
    parsed = parse_record(rest[0] if rest else "")
    if not isinstance(parsed, Recorded):
        return Reply(parsed)
    people, cases = await repo.touched_by(conn, parsed.period_from, parsed.period_to)
    breach_id = await repo.record_breach(
        conn,
        {
            "recorded_at": now,
            "recorded_by": person_id,
            "discovered_at": now,
            "description": f"{parsed.what}\n\n{parsed.measures}",
            "data_kinds": list(parsed.data_kinds),
            "period_from": parsed.period_from,
            "period_to": parsed.period_to,
        },
    )
    await repo.add_subjects(conn, breach_id, people)
    log.info("breach %d recorded: %d people, %d cases", breach_id, len(people), cases)
    found = await repo.breach(conn, breach_id)
    assert found is not None
    head = _(
        "🔐 Insiden #{n} dicatat. Terdampak: {people} orang ({cases} laporan/permohonan).",
        n=breach_id,
        people=len(people),
        cases=cases,
    )
    return Reply(join(head, _shown(agency, found, zone, cases)))


def _parts(found: Any) -> tuple[str, str]:
    what, _sep, measures = str(found.description).partition("\n\n")
    return what, measures


def _shown(agency: Agency, found: Any, zone: tzinfo, cases: int | None = None) -> Msg:
    """Where the breach stands, and both drafts."""
    what, measures = _parts(found)
    local = found.discovered_at.astimezone(zone)
    due = deadline(found.discovered_at).astimezone(zone)
    kinds = kinds_text(found.data_kinds)
    status = lines(
        _(
            "Batas pemberitahuan (3×24 jam): *{day} {time}*",
            day=due.date(),
            time=Raw(f"{due:%H.%M}"),
        ),
        _("Pemilik data: {state}", state=_when(found.subjects_notified_at, zone)),
        _("Lembaga: {state}", state=_when(found.authority_notified_at, zone)),
        _(
            "Kirim ke pemilik data: /kebocoran kirim {n} · Surat sudah dikirim: /kebocoran "
            "lapor {n}",
            n=found.id,
        ),
    )
    contact = f"PPID {agency.short_name}, {agency.privacy_url}"
    return join(
        status,
        notice_to_subject(agency.name, local.date(), kinds, what, measures, contact),
        notice_to_authority(
            agency.name,
            agency.data_protection_authority,
            local,
            kinds,
            what,
            measures,
            int(found.subjects),
            cases if cases is not None else int(found.subjects),
        ),
    )


def _when(at: datetime | None, zone: tzinfo) -> Msg:
    if at is None:
        return _("*belum diberi tahu*")
    local = at.astimezone(zone)
    return _("diberi tahu {day} {time}", day=local.date(), time=Raw(f"{local:%H.%M}"))


async def _notify_subjects(
    conn: AsyncConnection, agency: Agency, found: Any, now: datetime, zone: tzinfo
) -> tuple[list[Reply], list[Notice]]:
    if not await repo.mark_breach(conn, found.id, "subjects_notified_at", now):
        return [Reply(_("Pemberitahuan insiden #{n} sudah dikirim sebelumnya.", n=found.id))], []
    what, measures = _parts(found)
    contact = f"PPID {agency.short_name}, {agency.privacy_url}"
    told = Reply(
        notice_to_subject(
            agency.name,
            found.discovered_at.astimezone(zone).date(),
            kinds_text(found.data_kinds),
            what,
            measures,
            contact,
        )
    )
    people = await repo.subjects_of(conn, found.id)
    notices = [Notice(p, told, key=f"breach:{found.id}:{p}") for p in people]
    log.info("breach %d: notice to %d people", found.id, len(people))
    done = _(
        "Pemberitahuan insiden #{n} dikirim ke {people} orang.", n=found.id, people=len(people)
    )
    return [Reply(done)], notices


async def _recent(conn: AsyncConnection, zone: tzinfo) -> Reply:
    rows = await repo.recent_breaches(conn)
    if not rows:
        return Reply(join(_("Belum ada insiden kebocoran data yang dicatat."), USAGE))
    listed = [
        _(
            "#{n} · diketahui {day} · {people} orang · pemilik data: {subjects} · lembaga: "
            "{authority}",
            n=r.id,
            day=r.discovered_at.astimezone(zone).date(),
            people=int(r.subjects),
            subjects=_when(r.subjects_notified_at, zone),
            authority=_when(r.authority_notified_at, zone),
        )
        for r in rows
    ]
    return Reply(join(lines(_("Insiden kebocoran data:"), *listed), USAGE))
