from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from tests.harness import AGENCY, run_bot

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "alias,zone", [("WIB", "Asia/Jakarta"), ("wita", "Asia/Makassar"), ("WIT", "Asia/Jayapura")]
)
def test_indonesian_zone_names_are_accepted(alias: str, zone: str) -> None:
    assert load_settings(environment=False, timezone=alias, agency_config=AGENCY).timezone == zone


def test_defaults() -> None:
    settings = load_settings(environment=False, agency_config=AGENCY)
    assert settings.timezone == "Asia/Makassar"
    assert settings.default_locale == "id"
    assert settings.database_url.startswith("sqlite+aiosqlite:///./data/")


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("timezone", "Mars/Base", "TIMEZONE='Mars/Base' is not valid: use an IANA zone"),
        ("default_locale", "fr", "DEFAULT_LOCALE='fr' is not valid: use one of: id, en"),
        ("database_url", "mysql://x", "DATABASE_URL"),
        ("telegram_webhook_url", "http://bot.example.id/hook", "TELEGRAM_WEBHOOK_URL"),
        ("http_port", "99999", "HTTP_PORT"),
        ("database_url", "postgresql+asyncpg://u:s3cret@h/db", "DATABASE_URL"),
        ("conversation_ttl_hours", "0", "CONVERSATION_TTL_HOURS"),
    ],
)
def test_a_wrong_value_is_named_in_one_line(field: str, value: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environment=False, **{field: value, "agency_config": AGENCY})
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_explicit_settings_ignore_the_environment_and_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("QUIET_HOURS=01:00-02:00\nDEFAULT_LOCALE=en\n")
    monkeypatch.setenv("TIMEZONE", "Asia/Jakarta")
    explicit = load_settings(environment=False, agency_config=AGENCY)
    assert (explicit.quiet_hours, explicit.default_locale) == ("21:00-06:00", "id")
    assert explicit.timezone == "Asia/Makassar"
    running = load_settings(agency_config=AGENCY)  # how the bot itself reads them
    assert (running.quiet_hours, running.default_locale) == ("01:00-02:00", "en")
    assert running.timezone == "Asia/Jakarta"


def test_the_clock_can_start_at_a_chosen_instant() -> None:
    from datetime import UTC, datetime

    from bot.engine.clock import make_clock

    settings = load_settings(
        environment=False, agency_config=AGENCY, clock_start="2026-11-27T09:00:00+08:00"
    )
    assert settings.clock_start == datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    assert settings.clock_start is not None
    now = make_clock(settings.clock_start).now()
    assert settings.clock_start <= now < datetime(2026, 11, 27, 1, 1, tzinfo=UTC)
    with pytest.raises(ConfigError) as caught:
        load_settings(environment=False, agency_config=AGENCY, clock_start="2026-11-27T09:00")
    assert "CLOCK_START" in str(caught.value) and "offset" in str(caught.value)


def test_a_password_in_a_bad_url_is_not_echoed() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(
            environment=False,
            database_url="postgresql+asyncpg://u:s3cret@h/db",
            agency_config=AGENCY,
        )
    assert "s3cret" not in str(caught.value)


def test_the_program_stops_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "db", "upgrade", TIMEZONE="Bulan/Purnama")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "TIMEZONE='Bulan/Purnama'" in result.stderr and "Traceback" not in result.stderr


def test_whatsapp_without_a_public_url_stops_with_one_line(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path,
        "run",
        database=tmp_path / "x.db",
        unset=("PUBLIC_BASE_URL",),
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="secret-token-value",
        TWILIO_WHATSAPP_FROM="+14155238886",
    )
    assert result.returncode == 2
    assert "PUBLIC_BASE_URL is missing" in result.stderr and "Traceback" not in result.stderr
    assert "secret-token-value" not in result.stderr


def test_the_default_agency_file_is_found_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed suara-warga run by systemd or a container starts elsewhere than the
    checkout: the default agency file is still its own."""
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environment=False)
    assert settings.agency_config.is_absolute() and settings.agency_config.is_file()
    assert settings.dip_path is not None and settings.dip_path.is_file()


def test_a_missing_agency_file_is_named_as_typed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(environment=False, agency_config=tmp_path / "nope.toml")
    said = str(refused.value)
    assert said.startswith(f"AGENCY_CONFIG='{tmp_path / 'nope.toml'}' is not valid")
    assert "PosixPath" not in said
