"""Library benchmark: a PDF report read into a chat's library, and retrieval quality.

1. **PDF**: a generated 30-page report with 12 bar charts (vector, as reports draw them) and
   18 pages of text goes through the engine's PDF path (the real pypdfium2 rendering, image
   checks, openai client over HTTP, session store) against the fake endpoint answering after
   a realistic delay. Reported: seconds to the summary, vision calls, and the session's stored
   bytes (what Redis keeps for the chat) with the 12 entries and their embeddings. The
   baseline in the same run reads every page with the vision model, one page at a time.
2. **Retrieval**: generated libraries of 6-12 charts with a question that only one of them
   answers; the share of questions whose right chart ranks first, lexically (BM25) and with
   a fake embedding model (hashed bag of words), against the baseline of always taking the
   current (newest) chart, which is what a one-table chat would do.

    python -m bench.library [--vision-ms 2500] [--libraries 200] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import bot.conversation.engine as engine_module
import bot.library.pdf_pages as pdf_module
from bot.charts.render import ChartRenderer
from bot.config import Settings
from bot.conversation.engine import Engine
from bot.library.entries import describe
from bot.library.retrieval import Embedder, lexical_ranking, vector_ranking
from bot.llm.client import ModelClient
from bot.sessions.store import EntryInfo, MemoryStore, Shelved, Source, encode_session
from handlers.telegram.delivery import TELEGRAM_LIMITS
from tests.fakes.llm_api import FakeLLM, FakeLLMResponse, fake_embedding
from tests.library_data import TOPICS, read_by_colour, report_pdf, table_of

CHAT = "bench:1"
KEY = "bench-key"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--charts", type=int, default=12)
    parser.add_argument("--vision-ms", type=float, default=2500.0,
                        help="the fake vision model's delay per page (a hosted NIM's is 2-4 s)")
    parser.add_argument("--instruct-ms", type=float, default=800.0)
    parser.add_argument("--libraries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="write the figures here too")
    return parser.parse_args(argv)


@contextmanager
def baseline_reading() -> Iterator[None]:
    """The naive way, for comparison: every page to the vision model, one at a time."""
    saved = engine_module.PDF_READ_CONCURRENCY, pdf_module.MIN_CHART_PATHS
    engine_module.PDF_READ_CONCURRENCY, pdf_module.MIN_CHART_PATHS = 1, 0
    try:
        yield
    finally:
        engine_module.PDF_READ_CONCURRENCY, pdf_module.MIN_CHART_PATHS = saved


async def read_report(data: bytes, args: argparse.Namespace) -> dict[str, Any]:
    """One PDF through the engine, on a fresh store and a fresh fake endpoint."""
    llm = FakeLLM(api_key=KEY)

    def responder(body: dict[str, Any]) -> FakeLLMResponse:
        read = read_by_colour(body)
        if read is not None:
            return FakeLLMResponse(read.content, delay=args.vision_ms / 1000)
        return FakeLLMResponse(json.dumps({"reply": "ok", "table": None, "chart": None}),
                               delay=args.instruct_ms / 1000)

    llm.responder = responder
    await llm.start()
    settings = Settings(_env_file=None, llm_base_url=llm.base_url, llm_api_key=KEY,
                        embed_model="nvidia/nv-embedqa-e5-v5", llm_timeout=60)
    store = MemoryStore(3600)
    models = ModelClient(settings)
    renderer = ChartRenderer(workers=0)
    embedder = Embedder.from_settings(settings)
    engine = Engine(store, models, renderer, TELEGRAM_LIMITS, embedder=embedder)
    progress_notes: list[int] = []

    async def progress(page: int, pages: int) -> None:
        progress_notes.append(page)

    try:
        started = time.perf_counter()
        reply = await engine.on_pdf(CHAT, data, "report.pdf", progress=progress)
        seconds = time.perf_counter() - started
        session = await store.load(CHAT)
        bytes_before = len(encode_session(session))
        # Embeddings are made at the first question across the library; keep them too.
        await engine._ranked(session, "which region had the highest revenue?")
        session = await store.load(CHAT)
        return {"seconds_to_summary": round(seconds, 2),
                "vision_calls": len(llm.chat_requests),
                "entries": len(session.entries()),
                "stored_bytes": bytes_before,
                "stored_bytes_with_vectors": len(encode_session(session)),
                "progress_updates": len(progress_notes),
                "summary_chars": sum(len(getattr(p, "text", "")) for p in reply.parts)}
    finally:
        renderer.close()
        await models.close()
        if embedder is not None:
            await embedder.close()
        await llm.stop()


def entry(entry_id: int, topic_index: int, seed: int) -> Shelved:
    topic = TOPICS[topic_index]
    return Shelved(info=EntryInfo(id=entry_id, source=Source(kind="photo", message_id=entry_id)),
                   table=table_of(topic, seed))


def retrieval_quality(libraries: int, seed: int) -> dict[str, Any]:
    """Right chart first, over generated libraries with known answers."""
    rng = random.Random(seed)
    hits = {"lexical": 0, "fake_embedding": 0, "baseline_current_chart": 0}
    questions = 0
    for _ in range(libraries):
        chosen = rng.sample(range(len(TOPICS)), rng.randint(6, len(TOPICS)))
        entries = [entry(i + 1, t, rng.randint(0, 999)) for i, t in enumerate(chosen)]
        descriptions = {e.info.id: describe(e) for e in entries}
        vectors = {i: fake_embedding(text) for i, text in descriptions.items()}
        for e, topic_index in zip(entries, chosen, strict=True):
            question = TOPICS[topic_index].question
            questions += 1
            lexical = lexical_ranking(question, descriptions)
            hits["lexical"] += bool(lexical) and lexical[0].entry_id == e.info.id
            embedded = vector_ranking(fake_embedding(question), vectors)
            hits["fake_embedding"] += bool(embedded) and embedded[0].entry_id == e.info.id
            hits["baseline_current_chart"] += entries[-1].info.id == e.info.id
    return {"libraries": libraries, "questions": questions,
            **{f"right_first_{name}_pct": round(100 * n / questions, 1)
               for name, n in hits.items()}}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    data, chart_pages = report_pdf(args.pages, args.charts, seed=args.seed)
    ours = await read_report(data, args)
    with baseline_reading():
        baseline = await read_report(data, args)
    return {"pdf": {"pages": args.pages, "charts": len(chart_pages), "pdf_bytes": len(data),
                    "vision_ms": args.vision_ms, "replot": ours,
                    "baseline_every_page_one_at_a_time": baseline},
            "retrieval": retrieval_quality(args.libraries, args.seed)}


def format_report(report: dict[str, Any]) -> str:
    pdf = report["pdf"]
    ours, base = pdf["replot"], pdf["baseline_every_page_one_at_a_time"]
    lines = [f"PDF: {pdf['pages']} pages, {pdf['charts']} charts, {pdf['pdf_bytes']} bytes; "
             f"vision delay {pdf['vision_ms']:.0f} ms",
             f"{'':34}{'replot':>12}{'baseline':>12}"]
    for key, label in (("seconds_to_summary", "seconds to summary"),
                       ("vision_calls", "vision calls"), ("entries", "entries"),
                       ("stored_bytes", "stored session bytes"),
                       ("stored_bytes_with_vectors", "… with embeddings"),
                       ("progress_updates", "progress updates")):
        lines.append(f"{label:34}{ours[key]:>12}{base[key]:>12}")
    r = report["retrieval"]
    lines += ["", f"Retrieval: {r['questions']} questions over {r['libraries']} libraries "
                  "of 6-12 charts; right chart ranked first",
              f"  lexical (BM25)        {r['right_first_lexical_pct']:>6} %",
              f"  fake embedding        {r['right_first_fake_embedding_pct']:>6} %",
              f"  baseline (current)    {r['right_first_baseline_current_chart_pct']:>6} %"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    report = asyncio.run(run(args))
    print(format_report(report))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(report, out, indent=2)


if __name__ == "__main__":
    main(sys.argv[1:])
