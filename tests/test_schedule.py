"""What time sets off, with a controllable clock: quiet hours, reminders, escalation,
progress updates, nudges, housekeeping, the morning summary; each exactly once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from storage.schema import cases, outbox, processed_deliveries
from tests.harness import Citizen, TestBot, file_complaint, file_request, grant_role

# The harness starts on Friday 27 November 2026, 09:00 WITA (UTC+8).


async def _case(bot: TestBot, code: str) -> dict[str, object]:
    async with bot.app.db.connect() as conn:
        row = (await conn.execute(select(cases).where(cases.c.tracking_code == code))).one()
    return dict(row._mapping)


async def _sweep(bot: TestBot) -> int:
    sent = await bot.app.sweep()
    await bot.app.dispatcher.wait_idle()
    return sent


async def _release(bot: TestBot) -> int:
    await bot.app.dispatcher.wait_idle()  # (the tick waits for start-up recovery to finish)
    sent = await bot.app.release()
    await bot.app.dispatcher.wait_idle()
    return sent


async def _summary(bot: TestBot) -> int:
    sent = await bot.app.summary()
    await bot.app.dispatcher.wait_idle()
    return sent


def _set_clock(bot: TestBot, day: date, hour: int) -> None:
    """Move the fake clock to a local (WITA) date and hour."""
    target = datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)
    bot.clock.advance(seconds=(target - bot.clock.now()).total_seconds())


async def _taken_and_answered_at_night(bot: TestBot) -> tuple[str, Citizen, Citizen, str]:
    """At 22:00 (quiet) the unit takes the case and replies: two updates held for the citizen.
    Returns the code, the officer, the citizen and what the officer was told."""
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr, warga = bot.citizen("pupr"), bot.citizen("warga")
    code = await file_complaint(bot, "warga")
    warga.unread()
    _set_clock(bot, date(2026, 11, 27), 22)
    await pupr.say(f"/ambil {code}")
    told = await pupr.say(f"/balas {code} Besok pagi kami cek.")
    return code, pupr, warga, told


async def test_pushes_wait_out_quiet_hours_and_go_as_one(bot: TestBot) -> None:
    _code, _pupr, warga, told = await _taken_and_answered_at_night(bot)
    assert "akan terkirim pukul 06.00" in told  # the officer hears when, not "terkirim"
    assert warga.unread() == []  # nothing pushed at night
    await _release(bot)
    assert warga.unread() == []  # still quiet
    _set_clock(bot, date(2026, 11, 28), 6)
    assert await _release(bot) == 1
    morning = warga.unread()
    assert len(morning) == 1  # two updates, one message
    assert "sedang ditindaklanjuti" in morning[0].text
    assert "Besok pagi kami cek." in morning[0].text
    assert await _release(bot) == 0


async def test_a_citizen_awake_at_night_gets_what_waits_at_once_in_order(bot: TestBot) -> None:
    code, pupr, warga, _told = await _taken_and_answered_at_night(bot)
    assert warga.unread() == []
    # The citizen writes: what waited goes out now, first, and in the order written.
    reply = await warga.say(code)
    waited = reply.index("sedang ditindaklanjuti")
    assert waited < reply.index("Besok pagi kami cek.") < reply.index("Status:")
    # In a live conversation, quiet hours hold nothing: a reply minutes later comes at once.
    bot.clock.advance(minutes=10)
    told = await pupr.say(f"/balas {code} Sudah kami jadwalkan.")
    assert "jam tenang" not in told
    assert "Sudah kami jadwalkan." in warga.unread_text()
    _set_clock(bot, date(2026, 11, 28), 6)
    assert await _release(bot) == 0  # nothing is sent twice


async def test_reminders_and_escalation_fire_once_each(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    await grant_role(bot, "atasan", "atasan_ppid")
    ppid, atasan = bot.citizen("ppid"), bot.citizen("atasan")
    code = await file_request(bot, "pemohon")
    due = (await _case(bot, code))["response_due"]
    assert due == date(2026, 12, 11)  # 10 working days after Friday 27 Nov
    ppid.unread()
    # Two working days before: Wednesday 9 December.
    _set_clock(bot, date(2026, 12, 9), 9)
    await _sweep(bot)
    await _sweep(bot)  # a double tick changes nothing
    first = [m.text for m in ppid.unread()]
    assert len(first) == 1 and "Pengingat" in first[0] and code in first[0]
    _set_clock(bot, date(2026, 12, 10), 9)  # one working day before
    await _sweep(bot)
    assert len(ppid.unread()) == 1
    await bot.restart()  # the keys are rows: a restart repeats nothing
    ppid.seen = atasan.seen = 0
    await _sweep(bot)
    assert ppid.unread() == []
    _set_clock(bot, date(2026, 12, 14), 9)  # Monday: one working day late
    await _sweep(bot)
    await _sweep(bot)
    escalated = [m.text for m in atasan.unread()]
    assert len(escalated) == 1 and "lewat tenggat 1 hari kerja" in escalated[0]
    _set_clock(bot, date(2026, 12, 15), 9)  # 2 late: same round (every 2 working days)
    await _sweep(bot)
    assert atasan.unread() == []
    _set_clock(bot, date(2026, 12, 16), 9)  # 3 late: the next round
    await _sweep(bot)
    assert len(atasan.unread()) == 1


async def test_an_extension_moves_the_reminders(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    ppid = bot.citizen("ppid")
    code = await file_request(bot, "pemohon")
    await ppid.say(f"/perpanjang {code} 7 Menghimpun data dari desa")
    row = await _case(bot, code)
    # 11 Dec + 7 working days: 14-18 Dec, 21, 22 (24-25 Dec are cuti bersama and Christmas).
    assert row["response_due"] == row["due_on"] == date(2026, 12, 22)
    ppid.unread()
    _set_clock(bot, date(2026, 12, 9), 9)  # the old reminder day: nothing now
    await _sweep(bot)
    assert ppid.unread() == []
    _set_clock(bot, date(2026, 12, 18), 9)  # Friday, two working days before 22 Dec
    await _sweep(bot)
    assert "Pengingat" in ppid.unread_text()


async def test_progress_updates_every_five_working_days(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    warga = bot.citizen("warga")
    code = await file_complaint(bot, "warga")
    await bot.citizen("pupr").say(f"/ambil {code}")
    warga.unread()
    _set_clock(bot, date(2026, 12, 3), 9)  # Thursday: 4 working days
    await _sweep(bot)
    assert warga.unread() == []
    _set_clock(bot, date(2026, 12, 4), 9)  # Friday: 5 working days
    await _sweep(bot)
    await _sweep(bot)
    update = warga.unread()
    assert len(update) == 1 and "masih ditangani" in update[0].text
    _set_clock(bot, date(2026, 12, 11), 9)  # five more working days
    await _sweep(bot)
    assert len(warga.unread()) == 1


async def test_a_half_filled_form_gets_one_nudge(bot: TestBot) -> None:
    from tests.harness import COMPLAINT_SCRIPT, onboard

    warga = bot.citizen("warga")
    await onboard(warga)
    for line in COMPLAINT_SCRIPT[:4]:
        await warga.say(line)
    warga.unread()
    bot.clock.advance(hours=21)  # 24-hour expiry: not yet within the last two hours
    await _sweep(bot)
    assert warga.unread() == []
    bot.clock.advance(hours=1, minutes=30)  # 22.5 hours idle (07:30 next day)
    await _sweep(bot)
    await _sweep(bot)
    nudges = warga.unread()
    assert len(nudges) == 1 and "belum selesai" in nudges[0].text


async def test_housekeeping_drops_old_drafts_and_delivery_ids(bot: TestBot) -> None:
    from tests.harness import COMPLAINT_SCRIPT, onboard

    warga = bot.citizen("warga")
    await onboard(warga)
    for line in COMPLAINT_SCRIPT[:4]:
        await warga.say(line)
    await warga.say("menu")  # the form is now a draft
    async with bot.app.db.begin() as conn:
        old = bot.clock.now() - timedelta(days=8)
        await conn.execute(
            insert(processed_deliveries).values(channel="x", delivery_id="old", processed_at=old)
        )
    bot.clock.advance(days=31)
    await _sweep(bot)
    async with bot.app.db.connect() as conn:
        ids = (await conn.execute(select(func.count()).select_from(processed_deliveries))).scalar()
        assert ids == 0
    assert "Lanjutkan yang belum selesai" not in await warga.say("menu")


async def test_the_morning_summary_on_working_days_only(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr = bot.citizen("pupr")
    await file_complaint(bot, "warga")
    await file_complaint(bot, "warga-2")
    pupr.unread()
    _set_clock(bot, date(2026, 11, 28), 8)  # Saturday
    assert await _summary(bot) == 0
    _set_clock(bot, date(2026, 11, 30), 8)  # Monday
    assert await _summary(bot) == 1
    assert await _summary(bot) == 0  # once a day
    text = pupr.unread_text()
    assert "2 kasus terbuka" in text


async def test_the_scheduler_ticks_in_the_agencys_zone(bot: TestBot) -> None:
    bot.app.start_scheduler()
    scheduler = bot.app.scheduler
    assert scheduler is not None and str(scheduler.timezone) == "Asia/Makassar"
    assert {job.id for job in scheduler.get_jobs()} == {"release", "sweep", "summary", "retention"}
    assert scheduler.get_job("retention").trigger.fields[5].expressions[0].first == 2  # hour
    assert scheduler.get_job("summary").trigger.fields[5].expressions[0].first == 8  # hour


async def test_scheduled_rows_survive_a_restart(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    code = await file_complaint(bot, "warga")
    _set_clock(bot, date(2026, 11, 27), 23)
    await bot.citizen("pupr").say(f"/ambil {code}")
    async with bot.app.db.connect() as conn:
        waiting = (
            await conn.execute(select(func.count()).where(outbox.c.status == "scheduled"))
        ).scalar()
    assert waiting == 1
    await bot.restart()
    _set_clock(bot, date(2026, 11, 28), 7)
    assert await _release(bot) == 1
    await bot.app.dispatcher.wait_idle()
    assert "sedang ditindaklanjuti" in bot.citizen("warga").unread_text()


async def test_admins_list_and_retry_messages_that_failed_for_good(bot: TestBot) -> None:
    await grant_role(bot, "admin", "admin")
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    admin, pupr, warga = bot.citizen("admin"), bot.citizen("pupr"), bot.citizen("warga")
    code = await file_complaint(bot, "warga")
    bot.sender.fail_with, bot.sender.fail_for_good = "BadRequest", True
    await pupr.say(f"/balas {code} Kami datang besok.")  # the update and the confirmation
    bot.sender.fail_with = None
    await bot.app.engine.flush()
    async with bot.app.db.connect() as conn:
        dead = (await conn.execute(select(func.count()).where(outbox.c.status == "dead"))).scalar()
    assert dead == 2
    assert "Perintah itu tidak dikenal" in await warga.say("/gagal")
    listing = await admin.say("/gagal")
    assert "Pesan gagal terkirim" in listing and "status_update" in listing
    assert "warga" not in listing  # the address is masked
    assert "2 pesan dijadwalkan ulang" in await admin.say("/kirimulang semua")
    warga.unread()
    assert await _release(bot) == 2
    assert "Kami datang besok." in warga.unread_text()
    assert "Tidak ada pesan yang gagal" in await admin.say("/gagal")


async def test_a_restart_between_claim_and_send_sends_once(bot: TestBot) -> None:
    from storage import repo

    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    code = await file_complaint(bot, "warga")
    _set_clock(bot, date(2026, 11, 27), 23)
    await bot.citizen("pupr").say(f"/ambil {code}")  # the update waits for the morning
    _set_clock(bot, date(2026, 11, 28), 7)

    async def claim_only(conn: object) -> int:  # the claim commits, then the process dies
        rows = await repo.due_scheduled(conn, ["console"], bot.clock.now())  # type: ignore[arg-type]
        await repo.mark_pending(conn, [r.id for r in rows])  # type: ignore[arg-type]
        return len(rows)

    assert await bot.app.engine.write(claim_only) == 1
    await bot.restart()  # a new process: pending rows are recovered and sent
    await bot.app.dispatcher.wait_idle()
    assert await _release(bot) == 0
    sent = [m for m in bot.sender.sent if m.address == "warga"]
    assert len(sent) == 1 and "sedang ditindaklanjuti" in sent[0].text


async def test_review_findings_on_the_scheduler_stay_fixed(
    bot: TestBot, monkeypatch: object
) -> None:
    from storage.repo import sweeps

    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await grant_role(bot, "koor", "koordinator")
    pupr, koor, warga = bot.citizen("pupr"), bot.citizen("koor"), bot.citizen("warga")
    first = await file_complaint(bot, "warga")
    second = await file_complaint(bot, "warga-2")
    third = await file_complaint(bot, "warga-3")

    # A question asked at night waits; the reporter writing at night gets it at once, ahead
    # of the reply, and what they wrote is not taken as its answer.
    _set_clock(bot, date(2026, 11, 27), 22)
    await pupr.say(f"/tanya {first} Di RT berapa?")
    night = await warga.say("halo, saya mau lapor lampu jalan mati di depan rumah")
    assert "sudah kami teruskan" not in night
    assert night.index("Di RT berapa") < night.index("Sepertinya ini tentang")
    # While the complaint waits for the reporter, its clock is paused: nothing is due.
    assert (await _case(bot, first))["due_on"] is None
    _set_clock(bot, date(2026, 11, 28), 6)
    assert await _release(bot) == 0  # sent already
    # The new form keeps its place; the question's own button answers it.
    assert "Tulis penjelasan" in await warga.press(f"c:answer:{first}")
    assert "sudah kami teruskan" in await warga.say("RT 02")

    # Resolved at night: the plain update and the question with buttons stay apart.
    _set_clock(bot, date(2026, 11, 30), 22)
    await pupr.say(f"/ambil {first}")
    await pupr.say(f"/selesai {first} Sudah ditambal.")
    warga.unread()
    _set_clock(bot, date(2026, 12, 1), 6)
    assert await _release(bot) == 2
    morning = warga.unread()
    assert [m.buttons[0][0] for m in morning if m.buttons] == [f"c:confirm:{first}"]

    # More overdue cases than one sweep takes: the next sweeps take the rest.
    monkeypatch.setattr(sweeps, "SWEEP_LIMIT", 1)  # type: ignore[attr-defined]
    koor.unread()
    _set_clock(bot, date(2026, 12, 10), 9)  # both past their 3-day verification
    await _sweep(bot)
    once = koor.unread_text()
    assert (second in once) != (third in once)  # one case a sweep, with the cap at 1
    await _sweep(bot)
    both = once + koor.unread_text()
    assert second in both and third in both


async def test_no_release_while_start_up_recovery_is_sending(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    code = await file_complaint(bot, "warga")
    _set_clock(bot, date(2026, 11, 27), 23)
    await bot.citizen("pupr").say(f"/ambil {code}")
    _set_clock(bot, date(2026, 11, 28), 7)
    await bot.restart()
    assert await bot.app.release() == 0  # recovery has not finished: the tick waits
    assert await _release(bot) == 1
    sent = [m for m in bot.sender.sent if m.address == "warga"]
    assert len(sent) == 1
