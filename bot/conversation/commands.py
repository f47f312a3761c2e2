"""The commands a person can give, with the same names on every chat platform."""

from __future__ import annotations

from bot.words.wording import noop

# (name, description) in menu order; descriptions are said in the person's language.
COMMANDS = (
    ("help", noop("What I do, with an example")),
    ("table", noop("Show the data table")),
    ("csv", noop("Send the table as a CSV file")),
    ("xlsx", noop("Send the table as an Excel workbook")),
    ("export", noop("Send the chart as PNG and SVG files")),
    ("charts", noop("List your charts and pick one")),
    ("undo", noop("Undo the last change")),
    ("redo", noop("Redo what was undone")),
    ("reset", noop("Start over")),
    ("voice", noop("Voice-note replies on or off")),
    ("cancel", noop("Stop what I'm working on")),
)
USAGE = ("usage", noop("How many model calls you have used today"))
