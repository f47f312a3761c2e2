"""Conversation ids: one namespace per chat platform, so platforms' ids never collide.

A conversation is a Telegram chat, a Discord DM, or a Discord server channel or thread. Its
id is "<platform>:<the platform's own id>", e.g. "telegram:123" and "discord:123" are two
different conversations. Everything kept per conversation (sessions, caches of work in
progress, per-conversation notes) is keyed by this id.
"""

from __future__ import annotations

TELEGRAM = "telegram"
DISCORD = "discord"
PLATFORMS = (TELEGRAM, DISCORD)


def conversation_id(platform: str, local_id: int | str) -> str:
    """The namespaced id of a platform's chat (`local_id` is the platform's own chat id)."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown chat platform {platform!r}")
    return f"{platform}:{local_id}"


def platform_of(conversation: str) -> str:
    return conversation.partition(":")[0]


def local_id(conversation: str) -> str:
    """The platform's own id of the conversation ("123" for "telegram:123")."""
    return conversation.partition(":")[2]


def legacy_telegram_chat(conversation: str) -> int | None:
    """The bare chat id Telegram sessions were stored under before ids were namespaced
    (2026-12), for a Telegram conversation; None for any other."""
    platform, _, local = conversation.partition(":")
    if platform != TELEGRAM:
        return None
    try:
        return int(local)
    except ValueError:
        return None
