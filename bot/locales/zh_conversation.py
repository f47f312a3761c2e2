"""简体中文 (conversation): the bot's own messages, keyed by the English text."""

MESSAGES: dict[str, str] = {
}
