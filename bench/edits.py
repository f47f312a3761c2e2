"""Edit benchmark: prompt size, answer length and time per edit as the table grows.

For tables of 10, 100 and 499 rows (× 6 columns; 499 so that "add a row" fits the 500-row
limit) and a fixed set of realistic requests (add a row, delete where, a computed column,
rename, scale a column, sort), the real engine (session
store, model client over HTTP, renderer) edits the table while a fake OpenAI-compatible
endpoint answers at a realistic output speed (--tokens-per-s, 40 by default). Two contracts
run side by side in one run:

- edits: today's contract. The prompt carries the whole table only when it is small, else an
  overview; the model answers with a few operations.
- whole table (the baseline, the contract before): the prompt carries every cell and the model
  types the whole new table back, cut off at the client's max_tokens like a real endpoint.

Answer tokens are counted the way Llama-3-style tokenizers split such text (words, digit
groups of up to three, punctuation), an estimate good to ~15 %. The whole-table runs sleep
--baseline-scale times less than their answers would take, to keep the run short; their model
time is reported at full speed (tokens ÷ speed), so both columns mean the same thing.

    python -m bench.edits [--tokens-per-s 40] [--baseline-scale 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from bot.charts.render import ChartRenderer
from bot.config import Settings
from bot.conversation.engine import Engine
from bot.llm import instruction
from bot.llm.client import ModelClient
from bot.sessions.store import MemoryStore, encode_session
from bot.tables.edits import apply_edits
from bot.tables.table import Table
from handlers.telegram.delivery import TELEGRAM_LIMITS
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import FakeLLM, FakeLLMResponse

SIZES = (10, 100, 499)  # 499: adding a row must stay within the 500-row limit
MAX_TOKENS = 2048  # what ModelClient.instruct asks for
CONTRACTS = ("edits", "whole table")
Edits = Callable[[Table], list[dict[str, Any]]]

REQUESTS: tuple[tuple[str, str, str, Edits], ...] = (
    ("add row", "add a row 2031-01-01 with sales 50", "Added 2031-01-01.",
     lambda t: [{"op": "add_row", "values": {"Date": "2031-01-01", "Sales": 50}}]),
    ("delete where", "delete the rows where sales are under 200", "Removed small sales.",
     lambda t: [{"op": "delete_rows", "where": "Sales < 200"}]),
    ("computed column", "add a profit column: sales minus cost", "Added Profit.",
     lambda t: [{"op": "add_column", "name": "Profit", "formula": "Sales - Cost"}]),
    ("rename", "rename Units to Quantity", "Renamed.",
     lambda t: [{"op": "rename_column", "column": "Units", "to": "Quantity"}]),
    ("scale column", "increase all costs by 10%", "Costs up 10%.",
     lambda t: [{"op": "set_column", "column": "Cost", "formula": "Cost * 1.1"}]),
    ("sort", "sort the rows by sales, largest first", "Sorted.",
     lambda t: [{"op": "sort_rows", "column": "Sales", "descending": True}]),
)

_TOKEN = re.compile(r"[^\W\d_]+|\d{1,3}|\s?[^\w\s]|_")


def approx_tokens(text: str) -> int:
    """Tokens as a Llama-3-style tokenizer roughly splits them: words, digit groups of up to
    three, punctuation marks."""
    return len(_TOKEN.findall(text))


def cut_at_tokens(text: str, limit: int) -> str:
    """The text an endpoint returns when the answer hits max_tokens."""
    for n, match in enumerate(_TOKEN.finditer(text), start=1):
        if n == limit:
            return text[:match.end()]
    return text


def sample_table(rows: int) -> Table:
    """A person's spreadsheet: dates, a region, sales and costs with cents, units, a share."""
    return Table.build(
        ["Date", "Region", "Sales", "Cost", "Units", "Share"],
        [[f"{2000 + i // 336}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}",
          ("North", "South", "East", "West")[i % 4], round(120 + (i * 37.13) % 880, 2),
          round(60 + (i * 17.7) % 400, 2), 5 + i * 7 % 90, f"{(i * 3.3) % 40:.1f}%"]
         for i in range(rows)],
        title="Daily sales")


@dataclass
class Figure:
    contract: str
    rows: int
    request: str
    prompt_chars: int
    answer_tokens: int
    model_calls: int
    model_s: float  # answer tokens ÷ speed, over every call the edit made
    bot_s: float  # the engine's own time: wall time minus the fake's sleeps
    edit_s: float  # model_s + bot_s: what the person waits
    applied: bool
    session_bytes: int


class Endpoint:
    """The fake model's answers: the prepared one for the edit being run, at a set speed."""

    def __init__(self, tokens_per_s: float) -> None:
        self.tokens_per_s = tokens_per_s
        self.answer = ""
        self.scale = 1.0
        self.calls: list[tuple[int, float]] = []  # (tokens, seconds slept)

    def __call__(self, body: dict[str, Any]) -> FakeLLMResponse:
        tokens = approx_tokens(self.answer)
        text, finish = self.answer, "stop"
        if tokens > MAX_TOKENS:
            text, finish, tokens = cut_at_tokens(self.answer, MAX_TOKENS), "length", MAX_TOKENS
        slept = tokens / self.tokens_per_s / self.scale
        self.calls.append((tokens, slept))
        return FakeLLMResponse(text, finish_reason=finish, delay=slept)


@contextmanager
def whole_table_contract() -> Iterator[None]:
    """The contract before edits: every cell in the prompt, whole tables accepted back."""
    saved = instruction.WHOLE_TABLE_ROWS, instruction.WHOLE_TABLE_CHARS
    instruction.WHOLE_TABLE_ROWS = instruction.WHOLE_TABLE_CHARS = 10**9
    try:
        yield
    finally:
        instruction.WHOLE_TABLE_ROWS, instruction.WHOLE_TABLE_CHARS = saved


def answer_for(contract: str, table: Table, reply: str, edits: list[dict[str, Any]]) -> str:
    if contract == "edits":
        return json.dumps({"reply": reply, "edits": edits, "chart": None}, ensure_ascii=False)
    new = apply_edits(table, edits).table
    rows = [[int(c) if isinstance(c, float) and c.is_integer() else c for c in row]
            for row in new.rows]  # as a model writes numbers: 120, not 120.0
    return json.dumps({"reply": reply, "table": {"columns": list(new.columns), "rows": rows},
                       "chart": None}, ensure_ascii=False, separators=(", ", ": "))


async def run(tokens_per_s: float, baseline_scale: float) -> list[Figure]:
    llm = FakeLLM(api_key=FAKE_LLM_KEY)
    await llm.start()
    endpoint = Endpoint(tokens_per_s)
    llm.responder = endpoint
    settings = Settings(_env_file=None, llm_base_url=llm.base_url, llm_api_key=FAKE_LLM_KEY,
                        llm_timeout=600)
    models = ModelClient(settings)
    store = MemoryStore(ttl_seconds=3600)
    # One renderer (and render cache) per contract, so neither draws from the other's cache;
    # the two run edit by edit in turn, so both meet the same load on the machine.
    renderers = {contract: ChartRenderer(workers=0) for contract in CONTRACTS}
    engines = {contract: Engine(store, models, renderers[contract], TELEGRAM_LIMITS)
               for contract in CONTRACTS}
    figures: list[Figure] = []
    chat = 0
    try:
        for rows in SIZES:
            table = sample_table(rows)
            for name, request, reply, edits in REQUESTS:
                for contract in CONTRACTS:
                    chat += 1
                    figures.append(await one_edit(engines[contract], store, llm, endpoint,
                                                  contract, f"bench:{chat}", table, name,
                                                  request,
                                                  answer_for(contract, table, reply,
                                                             edits(table)),
                                                  baseline_scale))
    finally:
        for renderer in renderers.values():
            renderer.close()
        await models.close()
        await llm.stop()
    return figures


async def one_edit(engine: Engine, store: MemoryStore, llm: FakeLLM, endpoint: Endpoint,
                   contract: str, chat: str, table: Table, name: str, request: str,
                   answer: str, baseline_scale: float) -> Figure:
    """Upload the table as a CSV file (untimed), then time one edit in words."""
    await engine.on_table_file(chat, table.to_csv().encode(), "t.csv", "text/csv")
    uploaded = (await store.load(chat)).table
    endpoint.answer = answer
    endpoint.scale = 1.0 if contract == "edits" else baseline_scale
    endpoint.calls.clear()
    before = len(llm.chat_requests)
    started = time.perf_counter()
    if contract == "edits":
        await engine.on_text(chat, request)
    else:
        with whole_table_contract():
            await engine.on_text(chat, request)
    wall = time.perf_counter() - started
    sent = llm.chat_requests[before].json["messages"]
    tokens = sum(t for t, _ in endpoint.calls)
    model_s = tokens / endpoint.tokens_per_s
    bot_s = max(wall - sum(s for _, s in endpoint.calls), 0.0)
    session = await store.load(chat)
    return Figure(contract, len(table.rows), name, sum(len(m["content"]) for m in sent),
                  approx_tokens(answer), len(endpoint.calls), round(model_s, 2),
                  round(bot_s, 3), round(model_s + bot_s, 2),
                  session.table is not None and session.table != uploaded,
                  len(encode_session(session)))


def report(figures: list[Figure], tokens_per_s: float) -> str:
    lines = [f"Edits per table size; the fake model writes {tokens_per_s:g} tokens/s "
             f"(answers cut at {MAX_TOKENS} tokens, as the client asks).", ""]
    header = (f"{'request':<16}{'rows':>5} | {'edits: prompt':>13} {'answer tok':>10} "
              f"{'model s':>7} {'edit s':>7} | {'whole table: prompt':>19} {'answer tok':>10} "
              f"{'model s':>7} {'edit s':>7} {'applied':>12}")
    lines += [header, "-" * len(header)]
    by_key = {(f.contract, f.rows, f.request): f for f in figures}
    for name, *_ in REQUESTS:
        for rows in SIZES:
            new, old = by_key[("edits", rows, name)], by_key[("whole table", rows, name)]
            applied = "yes" if old.applied else "NO (cut off)"
            lines.append(
                f"{name:<16}{rows:>5} | {new.prompt_chars:>13,} {new.answer_tokens:>10,} "
                f"{new.model_s:>7.2f} {new.edit_s:>7.2f} | {old.prompt_chars:>19,} "
                f"{old.answer_tokens:>10,} {old.model_s:>7.2f} {old.edit_s:>7.2f} "
                f"{applied:>12}")
    lines.append("")
    for contract in ("edits", "whole table"):
        for rows in SIZES:
            chosen = [f for f in figures if f.contract == contract and f.rows == rows]
            edit_s = statistics.median(f.edit_s for f in chosen)
            model_s = statistics.median(f.model_s for f in chosen)
            bot_ms = statistics.median(f.bot_s for f in chosen) * 1000
            lines.append(
                f"{contract:<12}{rows:>4} rows: median edit {edit_s:6.2f} s = model "
                f"{model_s:6.2f} s + bot {bot_ms:5.0f} ms (drawing included), "
                f"applied {sum(f.applied for f in chosen)}/{len(chosen)}, "
                f"session ≤ {max(f.session_bytes for f in chosen):,} bytes")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens-per-s", type=float, default=40.0)
    parser.add_argument("--baseline-scale", type=float, default=10.0,
                        help="the whole-table runs sleep this many times less")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures = asyncio.run(run(args.tokens_per_s, args.baseline_scale))
    print(report(figures, args.tokens_per_s))
    if args.json:
        with open(args.json, "w") as out:
            json.dump([asdict(f) for f in figures], out, indent=1)


if __name__ == "__main__":
    sys.exit(main())
