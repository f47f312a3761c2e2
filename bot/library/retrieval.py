"""Finding the library entries a question is about: embeddings from the model endpoint, or
lexical ranking (BM25) when there is no embedding model.

A chat's library is small (at most 50 entries), so ranking happens in the process over
vectors kept with the session: no vector database. Vectors are stored L2-normalised as int8
(base64, about 1.4 KB for 1024 dimensions), which keeps a 10-entry library well under 64 KB.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import logging
import math
import re
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import openai
from openai import AsyncOpenAI, DefaultAsyncHttpxClient

from bot.config import Settings
from bot.conversation import timings
from bot.library.entries import describe
from bot.sessions.cancellation import stoppable
from bot.sessions.store import EntryInfo, Shelved

log = logging.getLogger(__name__)

InputType = Literal["query", "passage"]

DEFAULT_NVIDIA_EMBED_MODEL = "nvidia/llama-3.2-nv-embedqa-1b-v2"
EMBED_TIMEOUT_S = 20.0
MAX_EMBED_BATCH = 50
MIN_COSINE = 0.2  # below this an entry is not about the question
BM25_K1 = 1.2
BM25_B = 0.75
# NVIDIA's retrieval embedders embed a query and a passage differently and require the
# input_type (https://docs.api.nvidia.com/nim/reference/nvidia-embedding-2b-infer).
_NEEDS_INPUT_TYPE = ("embedqa", "nv-embed", "nemoretriever", "nemotron", "e5-")
_STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "chart", "charts", "compare", "data", "do",
    "does", "for", "from", "graph", "has", "have", "how", "i", "in", "is", "it", "its", "me",
    "my", "of", "on", "or", "show", "tell", "the", "their", "them", "these", "this", "those",
    "to", "was", "were", "what", "when", "where", "which", "who", "why", "with", "you", "your",
    "put", "side", "by", "together", "between", "across", "all", "both",
))
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def embed_model_of(settings: Settings) -> str | None:
    """The embedding model to use: EMBED_MODEL; unset, NVIDIA's retrieval model on NVIDIA's
    hosted endpoint and none elsewhere; "none" turns embeddings off (lexical ranking)."""
    chosen = (settings.embed_model or "").strip()
    if chosen.lower() in ("none", "off", "lexical"):
        return None
    if chosen:
        return chosen
    return DEFAULT_NVIDIA_EMBED_MODEL if "api.nvidia.com" in settings.llm_base_url else None


def needs_input_type(model: str) -> bool:
    name = model.lower()
    return any(tag in name for tag in _NEEDS_INPUT_TYPE)


def words(text: str) -> list[str]:
    """Lower-cased words without stop words; CJK text as single characters and pairs."""
    out: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if _CJK.search(word):
            chars = _CJK.findall(word)
            out += chars + [a + b for a, b in itertools.pairwise(chars)]
        elif word not in _STOP_WORDS:
            out.append(word)
    return out


@dataclass(frozen=True)
class Ranked:
    entry_id: int
    score: float


def lexical_ranking(query: str, descriptions: dict[int, str]) -> list[Ranked]:
    """Entries by BM25 over their descriptions, best first; entries sharing no word with the
    question are left out."""
    docs = {i: words(text) for i, text in descriptions.items()}
    terms = set(words(query))
    if not docs or not terms:
        return []
    average = sum(len(d) for d in docs.values()) / len(docs) or 1.0
    having = Counter(term for d in docs.values() for term in set(d) & terms)
    ranked = []
    for entry_id, doc in docs.items():
        counts = Counter(doc)
        score = 0.0
        for term in terms & counts.keys():
            idf = math.log(1 + (len(docs) - having[term] + 0.5) / (having[term] + 0.5))
            tf = counts[term]
            score += idf * tf * (BM25_K1 + 1) / (
                tf + BM25_K1 * (1 - BM25_B + BM25_B * len(doc) / average))
        if score > 0:
            ranked.append(Ranked(entry_id, score))
    return sorted(ranked, key=lambda r: -r.score)


def vector_ranking(query: Sequence[float],
                   vectors: Mapping[int, Sequence[float]]) -> list[Ranked]:
    """Entries by cosine similarity to the query (vectors are unit length), best first;
    those below MIN_COSINE are left out."""
    ranked = [Ranked(i, sum(a * b for a, b in zip(query, v, strict=False)))
              for i, v in vectors.items()]
    return sorted((r for r in ranked if r.score >= MIN_COSINE), key=lambda r: -r.score)


def pack(vector: Sequence[float]) -> str:
    """A vector as it is stored: L2-normalised, int8, base64."""
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    quantised = array("b", (max(-127, min(127, round(x / norm * 127))) for x in vector))
    return base64.b64encode(quantised.tobytes()).decode()


def unpack(stored: str) -> list[float]:
    """A stored vector back as unit-length floats (what int8 kept of it)."""
    values = array("b")
    values.frombytes(base64.b64decode(stored))
    norm = math.sqrt(sum(x * x for x in values)) or 1.0
    return [x / norm for x in values]


def digest(description: str) -> str:
    """What a stored vector was made from, to know when it is stale."""
    return hashlib.sha256(description.encode()).hexdigest()[:16]


class EmbeddingError(Exception):
    """The endpoint gave no embeddings; the caller ranks lexically instead."""


class Embedder:
    """Embeddings from the same OpenAI-compatible endpoint as the chat models."""

    def __init__(self, settings: Settings, model: str) -> None:
        self.model = model
        self._client = AsyncOpenAI(
            base_url=settings.llm_base_url, api_key=settings.require_model_key(),
            timeout=min(settings.llm_timeout, EMBED_TIMEOUT_S), max_retries=2,
            http_client=(DefaultAsyncHttpxClient(proxy=settings.llm_proxy)
                         if settings.llm_proxy else None))

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder | None:
        model = embed_model_of(settings)
        return cls(settings, model) if model else None

    async def close(self) -> None:
        await self._client.close()

    async def embed(self, texts: Sequence[str], input_type: InputType) -> list[list[float]]:
        """One vector per text. Raises EmbeddingError when the endpoint refuses or fails."""
        vectors: list[list[float]] = []
        extra = {"input_type": input_type, "truncate": "END"} if needs_input_type(
            self.model) else {}
        for start in range(0, len(texts), MAX_EMBED_BATCH):
            batch = list(texts[start:start + MAX_EMBED_BATCH])
            try:
                with timings.phase("model"):
                    response = await stoppable(self._client.embeddings.create(
                        model=self.model, input=batch, encoding_format="float",
                        extra_body=extra or None))
            except (openai.APIError, ValueError) as exc:
                log.warning("embeddings from %s failed (%s); ranking lexically", self.model,
                            type(exc).__name__)
                raise EmbeddingError(type(exc).__name__) from None
            ordered = sorted(response.data, key=lambda d: d.index)
            if len(ordered) != len(batch):
                raise EmbeddingError("the endpoint returned a different number of vectors")
            vectors += [list(d.embedding) for d in ordered]
        return vectors


async def rank(entries: list[Shelved], text: str,
               embedder: Embedder | None) -> tuple[list[int], dict[int, EntryInfo]]:
    """Entry ids by relevance to `text`, and the entries' identities with the embeddings made
    now (to keep with the session): by embeddings when there is an embedding model, each
    description embedded once; lexically without one, or when the endpoint fails."""
    descriptions = {e.info.id: describe(e) for e in entries}
    if embedder is None:
        return [r.entry_id for r in lexical_ranking(text, descriptions)], {}
    made: dict[int, EntryInfo] = {}
    try:
        stale = [e for e in entries if e.info.vector is None
                 or e.info.vector_of != digest(descriptions[e.info.id])]
        if stale:
            vectors = await embedder.embed([descriptions[e.info.id] for e in stale], "passage")
            made = {e.info.id: e.info.model_copy(update={
                "vector": pack(v), "vector_of": digest(descriptions[e.info.id])})
                for e, v in zip(stale, vectors, strict=True)}
        [query] = await embedder.embed([text], "query")
    except EmbeddingError:
        return [r.entry_id for r in lexical_ranking(text, descriptions)], made
    stored = {e.info.id: made.get(e.info.id, e.info).vector for e in entries}
    ranked = vector_ranking(query, {i: unpack(v) for i, v in stored.items() if v})
    return [r.entry_id for r in ranked], made
