"""Catalogues of the bot's own messages in languages other than English, keyed by the English."""
