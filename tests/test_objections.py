"""The requester's rights after a request (UU 14/2008 Pasal 35–37): one objection per ground,
each in its own window, the late-answer window counted from the first working day after the
missed deadline, and no silent deadline. Dates are worked out by hand in the comments, across
Christmas 2026, New Year 2027 and Idul Fitri 2027 (the national calendar of the `holidays`
package: 24–25 Dec 2026, 1 and 5 Jan 2027, 5 Feb 2027, 8–12 and 15 Mar 2027, 25–26 Mar 2027).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.domain.agency import Agency
from bot.domain.cases import Status
from bot.domain.lifecycle import Decision
from bot.domain.objections import dispute_window, open_grounds, windows
from storage.schema import cases, outbox
from tests.harness import TestBot, code_in, file_request, grant_role

S, D = Status, Decision


def test_a_late_answer_opens_c_and_g_from_the_first_working_day_after_the_deadline(
    agency: Agency,
) -> None:
    # Due Wed 23 Dec 2026. Thu 24 and Fri 25 are closed, so the first working day after the
    # deadline is Mon 28 Dec; 30 working days from it (1 and 5 Jan and 5 Feb closed) end on
    # Thu 11 Feb 2027. Counting from the deadline itself would end a day short, Wed 10 Feb.
    due = date(2026, 12, 23)
    found = windows(agency, S.DIPROSES, None, None, due, date(2026, 12, 24))
    assert set(found) == {"c", "g"}
    assert found["c"].opens == date(2026, 12, 24)  # a holiday's objection is taken
    assert found["c"].closes == date(2027, 2, 11)
    assert open_grounds(agency, S.DIPROSES, None, None, due, date(2027, 2, 11))
    assert not open_grounds(agency, S.DIPROSES, None, None, due, date(2027, 2, 12))


def test_nothing_is_open_while_the_ppid_is_within_time(agency: Agency) -> None:
    due = date(2026, 12, 23)
    assert windows(agency, S.DIPROSES, None, None, due, due) == {}
    assert windows(agency, S.DIPERPANJANG, None, None, due, date(2026, 12, 1)) == {}


def test_each_decision_opens_the_grounds_it_answers(agency: Agency) -> None:
    # Rejected on Fri 5 Mar 2027 (in time): Idul Fitri closes 8–12 and 15 Mar, Nyepi and Good
    # Friday 25–26 Mar, so the 30th working day after the notice is Wed 28 Apr 2027.
    decided, due = date(2027, 3, 5), date(2027, 3, 5)
    rejected = windows(agency, S.DIPUTUS, D.REJECTED, decided, due, decided)
    assert set(rejected) == {"a", "b", "e"}
    assert {w.closes for w in rejected.values()} == {date(2027, 4, 28)}
    granted = windows(agency, S.DIPUTUS, D.GRANTED, decided, due, decided)
    assert set(granted) == {"b", "d", "f"}
    assert set(windows(agency, S.DIPUTUS, D.PARTIAL, decided, due, decided)) == {
        "a",
        "b",
        "d",
        "e",
        "f",
    }
    assert set(windows(agency, S.DIPUTUS, D.NOT_HELD, decided, due, decided)) == {"b", "e"}


def test_a_late_notice_opens_g_from_the_notice_and_closes_c(agency: Agency) -> None:
    # Due Wed 23 Dec 2026, answered (granted) Wed 30 Dec: (g) runs 30 working days from the
    # notice: Thu 31 Dec (1), 4 Jan (2), 6–8 (5), 11–29 (20), 1–4 Feb (24), 8–12 (29), and
    # Mon 15 Feb 2027 (30).
    found = windows(
        agency, S.DIPUTUS, D.GRANTED, date(2026, 12, 30), date(2026, 12, 23), date(2026, 12, 30)
    )
    assert "c" not in found
    assert found["g"].opens == date(2026, 12, 30)
    assert found["g"].closes == date(2027, 2, 15)


def test_one_objection_per_ground(agency: Agency) -> None:
    decided = date(2027, 3, 5)
    left = open_grounds(agency, S.DIPUTUS, D.REJECTED, decided, decided, decided, {"a"})
    assert set(left) == {"b", "e"}


def test_the_way_to_the_commission_when_the_atasan_is_late(agency: Agency) -> None:
    # An objection due Wed 23 Dec 2026 and unanswered: 14 working days from Mon 28 Dec end on
    # Tue 19 Jan 2027. Answered on Fri 5 Mar 2027 instead: 14 working days from the answer,
    # past Idul Fitri and 25–26 Mar: 16–19 Mar (4), 22–24 (7), 29 Mar–2 Apr (12), 5–6 Apr.
    late = dispute_window(agency, S.DIPROSES, None, date(2026, 12, 23))
    assert late is not None and late.closes == date(2027, 1, 19)
    answered = dispute_window(agency, S.DIPUTUS, date(2027, 3, 5), date(2027, 3, 20))
    assert answered is not None and answered.closes == date(2027, 4, 6)


# --- through the chat, on a real SQLite file --------------------------------------------------
# The harness starts on Friday 27 November 2026, 09:00 WITA. A request filed then is due
# 10 working days later, Fri 11 Dec 2026; late from Sat 12 Dec; the first working day after
# the deadline is Mon 14 Dec, and 30 working days from it (24–25 Dec, 1 and 5 Jan closed) end
# on Fri 29 Jan 2027.


def _at(bot: TestBot, day: date, hour: int) -> None:
    target = datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)
    bot.clock.advance(seconds=(target - bot.clock.now()).total_seconds())


async def _sweep(bot: TestBot) -> None:
    await bot.app.sweep()
    await bot.app.dispatcher.wait_idle()


async def _pushes(bot: TestBot, kind_prefix: str) -> list[str]:
    async with bot.app.db.connect() as conn:
        rows = await conn.execute(select(outbox.c.dedupe_key))
        return [k for (k,) in rows if k and k.startswith(kind_prefix)]


async def test_a_late_request_is_told_the_next_day_and_each_ground_is_a_right_of_its_own(
    bot: TestBot,
) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    code = await file_request(bot, "pemohon")
    pemohon, ppid = bot.citizen("pemohon"), bot.citizen("ppid")
    pemohon.unread()
    _at(bot, date(2026, 12, 11), 10)
    await _sweep(bot)
    assert "belum dijawab tertulis" not in pemohon.unread_text()  # still within time
    _at(bot, date(2026, 12, 12), 9)  # a Saturday: the deadline has passed
    await _sweep(bot)
    told = pemohon.unread_text()
    assert code in told and "huruf c dan g" in told and "29 Januari 2027" in told
    assert "Ajukan keberatan" in told  # the button
    await _sweep(bot)
    _at(bot, date(2026, 12, 14), 9)
    await _sweep(bot)
    assert "belum dijawab tertulis" not in pemohon.unread_text()  # once
    assert len(await _pushes(bot, "missed:")) == 1

    # The button offers only what the law allows now: (c) and (g).
    asked = await pemohon.press(f"c:object:{code}")
    assert "c. " in asked and "g. " in asked and "a. " not in asked and "d. " not in asked
    await pemohon.say("c")
    first = code_in(await pemohon.say("Sudah lewat 10 hari kerja belum ada jawaban"))
    # A ground typed that is not open is asked again, keeping the reason typed with it.
    again = await pemohon.say(f"/keberatan {code} a Ditolak tanpa alasan")
    assert "Alasan (a) tidak berlaku" in again and "g. " in again and "c. " not in again
    second = code_in(await pemohon.say("g"))
    assert second != first
    async with bot.app.db.connect() as conn:
        rows = await conn.execute(
            select(cases.c.objection_ground, cases.c.description).where(cases.c.kind == "keberatan")
        )
        assert sorted(rows) == [
            ("c", "Sudah lewat 10 hari kerja belum ada jawaban"),
            ("g", "Ditolak tanpa alasan"),
        ]
    assert "sudah diajukan untuk setiap alasan" in await pemohon.say(f"/keberatan {code}")

    # The PPID then refuses: (a), (b) and (e) open from the notice; (g) was used already.
    _at(bot, date(2026, 12, 16), 10)
    await ppid.say(f"/putus {code} ditolak 17h Data pribadi pihak lain | uji konsekuensi")
    await ppid.say("kirim")  # the written notice is shown before it is sent
    pemohon.unread()
    asked = await pemohon.press(f"c:object:{code}")
    assert "a. " in asked and "b. " in asked and "e. " in asked
    assert "g. " not in asked and "c. " not in asked and "d. " not in asked


async def test_an_unanswered_objection_opens_the_way_to_the_commission(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    await grant_role(bot, "atasan", "atasan_ppid")
    code = await file_request(bot, "pemohon")
    pemohon, ppid = bot.citizen("pemohon"), bot.citizen("ppid")
    await ppid.say(f"/putus {code} ditolak 17h Rahasia pribadi | uji konsekuensi")
    await ppid.say("kirim")  # the written notice is shown before it is sent
    await pemohon.say(f"/keberatan {code} a Saya tidak setuju")
    async with bot.app.db.connect() as conn:
        objection = (await conn.execute(select(cases).where(cases.c.kind == "keberatan"))).one()
    # Filed Fri 27 Nov 2026, the atasan PPID answers within 30 working days: by Thu 14 Jan
    # 2027 (24–25 Dec, 1 and 5 Jan closed). Until then no dispute can be recorded.
    assert objection.response_due == date(2027, 1, 14)
    refused = await ppid.say(f"/sengketa {objection.tracking_code}")
    assert "masih dalam batas waktu" in refused
    pemohon.unread()
    _at(bot, date(2027, 1, 15), 9)
    await _sweep(bot)
    told = pemohon.unread_text()
    # 14 working days from Fri 15 Jan 2027, the first working day after the deadline: 18–22
    # Jan (5), 25–29 (10), 1–4 Feb (14): Thu 4 Feb 2027.
    assert "sengketa informasi" in told and "4 Februari 2027" in told
    assert "Komisi Informasi" in told
    recorded = await ppid.say(f"/sengketa {objection.tracking_code}")
    assert "dicatat" in recorded


async def test_a_letter_typed_that_is_not_open_is_said_so_at_the_ground_step(
    bot: TestBot,
) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    code = await file_request(bot, "pemohon")
    ppid = bot.citizen("ppid")
    await ppid.say(f"/putus {code} diberikan Salinan dikirim lewat email")
    await ppid.say("kirim")  # the notice, once previewed
    pemohon = bot.citizen("pemohon")
    await pemohon.press(f"c:object:{code}")
    said = await pemohon.say("a")  # (a) needs a refusal; this request was granted
    assert "Alasan (a) tidak berlaku" in said and "d. " in said
    assert "Pasal 35" in await pemohon.say("kembali")  # the first question: stays there


async def test_periodic_information_not_published_is_an_objection_of_its_own(
    bot: TestBot,
) -> None:
    """Ground (b) rests on no request: anyone may object that the agency does not publish
    what it must publish periodically (UU 14/2008 Pasal 9 and 35 ayat 1 huruf b)."""
    from tests.harness import onboard

    await grant_role(bot, "atasan", "atasan_ppid")
    warga, atasan = bot.citizen("warga"), bot.citizen("atasan")
    await onboard(warga)
    offered = await warga.say("/keberatan")
    assert "belum punya permohonan informasi" in offered and "huruf b" in offered
    assert "seharusnya diumumkan" in await warga.press("periodic")
    assert "Mohon" in await warga.say("🙂")  # no words: asked again
    await warga.say("Laporan realisasi APBD 2025 tidak ada di website")
    receipt = await warga.say("Rahmat Hidayat")
    assert "Keberatan Anda sudah terdaftar" in receipt and "/KEB/PPID/" in receipt
    async with bot.app.db.connect() as conn:
        row = (await conn.execute(select(cases).where(cases.c.kind == "keberatan"))).one()
    assert row.objection_ground == "b" and row.related_case_id is None
    assert row.reporter_name == "Rahmat Hidayat" and "APBD 2025" in row.description
    assert row.tracking_code in atasan.unread_text()  # the atasan PPID's card
