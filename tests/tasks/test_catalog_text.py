"""Words said and shown on screen are catalogued (FTS5) and found again, with their times.

Clips are synthetic with known answers: espeak-ng phrases at known times and title cards
from known times. They go through the real footage pass (Whisper, RapidOCR), are catalogued
as the batch flow catalogues them, and are searched through the library and the CLI.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.exceptions import ConfigError
from tasks import catalog
from tasks.catalog_text import fts_query, text_spans
from tasks.footage import sample_frames
from tests.tasks.audio.media import Phrase, mux, speech_track

TOLERANCE_S = 0.5
TALK = (
    ("good morning everyone and welcome to the studio", 0.8),
    ("the weather today is sunny and warm", 4.5),
)
CARDS = [(0.0, "CHAPTER ONE"), (3.0, "THE DARK FOREST")]
CALL = (("please call me back tomorrow morning", 1.0),)


def _document(clip: Path, folder: Path) -> dict[str, Any]:
    """Sample ``clip`` and shape the result as the batch flow's ``analysis.json``."""
    from flows._batch_clip import plain  # the exact serialisation the flow stores

    manifest = sample_frames(clip, folder / "frames", max_frames=8, strategy="scene")
    probe = manifest.video
    return {
        "sha256": probe.sha256,
        "source": str(clip),
        "name": clip.name,
        "probe": plain(probe),
        "scenes": plain(manifest.scenes),
        "audio": plain(manifest.audio),
        "frames": [plain(f) for f in manifest.frames],
        "analyses": [{"scene": 0, "start_s": 0.0, "end_s": probe.duration, "summary": "a clip"}],
    }


@pytest.fixture(scope="module")
def library(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, Path], dict[str, list[Phrase]], dict[str, Any]]:
    folder = tmp_path_factory.mktemp("textlib")
    track, talk = speech_track(TALK, 7.0, folder)
    titled = mux(folder / "titled.mkv", 7.0, track, cards=CARDS, size=(480, 270))
    track, call = speech_track(CALL, 4.5, folder)
    plain = mux(folder / "call.mkv", 4.5, track)
    lib = folder / "library"
    documents = {}
    for name, clip in (("titled", titled), ("call", plain)):
        documents[name] = _document(clip, folder / name)
        catalog.index_analysis(lib, documents[name])
    return lib, {"titled": titled, "call": plain}, {"titled": talk, "call": call}, documents


def _within(start: float, end: float, low: float, high: float) -> bool:
    return low - TOLERANCE_S <= start <= end <= high + TOLERANCE_S


def test_speech_is_found_with_the_time_of_its_words(library: Any) -> None:
    lib, clips, phrases, _ = library
    weather = phrases["titled"][1]

    # Words tiny.en hears on every CPU: "the weather" came back as "wherever" where
    # CTranslate2 runs its AVX2 kernels (an AMD EPYC), as "the weather" with AVX-512.
    hits = catalog.search_text(lib, "sunny warm")

    assert len(hits) == 1, hits
    (hit,) = hits
    assert hit.path == str(clips["titled"]) and hit.kind == "speech"
    assert {w.lower().strip(".,") for w in hit.words} == {"warm", "sunny"}
    assert _within(hit.start_s, hit.end_s, weather.start, weather.end), (hit, weather)
    assert "[warm" in hit.snippet.lower() and "[sunny]" in hit.snippet.lower()


def test_a_word_said_in_two_clips_is_found_in_both(library: Any) -> None:
    lib, clips, phrases, _ = library

    hits = catalog.search_text(lib, "MORNING", kinds=("speech",))

    by_clip = {hit.path: hit for hit in hits}
    assert set(by_clip) == {str(clips["titled"]), str(clips["call"])}
    for name, phrase in (("titled", phrases["titled"][0]), ("call", phrases["call"][0])):
        hit = by_clip[str(clips[name])]
        assert hit.words and all(w.lower() == "morning" for w in hit.words)
        # One word, so its own time: inside the phrase, well under the phrase's length.
        assert _within(hit.start_s, hit.end_s, phrase.start, phrase.end)
        assert hit.end_s - hit.start_s < 1.0


def test_a_quoted_phrase_matches_only_in_order(library: Any) -> None:
    lib, clips, phrases, _ = library
    call = phrases["call"][0]

    (hit,) = catalog.search_text(lib, '"call me back"')

    assert hit.path == str(clips["call"])
    assert [w.lower() for w in hit.words] == ["call", "me", "back"]
    assert _within(hit.start_s, hit.end_s, call.start, call.end)
    assert catalog.search_text(lib, '"back me call"') == []


def test_title_cards_are_found_over_their_shot(library: Any) -> None:
    lib, clips, _, documents = library

    hits = catalog.search_text(lib, "dark forest", kinds=("screen",))

    assert len(hits) == 1, hits
    (hit,) = hits
    assert hit.path == str(clips["titled"]) and hit.kind == "screen"
    assert [w.upper() for w in hit.words] == ["DARK", "FOREST"]
    # The card is on from 3.0 s to the end (7.0 s): the span holds every sampled frame that
    # shows it and no frame that does not, so its start is as sharp as the sampling.
    times = sorted(f["timestamp"] for f in documents["titled"]["frames"])
    shown = [t for t in times if t >= 3.0]
    before = max(t for t in times if t < 3.0)
    assert shown and before < hit.start_s <= shown[0] and hit.end_s == pytest.approx(7.0, abs=0.1)
    (first,) = catalog.search_text(lib, "chapter", kinds=("screen",))
    assert first.start_s == 0.0 and before <= first.end_s < shown[0]
    assert catalog.search_text(lib, "forest", kinds=("speech",)) == []


def test_no_match_is_an_empty_result(library: Any) -> None:
    lib, _, _, _ = library

    assert catalog.search_text(lib, "spaceship") == []
    assert catalog.search_text(lib, "sunny spaceship") == []  # every word must occur


@pytest.mark.parametrize(
    "query",
    [
        'weather" OR "x',
        "NEAR(weather sunny)",
        "sunny*",
        "-weather",
        "weather AND",
        '"sunny',
        "^a:b",
    ],
)
def test_query_syntax_is_plain_words(library: Any, query: str) -> None:
    lib, _, _, _ = library

    hits = catalog.search_text(lib, query)  # never an FTS5 syntax error

    assert all(hit.kind in ("speech", "screen") for hit in hits)


def test_recataloguing_replaces_a_clips_rows(library: Any) -> None:
    lib, _, _, documents = library
    before = catalog.search_text(lib, "morning")

    for _ in range(2):
        catalog.index_analysis(lib, documents["titled"])

    assert catalog.search_text(lib, "morning") == before
    with sqlite3.connect(lib / catalog.CATALOG_FILE) as conn:
        count = conn.execute(
            "SELECT count(*) FROM text_spans WHERE sha256 = ?", (documents["titled"]["sha256"],)
        ).fetchone()[0]
    assert count == len(text_spans(documents["titled"]))


def test_empty_queries_are_refused() -> None:
    for query in ("", "  ...  ", '""', "* - ^"):
        with pytest.raises(ConfigError, match="at least one word"):
            fts_query(query)
    assert fts_query('a "b  c" d"') == '"a" "b c" "d"'


def _studio(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run(
        [sys.executable, "-c", "from studio.cli import main; main()", "footage", "search", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_studio_footage_search_cli(library: Any) -> None:
    lib, clips, phrases, _ = library

    found = _studio("sunny", "-l", str(lib), "--json")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    speech = [h for h in hits if h["kind"] == "speech"]
    assert [h["path"] for h in speech] == [str(clips["titled"])]
    assert _within(speech[0]["start_s"], speech[0]["end_s"], 4.5, phrases["titled"][1].end)

    shown = _studio("forest", "-l", str(lib), "--kind", "screen")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"{clips['titled']} ") and "screen: FOREST" in shown.stdout

    nothing = _studio("spaceship", "-l", str(lib))
    assert nothing.returncode == 0 and nothing.stdout.strip() == "no matches"
    odd = _studio('NEAR("x', "-l", str(lib))
    assert odd.returncode == 0 and odd.stdout.strip() == "no matches", odd.stderr
    bad = _studio('"', "-l", str(lib))
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.strip() == "error: search needs at least one word"
