"""The bot's own words and voice: wording, languages, catalogues, speech."""
