"""A chat's library: several photos and a PDF become entries; /charts, open buttons and
replies to a chart pick the entry worked on; questions across the library are answered from
the entries' tables with each entry cited; two charts combine into a new one."""

from __future__ import annotations

import io
import json
import re
import zlib
from typing import Any

import pytest
from PIL import Image

from bot.library.pdf_pages import MAX_PDF_PAGES, PdfRejected, render_page, survey
from bot.library.retrieval import lexical_ranking, pack, unpack, vector_ranking
from bot.sessions.store import (
    MAX_ENTRIES,
    Session,
    Source,
    decode_session,
    encode_session,
)
from tests.bot_harness import start_bot
from tests.fakes.llm_api import fake_embedding
from tests.library_data import (
    TOPICS,
    LibraryModel,
    chart_image,
    report_pdf,
    table_of,
    topic_in,
)

CHAT = 4242
REVENUE, RAINFALL, TEMPERATURE = TOPICS[0], TOPICS[1], TOPICS[2]


# --- The library in the session ---


def old_payload(table_json: dict[str, Any]) -> bytes:
    """A session as stored before the library existed: one table, its chart and history."""
    raw = {"table": table_json, "chart": {"type": "line"},
           "undo": [{"table": None}], "image_key": "abc"}
    return zlib.compress(json.dumps(raw).encode())


def test_an_old_single_table_session_loads_as_a_one_entry_library() -> None:
    table = table_of(REVENUE)
    session = decode_session("telegram:7", 3, old_payload(table.model_dump(mode="json")))
    assert session.table == table and session.chart is not None and len(session.undo) == 1
    [entry] = session.entries()
    assert entry.info.id == 0 == session.current_id() and entry.table == table
    grown = session.added(table=table_of(RAINFALL), chart=None, image_key=None,
                          source=Source(kind="photo", message_id=5))
    assert [e.info.id for e in grown.entries()] == [0, 1] and grown.current_id() == 1
    back = grown.switched(0)
    assert back is not None and back.table == table and len(back.undo) == 1
    assert back.chart is not None and back.chart.type == "line"
    again = decode_session("telegram:7", 4, encode_session(back))
    assert again == back.model_copy(update={"version": 4})


def test_undo_and_redo_belong_to_each_entry() -> None:
    session = Session(conversation="telegram:1").added(
        table=table_of(REVENUE), chart=None, image_key=None, source=Source())
    edited = session.changed(table=table_of(REVENUE, seed=1), chart=None)
    other = edited.added(table=table_of(RAINFALL), chart=None, image_key=None, source=Source())
    assert other.undone() is None  # the new entry has no history of its own
    back = other.switched(1)
    assert back is not None
    undone = back.undone()
    assert undone is not None and undone.table == table_of(REVENUE)


def test_the_library_is_capped_and_a_ten_entry_library_stays_small() -> None:
    session = Session(conversation="telegram:1")
    for i in range(MAX_ENTRIES + 5):
        topic = TOPICS[i % len(TOPICS)]
        session = session.added(table=table_of(topic, seed=i), chart=None, image_key=None,
                                source=Source(kind="pdf", file_name="r.pdf", page=i + 1),
                                context="Quarterly figures " * 30)
    assert len(session.entries()) == MAX_ENTRIES
    assert session.entries()[0].info.id == 6 and session.current_id() == MAX_ENTRIES + 5
    ten = Session(conversation="telegram:1")
    for i in range(10):
        ten = ten.added(table=table_of(TOPICS[i], seed=i), chart=None, image_key="k" * 64,
                        source=Source(kind="pdf", file_name="report.pdf", page=i + 1),
                        context="Text around the chart on that page. " * 11)
        ten = ten.changed(table=table_of(TOPICS[i], seed=i + 100), chart=None)
    vectors = {e.info.id: e.info.model_copy(update={
        "vector": pack(fake_embedding(e.info.context * 4 + str(e.info.id)) * 4),
        "vector_of": "0123456789abcdef"}) for e in ten.entries()}
    ten = ten.with_entries(vectors)
    assert len(encode_session(ten)) < 64 * 1024


def test_packed_vectors_keep_their_direction() -> None:
    a, b = fake_embedding("rainfall by month"), fake_embedding("monthly rainfall")
    restored = unpack(pack(a))
    assert abs(sum(x * y for x, y in zip(a, restored, strict=True)) - 1) < 0.01
    ranked = vector_ranking(fake_embedding("rainfall"), {1: unpack(pack(b)),
                                                         2: fake_embedding("bicycle sales")})
    assert [r.entry_id for r in ranked] == [1]


def test_lexical_ranking_finds_the_entry_and_nothing_when_nothing_matches() -> None:
    descriptions = {i: f"{t.title}\n{t.label}, {t.column}\n{', '.join(t.labels)}"
                    for i, t in enumerate(TOPICS)}
    assert lexical_ranking("how much rainfall fell?", descriptions)[0].entry_id == 1
    assert lexical_ranking("what is the capital of France?", descriptions) == []


# --- PDF intake ---


def test_a_pdf_first_pass_marks_chart_pages_and_reads_their_text() -> None:
    data, chart_pages = report_pdf(pages=8, charts=3)
    looks = survey(data)
    assert [p.number for p in looks if p.maybe_chart] == chart_pages
    assert all("committee" in p.text for p in looks if not p.maybe_chart)


def test_a_page_holding_a_chart_picture_is_read_too() -> None:
    picture = Image.open(io.BytesIO(chart_image(REVENUE))).convert("RGB")
    pdf = io.BytesIO()
    picture.save(pdf, format="PDF")
    [look] = survey(pdf.getvalue())
    assert look.maybe_chart and topic_in(render_page(pdf.getvalue(), 1)) == REVENUE


@pytest.mark.parametrize("data, reason", [
    (b"", "not a PDF"),
    (b"%PDF-1.7 truncated", "damaged"),
    (report_pdf(2, 1)[0].replace(b"trailer\n<<", b"trailer\n<< /Encrypt << /Filter /X >>", 1),
     "encrypted"),
    (report_pdf(MAX_PDF_PAGES + 1, 1)[0], "41 pages"),
], ids=["empty", "truncated", "encrypted", "too-many-pages"])
def test_hostile_pdfs_get_a_clear_reason(data: bytes, reason: str) -> None:
    with pytest.raises(PdfRejected, match=reason):
        survey(data)


# --- End to end ---


async def test_several_photos_make_a_library_with_charts_buttons_and_replies(
        fake_telegram, fake_llm):
    fake_llm.responder = LibraryModel()
    async with start_bot(fake_telegram, fake_llm):
        for topic in (REVENUE, RAINFALL, TEMPERATURE):
            fake_telegram.send_photo(CHAT, chart_image(topic), media_group_id="album")
        charts = await fake_telegram.wait_for(CHAT, 3)
        assert {c.method for c in charts} == {"sendPhoto"}

        fake_telegram.send_text(CHAT, "/charts")
        [listing] = await fake_telegram.wait_for(CHAT)
        assert "Your charts (3)" in listing.plain_text
        for topic in (REVENUE, RAINFALL, TEMPERATURE):
            assert topic.title in listing.plain_text
        assert "your photo (message" in listing.plain_text and "4×2" in listing.plain_text
        revenue_id = re.search(r"#(\d+) Revenue by region", listing.plain_text).group(1)
        fake_telegram.press_button(CHAT, listing.message_id, f"lib:open:{revenue_id}")
        [opened] = await fake_telegram.wait_for(CHAT)
        assert opened.method == "sendPhoto" and "Revenue by region" in opened.plain_text

        # A reply to the rainfall chart works on that chart, not on the current one.
        rainfall_chart = next(c for c in charts if "Rainfall" in c.plain_text)
        fake_telegram.send_text(CHAT, "add May = 50", reply_to=rainfall_chart.message_id)
        [added] = await fake_telegram.wait_for(CHAT)
        assert "Rainfall" in added.plain_text and "May" in added.plain_text
        fake_telegram.send_text(CHAT, "/undo")
        [undone] = await fake_telegram.wait_for(CHAT)
        assert "Rainfall" in undone.plain_text and "May" not in undone.plain_text

        # A question about the current chart still costs exactly one model call.
        before = len(fake_llm.model_calls())
        fake_telegram.send_text(CHAT, "what is the highest?")
        [answer] = await fake_telegram.wait_for(CHAT)
        assert "Rows used" in answer.plain_text
        assert len(fake_llm.model_calls()) == before + 1


async def test_questions_across_the_library_cite_the_entries_used(fake_telegram, fake_llm):
    fake_llm.responder = LibraryModel()
    async with start_bot(fake_telegram, fake_llm):
        for topic in (REVENUE, RAINFALL, TEMPERATURE):
            fake_telegram.send_photo(CHAT, chart_image(topic))
            await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "which month had the most rainfall?")
        [answer] = await fake_telegram.wait_for(CHAT)
        table = table_of(RAINFALL)
        best = max(table.rows, key=lambda r: float(r[1] or 0))
        assert f"{best[0]} has the highest" in answer.plain_text
        assert "“Rainfall by month” (your photo (message" in answer.plain_text
        assert "Revenue" not in answer.plain_text

        fake_telegram.send_text(CHAT, "which of these is about volcanoes?")
        [nothing] = await fake_telegram.wait_for(CHAT)
        assert "found nothing" in nothing.plain_text

        fake_telegram.send_text(CHAT, "put the rainfall and temperature charts side by side")
        [combined] = await fake_telegram.wait_for(CHAT)
        assert combined.method == "sendPhoto" and "Made from:" in combined.plain_text
        assert "Rainfall by month" in combined.plain_text
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        rows = document.file.decode("utf-8-sig").splitlines()
        assert set(rows[0].split(",")) == {"Month", "Rainfall", "Average"} and len(rows) == 5


async def test_embeddings_rank_the_library_with_nvidia_input_types(fake_telegram, fake_llm):
    fake_llm.responder = LibraryModel()
    async with start_bot(fake_telegram, fake_llm, embed_model="nvidia/nv-embedqa-e5-v5"):
        for topic in (REVENUE, RAINFALL):
            fake_telegram.send_photo(CHAT, chart_image(topic))
            await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "which region had the highest revenue?")
        [answer] = await fake_telegram.wait_for(CHAT)
        assert "“Revenue by region”" in answer.plain_text
        passages, query = fake_llm.embedding_requests
        assert passages.json["input_type"] == "passage" and len(passages.json["input"]) == 2
        assert query.json["input_type"] == "query"
        # The vectors are kept: the next question embeds only itself.
        fake_telegram.send_text(CHAT, "which month had the most rainfall?")
        await fake_telegram.wait_for(CHAT)
        assert len(fake_llm.embedding_requests) == 3


async def test_a_pdf_becomes_entries_with_one_summary_and_no_calls_for_text_pages(
        fake_telegram, fake_llm):
    fake_llm.responder = LibraryModel()
    data, chart_pages = report_pdf(pages=10, charts=4)
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_document(CHAT, data, "report.pdf", "application/pdf")
        [summary] = await fake_telegram.wait_for(CHAT, method="sendMessage", timeout=30)
        while "Reading report.pdf" in summary.plain_text:
            [summary] = await fake_telegram.wait_for(CHAT, method="sendMessage", timeout=30)
        assert "10 pages read, 4 charts found" in summary.plain_text
        for page in chart_pages:
            assert f"page {page}" in summary.plain_text
        assert len(fake_llm.chat_requests) == 4  # one vision call per chart page only
        first = summary.buttons[0][1]
        fake_telegram.press_button(CHAT, summary.message_id, first)
        [opened] = await fake_telegram.wait_for(CHAT, method="sendPhoto")
        assert TOPICS[0].title in opened.plain_text
        fake_telegram.send_text(CHAT, "which team has the most employees?")
        [answer] = await fake_telegram.wait_for(CHAT, method="sendMessage")
        assert f"(report.pdf, page {chart_pages[3]})" in answer.plain_text


async def test_a_hostile_pdf_gets_a_clear_reply(fake_telegram, fake_llm):
    async with start_bot(fake_telegram, fake_llm):
        data = report_pdf(MAX_PDF_PAGES + 2, 1)[0]
        fake_telegram.send_document(CHAT, data, "big.pdf", "application/pdf")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "42 pages" in reply.plain_text
    assert fake_llm.chat_requests == []


async def test_cancel_stops_a_pdf_being_read_and_saves_nothing(fake_telegram, fake_llm):
    fake_llm.responder = LibraryModel(delay=5.0)
    data, _ = report_pdf(pages=6, charts=3)
    async with start_bot(fake_telegram, fake_llm, llm_timeout=30):
        fake_telegram.send_document(CHAT, data, "report.pdf", "application/pdf")
        [note] = await fake_telegram.wait_for(CHAT, method="sendMessage", timeout=20)
        assert "Reading report.pdf: page" in note.plain_text and "Stop" in str(note.buttons)
        fake_telegram.send_text(CHAT, "/cancel")
        [stopped] = await fake_telegram.wait_for(CHAT, method="sendMessage", timeout=20)
        assert stopped.plain_text.startswith("Stopped.")
        await fake_telegram.wait_for(CHAT, method="deleteMessage", timeout=20)
        fake_telegram.send_text(CHAT, "/charts")
        [listing] = await fake_telegram.wait_for(CHAT, method="sendMessage", timeout=20)
        assert "chart photo first" in listing.plain_text


async def test_each_pdf_page_read_counts_against_the_daily_budget(fake_telegram, fake_llm):
    fake_llm.responder = LibraryModel()
    data, _ = report_pdf(pages=6, charts=4)
    async with start_bot(fake_telegram, fake_llm, daily_model_calls=2):
        fake_telegram.send_document(CHAT, data, "report.pdf", "application/pdf")
        [summary] = await fake_telegram.wait_for(CHAT, method="sendMessage", timeout=30)
        while "Reading report.pdf" in summary.plain_text:
            [summary] = await fake_telegram.wait_for(CHAT, method="sendMessage", timeout=30)
        assert "2 charts found" in summary.plain_text and "Pages not read" in summary.plain_text
        assert len(fake_llm.chat_requests) == 2
        assert len(summary.buttons) == 2


async def test_library_buttons_and_replies_survive_a_restart(fake_telegram, fake_llm, redis_url):
    fake_llm.responder = LibraryModel()
    async with start_bot(fake_telegram, fake_llm, redis_url=redis_url):
        for topic in (REVENUE, RAINFALL):
            fake_telegram.send_photo(CHAT, chart_image(topic))
            await fake_telegram.wait_for(CHAT)
        revenue_chart = next(s for s in fake_telegram.sent_to(CHAT, "sendPhoto")
                             if "Revenue" in s.plain_text)
        fake_telegram.send_text(CHAT, "/charts")
        [listing] = await fake_telegram.wait_for(CHAT)
    async with start_bot(fake_telegram, fake_llm, redis_url=redis_url):
        revenue_id = re.search(r"#(\d+) Revenue by region", listing.plain_text).group(1)
        fake_telegram.press_button(CHAT, listing.message_id, f"lib:open:{revenue_id}")
        [opened] = await fake_telegram.wait_for(CHAT)
        assert "Now working on" in opened.plain_text and "Revenue" in opened.plain_text
        fake_telegram.send_text(CHAT, "/charts")
        await fake_telegram.wait_for(CHAT)
        fake_telegram.press_button(CHAT, listing.message_id, f"lib:open:{int(revenue_id) + 1}")
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "add South-East = 5", reply_to=revenue_chart.message_id)
        [added] = await fake_telegram.wait_for(CHAT)
        assert "Revenue" in added.plain_text and "South-East" in added.plain_text
