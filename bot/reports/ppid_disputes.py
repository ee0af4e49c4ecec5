"""The disputes sheet (Perki 1/2021 Pasal 56: "rincian penyelesaian sengketa informasi publik"):
disputes at the Komisi Informasi and in court in the period, and how they ended.

A dispute's steps are case events (`bot.domain.disputes`), a few dozen a year at most, so they
are read whole (up to the period's end) and folded here, per dispute and venue: filed on the
first day any step was recorded there (a decision with no filing on record stands for both),
decided by the latest decision recorded there (a later one corrects an earlier). Each step
counts in the period of the day it was recorded, so a dispute filed in December and decided
in February is in both years' reports; one still open at the end of a year is carried into
the next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.disputes import (
    OUTCOME_LABELS,
    OUTCOMES,
    VENUE_LABELS,
    Outcome,
    Stage,
    Venue,
    read_event,
)
from bot.domain.lifecycle import Action
from bot.i18n import render
from bot.reports.tables import Table
from storage.schema import case_events

# Events are stamped in UTC and carry their local day; every zone is within a day of UTC.
_ZONE_SLACK = timedelta(days=2)


@dataclass
class _Track:
    """One dispute at one venue."""

    filed: date
    decided: tuple[date, Outcome] | None = None


@dataclass
class Disputes:
    table: Table
    filed_ki: int  # taken to the Komisi Informasi in the period
    any: bool  # anything at all to report: carried over, filed, decided or still running


async def disputes(conn: AsyncConnection, start: date, end: date) -> Disputes:
    tracks = await _tracks(conn, end)
    venues = list(Venue)

    def counts(test: Callable[[_Track], bool]) -> list[Any]:
        return [
            sum(1 for (_, v), t in tracks.items() if v is venue and test(t)) for venue in venues
        ]

    def decided_as(outcome: Outcome | None) -> Callable[[_Track], bool]:
        def test(t: _Track) -> bool:
            return (
                t.decided is not None and t.decided[0] >= start and outcome in (None, t.decided[1])
            )

        return test

    def carried(t: _Track) -> bool:  # filed before the period, not decided before it
        return t.filed < start and (t.decided is None or t.decided[0] >= start)

    filed = counts(lambda t: t.filed >= start)
    rows: list[list[Any]] = [
        ["Berjalan dari periode sebelumnya", *counts(carried)],
        ["Diajukan", *filed],
        ["Diputus atau selesai", *counts(decided_as(None))],
    ]
    for outcome in Outcome:
        row = counts(decided_as(outcome))
        # "-" where it is no outcome at all (mediation and lapsing are the commission's own)
        rows.append(
            [
                render(OUTCOME_LABELS[outcome], "id"),
                *[n if outcome in OUTCOMES[v] else "-" for v, n in zip(venues, row, strict=True)],
            ]
        )
    rows.append(["Masih berjalan pada akhir periode", *counts(lambda t: t.decided is None)])
    table = Table(
        "sengketa",
        "Sengketa informasi (UU 14/2008 Pasal 37–50) dan hasilnya bagi pemohon",
        ["Uraian", *[render(VENUE_LABELS[v], "id") for v in venues]],
        rows,
    )
    active = any(isinstance(n, int) and n for row in rows for n in row[1:])
    return Disputes(table, filed[venues.index(Venue.KI)], active)


async def _tracks(conn: AsyncConnection, end: date) -> dict[tuple[int, Venue], _Track]:
    """Every dispute by (case, venue), as its steps recorded up to `end` leave it."""
    e = case_events.c
    until = datetime.combine(end, time(), UTC) + _ZONE_SLACK
    tracks: dict[tuple[int, Venue], _Track] = {}
    for case_id, at, data in await conn.execute(
        select(e.case_id, e.at, e.data)
        .where(and_(e.action == Action.DISPUTE.value, e.at < until))
        .order_by(e.id)
    ):
        read = read_event(data or {}, at.date())
        if read is None or read[1] > end:
            continue
        step, day = read
        track = tracks.setdefault((case_id, step.venue), _Track(day))
        track.filed = min(track.filed, day)
        if step.stage is Stage.DECIDED and step.outcome is not None:
            track.decided = (day, step.outcome)
    return tracks
