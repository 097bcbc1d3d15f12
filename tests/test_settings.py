"""Settings from the environment and .env: clear one-line errors, secrets kept out of repr."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.settings import load_settings, read_dotenv
from tests.conftest import TOKEN


def test_defaults_and_a_valid_token() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "HOME": "/home/x"})
    assert settings.log_level == "INFO" and settings.retention_days == 180
    assert settings.discreet_minutes == 30 and settings.webhook_path == "telegram"
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"TELEGRAM_BOT_TOKEN": " "}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "abc"}, "does not look like a bot token"),
        ({"GUIDEBOT_LOG_LEVEL": "LOUD"}, "GUIDEBOT_LOG_LEVEL"),
        ({"GUIDEBOT_WEBHOOK_URL": "http://x"}, "https://"),
        ({"GUIDEBOT_WEBHOOK_PORT": "eighty"}, "GUIDEBOT_WEBHOOK_PORT must be a whole number"),
        ({"GUIDEBOT_RETENTION_DAYS": "0"}, "between 1 and 3650"),
        ({"GUIDEBOT_ADMIN_IDS": "12, @me"}, "GUIDEBOT_ADMIN_IDS"),
        ({"GUIDEBOT_WEBHOOK_SECRET": "has spaces"}, "GUIDEBOT_WEBHOOK_SECRET"),
        ({"GUIDEBOT_CORPUS": "/no/such/folder"}, "GUIDEBOT_CORPUS names no folder"),
    ],
)
def test_bad_settings_name_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message) as raised:
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, **environ})
    assert TOKEN not in str(raised.value) and "\n" not in str(raised.value)


def test_dotenv_is_read_and_quotes_and_comments_handled(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text(
        "# a comment\n\nexport TELEGRAM_BOT_TOKEN='" + TOKEN + '\'\nGUIDEBOT_ADMIN_IDS="1, 2"\n'
    )
    values = read_dotenv(path)
    assert values == {"TELEGRAM_BOT_TOKEN": TOKEN, "GUIDEBOT_ADMIN_IDS": "1, 2"}
    assert load_settings(values).admin_ids == frozenset({1, 2})
    path.write_text("not a setting\n")
    with pytest.raises(SettingsError, match=r"\.env:1"):
        read_dotenv(path)
