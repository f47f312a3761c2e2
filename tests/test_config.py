"""Settings come from the environment; a missing secret stops start-up with one clear line."""

import logging
import subprocess
import sys

import pytest

from bot.config import ConfigError, Settings, load_settings
from bot.logs import RedactingFormatter, redact
from bot.words.wording import later, speaking

TOKEN = "123456:AAFake-token_value"
KEY = "nvapi-SECRETSECRETSECRET"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ("TELEGRAM_BOT_TOKEN", "LLM_API_KEY", "NVIDIA_API_KEY", "LLM_BASE_URL",
                 "TELEGRAM_API_URL", "REDIS_URL", "LLM_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_point_at_telegram_and_nvidia():
    settings = Settings()
    assert settings.bot_api_base_url == "https://api.telegram.org/bot"
    assert settings.bot_file_base_url == "https://api.telegram.org/file/bot"
    assert settings.llm_base_url == "https://integrate.api.nvidia.com/v1"
    assert settings.vision_model == "nvidia/nemotron-nano-12b-v2-vl"
    assert settings.vision_url == settings.llm_base_url and settings.vision_route == "auto"
    assert settings.redis_url is None


@pytest.mark.parametrize("pasted", [
    "http://localhost:8000/v1/", "http://localhost:8000/v1/chat/completions",
    " http://localhost:8000/v1 ",
])
def test_a_pasted_endpoint_is_normalised(monkeypatch, pasted):
    monkeypatch.setenv("LLM_BASE_URL", pasted)
    assert Settings().llm_base_url == "http://localhost:8000/v1"


def test_local_bot_api_server_root(monkeypatch):
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    settings = Settings()
    assert settings.bot_api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.bot_file_base_url == "http://127.0.0.1:8081/file/bot"


def test_nvidia_api_key_is_accepted_as_the_model_key(monkeypatch):
    monkeypatch.setenv("NVIDIA_API_KEY", KEY)
    assert Settings().require_model_key() == KEY


def test_settings_are_read_from_a_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nLLM_API_KEY={KEY}\n")
    settings = load_settings()
    assert settings.require_bot_token() == TOKEN
    assert settings.require_model_key() == KEY


def test_missing_secrets_name_the_variable():
    settings = Settings()
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        settings.require_bot_token()
    with pytest.raises(ConfigError, match="LLM_API_KEY"):
        settings.require_model_key()


def test_an_invalid_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("LLM_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="LLM_TIMEOUT"):
        load_settings()


def test_starting_without_a_token_prints_one_line_and_no_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(_repo_root())}
    done = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "replot: TELEGRAM_BOT_TOKEN is not set (ask @BotFather for one)"]


def test_redaction_removes_tokens_keys_and_passwords():
    line = (f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed; "
            f"GET /file/bot{TOKEN}/photos/x.jpg; Authorization: Bearer {KEY}; "
            "redis://:hunter2@redis:6379/0; key sk-abcdefghijklmnop")
    clean = redact(line)
    for secret in (TOKEN, KEY, "hunter2", "sk-abcdefghijklmnop"):
        assert secret not in clean
    assert "/bot***/sendMessage" in clean


def test_log_lines_and_tracebacks_are_redacted():
    formatter = RedactingFormatter("%(message)s", [KEY, "my-odd-secret"])
    try:
        raise RuntimeError(f"endpoint said: bad key {KEY} / my-odd-secret")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "call failed", None,
                                   sys.exc_info())
    text = formatter.format(record)
    assert "call failed" in text and "RuntimeError" in text
    assert KEY not in text and "my-odd-secret" not in text


def _repo_root():
    from pathlib import Path
    return Path(__file__).resolve().parent.parent


async def test_render_workers_default_to_the_cores_and_can_be_set(monkeypatch):
    from handlers.telegram.app import create_services

    settings = Settings(telegram_bot_token=TOKEN, llm_api_key=KEY)
    assert settings.render_workers is None
    monkeypatch.setenv("RENDER_WORKERS", "0")
    in_thread = create_services(Settings(telegram_bot_token=TOKEN, llm_api_key=KEY))
    try:
        assert in_thread.renderer.workers == 0
    finally:
        await in_thread.close()
    monkeypatch.setenv("RENDER_WORKERS", "-1")
    with pytest.raises(ConfigError, match="RENDER_WORKERS"):
        load_settings()


def test_log_lines_are_english_whatever_the_person_is_answered_in():
    formatter = RedactingFormatter("%(message)s", [])
    error = ValueError(later("the table has no columns"))
    record = logging.LogRecord("bot", logging.INFO, __file__, 1, "rejected: %s", (error,), None)
    with speaking("zh"):
        assert str(error) != "the table has no columns"  # what the person is shown
        assert formatter.format(record) == "rejected: the table has no columns"
