"""The database and its keys: the check at start-up, the first sealing of values stored in
clear before migration 0009, and the rotation to a new key.

Both passes read the stored form of every sealed column (bypassing the `Sealed…` types),
seal what needs it and write it back, in batches of `BATCH` rows, each its own transaction:
interrupted, a pass is simply run again, and skips what it already did (a value sealed with
the newest key, an index made with the newest lookup key). They run synchronously, before
the event loop serves anything (start-up), or with the bot stopped (a rotation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Engine, Table, bindparam, create_engine, select, update
from sqlalchemy import type_coerce as coerce
from sqlalchemy.pool import NullPool

from storage import keys
from storage.db import sync_url
from storage.keys import ERASED_INDEX, KeyRing, KeyRingError, SealError
from storage.schema import identities, metadata, seal_keys
from storage.types import KEEP, SEALED_TYPES, SealedType

BATCH = 500


@dataclass
class Opened:
    """What start-up did with the keys: the ring, and what to tell the operator."""

    ring: KeyRing
    key_file: Path | None  # the ring came from this file (no keys in configuration)
    sealed: dict[str, int] = field(default_factory=dict)  # values sealed in clear: the first start


def sealed_columns() -> dict[Table, list[Column[Any]]]:
    """Every sealed column, by table: read from the schema, so a column sealed there is
    checked, sealed and rotated here with nothing else to change."""
    found: dict[Table, list[Column[Any]]] = {}
    for table in metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, SEALED_TYPES)]
        if columns:
            found[table] = columns
    return found


def open_database(url: str, configured: KeyRing | None, key_file: Path) -> Opened:
    """Check that the keys open this database, seal what is still in clear (the first start
    after migration 0009), record the keys now in use, and install the ring.

    `configured`: the ring from configuration; None, the key file (made when there is none
    and the database holds nothing sealed). Raises KeyRingError with one line."""
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            live = _live_keys(conn)
        if configured is not None:
            opened = Opened(configured, None)
        else:
            found = keys.read_key_file(key_file)
            if found is None and live:
                raise KeyRingError(
                    f"the database's personal data is sealed, but no keys are given: set "
                    f"DATA_KEYS and LOOKUP_KEYS, or put its key file back at {key_file}"
                )
            if found is None:
                opened = Opened(keys.create_key_file(key_file), key_file)
            else:
                opened = Opened(found, key_file)
        ring = opened.ring
        for purpose, ids in (("data", ring.data_ids), ("lookup", ring.lookup_ids)):
            missing = sorted(kid for p, kid in live if p == purpose and kid not in ids)
            if missing:
                raise keys.missing_key(purpose, missing[0])
        if not any(purpose == "data" for purpose, _kid in live):
            # Nothing sealed yet: a database from before 0009 (or a new, empty one).
            opened.sealed = restate_all(engine, ring, rotate=False)
            if any(opened.sealed.values()):
                _compact(engine)
        _record(engine, ring)
    finally:
        engine.dispose()
    keys.install(ring)
    return opened


def rotate(url: str, ring: KeyRing, progress: Callable[[str, int], None]) -> dict[str, int]:
    """Seal every value with the ring's newest data key, index every chat with its newest
    lookup key, then retire the other keys. `progress(table, rows)` after each batch."""
    engine = _engine(url)
    try:
        counts = restate_all(engine, ring, rotate=True, progress=progress)
        if any(counts.values()):
            _compact(engine)  # what the retired key sealed must not stay in free pages
        with engine.begin() as conn:
            conn.execute(
                update(seal_keys)
                .where(seal_keys.c.retired_at.is_(None))
                .where(seal_keys.c.kid.not_in([ring.primary, ring.lookup_primary]))
                .values(retired_at=datetime.now(UTC))
            )
    finally:
        engine.dispose()
    return counts


def restate_all(
    engine: Engine,
    ring: KeyRing,
    *,
    rotate: bool,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Every sealed table, batch by batch; returns the rows written per table."""
    counts: dict[str, int] = {}
    for table, columns in sealed_columns().items():
        written = 0
        for batch in _batches(engine, table, columns):
            changes = [c for row in batch if (c := _restated(table, columns, row, ring, rotate))]
            if changes:
                with engine.begin() as conn:
                    _write(conn, table, columns, changes)
            written += len(changes)
            if progress is not None:
                progress(table.name, written)
        counts[table.name] = written
    return counts


# --- one row ------------------------------------------------------------------------------------


def _restated(
    table: Table, columns: list[Column[Any]], row: Any, ring: KeyRing, rotate: bool
) -> dict[str, Any] | None:
    """The row's new stored values ({"b_pk": …, "b_<column>": …}), or None: nothing to do."""
    try:
        values = {c.name: _type(c).restate(row[c.name], ring, rotate=rotate) for c in columns}
    except SealError as exc:  # changed since it was sealed: the keys are right, the row is not
        raise KeyRingError(f"{table.name} row {row['pk']}: {exc}") from None
    if table is identities:
        index = _reindexed(row, ring, rotate)
        if index is not None:
            values["address_key"] = index
    if all(v is KEEP for v in values.values()):
        return None
    stored = {name: (row[name] if v is KEEP else v) for name, v in values.items()}
    return {"b_pk": row["pk"], **{f"b_{k}": v for k, v in stored.items()}}


def _reindexed(row: Any, ring: KeyRing, rotate: bool) -> str | None:
    """A chat's new blind index, or None to keep it."""
    current: str = row["address_key"]
    if current.startswith(ERASED_INDEX):  # the address is gone: nothing to find it by
        return None
    legacy = current.startswith(keys.LEGACY_INDEX)  # from before 0009: always computed
    if not legacy and (not rotate or ring.is_current_index(current)):
        return None
    raw: str = row["address"]
    try:
        address = ring.open(raw) if keys.is_sealed(raw) else raw
    except SealError as exc:
        raise KeyRingError(str(exc)) from None
    return ring.index(row["channel"], address)


# --- reading and writing the stored form --------------------------------------------------------


def _stored(column: Column[Any]) -> Any:
    """The column as stored: the sealed type's own storage type, without sealing."""
    return _type(column).impl_instance


def _type(column: Column[Any]) -> SealedType:
    kind = column.type
    assert isinstance(kind, SEALED_TYPES)
    return kind


def _batches(engine: Engine, table: Table, columns: list[Column[Any]]) -> Iterator[list[Any]]:
    """The rows in primary-key order, BATCH at a time (keyset: no OFFSET rescans)."""
    [pk] = table.primary_key.columns
    extra = [table.c.channel, table.c.address_key] if table is identities else []
    query = select(
        pk.label("pk"),
        *(coerce(c, _stored(c)).label(c.name) for c in columns),
        *extra,
    ).order_by(pk)
    last: Any = None
    while True:
        page = query if last is None else query.where(pk > last)
        with engine.connect() as conn:
            rows = [r._mapping for r in conn.execute(page.limit(BATCH))]
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


def _write(
    conn: Connection, table: Table, columns: list[Column[Any]], changes: list[dict[str, Any]]
) -> None:
    [pk] = table.primary_key.columns
    names = [k.removeprefix("b_") for k in changes[0] if k != "b_pk"]
    types = {c.name: _stored(c) for c in columns}
    values = {
        name: coerce(bindparam(f"b_{name}"), types[name])
        if name in types
        else bindparam(f"b_{name}")
        for name in names
    }
    conn.execute(update(table).where(pk == bindparam("b_pk")).values(values), changes)


# --- the keys in use ----------------------------------------------------------------------------


def _live_keys(conn: Connection) -> set[tuple[str, str]]:
    query = select(seal_keys.c.purpose, seal_keys.c.kid).where(seal_keys.c.retired_at.is_(None))
    return {(r.purpose, r.kid) for r in conn.execute(query)}


def _record(engine: Engine, ring: KeyRing) -> None:
    """The ring's newest keys are in use from now on (a key used again is in use again)."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        known = {r.kid: r.retired_at for r in conn.execute(select(seal_keys))}
        for purpose, kid in (("data", ring.primary), ("lookup", ring.lookup_primary)):
            if kid not in known:
                conn.execute(seal_keys.insert().values(kid=kid, purpose=purpose, first_used_at=now))
            elif known[kid] is not None:
                conn.execute(
                    update(seal_keys).where(seal_keys.c.kid == kid).values(retired_at=None)
                )


def _compact(engine: Engine) -> None:
    """Rewrite the SQLite file without its free pages, and empty its WAL: an update leaves
    the old row's bytes behind in both (in clear, the first time) until they are reused."""
    if engine.dialect.name != "sqlite":
        return  # (PostgreSQL, once it is the backend: VACUUM FULL, by the operator)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.commit()
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _engine(url: str) -> Engine:
    return create_engine(sync_url(url), poolclass=NullPool, hide_parameters=True)
