"""The footage library: one ``analysis.json`` per clip plus a searchable SQLite catalog.

Layout under a library folder::

    <library>/<sha256[:16]>/analysis.json   scenes, frame descriptors and analyses of one clip
    <library>/<sha256[:16]>/frames/         the sampled JPEGs the analyses looked at
    <library>/catalog.sqlite                one row per clip and one per analysed scene, plus
                                            the FTS5 index of speech and on-screen text
                                            (``tasks.catalog_text``)

A clip is identified by the sha256 of its content, so a renamed or copied file is not
analysed twice. ``analysis.json`` is written to a temporary file and renamed into place, and
carries ``complete: true`` plus the content hash: a batch killed mid-write leaves no file
that passes :func:`is_complete`, so a rerun redoes exactly the unfinished clips. The catalog
is derived data: :func:`index_analysis` upserts one clip in a transaction.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.exceptions import ConfigError
from core.files import remove_stale_partials, write_atomic
from tasks import catalog_text
from tasks.catalog_text import TextHit

__all__ = [
    "ANALYSIS_FILE",
    "CATALOG_FILE",
    "SCHEMA_VERSION",
    "SearchHit",
    "TextHit",
    "clip_dir",
    "index_analysis",
    "is_complete",
    "load_analysis",
    "search",
    "search_text",
    "write_analysis",
]

ANALYSIS_FILE = "analysis.json"
CATALOG_FILE = "catalog.sqlite"
SCHEMA_VERSION = 1
_WORD_RE = re.compile(r"[\w'-]+", re.UNICODE)

_DDL = """
CREATE TABLE IF NOT EXISTS clips (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    duration_s REAL,
    width INTEGER,
    height INTEGER,
    analysed_at TEXT,
    analysis_path TEXT NOT NULL,
    blind INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS entries (
    sha256 TEXT NOT NULL REFERENCES clips(sha256) ON DELETE CASCADE,
    scene INTEGER NOT NULL,
    start_s REAL,
    end_s REAL,
    summary TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (sha256, scene)
);
"""


@dataclass(frozen=True)
class SearchHit:
    """One analysed scene that matches a query.

    Attributes:
        sha256: Content hash of the clip.
        path: Where the clip was when it was analysed.
        scene: Scene index within the clip.
        start_s: Scene start, in seconds.
        end_s: Scene end, in seconds.
        summary: The analysis summary of that scene.
        score: How often the query terms occur (higher is better).
        blind: True when the analysis came from descriptors only (no vision model).
    """

    sha256: str
    path: str
    scene: int
    start_s: float
    end_s: float
    summary: str
    score: int
    blind: bool


def clip_dir(library: Path, sha256: str) -> Path:
    """Return the folder that holds one clip's results."""
    return library / sha256[:16]


def load_analysis(path: Path) -> dict[str, Any] | None:
    """Read an ``analysis.json``; None when missing or not valid JSON."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_complete(library: Path, sha256: str) -> bool:
    """Tell whether a clip already has a complete analysis in ``library``.

    Args:
        library: The library folder.
        sha256: Content hash of the clip.

    Returns:
        True only for a readable file of this schema, marked complete, for this exact content,
        with at least one analysis.
    """
    data = load_analysis(clip_dir(library, sha256) / ANALYSIS_FILE)
    return bool(
        data
        and data.get("schema") == SCHEMA_VERSION
        and data.get("complete") is True
        and data.get("sha256") == sha256
        and data.get("analyses")
    )


def write_analysis(library: Path, analysis: dict[str, Any]) -> Path:
    """Write one clip's analysis atomically and mark it complete.

    Args:
        library: The library folder.
        analysis: The document; must carry ``sha256``.

    Returns:
        The path of the written ``analysis.json``.
    """
    sha = str(analysis["sha256"])
    target = clip_dir(library, sha) / ANALYSIS_FILE
    document = {**analysis, "schema": SCHEMA_VERSION, "complete": True}
    # Durable: a crash cannot leave a renamed but empty file behind.
    text = json.dumps(document, indent=2, default=str)
    written = write_atomic(target, text.encode("utf-8"), durable=True)
    # A batch killed mid-write left its temporary file: the resume clears it.
    remove_stale_partials(target)
    return written


@contextmanager
def _connect(library: Path, *, create: bool) -> Iterator[sqlite3.Connection]:
    path = library / CATALOG_FILE
    if not create and not path.exists():
        raise ConfigError(f"no footage catalog at {path}: analyse a folder first (studio analyze)")
    library.mkdir(parents=True, exist_ok=True)
    # Several batch workers may index at once; SQLite serialises writers, we just wait.
    with closing(sqlite3.connect(path, timeout=30.0)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript(_DDL + catalog_text.DDL)
        yield conn


def _entry_text(analysis: dict[str, Any], descriptors: str) -> str:
    parts: list[str] = [str(analysis.get("summary", ""))]
    for key in ("subjects", "edit_suggestions"):
        parts.extend(str(item) for item in analysis.get(key) or [])
    for key in ("mood", "composition", "motion"):
        parts.append(str(analysis.get(key, "")))
    parts.append(descriptors)
    return "\n".join(part for part in parts if part).lower()


def index_analysis(library: Path, analysis: dict[str, Any]) -> int:
    """Upsert one clip, its analysed scenes and its words heard and read into the catalog.

    Args:
        library: The library folder.
        analysis: A complete ``analysis.json`` document.

    Returns:
        Number of scene entries indexed.
    """
    sha = str(analysis["sha256"])
    probe = analysis.get("probe") or {}
    frames_by_scene: dict[int, list[str]] = {}
    for frame in analysis.get("frames") or []:
        frames_by_scene.setdefault(int(frame.get("scene", 0)), []).append(
            str(frame.get("descriptors_text") or frame.get("descriptors") or "")
        )
    rows = []
    for item in analysis.get("analyses") or []:
        scene = int(item.get("scene", 0))
        text = _entry_text(item, "\n".join(frames_by_scene.get(scene, [])))
        rows.append(
            (sha, scene, item.get("start_s"), item.get("end_s"), str(item.get("summary", "")), text)
        )
    blind = any(bool(item.get("blind")) for item in analysis.get("analyses") or [])
    path = clip_dir(library, sha) / ANALYSIS_FILE
    with _connect(library, create=True) as conn, conn:
        conn.execute("DELETE FROM entries WHERE sha256 = ?", (sha,))
        conn.execute(
            "INSERT OR REPLACE INTO clips VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sha,
                str(analysis.get("source", "")),
                str(analysis.get("name", "")),
                probe.get("duration"),
                probe.get("width"),
                probe.get("height"),
                analysis.get("analysed_at"),
                str(path),
                int(blind),
            ),
        )
        conn.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)", rows)
        catalog_text.index_text(conn, analysis)
    return len(rows)


def search(library: Path, text: str, *, limit: int = 20) -> list[SearchHit]:
    """Find analysed scenes whose analysis or descriptors mention every word of ``text``.

    Args:
        library: The library folder.
        text: Words to look for (case-insensitive; all must occur).
        limit: Most hits to return.

    Returns:
        Hits, best first (most term occurrences, then clip path and scene order).

    Raises:
        ConfigError: Empty query or no catalog in ``library``.
    """
    terms = [term.lower() for term in _WORD_RE.findall(text)]
    if not terms:
        raise ConfigError("search needs at least one word")
    where = " AND ".join("e.text LIKE ? ESCAPE '\\'" for _ in terms)
    params = [
        "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for term in terms
    ]
    with _connect(library, create=False) as conn:
        rows = conn.execute(
            "SELECT e.sha256, c.path, e.scene, e.start_s, e.end_s, e.summary, e.text, c.blind "
            f"FROM entries e JOIN clips c USING (sha256) WHERE {where}",
            params,
        ).fetchall()
    hits = [
        SearchHit(
            sha256=row[0],
            path=row[1],
            scene=int(row[2]),
            start_s=float(row[3] or 0.0),
            end_s=float(row[4] or 0.0),
            summary=row[5],
            score=sum(row[6].count(term) for term in terms),
            blind=bool(row[7]),
        )
        for row in rows
    ]
    hits.sort(key=lambda hit: (-hit.score, hit.path, hit.scene))
    return hits[:limit]


def search_text(
    library: Path,
    text: str,
    *,
    kinds: tuple[str, ...] = ("speech", "screen"),
    limit: int = 20,
) -> list[TextHit]:
    """Find what is said or shown on screen across the library (SQLite FTS5).

    Args:
        library: The library folder.
        text: Words (all must occur); a part in double quotes is a phrase. No FTS syntax.
        kinds: ``speech`` and/or ``screen``.
        limit: Most hits to return.

    Returns:
        Hits, best first, each with the clip, the matched words and their time range.

    Raises:
        ConfigError: Empty query or no catalog in ``library``.
    """
    catalog_text.fts_query(text)  # an empty query is refused before the catalog is looked for
    with _connect(library, create=False) as conn:
        return catalog_text.search_text(conn, text, kinds=kinds, limit=limit)
