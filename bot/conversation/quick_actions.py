"""One-tap quick actions under a chart: which to offer, and their compact, validated data.

Callback data is untrusted (a client can send anything): it is parsed against a strict
pattern, and carries the session version it was made for, so a tap on an old chart's
buttons is recognised as stale instead of silently changing the newest chart. A `keep`
button names a flagged cell by its place in `Session.flags` of that version, so it works
after a restart and on any replica: what it does is in the data and the session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.charts.spec import ChartSpec, ChartSpecError
from bot.conversation.reply import Action
from bot.llm.read_check import MAX_NAMED, button_label
from bot.sessions.store import Session
from bot.words.wording import noop, t

Kind = Literal["type", "sort", "undo", "table", "voice", "keep"]
_DATA = re.compile(r"^q:(type|sort|undo|table|voice|keep):([a-z0-9_]{0,16}):(\d{1,12})$")
_FLAG_BUTTONS_PER_ROW = 2
_TYPE_LABELS = {"bar": noop("📊 Bar"), "line": noop("📈 Line"), "pie": noop("🥧 Pie")}
_SORT_NEXT = {"value_desc": "value_asc", "value_asc": "none"}
_SORT_LABELS = {"value_desc": noop("⇣ Sort"), "value_asc": noop("⇡ Sort"),
                "none": noop("✕ Unsort")}


@dataclass(frozen=True)
class QuickAction:
    kind: Kind
    arg: str
    version: int

    def encode(self) -> str:
        return f"q:{self.kind}:{self.arg}:{self.version}"


def decode(data: str | None) -> QuickAction | None:
    """The action a tap asks for, or None when the data is not one of ours."""
    match = _DATA.match(data or "")
    if match is None:
        return None
    kind, arg, version = match.groups()
    return QuickAction(kind, arg, int(version))  # type: ignore[arg-type]


def actions_for(session: Session) -> tuple[tuple[Action, ...], ...]:
    """The keyboard under the session's chart: a button per doubtful cell that keeps its other
    reading, type switches that fit the data, sort, undo, table and the voice toggle."""
    if session.table is None:
        return ()
    v = session.version
    current = session.chart or ChartSpec()
    types = []
    for kind, label in _TYPE_LABELS.items():
        if kind == current.type:
            continue
        try:
            ChartSpec.model_validate({"type": kind, "x": current.x, "y": current.y}).check(
                session.table)
        except ChartSpecError:
            continue
        types.append(Action(t(label), QuickAction("type", kind, v).encode()))
    next_sort = _SORT_NEXT.get(current.sort, "value_desc")
    tools = [Action(t(_SORT_LABELS[next_sort]), QuickAction("sort", next_sort, v).encode())]
    if session.undo:
        tools.append(Action(t("↶ Undo"), QuickAction("undo", "", v).encode()))
    tools += [
        Action(t("📋 Table"), QuickAction("table", "", v).encode()),
        Action(t("🔇 Voice off") if session.prefs.voice else t("🔊 Voice"),
               QuickAction("voice", "", v).encode()),
    ]
    keeps = [Action(button_label(flag), QuickAction("keep", str(i), v).encode())
             for i, flag in enumerate(session.flags[:MAX_NAMED])]
    rows = [tuple(keeps[i:i + _FLAG_BUTTONS_PER_ROW])
            for i in range(0, len(keeps), _FLAG_BUTTONS_PER_ROW)]
    rows += [tuple(types), tuple(tools)] if types else [tuple(tools)]
    return tuple(rows)
