"""One settings object, read from the environment and `.env`.

A wrong value must stop start-up with one clear line naming the variable and what is allowed,
never a traceback: `load_settings` turns pydantic's errors into `ConfigError`.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy.engine import make_url

from storage.keys import KeyRing, check_data_key, check_lookup_key, split_keys

# Indonesians name their zones, not the IANA ids; accept both.
ZONE_ALIASES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
SUPPORTED_LOCALES = ("id", "en")
MIN_LINK_SECRET = 32  # characters of the key that signs report links


class ConfigError(Exception):
    """A setting has a value the bot cannot run with."""


# The checkout (or installed source) the bot runs from: its config/ holds the agency files.
SOURCE_ROOT = Path(__file__).resolve().parents[1]


def beside_the_code(path: Path) -> Path:
    """A relative path that is not found from the current folder is looked for in the
    bot's own source tree: an installed `suara-warga` started by systemd or a container from
    another folder still finds its default agency file."""
    if path.is_absolute() or path.is_file():
        return path
    candidate = SOURCE_ROOT / path
    return candidate if candidate.is_file() else path


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default="sqlite+aiosqlite:///./data/suara-warga.db")
    timezone: str = Field(default="Asia/Makassar")
    default_locale: Literal["id", "en"] = "id"
    agency_config: Path = Path("config/agency.soppeng.toml")
    # The agency's Daftar Informasi Publik; unset: dip.<name>.toml beside the agency file
    # (config/dip.soppeng.toml), or none when there is no such file.
    dip_config: Path | None = None
    conversation_ttl_hours: int = Field(default=24, ge=1, le=24 * 30)
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None  # another Bot API server (self-hosted, or a fake)
    telegram_webhook_url: str | None = None  # public HTTPS URL; unset = polling
    telegram_webhook_secret: SecretStr | None = None  # unset = a new random one each start
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_whatsapp_from: str | None = None  # the WhatsApp sender number, +E.164
    twilio_messaging_service_sid: str | None = None  # instead of a single sender number
    twilio_api_base_url: str | None = None  # a proxy, or a local fake in tests
    public_base_url: str | None = None  # what Twilio calls: webhook signatures are over it
    whatsapp_sends_per_second: float = Field(default=20.0, gt=0, le=80)
    # Approved Content API template per kind of message, for outside the 24-hour window:
    # {"status_update": "HX…", "reminder": "HX…", "clarification": "HX…"}
    whatsapp_templates: dict[str, str] = Field(default_factory=dict)
    # Optional quick-reply buttons in session: twilio/quick-reply content SIDs by button count.
    whatsapp_quick_replies: dict[str, str] = Field(default_factory=dict)
    # The first admins, by Telegram user id and WhatsApp number (comma-separated).
    admin_telegram_ids: str = ""
    admin_whatsapp_numbers: str = ""
    # Notifications (issue 6). Quiet hours are local time, "HH:MM-HH:MM"; empty turns them off.
    quiet_hours: str = "21:00-06:00"
    progress_every_days: int = Field(default=5, ge=0, le=60)  # "still being handled"; 0 = off
    remind_days_before: int = Field(default=2, ge=1, le=20)  # and 1 day before, always
    escalate_every_days: int = Field(default=2, ge=1, le=30)  # repeat while overdue
    daily_summary_hour: int = Field(default=8, ge=0, le=23)  # officers' queue summary
    draft_retention_days: int = Field(default=30, ge=1, le=365)  # unfinished forms (may hold a NIK)
    delivery_ids_days: int = Field(default=7, ge=1, le=90)  # redelivery guard kept this long
    tick_seconds: float = Field(default=30.0, gt=0, le=600)  # releasing scheduled messages
    # /rekap files in the chat: kept here, linked (WhatsApp) with signed links this long.
    reports_dir: Path = Path("data/reports")
    report_link_hours: int = Field(default=24, ge=1, le=24 * 7)
    link_secret: SecretStr | None = None  # unset: one is made and kept in reports_dir
    http_host: str = "0.0.0.0"
    http_port: int = Field(default=8080, ge=1, le=65535)
    # Connections served at once; always kept under the open-file limit (bot.http_server).
    http_max_connections: int = Field(default=1000, ge=16, le=100_000)
    # A consistent copy of the database every day at BACKUP_HOUR (local), into BACKUP_DIR
    # (best on another disk), keeping the newest BACKUP_KEEP; unset, no scheduled backups.
    backup_dir: Path | None = None
    backup_hour: int = Field(default=2, ge=0, le=23)
    backup_keep: int = Field(default=7, ge=1, le=365)
    # The bot's clock starts at this instant and runs from there (a training session or demo
    # set on a working morning, tests); unset, it is the real time.
    clock_start: datetime | None = None
    # The keys that seal NIKs, phone numbers and chats at rest (storage.keys), comma-separated,
    # newest first (`suara-warga keys new`). Unset (both): a key file beside the database.
    data_keys: SecretStr | None = None
    lookup_keys: SecretStr | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        name = ZONE_ALIASES.get(value.strip().upper(), value.strip())
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown zone") from exc
        return name

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        # PostgreSQL comes with the server backend; until then it would fail later, worse.
        if not value.startswith("sqlite+aiosqlite://"):
            raise ValueError("unsupported driver")
        return value

    @field_validator("telegram_webhook_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("Telegram only posts to https:// URLs")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _public(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("webhooks need https")
        return value.rstrip("/") if value else value

    @property
    def admins(self) -> tuple[list[str], list[str]]:
        def split(value: str) -> list[str]:
            return [part.strip() for part in value.split(",") if part.strip()]

        return split(self.admin_telegram_ids), split(self.admin_whatsapp_numbers)

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @field_validator("agency_config")
    @classmethod
    def _agency_exists(cls, value: Path) -> Path:
        found = beside_the_code(value)
        if not found.is_file():
            raise ValueError("file not found")
        return found

    @field_validator("dip_config")
    @classmethod
    def _dip_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError("file not found")
        return value

    @property
    def dip_path(self) -> Path | None:
        """The DIP file: as set, else the one beside the agency file when there is one."""
        if self.dip_config is not None:
            return self.dip_config
        # agency.soppeng.toml → dip.soppeng.toml: the agency's two files side by side
        name = self.agency_config.name.removeprefix("agency.")
        beside = self.agency_config.with_name(f"dip.{name}")
        return beside if beside.is_file() else None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @field_validator("data_keys", "lookup_keys")
    @classmethod
    def _keys(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None:
            return None
        check = check_data_key if info.field_name == "data_keys" else check_lookup_key
        parts = [check(part) for part in split_keys(value.get_secret_value())]
        if not parts:
            raise ValueError("no key")
        return SecretStr(",".join(parts))

    @property
    def key_ring(self) -> KeyRing | None:
        """The ring from configuration; None: the key file beside the database."""
        if self.data_keys is None or self.lookup_keys is None:
            return None
        return KeyRing(
            split_keys(self.data_keys.get_secret_value()),
            split_keys(self.lookup_keys.get_secret_value()),
        )

    @field_validator("link_secret")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_LINK_SECRET:
            raise ValueError("too short")
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        if value.strip():
            parse_quiet_hours(value)
        return value.strip()

    @property
    def quiet(self) -> tuple[time, time] | None:
        return parse_quiet_hours(self.quiet_hours) if self.quiet_hours else None

    @field_validator("clock_start")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("no offset")
        return value.astimezone(UTC) if value is not None else None


class _ExplicitSettings(Settings):
    """Only the values given: no environment variable, no `.env` (tests are hermetic)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


# Every variable the settings read, in upper case (pydantic-settings ignores case).
SETTING_NAMES = frozenset(name.upper() for name in Settings.model_fields)


def parse_quiet_hours(value: str) -> tuple[time, time]:
    start, _sep, end = value.partition("-")
    try:
        return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError as exc:
        raise ValueError("not HH:MM-HH:MM") from exc


# Settings whose value an error line never shows.
_SECRET = frozenset({"data_keys", "lookup_keys", "link_secret"})

# What each setting accepts, in the words the error line uses.
_ALLOWED = {
    "database_url": "a SQLite URL like sqlite+aiosqlite:///./data/suara-warga.db",
    "timezone": "an IANA zone such as Asia/Jakarta, Asia/Makassar, Asia/Jayapura, or WIB/WITA/WIT",
    "default_locale": "one of: id, en",
    "agency_config": "the path of an existing agency TOML file",
    "dip_config": "the path of an existing DIP TOML file, or unset (dip.NAME.toml beside it)",
    "conversation_ttl_hours": "a whole number of hours from 1 to 720",
    "sqlite_synchronous": "one of: NORMAL, FULL",
    "log_level": "one of: DEBUG, INFO, WARNING, ERROR",
    "telegram_bot_token": "the token BotFather gave, like 123456:ABC-DEF…",
    "telegram_api_base_url": "a URL like https://api.telegram.org/bot",
    "telegram_webhook_url": "the public https:// URL Telegram should post to",
    "http_port": "a port number from 1 to 65535",
    "http_max_connections": "a whole number of connections from 16 to 100000",
    "whatsapp_sends_per_second": "a number of messages per second above 0, at most 80",
    "whatsapp_templates": 'JSON like {"status_update": "HX…"}',
    "public_base_url": "the public https:// address of this bot, like https://bot.example.go.id",
    "quiet_hours": "local times like 21:00-06:00, or empty for none",
    "progress_every_days": "a whole number of working days from 0 (off) to 60",
    "remind_days_before": "a whole number of working days from 1 to 20",
    "escalate_every_days": "a whole number of working days from 1 to 30",
    "daily_summary_hour": "an hour from 0 to 23",
    "draft_retention_days": "a whole number of days from 1 to 365",
    "delivery_ids_days": "a whole number of days from 1 to 90",
    "tick_seconds": "seconds above 0, at most 600",
    "report_link_hours": "a whole number of hours from 1 to 168",
    "link_secret": "at least 32 random characters (or unset, to have one made)",
    "data_keys": "Fernet keys from `suara-warga keys new`, comma-separated, newest first",
    "lookup_keys": "keys of 32 characters or more from `suara-warga keys new`, newest first",
    "clock_start": "a date and time with its offset, like 2026-11-27T09:00:00+08:00",
    "backup_dir": "a folder for the daily backups (best on another disk)",
    "backup_hour": "an hour from 0 to 23",
    "backup_keep": "a whole number of backups from 1 to 365",
}


def load_settings(*, environment: bool = True, **overrides: object) -> Settings:
    """Read the settings, or raise `ConfigError` with one readable line. With
    `environment=False` only `overrides` count: nothing from the environment or `.env`."""
    kind = Settings if environment else _ExplicitSettings
    try:
        settings = kind(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        given = first.get("input")
        if field in _SECRET:  # the line is printed: a key must never be
            given = "…"
        if field == "database_url" and isinstance(given, str):
            given = _without_password(given)
        allowed = _ALLOWED.get(field, first["msg"])
        if isinstance(given, Path):  # said as typed, not as a Python repr
            given = str(given)
        raise ConfigError(f"{field.upper()}={given!r} is not valid: use {allowed}.") from None
    if (settings.data_keys is None) != (settings.lookup_keys is None):
        raise ConfigError(
            "DATA_KEYS and LOOKUP_KEYS go together: set both (`suara-warga keys new`), or "
            "neither (a key file beside the database)."
        )
    return settings


def _without_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not even a URL: nothing to hide but the whole thing
        return "<unreadable URL>"
