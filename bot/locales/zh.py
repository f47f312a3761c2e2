"""简体中文: the bot's own messages in Simplified Chinese, keyed by the English text."""

from bot.locales import zh_conversation, zh_input, zh_telegram

MESSAGES: dict[str, str] = {
    **zh_conversation.MESSAGES,
    **zh_telegram.MESSAGES,
    **zh_input.MESSAGES,
}
