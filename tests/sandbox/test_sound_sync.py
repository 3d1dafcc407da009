"""Sound stays with its picture through the sandbox's render: trims, speed changes, joins.

Every render goes through the real path (``tasks.render.render``: policy, jail, MoviePy,
libx264/AAC) and is decoded with PyAV: frames at their timestamps, sound placed at its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.render import render
from tests.sandbox.sync import FPS, flashes_and_clicks, measure, write_events

FRAME_S = 1.0 / FPS
# Flash-and-click events, on frames; the sound starts this long after the picture.
EVENTS = [1.0, 2.5, 4.0, 5.5, 7.0]
SOUND_FROM_S = 0.25

# Twice as fast, half as fast, a jump back near the start (MoviePy's reader reopens the
# file), one forward, and a jump back further on (it reopens it with a fast seek).
SPEEDS_AND_JOINS = """from moviepy import concatenate_videoclips, vfx


def edit(source):
    pieces = [
        source.subclipped(0.5, 3.0).with_effects([vfx.MultiplySpeed(2)]),
        source.subclipped(5.0, 6.0).with_effects([vfx.MultiplySpeed(0.5)]),
        source.subclipped(3.5, 4.5),
        source.subclipped(6.5, 7.5),
        source.subclipped(5.25, 5.75),
    ]
    return concatenate_videoclips(pieces)
"""
# Where each event lands in that edit: (source t - piece start) / speed + piece's output start.
LANDS = [0.25, 1.0, 2.25, 3.75, 4.75, 5.5]


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("events")
    return write_events(folder / "events.mkv", 8.0, EVENTS, sound_from=SOUND_FROM_S)


def test_the_source_shows_and_sounds_each_event_together(events: Path) -> None:
    # The decoding the render is judged by reads the source's own events right.
    flashes, clicks = flashes_and_clicks(events)
    assert flashes == pytest.approx(EVENTS, abs=1e-3)
    assert clicks == pytest.approx(EVENTS, abs=2e-3)


def test_clicks_land_with_their_flashes_through_speed_changes_and_joins(
    events: Path, tmp_path: Path
) -> None:
    result = render(SPEEDS_AND_JOINS, [events], tmp_path / "edit.mp4")
    flashes, clicks = flashes_and_clicks(result.output)
    assert flashes == pytest.approx(LANDS, abs=FRAME_S / 2), "the picture is not where edited"
    assert len(clicks) == len(flashes), (flashes, clicks)
    late = [(f, c) for f, c in zip(flashes, clicks, strict=True) if abs(c - f) > FRAME_S]
    assert not late, f"clicks more than a frame from their flashes: {late}"


def test_megamind_sound_is_where_the_edit_puts_it(megamind: Path, tmp_path: Path) -> None:
    """Megamind's AC-3 begins with a packet that does not decode: its sound was 32 ms early.

    Its frames barely change from one to the next, so only the sound is measured here; the
    picture's place is the flash test's.
    """
    code = (
        "from moviepy import concatenate_videoclips\n\n\n"
        "def edit(source):\n"
        "    pieces = [(0.5, 2.5), (8.0, 10.0), (6.0, 7.5), (3.0, 5.0)]\n"
        "    return concatenate_videoclips([source.subclipped(a, b) for a, b in pieces])\n"
    )
    result = render(code, [megamind], tmp_path / "megamind.mp4")
    # Read from the start, read on, then jumps back: one far enough from the start for a
    # fast seek, one near it (the file is decoded from its start).
    pieces = [(0.0, 2.0, 0.5), (2.0, 4.0, 8.0), (4.0, 5.5, 6.0), (5.5, 7.5, 3.0)]
    offsets = measure(result.output, megamind, pieces)
    # A fast seek in that AC-3 lands 1.6 ms late; a frame is 42 ms.
    assert all(abs(offset) <= 0.003 for offset in offsets), [f"{o * 1000:+.1f} ms" for o in offsets]
