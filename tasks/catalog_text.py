"""Words heard and read in the footage library, indexed for full-text search (SQLite FTS5).

Every catalogued clip contributes text spans to the ``text_spans`` FTS5 table of
``catalog.sqlite``: what is said (``speech``: the transcript's words, grouped into phrases at
pauses, each word's timing kept beside the text) and what is read on screen
(``screen``: OCR lines of each sampled frame, over the stretch of its scene that the frame
stands for: from halfway to the previous sampled frame of that scene to halfway to the next,
so its edges are as sharp as the sampling). :func:`index_text` replaces a clip's rows, so
re-cataloguing never duplicates them; :func:`search_text` answers a query with the clip, the
time range of the words that matched and those words.

User text never reaches FTS5 as syntax: every word becomes a quoted string, a part in double
quotes a quoted phrase, so ``AND``, ``NEAR``, ``*``, ``-`` or an odd quote are plain words.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any, Literal

from core.exceptions import ConfigError

__all__ = ["DDL", "TextHit", "fts_query", "index_text", "search_text", "text_spans"]

Kind = Literal["speech", "screen"]

DDL = """
CREATE VIRTUAL TABLE IF NOT EXISTS text_spans USING fts5(
    text,
    sha256 UNINDEXED,
    kind UNINDEXED,
    start_s UNINDEXED,
    end_s UNINDEXED,
    timings UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""

MAX_PAUSE_S = 1.0  # a longer silence between words starts a new phrase
MAX_WORDS = 40  # and so does a long monologue, to keep hits short
_OPEN, _CLOSE = "\x02", "\x03"  # highlight markers: never in transcripts or OCR lines
_TERM_RE = re.compile(r"\w+", re.UNICODE)
_PART_RE = re.compile(r'"([^"]*)"|([^"]+)')
_EDGE_RE = re.compile(r"^\W+|\W+$", re.UNICODE)


@dataclass(frozen=True)
class Span:
    """One row of the index: text heard or read in ``[start_s, end_s)`` of a clip."""

    kind: Kind
    start_s: float
    end_s: float
    text: str
    timings: list[tuple[float, float]]  # one (start, end) per space-separated word (speech)


@dataclass(frozen=True)
class TextHit:
    """A span that matches a query.

    Attributes:
        sha256: Content hash of the clip.
        path: Where the clip was when it was analysed.
        kind: ``speech`` (heard) or ``screen`` (read by OCR).
        start_s: Start of the matched words (speech) or of the span (screen), seconds.
        end_s: End of the matched words or of the span, seconds.
        words: The words that matched, in order.
        snippet: The span's text around the match, matches in ``[...]``.
        rank: FTS5 bm25 rank (lower is better).
    """

    sha256: str
    path: str
    kind: str
    start_s: float
    end_s: float
    words: list[str]
    snippet: str
    rank: float


def _scene_bounds(document: dict[str, Any]) -> dict[int, tuple[float, float]]:
    bounds: dict[int, tuple[float, float]] = {}
    for scene in document.get("scenes") or []:
        try:
            bounds[int(scene["index"])] = (float(scene["start_s"]), float(scene["end_s"]))
        except (KeyError, TypeError, ValueError):
            continue
    return bounds


def _speech(document: dict[str, Any]) -> list[Span]:
    transcript = (document.get("audio") or {}).get("transcript") or {}
    spans: list[Span] = []
    group: list[tuple[str, float, float]] = []

    def flush() -> None:
        if group:
            text = " ".join(word for word, _, _ in group)
            timings = [(start, end) for _, start, end in group]
            spans.append(Span("speech", group[0][1], group[-1][2], text, timings))
            group.clear()

    # Phrases run across scene cuts (a line said over a cut is still one line): a hit's
    # time range is that of its own words, whatever the phrase's length.
    for word in transcript.get("words") or []:
        text = "".join(str(word.get("text", "")).split())
        if not text:
            continue
        start, end = float(word["start"]), float(word["end"])
        if group and (start - group[-1][2] > MAX_PAUSE_S or len(group) >= MAX_WORDS):
            flush()
        group.append((text, start, end))
    flush()
    return spans


def _screen(document: dict[str, Any], bounds: dict[int, tuple[float, float]]) -> list[Span]:
    duration = float((document.get("probe") or {}).get("duration") or 0.0)
    frames = sorted(
        (
            (float(f["timestamp"]), int(f.get("scene", 0)), (f.get("descriptors") or {}))
            for f in document.get("frames") or []
            if "timestamp" in f
        ),
        key=lambda item: item[0],
    )
    spans: list[Span] = []
    for i, (time, scene, descriptors) in enumerate(frames):
        lines = [" ".join(str(line).split()) for line in descriptors.get("text") or []]
        text = " / ".join(line for line in lines if line)
        low, high = bounds.get(scene, (0.0, max(duration, time)))
        before = [t for t, s, _ in frames[:i] if s == scene]
        after = [t for t, s, _ in frames[i + 1 :] if s == scene]
        start = max(low, (before[-1] + time) / 2) if before else low
        end = min(high, (after[0] + time) / 2) if after else high
        if not text:
            continue
        last = spans[-1] if spans else None
        if last is not None and last.text == text and abs(last.end_s - start) < 1e-6:
            spans[-1] = Span("screen", last.start_s, end, text, [])
        else:
            spans.append(Span("screen", start, end, text, []))
    return spans


def text_spans(document: dict[str, Any]) -> list[Span]:
    """The speech and on-screen text spans of one clip's ``analysis.json`` document."""
    return _speech(document) + _screen(document, _scene_bounds(document))


def index_text(conn: sqlite3.Connection, document: dict[str, Any]) -> int:
    """Replace one clip's rows in ``text_spans`` (inside the caller's transaction).

    Args:
        conn: An open catalog connection (``DDL`` already run).
        document: The clip's ``analysis.json`` document.

    Returns:
        Number of spans indexed.
    """
    sha = str(document["sha256"])
    spans = text_spans(document)
    conn.execute("DELETE FROM text_spans WHERE sha256 = ?", (sha,))
    conn.executemany(
        "INSERT INTO text_spans (text, sha256, kind, start_s, end_s, timings) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (s.text, sha, s.kind, s.start_s, s.end_s, json.dumps(s.timings) if s.timings else "")
            for s in spans
        ],
    )
    return len(spans)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_query(text: str) -> str:
    """Turn user text into a safe FTS5 query: quoted words (all must occur) and phrases.

    Raises:
        ConfigError: No word in ``text``.
    """
    parts: list[str] = []
    for phrase, loose in _PART_RE.findall(text):
        if phrase:
            terms = _TERM_RE.findall(phrase)
            if terms:
                parts.append(_quote(" ".join(terms)))
        else:
            parts.extend(_quote(term) for term in _TERM_RE.findall(loose))
    if not parts:
        raise ConfigError("search needs at least one word")
    return " ".join(parts)


def _matched(marked: str, timings: list[list[float]]) -> tuple[list[str], list[int]]:
    """The highlighted words of ``marked`` and their positions among its words."""
    words: list[str] = []
    positions: list[int] = []
    inside = False
    for index, token in enumerate(marked.split(" ")):
        hit = inside or _OPEN in token
        for char in token:
            if char in (_OPEN, _CLOSE):
                inside = char == _OPEN
        if hit:
            word = _EDGE_RE.sub("", token.replace(_OPEN, "").replace(_CLOSE, ""))
            words.append(word or token)
            positions.append(index)
    return words, [p for p in positions if p < len(timings)]


def search_text(
    conn: sqlite3.Connection, text: str, *, kinds: tuple[str, ...], limit: int
) -> list[TextHit]:
    """Find spans of the given kinds matching ``text``, best (bm25) first.

    Raises:
        ConfigError: No word in ``text``, or a query SQLite still refuses.
    """
    query = fts_query(text)
    marks = ",".join("?" for _ in kinds)
    try:
        rows = conn.execute(
            "SELECT t.sha256, c.path, t.kind, t.start_s, t.end_s, t.timings, "
            "highlight(text_spans, 0, ?, ?), snippet(text_spans, 0, '[', ']', '…', 16), rank "
            "FROM text_spans t JOIN clips c ON c.sha256 = t.sha256 "
            f"WHERE text_spans MATCH ? AND t.kind IN ({marks}) ORDER BY rank LIMIT ?",
            (_OPEN, _CLOSE, query, *kinds, limit),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise ConfigError(f"cannot search for {text!r}: {exc}") from None
    hits: list[TextHit] = []
    for sha, path, kind, start, end, timings_json, marked, snippet, rank in rows:
        timings = json.loads(timings_json) if timings_json else []
        words, positions = _matched(marked, timings)
        if positions:
            start = min(timings[p][0] for p in positions)
            end = max(timings[p][1] for p in positions)
        hits.append(TextHit(sha, path, kind, float(start), float(end), words, snippet, float(rank)))
    return hits
