"""NIKs, phone numbers and chat addresses are sealed at rest (UU 27/2022): the database file
read with plain sqlite3 holds none of them in clear, the bot reads them back, finds its
chats, rotates to a new key, and refuses keys that cannot open what is stored."""

from __future__ import annotations

import base64
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import prepare_database
from storage import keys, repo, sealing
from storage.keys import KEY_FILE, KeyRing, SealError
from storage.migrate import upgrade
from storage.place import StorageError
from storage.schema import identities, request_details
from tests.harness import (
    REQUEST_SCRIPT,
    RecordingSender,
    TestBot,
    code_in,
    grant_role,
    make_settings,
    onboard,
    run_bot,
)

NIK = REQUEST_SCRIPT[3]  # 7312015708850002
DIGITS = "81234567890"  # the request's phone (0812…), in every form it can take
WHATSAPP = "+6281299990000"


def data_key(n: int) -> str:
    return base64.urlsafe_b64encode(bytes([n]) * 32).decode()


def lookup_key(n: int) -> str:
    return f"lookup-key-{n}-" * 4


A, B, C = (KeyRing([data_key(n)], [lookup_key(n)]) for n in (1, 2, 3))


def keyed(tmp_path: Path, *rings: KeyRing, **overrides: object) -> TestBot:
    """A bot whose settings give these keys, newest first (no key file)."""
    data = ",".join(k for ring in rings for k in ring.data)
    lookup = ",".join(k for ring in rings for k in ring.lookup)
    return TestBot(make_settings(tmp_path, data_keys=data, lookup_keys=lookup, **overrides))


def file_bytes(database: Path) -> bytes:
    """The database as a thief would copy it: the file and its WAL, every page."""
    parts = [database.with_name(database.name + s) for s in ("", "-wal", "-shm")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def in_clear(database: Path, *secrets: str) -> list[str]:
    raw = file_bytes(database)
    return [s for s in secrets if s.encode() in raw]


async def file_request_with_ppid(bot: TestBot) -> str:
    """Siti files the standard request with her NIK and phone; the PPID gets its card."""
    await grant_role(bot, "ppid", "ppid_utama")
    citizen = bot.citizen("siti")
    await onboard(citizen)
    for line in REQUEST_SCRIPT:
        await citizen.say(line)
    return await citizen.say("kirim")


async def test_a_request_leaves_no_nik_or_phone_in_the_file_and_reads_back(
    tmp_path: Path,
) -> None:
    bot = await TestBot(make_settings(tmp_path)).start()  # no keys set: the key file
    database = tmp_path / "bot.db"
    try:
        receipt = await file_request_with_ppid(bot)
        card = await bot.citizen("ppid").say(f"/kasus {code_in(receipt)}")
        assert NIK in card and DIGITS in card  # the PPID Utama sees them whole, and the
        # card, with them, is a row of the outbox
        assert in_clear(database, NIK, DIGITS) == []  # nor while running (the WAL)
        async with bot.app.db.connect() as conn:
            detail = (await conn.execute(select(request_details))).one()
            raw = (await conn.exec_driver_sql("SELECT nik, phone FROM request_details")).one()
        assert detail.nik == NIK and DIGITS in detail.phone
        assert all(keys.is_sealed(value) for value in raw)
    finally:
        await bot.stop()
    assert in_clear(database, NIK, DIGITS) == []
    key_file = tmp_path / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    ring = keys.read_key_file(key_file)
    assert ring is not None and ring.data[0] not in file_bytes(database).decode("latin-1")


async def test_a_whatsapp_number_is_sealed_and_its_chat_is_found_again(tmp_path: Path) -> None:
    bot = keyed(tmp_path, A)
    bot.sender = RecordingSender(channel="whatsapp")
    await bot.start()
    database = tmp_path / "bot.db"
    try:
        phone = bot.citizen(WHATSAPP)
        phone.channel = "whatsapp"
        assert "1." in await phone.say("halo")  # the language question
        menu = await phone.say("1")  # a second message: the same conversation goes on
        assert "Pengaduan" in menu
        async with bot.app.db.connect() as conn:
            rows = (await conn.execute(select(identities.c.address))).scalars().all()
            found = await repo.load_chats(conn, [("whatsapp", WHATSAPP)])
        assert rows == [WHATSAPP]  # one chat, read back in clear
        assert found[("whatsapp", WHATSAPP)][0].address == WHATSAPP
        assert in_clear(database, WHATSAPP, WHATSAPP[1:], WHATSAPP[3:]) == []
    finally:
        await bot.stop()
    assert in_clear(database, WHATSAPP[3:]) == []


async def test_a_rotation_moves_everything_to_the_new_key(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    bot = await keyed(tmp_path, A).start()
    await file_request_with_ppid(bot)
    await bot.stop()
    # B first: what is written now is sealed with B; A still opens the rest, and the chat
    # indexed with A's lookup key is still found.
    bot = await keyed(tmp_path, B, A).start()
    assert "Pengaduan" in await bot.citizen("siti").say("menu")
    await bot.stop()
    with sqlite3.connect(database) as db:
        (form,) = db.execute(
            "SELECT c.data FROM conversations c ORDER BY identity_id DESC"
        ).fetchone()
        (nik,) = db.execute("SELECT nik FROM request_details").fetchone()
        (chats,) = db.execute("SELECT count(*) FROM identities").fetchone()
    assert form.startswith(f"{B.primary}:") and nik.startswith(f"{A.primary}:")
    assert chats == 2  # Siti and the PPID: nobody made twice
    env = {
        "DATA_KEYS": f"{B.data[0]},{A.data[0]}",
        "LOOKUP_KEYS": f"{B.lookup[0]},{A.lookup[0]}",
    }
    rotated = run_bot(tmp_path, "keys", "rotate", database=database, **env)
    assert rotated.returncode == 0, rotated.stderr
    assert "request_details: 1 rows sealed again" in rotated.stdout
    assert f"data key {B.primary}" in rotated.stdout
    again = run_bot(tmp_path, "keys", "rotate", database=database, **env)
    assert "identities: 0 rows" in again.stdout and "outbox: 0 rows" in again.stdout
    with sqlite3.connect(database) as db:
        values = db.execute(
            "SELECT address FROM identities UNION ALL SELECT nik FROM request_details "
            "UNION ALL SELECT phone FROM request_details UNION ALL SELECT data FROM conversations"
        ).fetchall()
        indexes = [r[0] for r in db.execute("SELECT address_key FROM identities")]
    assert values and all(v.startswith(f"{B.primary}:") for (v,) in values)
    assert indexes and all(i.startswith(f"{B.lookup_primary}:") for i in indexes)

    bot = await keyed(tmp_path, B).start()  # B alone reads everything
    try:
        siti = bot.citizen("siti")
        assert "Pengaduan" in await siti.say("menu")
        async with bot.app.db.connect() as conn:
            detail = (await conn.execute(select(request_details))).one()
            chats = (await conn.execute(select(identities.c.address))).scalars().all()
        assert detail.nik == NIK and DIGITS in detail.phone
        assert sorted(chats) == ["ppid", "siti"]  # Siti was found again, not made twice
    finally:
        await bot.stop()
    with pytest.raises(StorageError, match=f"needs data key {B.primary}"):
        prepare_database(keyed(tmp_path, A).settings)  # A was retired with its values


def test_keys_that_cannot_open_the_database_stop_the_start_in_one_line(
    tmp_path: Path,
) -> None:
    database = tmp_path / "bot.db"
    made = run_bot(tmp_path, "chat", "--user", "budi", database=database, stdin="halo\n1\n")
    assert made.returncode == 0, made.stderr
    wrong = {"DATA_KEYS": C.data[0], "LOOKUP_KEYS": C.lookup[0]}
    refused = run_bot(tmp_path, "chat", "--user", "budi", database=database, stdin="", **wrong)
    lines = refused.stderr.strip().splitlines()
    assert refused.returncode == 2 and len(lines) == 1, refused.stderr
    ring = keys.read_key_file(tmp_path / KEY_FILE)
    assert ring is not None and f"needs data key {ring.primary}" in lines[0]
    assert "put that key back in DATA_KEYS" in lines[0]
    (tmp_path / KEY_FILE).unlink()  # the key file lost: no new one is made over the data
    lost = run_bot(tmp_path, "chat", "--user", "budi", database=database, stdin="")
    assert lost.returncode == 2 and len(lost.stderr.strip().splitlines()) == 1, lost.stderr
    assert "no keys are given" in lost.stderr and not (tmp_path / KEY_FILE).exists()


async def test_values_stored_in_clear_are_sealed_once_at_the_first_start(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{database}"
    upgrade(url, "0008")  # a database from before sealing, with a chat, a form and a request
    at = "2026-11-27 01:00:00.000000"
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO persons (id, locale, created_at) VALUES (1, 'id', ?)", (at,))
        db.execute(
            "INSERT INTO identities (id, person_id, channel, address, created_at) "
            "VALUES (1, 1, 'whatsapp', ?, ?)",
            (WHATSAPP, at),
        )
        db.execute(
            "INSERT INTO conversations VALUES (1, 'information', 'phone', ?, '[]', '[]', "
            "'null', ?, NULL)",
            (f'{{"nik": "{NIK}"}}', at),
        )
        db.execute(
            "INSERT INTO request_details (case_id, requester_type, requester_name, nik, "
            "address, phone, occupation, information_requested, purpose, obtain_method, "
            "delivery_method) VALUES (7, 'perorangan', 'Siti', ?, 'Jl. 5', ?, 'Guru', 'x', "
            "'y', 'lihat', 'ambil')",
            (NIK, "0" + DIGITS),
        )
        db.execute(
            "INSERT INTO outbox (identity_id, channel, kind, payload, status, not_before, "
            "created_at) VALUES (1, 'whatsapp', 'reply', ?, 'sent', ?, ?)",
            (f'{{"text": "NIK: {NIK}", "buttons": []}}', at, at),
        )
    upgrade(url)
    opened = sealing.open_database(url, A, tmp_path / KEY_FILE)
    assert opened.sealed == {
        "identities": 1,
        "conversations": 1,
        "outbox": 1,
        "request_details": 1,
    }
    assert in_clear(database, NIK, DIGITS, WHATSAPP[3:]) == []
    with sqlite3.connect(database) as db:
        index, draft = db.execute(
            "SELECT i.address_key, c.draft FROM identities i JOIN conversations c "
            "ON c.identity_id = i.id"
        ).fetchone()
    assert index == A.index("whatsapp", WHATSAPP) and draft is None  # JSON null: SQL NULL
    sealed_once = file_bytes(database)
    again = sealing.open_database(url, A, tmp_path / KEY_FILE)
    assert again.sealed == {} and file_bytes(database) == sealed_once  # nothing sealed twice

    bot = await keyed(tmp_path, A, database_url=url).start()
    try:
        async with bot.app.db.connect() as conn:
            found = await repo.load_chats(conn, [("whatsapp", WHATSAPP)])
            detail = await repo.request_detail(conn, 7)
            sent = await repo.sent_message(conn, "none", 1)
        _identity, conversation = found[("whatsapp", WHATSAPP)]
        assert conversation is not None and conversation.data == {"nik": NIK}
        assert detail is not None and (detail.nik, detail.phone) == (NIK, "0" + DIGITS)
        assert sent is None
    finally:
        await bot.stop()


def test_a_changed_value_is_an_error_never_garbage() -> None:
    sealed = A.seal(NIK)
    assert A.open(sealed) == NIK and sealed != A.seal(NIK)  # a random IV each time
    token = sealed[9:]
    flipped = sealed[:9] + token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    with pytest.raises(SealError, match="was changed"):
        A.open(flipped)
    with pytest.raises(SealError, match=f"data key {B.primary}"):
        A.open(B.seal(NIK))  # a key the ring lacks: named, not guessed


def test_a_sealed_column_cannot_be_compared_in_sql() -> None:
    """Every seal of a value differs, so `address == x` would silently find nothing."""
    with pytest.raises(TypeError, match="blind index"):
        select(identities.c.id).where(identities.c.address == WHATSAPP)
    with pytest.raises(TypeError, match="blind index"):
        select(request_details.c.case_id).where(request_details.c.nik.like("7312%"))
