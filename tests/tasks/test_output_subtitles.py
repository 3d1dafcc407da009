"""The output's subtitles: source words placed by the decision list's arithmetic, and burned in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sandbox.edl import EditDecisionList, Segment, expected_duration
from tasks.audio import Transcript, Word
from tasks.output_subtitles import edit_pieces, output_cues


def _said(*words: tuple[str, float, float]) -> Transcript:
    return Transcript(
        model="test",
        language="en",
        words=[Word(text=t, start=s, end=e, probability=0.9) for t, s, e in words],
    )


def test_pieces_follow_clamps_speeds_repeats_and_crossfades() -> None:
    edl = EditDecisionList(
        segments=[
            Segment(start=1.0, end=3.0),
            Segment(start=4.0, end=8.0, speed=2.0, repeat=2),
            Segment(source=1, start=0.0, end=9.0, transition="crossfade"),  # source is 5 s
            Segment(start=0.0, end=1.0, reverse=True),
        ],
        transition_s=0.5,
    )
    pieces = edit_pieces(edl, [10.0, 5.0])

    assert [(p.source, p.piece.output_start) for p in pieces] == [
        (0, 0.0),
        (0, 2.0),
        (0, 4.0),
        (1, 5.5),  # crossfaded: starts half a second before the part before ends
    ]
    assert pieces[2].piece.speed == 2.0 and pieces[3].piece.source_end == 5.0
    # The reversed segment is played (the length agrees with the script's) but not subtitled.
    assert expected_duration(edl, [10.0, 5.0]) == pytest.approx(5.5 + 5.0 + 1.0)


def test_words_land_where_their_piece_plays_them() -> None:
    first = _said(("one", 1.2, 1.5), ("two", 1.6, 1.9), ("cut", 2.9, 3.4), ("five", 5.0, 5.4))
    second = _said(("other", 0.5, 0.9))
    edl = EditDecisionList(
        segments=[
            Segment(source=1, start=0.0, end=2.0),
            Segment(start=1.0, end=3.0, speed=2.0),
            Segment(start=4.5, end=6.0, repeat=2),
        ]
    )
    made = output_cues(edl, [first, second], [10.0, 2.0])

    assert [(c.text, c.start, c.end) for c in made] == [
        ("other", 0.5, 0.9),
        ("one two", 2.1, 2.45),  # source 1.2-1.9 at 2x from output 2.0
        ("five", 3.5, 3.9),
        ("five", 5.0, 5.4),  # the repeat
    ]  # "cut" has its middle (3.15) past the out point 3.0: not shown
    assert output_cues(edl, [None, None], [10.0, 2.0]) == []


def test_burned_in_cues_are_read_back_by_ocr(tmp_path: Path) -> None:
    import av

    from tasks.audio.subtitles import Cue, to_srt
    from tasks.ocr import ocr_available, read_text
    from tasks.output_subtitles import burn_in

    if not ocr_available():
        pytest.skip("RapidOCR is not installed")
    plain = tmp_path / "plain.mp4"
    with av.open(str(plain), "w") as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 384, 216, "yuv420p"
        for i in range(72):
            picture = np.full((216, 384, 3), (40, 90, 160), np.uint8)
            picture[:, (i * 5) % 384 :][:, :20] = 230
            out.mux(stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
        out.mux(stream.encode())
    burned = burn_in(plain, to_srt([Cue(0.5, 1.5, "Good night moon")]), tmp_path / "b.mp4")

    seen: dict[float, str] = {}
    with av.open(str(burned)) as container:
        for frame in container.decode(video=0):
            t = round(float(frame.time or 0.0), 3)
            if any(abs(t - want) < 0.02 for want in (0.25, 1.0, 2.0)):
                seen[round(t, 1)] = " ".join(
                    read_text(np.asarray(frame.to_ndarray(format="rgb24"), np.uint8))
                ).lower()
    assert "good night" in seen[1.0] and "moon" in seen[1.0], seen
    assert "night" not in seen[0.2] and "night" not in seen[2.0], seen
