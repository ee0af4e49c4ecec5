"""The keys that seal personal data at rest (UU 27/2022): a ring of data keys and of lookup
keys, newest first, installed once at start-up.

Data keys are Fernet keys (AES-128-CBC with HMAC-SHA256: authenticated, so a wrong key or a
changed byte is an error, never garbage). Every value is stored as `<key id>:<Fernet token>`,
the id being a short hash of the key that sealed it: start-up can say which key a database
needs without decrypting anything, and a rotation knows which values it has done. The newest
key seals; every key in the ring opens what it sealed, which is what makes rotation possible.

Lookup keys make blind indexes: a chat is found by HMAC-SHA256(lookup key, channel:address),
since a value sealed with a random IV can never be matched in SQL. Lookups try every lookup
key in the ring, so the bot keeps finding chats while a rotation re-indexes them.

Unset in configuration, the ring lives in a key file beside the database (made on first
start, 0600), so the two-command set-up needs no configuration at all.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from storage.place import PRIVATE_FILE, StorageError

KEY_FILE = ".data-keys"  # in the database's folder; not matched by `suara-warga.db*`
MIN_LOOKUP_KEY = 32  # characters
_ID_CHARS = 8  # hex characters of a key id: 32 bits, enough to tell a handful of keys apart
# Values this process sealed lately, by their sealed form: read back soon after (an outbox
# row's RETURNING, a conversation's form at the chat's next message), they are not decrypted
# again. Bounded (oldest out first); an instance per ring, so a new ring starts empty.
_RECENT = 4096
_SEALED = re.compile(r"^[0-9a-f]{8}:gAAAAA")  # a key id, then a Fernet token (version 0x80)
# Index values that are not HMACs: before the first start after migration 0009, and once a
# chat is erased (its address is gone; the row stays for the counts).
LEGACY_INDEX, ERASED_INDEX = "legacy:", "erased:"


class KeyRingError(StorageError):
    """The keys cannot open this database's data; the message says which, in one line."""


def missing_key(purpose: str, kid: str) -> KeyRingError:
    setting = "DATA_KEYS" if purpose == "data" else "LOOKUP_KEYS"
    return KeyRingError(
        f"the database's personal data needs {purpose} key {kid}, which is not among the keys "
        f"given ({setting}, or the key file beside the database): put that key back in "
        f"{setting}, newest first"
    )


class SealError(Exception):
    """A value could not be opened: not sealed, sealed with a key not in the ring, or
    changed since it was sealed."""


def _key_id(purpose: str, key: str) -> str:
    digest = hashlib.sha256(f"suara-warga {purpose} key id:{key}".encode())
    return digest.hexdigest()[:_ID_CHARS]


def is_sealed(value: str) -> bool:
    return _SEALED.match(value) is not None


def check_data_key(key: str) -> str:
    """A Fernet key: 32 bytes in URL-safe base64 (44 characters). Raises ValueError."""
    key = key.strip()
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError("not a Fernet key") from None
    if len(raw) != 32 or len(key) != 44:
        raise ValueError("not a Fernet key")
    return key


def check_lookup_key(key: str) -> str:
    key = key.strip()
    if len(key) < MIN_LOOKUP_KEY:
        raise ValueError("lookup key too short")
    return key


def split_keys(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class KeyRing:
    """Data keys and lookup keys, each newest first. Raises ValueError for a malformed key."""

    def __init__(self, data: Sequence[str], lookup: Sequence[str]) -> None:
        if not data or not lookup:
            raise ValueError("a key ring needs a data key and a lookup key")
        self.data = tuple(check_data_key(k) for k in data)
        self.lookup = tuple(check_lookup_key(k) for k in lookup)
        self._fernets = {_key_id("data", k): Fernet(k) for k in self.data}
        self.primary = _key_id("data", self.data[0])
        self._sealer = self._fernets[self.primary]
        self._hmacs = [
            (_key_id("lookup", k), hmac.new(k.encode(), digestmod="sha256")) for k in self.lookup
        ]
        self.lookup_primary = self._hmacs[0][0]
        self._recent: dict[str, str] = {}

    @property
    def data_ids(self) -> frozenset[str]:
        return frozenset(self._fernets)

    @property
    def lookup_ids(self) -> frozenset[str]:
        return frozenset(kid for kid, _mac in self._hmacs)

    # --- values ---------------------------------------------------------------------------

    def seal(self, plain: str) -> str:
        stored = f"{self.primary}:{self._sealer.encrypt(plain.encode()).decode('ascii')}"
        if len(self._recent) >= _RECENT:
            with contextlib.suppress(KeyError, RuntimeError, StopIteration):  # (a race: fine)
                del self._recent[next(iter(self._recent))]
        self._recent[stored] = plain
        return stored

    def open(self, stored: str) -> str:
        recent = self._recent.get(stored)
        if recent is not None:  # sealed here, so already authenticated: its own plaintext
            return recent
        if not is_sealed(stored):
            raise SealError("a value in the database is not sealed")
        kid, token = stored[:_ID_CHARS], stored[_ID_CHARS + 1 :]
        fernet = self._fernets.get(kid)
        if fernet is None:
            raise SealError(f"a value is sealed with data key {kid}, which the ring lacks")
        try:
            return fernet.decrypt(token.encode("ascii")).decode()
        except InvalidToken:
            raise SealError(f"a value sealed with data key {kid} was changed") from None

    def is_current(self, stored: str) -> bool:
        """Sealed with the newest key: nothing for a rotation to do."""
        return stored.startswith(self.primary + ":") and is_sealed(stored)

    def reseal(self, raw: str) -> str:
        """A stored value sealed with the newest key: a plaintext one (from before sealing),
        or one sealed with an older key."""
        return self.seal(self.open(raw) if is_sealed(raw) else raw)

    # --- blind indexes --------------------------------------------------------------------

    def index(self, channel: str, address: str) -> str:
        """The chat's blind index under the newest lookup key (what new rows get)."""
        return self._index(0, channel, address)

    def indexes(self, channel: str, address: str) -> list[str]:
        """Its blind index under every lookup key in the ring: what a lookup matches."""
        return [self._index(n, channel, address) for n in range(len(self._hmacs))]

    def is_current_index(self, value: str) -> bool:
        return value.startswith(self.lookup_primary + ":")

    def _index(self, n: int, channel: str, address: str) -> str:
        kid, base = self._hmacs[n]
        mac = base.copy()  # the key schedule is done once per key, not per lookup
        mac.update(f"{channel}:{address}".encode())
        return f"{kid}:{mac.hexdigest()}"


# --- the ring the process uses ----------------------------------------------------------------

_installed: KeyRing | None = None


def install(ring: KeyRing | None) -> None:
    """Set the ring every sealed column uses (the app does, at start-up)."""
    global _installed
    _installed = ring


def current() -> KeyRing:
    if _installed is None:
        raise RuntimeError("no key ring installed (storage.keys.install)")
    return _installed


def index_default(context: Any) -> str:
    """identities.address_key for an INSERT that does not give one: the newest index."""
    row = context.get_current_parameters()
    return current().index(str(row["channel"]), str(row["address"]))


# --- new keys, and the key file -----------------------------------------------------------------


def new_data_key() -> str:
    return Fernet.generate_key().decode("ascii")


def new_lookup_key() -> str:
    return secrets.token_urlsafe(32)  # 43 characters, 256 random bits


def key_lines(ring: KeyRing) -> str:
    """The ring as the settings that hold it, one per line (a .env, or the key file)."""
    return f"DATA_KEYS={','.join(ring.data)}\nLOOKUP_KEYS={','.join(ring.lookup)}\n"


def read_key_file(path: Path) -> KeyRing | None:
    """The ring in a key file, or None when there is none. A damaged one is an error: a new
    key would make every sealed value unreadable."""
    if not path.exists():
        return None
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KeyRingError(f"cannot read the key file {path}: {exc.strerror}") from None
    for line in text.splitlines():
        name, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            values[name.strip().upper()] = value
    try:
        return KeyRing(
            split_keys(values.get("DATA_KEYS", "")), split_keys(values.get("LOOKUP_KEYS", ""))
        )
    except ValueError:
        raise KeyRingError(
            f"the key file {path} is damaged: it needs DATA_KEYS= and LOOKUP_KEYS= lines"
        ) from None


def create_key_file(path: Path) -> KeyRing:
    """A new ring, written 0600 whole or not at all (a temporary file renamed into place):
    a crash can never leave half a key. If another process made one meanwhile, that one."""
    ring = KeyRing([new_data_key()], [new_lookup_key()])
    header = (
        "# The keys that seal personal data in the database beside this file (README, "
        "Privacy).\n# Back this file up apart from the database: without it the NIKs, phone "
        "numbers and\n# chats in the database and in every backup cannot be read. In "
        "production, set these\n# two settings in the configuration instead.\n"
    )
    temporary = path.with_name(f"{path.name}.{secrets.token_hex(4)}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(header + key_lines(ring))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)  # fails if one appeared meanwhile: never replace a key
    except FileExistsError:
        found = read_key_file(path)
        assert found is not None
        return found
    except OSError as exc:
        raise KeyRingError(f"cannot write the key file {path}: {exc.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return ring
