"""The Discord front end (discord.py): DMs, mentions and replies in servers, slash commands."""
