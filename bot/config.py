"""Settings from the environment and `.env`; every variable is listed in .env.example."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TELEGRAM_API_URL = "https://api.telegram.org"
DISCORD_API_URL = "https://discord.com/api/v10"
DISCORD_GATEWAY_URL = "wss://gateway.discord.gg"
NVIDIA_API_URL = "https://integrate.api.nvidia.com/v1"
NVIDIA_VLM_URL = "https://ai.api.nvidia.com/v1/vlm"
"""Where NVIDIA's hosted catalog serves its older vision models (phi-3-vision, NeVA, Fuyu...):
POST <this>/<model>, the image inline in the text (see bot.models.pick_vision_route)."""


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line naming the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = TELEGRAM_API_URL
    discord_bot_token: SecretStr | None = None
    discord_api_url: str = DISCORD_API_URL
    discord_gateway_url: str = DISCORD_GATEWAY_URL
    llm_base_url: str = NVIDIA_API_URL
    llm_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("LLM_API_KEY", "NVIDIA_API_KEY")
    )
    vision_model: str = "nvidia/nemotron-nano-12b-v2-vl"
    vision_base_url: str | None = None
    vision_api_key: SecretStr | None = None
    vision_route: Literal["auto", "chat", "vlm"] = "auto"
    nvidia_vlm_url: str = NVIDIA_VLM_URL
    chat_model: str = "meta/llama-3.1-70b-instruct"
    llm_timeout: float = Field(default=60.0, gt=0, le=600)
    telegram_proxy: str | None = None
    llm_proxy: str | None = None
    tts_proxy: str | None = None
    vision_image_format: Literal["auto", "image_url", "inline"] = "auto"
    llm_structured: Literal["auto", "json_schema", "json_object", "nvext", "off"] = "auto"
    stt_model: str | None = None
    embed_model: str | None = None
    tts_voice: str | None = None
    redis_url: str | None = None
    allowed_users: str = ""
    allowed_chats: str = ""
    admin_users: str = ""
    rate_limit_per_minute: int = Field(default=20, ge=0)
    daily_model_calls: int = Field(default=100, ge=0)
    code_mode: Literal["off", "on"] = "off"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = Field(default=8080, ge=1, le=65535)
    chat_lock_ttl_s: float = Field(default=30.0, ge=1.0, le=600.0)
    render_workers: int | None = Field(default=None, ge=0, le=64)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    read_check: Literal["on", "off"] = "on"
    read_check_model: str | None = None

    @field_validator("telegram_api_url")
    @classmethod
    def _strip_api_url(cls, url: str) -> str:
        url = url.strip().rstrip("/")
        return url.removesuffix("/bot")

    @field_validator("discord_api_url", "discord_gateway_url")
    @classmethod
    def _strip_slash(cls, url: str) -> str:
        return url.strip().rstrip("/")

    @field_validator("llm_base_url", "vision_base_url", "nvidia_vlm_url")
    @classmethod
    def _normalise_base_url(cls, url: str | None) -> str | None:
        """Accept a pasted full endpoint or a trailing slash: keep the API root only."""
        if url is None:
            return None
        url = url.strip().rstrip("/")
        for suffix in ("/chat/completions", "/completions"):
            url = url.removesuffix(suffix)
        return url

    @field_validator("redis_url", "stt_model", "embed_model", "tts_voice", "webhook_url",
                     "webhook_secret", "telegram_proxy", "llm_proxy", "tts_proxy",
                     "render_workers", "vision_base_url", "vision_api_key", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None

    @field_validator("read_check_model", mode="before")
    @classmethod
    def _no_check_model(cls, value: object) -> object:
        """Empty: the second read asks the vision model itself (another prompt and scale)."""
        return value or None

    @field_validator("telegram_proxy", "llm_proxy")
    @classmethod
    def _proxy_url(cls, url: str | None) -> str | None:
        return _checked_proxy(url, r"https?|socks5h?",
                              "http://host:port, https://host:port or socks5://host:port")

    @field_validator("tts_proxy")
    @classmethod
    def _http_proxy_url(cls, url: str | None) -> str | None:
        """edge-tts speaks through aiohttp, which takes http:// and https:// proxies only."""
        return _checked_proxy(url, r"https?", "http://host:port or https://host:port")

    @property
    def bot_api_base_url(self) -> str:
        return f"{self.telegram_api_url}/bot"

    @property
    def bot_file_base_url(self) -> str:
        return f"{self.telegram_api_url}/file/bot"

    @property
    def vision_url(self) -> str:
        """The endpoint root the vision model is asked at: VISION_BASE_URL, else LLM_BASE_URL."""
        return self.vision_base_url or self.llm_base_url

    def secrets(self) -> list[str]:
        """Every secret value held, for log redaction."""
        held = [self.telegram_bot_token, self.discord_bot_token, self.llm_api_key,
                self.vision_api_key, self.webhook_secret]
        values = [s.get_secret_value() for s in held if s is not None]
        for url in (self.redis_url, self.telegram_proxy, self.llm_proxy, self.tts_proxy,
                    self.llm_base_url, self.vision_base_url, self.nvidia_vlm_url,
                    self.telegram_api_url):
            if url and "@" in url:
                values.append(url.split("@", 1)[0].split("//", 1)[-1])
        return [v for v in values if len(v) >= 4]

    def require_model_key(self) -> str:
        if self.llm_api_key is None or not self.llm_api_key.get_secret_value().strip():
            raise ConfigError(
                "LLM_API_KEY is not set (NVIDIA_API_KEY works too; "
                "for a local server without keys set it to any text, e.g. 'none')"
            )
        return self.llm_api_key.get_secret_value().strip()

    def require_vision_key(self) -> str:
        """VISION_API_KEY when set, else LLM_API_KEY."""
        if self.vision_api_key is not None and self.vision_api_key.get_secret_value().strip():
            return self.vision_api_key.get_secret_value().strip()
        return self.require_model_key()

    def require_webhook_secret(self) -> str:
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
            raise ConfigError("WEBHOOK_SECRET must be 16–256 characters of A-Z, a-z, 0-9, _ "
                              "and - (webhook mode checks it on every request)")
        if not (self.webhook_url or "").startswith("https://"):
            raise ConfigError("WEBHOOK_URL must be the bot's public https:// address")
        return secret

    def require_bot_token(self) -> str:
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set (ask @BotFather for one)")
        return self.telegram_bot_token.get_secret_value().strip()

    def require_discord_token(self) -> str:
        if self.discord_bot_token is None or not self.discord_bot_token.get_secret_value():
            raise ConfigError("DISCORD_BOT_TOKEN is not set (the Bot page of your application "
                              "at discord.com/developers)")
        return self.discord_bot_token.get_secret_value().strip()


def shown_url(url: str) -> str:
    """The URL without any user:password@, for messages and logs."""
    return re.sub(r"//[^/@\s]*@", "//", url)


def _checked_proxy(url: str | None, schemes: str, forms: str) -> str | None:
    """A proxy URL of one of `schemes` (a regex alternation), host and port only."""
    if url is None:
        return None
    url = url.strip()
    if not re.fullmatch(rf"({schemes})://[^/\s]+/?", url):
        raise ValueError(f"must look like {forms} (user:password@ allowed before the host)")
    return url


def load_settings() -> Settings:
    """Read settings, turning validation errors into one ConfigError line naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        raise ConfigError(f"{name} is invalid: {first['msg']}") from None
