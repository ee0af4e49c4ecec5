"""Who may see and do what, as a matrix: role × command × case.

Officers see their unit's cases (coordinator, PPID utama, atasan PPID and admins see all);
an anonymous reporter is never shown to officers; a NIK is shown in full only to the PPID
utama; citizens and volunteers see only the cases they reported or filed. A refusal reveals
nothing: it reads exactly like a code that does not exist, and is logged without personal data.
"""

from __future__ import annotations

import logging

import pytest

from bot.domain.codes import example_code
from tests.harness import TestBot, file_complaint, file_request, grant_role, onboard

NIK = "7312015708850002"
MISSING = example_code()  # well-formed with a valid check symbol; no such case


@pytest.fixture
async def world(bot: TestBot) -> dict[str, str]:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await grant_role(bot, "dinkes", "ppid_pembantu", "dinas-kesehatan")
    await grant_role(bot, "koor", "koordinator")
    await grant_role(bot, "ppid", "ppid_utama")
    await grant_role(bot, "atasan", "atasan_ppid")
    await grant_role(bot, "admin", "admin")
    await grant_role(bot, "kim", "kim", area="lalabata/lapajung", kim_name="KIM Sipakatau")
    for chat in ("orang-lain", "kim"):
        await onboard(bot.citizen(chat))
    return {
        "named": await file_complaint(bot, "pelapor"),
        "anon": await file_complaint(bot, "pelapor-anonim", anonymous=True),
        "request": await file_request(bot, "pemohon"),
    }


def _same_as_missing(answer: str, code: str, missing: str) -> bool:
    return answer.replace(code, "X") == missing.replace(MISSING, "X")


async def test_case_cards_by_role(bot: TestBot, world: dict[str, str]) -> None:
    named, anon, request = world["named"], world["anon"], world["request"]
    # role: (sees named, sees anon, sees request)
    matrix = {
        "pupr": (True, True, False),
        "dinkes": (False, False, False),
        "koor": (True, True, True),
        "ppid": (True, True, True),
        "atasan": (True, True, True),
        "admin": (True, True, True),
    }
    for chat, (sees_named, sees_anon, sees_request) in matrix.items():
        officer = bot.citizen(chat)
        missing = await officer.say(f"/kasus {MISSING}")
        for code, allowed in ((named, sees_named), (anon, sees_anon), (request, sees_request)):
            card = await officer.say(f"/kasus {code}")
            if not allowed:
                assert _same_as_missing(card, code, missing), (chat, code, card)
                continue
            assert code in card and "Tenggat" in card, (chat, code)
            if code == named:
                assert "Budi Santoso" in card
            if code == anon:
                assert "(anonim)" in card and "Budi" not in card, chat
            if code == request:
                full = chat == "ppid"
                assert (NIK in card) is full, chat
                assert ("************0002" in card) is not full, chat


async def test_actions_outside_ones_reach_read_like_missing_cases(
    bot: TestBot, world: dict[str, str]
) -> None:
    dinkes = bot.citizen("dinkes")
    for command in ("ambil", "balas", "catatan", "selesai", "tanya"):
        missing = await dinkes.say(f"/{command} {MISSING} teks")
        answer = await dinkes.say(f"/{command} {world['named']} teks")
        assert _same_as_missing(answer, world["named"], missing), command


async def test_citizens_and_volunteers_see_only_their_own(
    bot: TestBot, world: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    other, kim = bot.citizen("orang-lain"), bot.citizen("kim")
    for person in (other, kim):
        missing = await person.say(MISSING)
        for code in world.values():
            assert _same_as_missing(await person.say(code), code, missing)
        for command in ("kasus", "ambil", "balas", "antrian", "verifikasi"):
            assert "Perintah itu tidak dikenal" in await person.say(f"/{command} {world['named']}")
        # The reporter's own answers are theirs alone too.
        assert "tidak menemukan" in await person.say(f"/keberatan {world['request']} a alasan")
        await person.say("menu")
    owner = bot.citizen("pelapor")
    assert "Diterima, menunggu verifikasi" in await owner.say(world["named"])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "refused" in logged
    for secret in (NIK, "Budi", "berlubang", "+62", world["named"]):
        assert secret not in logged
