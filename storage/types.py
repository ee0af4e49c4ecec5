"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import operator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from storage import keys
from storage.keys import KeyRing, is_sealed


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out.

    SQLite has no time zones: storing naive UTC and re-attaching UTC on the way out keeps
    comparisons in SQL correct on both backends.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


# --- personal data sealed at rest (storage.keys) ------------------------------------------------

KEEP: Any = object()  # what `restate` returns for a stored value that needs no writing

# Comparing with a sealed value cannot match (every seal has its own random IV): refused
# loudly rather than returning nothing. Lookups go through a blind index (address_key).
_UNMATCHABLE = {
    operator.eq,
    operator.ne,
    operators.in_op,
    operators.not_in_op,
    operators.like_op,
    operators.not_like_op,
    operators.ilike_op,
    operators.not_ilike_op,
    operators.startswith_op,
    operators.endswith_op,
    operators.contains_op,
}


def sealed_length(chars: int) -> int:
    """Characters a sealed value of at most `chars` characters takes: `<key id>:` and a Fernet
    token (version, time, IV, the padded AES blocks, HMAC; base64) of up to 4 bytes a char."""
    blocks = 16 * ((4 * chars) // 16 + 1)
    token = 1 + 8 + 16 + blocks + 32
    return 9 + 4 * -(-token // 3)


def _restate(raw: str, ring: KeyRing, rotate: bool) -> Any:
    """The stored text sealed as it should be now, or KEEP. Plaintext (from before sealing) is
    sealed; with `rotate`, a value sealed with an older key is sealed again with the newest."""
    if not is_sealed(raw):
        return ring.seal(raw)
    if raw[:8] not in ring.data_ids:
        raise keys.missing_key("data", raw[:8])
    return ring.reseal(raw) if rotate and not ring.is_current(raw) else KEEP


class _Refusing(TypeDecorator.Comparator[Any]):
    def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
        if op in _UNMATCHABLE:
            raise TypeError("a sealed column cannot be compared in SQL; use its blind index")
        return super().operate(op, *other, **kwargs)


class Sealed(TypeDecorator[str]):
    """Text sealed with the installed key ring on the way in, opened on the way out. `length`
    is the plaintext's; the column is sized for the sealed form."""

    impl = String
    cache_ok = True
    comparator_factory = _Refusing

    def __init__(self, length: int) -> None:
        super().__init__(sealed_length(length))
        self.length = length

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else keys.current().seal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else keys.current().open(value)

    def restate(self, raw: Any, ring: KeyRing, *, rotate: bool) -> Any:
        return KEEP if raw is None else _restate(raw, ring, rotate)


class SealedJSON(TypeDecorator[Any]):
    """A JSON document sealed whole (a conversation's form: a NIK or phone number mid-way).
    None is SQL NULL."""

    impl = Text
    cache_ok = True
    comparator_factory = _Refusing

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else keys.current().seal(json.dumps(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(keys.current().open(value))

    def restate(self, raw: Any, ring: KeyRing, *, rotate: bool) -> Any:
        if raw is None:
            return KEEP
        if raw == "null":  # SQLAlchemy's JSON stored None as JSON null: SQL NULL now
            return None
        return _restate(raw, ring, rotate)


class SealedFields(TypeDecorator[Any]):
    """A JSON object with these keys' text sealed, and the rest as it is: queries on the other
    keys still work (an outbox row's `erased` mark), while the message text, which can hold a
    full NIK or a phone number on an officer's card, is sealed."""

    impl = JSON
    cache_ok = True

    def __init__(self, fields: tuple[str, ...]) -> None:
        super().__init__()
        self.fields = fields

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if not isinstance(value, dict):
            return value
        ring = keys.current()
        sealed = {k: ring.seal(value[k]) for k in self.fields if isinstance(value.get(k), str)}
        return {**value, **sealed} if sealed else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if not isinstance(value, dict):
            return value
        ring = keys.current()
        opened = {k: ring.open(value[k]) for k in self.fields if isinstance(value.get(k), str)}
        return {**value, **opened} if opened else value

    def restate(self, raw: Any, ring: KeyRing, *, rotate: bool) -> Any:
        if not isinstance(raw, dict):
            return KEEP
        changed = {
            k: new
            for k in self.fields
            if isinstance(raw.get(k), str) and (new := _restate(raw[k], ring, rotate)) is not KEEP
        }
        return {**raw, **changed} if changed else KEEP


SEALED_TYPES = (Sealed, SealedJSON, SealedFields)
SealedType = Sealed | SealedJSON | SealedFields
