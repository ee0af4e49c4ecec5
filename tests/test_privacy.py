"""NIK, phone numbers and message bodies never reach the logs, even when something breaks."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.logs import configure_logging, redact
from bot.values.types import Outbound
from storage import repo
from storage.schema import outbox
from tests.harness import TestBot, onboard

NIK = "7312015708850002"
PHONE = "081298765432"
SECRET_WORDS = "Kepala desa meminta uang pelicin"


async def test_nothing_personal_is_logged(bot: TestBot, caplog: pytest.LogCaptureFixture) -> None:
    configure_logging("DEBUG")  # the most a deployment can turn on
    caplog.set_level(logging.DEBUG)
    citizen = bot.citizen("privasi")
    await onboard(citizen)
    for line in [
        "2",
        "1",
        "Siti Aminah",
        NIK,
        "Jl. Kemakmuran No. 5",
        PHONE,
        "Guru",
        SECRET_WORDS,
        "Tujuan",
        "1",
        "1",
        "1",
    ]:
        await citizen.say(line)

    async def broken(conn: object) -> None:
        raise ValueError(f"boom {NIK} {PHONE} {SECRET_WORDS}")

    with pytest.raises(ValueError):
        await bot.app.engine.write(broken)
    logging.getLogger("suara-warga.test").info("caller %s wrote from %s", NIK, "+" + PHONE[1:])
    assert "processing failed: ValueError" in caplog.text
    assert "caller [nik] wrote from" in caplog.text
    for secret in (NIK, PHONE, "6281298765432", SECRET_WORDS, "Siti Aminah"):
        assert secret not in caplog.text


async def test_outbox_ids_follow_the_order_of_the_rows(bot: TestBot) -> None:
    """Each id handed back belongs to the row in the same position, identical rows included."""
    now = bot.clock.now()
    await bot.citizen("urut").say("halo")
    async with bot.app.db.begin() as conn:
        identity = (await repo.load_chats(conn, [("console", "urut")]))[("console", "urut")][0]
        rows = [
            {
                "identity_id": identity.id,
                "channel": "nowhere",  # no sender: stays in the outbox
                "kind": "reply",
                "payload": Outbound.payload(f"message {n}", []),
                "status": "pending",
                "not_before": now,
                "created_at": now,
            }
            for n in [*range(300), 7, 7, 299]  # repeated rows must still get distinct ids
        ]
        ids = await repo.insert_outbox(conn, rows)
        stored = dict(
            (
                await conn.execute(
                    select(outbox.c.id, outbox.c.payload).where(outbox.c.id.in_(ids))
                )
            ).all()
        )
    assert [stored[i]["text"] for i in ids] == [f"message {n}" for n in [*range(300), 7, 7, 299]]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("nik 7312015708850002 ok", "nik [nik] ok"),
        ("hp 081298765432", "hp [phone]"),
        ("wa +6281298765432.", "wa [phone]."),
        ("case 12 of 2026", "case 12 of 2026"),
        ("nik 7312 0157 0885 0002.", "nik [nik]."),
        ("hp +62 812-3456-7890", "hp [phone]"),
    ],
)
def test_redaction_patterns(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_exception_text_is_dropped_from_logs(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging("DEBUG")
    try:
        raise ValueError(f"bad value {SECRET_WORDS}")
    except ValueError:
        logging.getLogger("suara-warga.test").exception("failed")
    assert "ValueError" in caplog.text and SECRET_WORDS not in caplog.text


def test_a_repeating_log_line_is_written_a_few_times_a_minute_then_counted() -> None:
    from bot.logs import RepeatFilter

    now = [0.0]
    repeats = RepeatFilter(burst=3, window=60.0, clock=lambda: now[0])

    def record(text: str) -> logging.LogRecord:
        return logging.LogRecord("asyncio", logging.ERROR, __file__, 1, text, None, None)

    flood = [record(f"socket.accept() out of system resource\nsocket fd={n}") for n in range(500)]
    written = [r for r in flood if repeats.filter(r)]
    assert len(written) == 3
    assert repeats.filter(record("something else"))  # other lines are not held back
    now[0] = 61.0
    later = record("socket.accept() out of system resource\nsocket fd=9")
    assert repeats.filter(later) and "(and 497 more like it, not written)" in str(later.msg)
