"""The due-date rule has one home (`cases.due_on`); the queue's SQL (`repo.status_due`) is held
to it here, over every kind and status and each shape of dates, on a real SQLite file."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, insert, select

from bot.domain.cases import CLOSED, Kind, Status, due_of, due_on
from storage import repo
from storage.schema import cases, metadata

VERIFY, FOLLOWUP, RESOLUTION, RESPONSE = (date(2026, 12, d) for d in (2, 9, 16, 10))
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _case(number: int, kind: Kind, status: Status, code: str, received: date) -> dict[str, object]:
    """The columns every test case row needs (the dates under test are given beside them)."""
    return {
        "id": number,
        "kind": kind.value,
        "tracking_code": code,
        "status": status.value,
        "unit_code": "u",
        "reporter_person_id": 1,
        "submitter_person_id": 1,
        "channel": "console",
        "received_on": received,
        "created_at": NOW,
        "updated_at": NOW,
    }


def test_the_stored_closed_states_are_the_domains() -> None:
    assert set(repo.CLOSED_STATUSES) == {s.value for s in CLOSED}


def test_the_queue_sql_gives_the_same_date_as_the_rule(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'due.db'}")
    metadata.create_all(engine)  # foreign keys are not enforced on a plain connection
    shapes = list(
        itertools.product(
            Kind,
            Status,
            (None, FOLLOWUP),  # followup_due
            (None, RESOLUTION),  # resolution_due
            (None, date(2026, 12, 3)),  # followed_up_on
        )
    )
    with engine.begin() as conn:
        for number, (kind, status, followup, resolution, followed) in enumerate(shapes):
            complaint = kind in (Kind.PENGADUAN, Kind.ASPIRASI)
            conn.execute(
                insert(cases).values(
                    **_case(number + 1, kind, status, f"T{number}", date(2026, 11, 27)),
                    verify_due=VERIFY if complaint else None,
                    followup_due=followup if complaint else None,
                    resolution_due=resolution if complaint else None,
                    response_due=None if complaint else RESPONSE,
                    followed_up_on=followed,
                )
            )
        rows = conn.execute(
            select(cases, repo.status_due().label("sql_due")).order_by(cases.c.id)
        ).all()
    compared = 0
    for row in rows:
        if row.status in repo.CLOSED_STATUSES:
            continue  # the queue leaves these out; the rule says None
        expected = due_of(row)  # the rule, as the cards read it from the row
        assert row.sql_due == expected, (row.kind, row.status, row.followed_up_on)
        compared += 1
    assert compared == len(Kind) * (len(Status) - len(CLOSED)) * 8  # kind × open status × shape
    assert all(
        due_on(
            k,
            s,
            verify_due=VERIFY,
            followup_due=None,
            resolution_due=None,
            response_due=None,
            followed_up_on=None,
        )
        is None
        for k in Kind
        for s in CLOSED
    )


async def test_the_morning_counts_and_the_queue_agree_on_what_is_open(tmp_path: Path) -> None:
    """A complaint waiting for the reporter (its clock paused, nothing due) is still open: the
    morning summary counts it, as `/antrian` lists it; only what has a date can be late."""
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'open.db'}")
    today = date(2026, 12, 10)
    shapes = [  # status, stored due_on
        (Status.DITUNDA, None),  # paused
        (Status.DITINDAKLANJUTI, date(2026, 12, 8)),  # late
        (Status.DIDISPOSISI, date(2026, 12, 11)),  # due tomorrow
        (Status.SELESAI, None),  # finished
    ]
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        for number, (status, due) in enumerate(shapes, start=1):
            received = date(2026, 12, 1)
            await conn.execute(
                insert(cases).values(
                    **_case(number, Kind.PENGADUAN, status, f"Q{number}", received),
                    followup_due=date(2026, 12, 8),
                    due_on=due,
                )
            )
        listed = await repo.unit_queue(conn, ["u"])
        counts = await repo.queue_counts(conn, ["u"], today, date(2026, 12, 14))
    await engine.dispose()
    assert sorted(r.tracking_code for r in listed) == ["Q1", "Q2", "Q3"]
    assert (counts.open, counts.overdue, counts.soon) == (3, 1, 1)
