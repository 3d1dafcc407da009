"""Verify a render against its brief: one measured ``CheckResult`` per criterion.

The render and each source are decoded once at low resolution; output frames are mapped to
source moments by fingerprints; each criterion is then read off those measurements. The
result depends only on the files' contents, the brief and the shots (see ``verification_key``),
so callers may cache it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from core.files import sha256_file
from tasks.brief import Brief, CheckResult, Criterion
from tasks.on_footage import on_footage
from tasks.shots import Shot

from ._end_checks import check_ends
from ._evidence import Evidence
from ._footage import read_footage
from ._picture_checks import (
    check_aspect,
    check_audio,
    check_colour,
    check_duration,
    check_fade,
    check_size,
    check_transition_length,
    check_transitions,
)
from ._source_checks import check_order, check_playback, check_speed, check_use
from ._text import check_caption, check_no_text
from .sound import check_beats, check_loudness, check_words

__all__ = ["verification_key", "verify_edit"]

# Bump when a measurement changes, so cached verdicts of older code are not reused. 3: a
# replay counts equal moments of a repeating picture. 4: so does continuous play, and a change
# inside one shot beside a fade's black is that fade, not a join. 5: a join's blend fit
# predicted only from frames of its own shot; play on through a cut judged from timed frames.
# 6 (5 undone: its strict shot edges lost the last frame of a shot on a clock a frame off, and
# crossfades between whole shots read as cuts): a crossfade's mixed frames are the one run at
# the join (stray mixes before a slowed cut made it a crossfade), and a still picture's tied
# frames follow play at its pace, not 1x (play through a still end of a shot at 1.25x lagged
# and read as a cut). 7: a caption read nowhere the added-detail map points is looked for in
# whole frames (less what the source frame shows): small letters on a wide crop were missed.
# 8: a cut's in point is heard from the frame after the shot before it when the sound plays on
# unbroken through black frames between them (a shot opening on black read its in point late).
# 9: the source's own scene changes that the render plays on through are measured and named
# (a slowed play through three scenes read "one continuous shot"). 10: a cut inside one scene
# must jump the picture (blended frames mapped to a tied moment of a still shot read as a cut).
# 11: a cut's out point is timed on the sound, as its in point is (the picture of an AVI whose
# first frame is stamped late runs a frame ahead of its sound in MoviePy's renders).
# 13: a replay shows moments shown before it (a slowed moment seen at speed only later was
# counted as its replay). 15: the words check reads a cut where its sound cuts, split on the
# samples between the sounds heard either side (a half-frame cut on Megamind.avi, whose
# picture runs a frame ahead, read its out point 60 ms late, inside the next word).
# 16: played backwards, consecutive pieces of one shot are one appearance (a looping shot).
# 17: a still shot's frames that tie with the moments playing on into the next shot play the
# source's own cut through (a piece fading up on the end of a still scene matched its middle,
# and the cut after it read as the edit's).
# 18: a start or end at a named source time is checked at that time (within 3 frames), not by
# the shot holding it; a caption read with a digit or a word changed is another caption.
# 19: a start or end on "a face" is met by any shot with a face (not only the one with the
# most); a dip to black at a join is a fade only where the render is darker than the source
# moment it shows (a hard cut into the trailer's black first frame read as a fade).
# 20: a measured pick (stillest, brightest, faces...) is read among the shots the asked
# stretch shows (the stillest shot of "the second quarter" lay just past it).
# 21: a start or end on "a face" is read from the render's first (last) 0.5 s of picture: a
# face must be seen, by the detector that measured the shots, on most of those frames.
# 22: a dip's or a crossfade's length asked (transition_s) is measured on each join.
# 23: a dip's ramps are read on through the slivers of their shot beside the join (a still
# shot fading up matched other moments of itself, and its first sliver read 0.18 s).
# 24: a dip to black where play goes on into the next measured shot is the edit's join (two
# pieces of a long take that meet, dipped between), not the source's own change.
# 25: a run of mostly tied frames is timed by each frame's own best moment over the whole run
# (a near-still street slowed to 0.5x read 0.70x off its first, partly blended, 0.4 s).
# 26: a dip's way up is read from its bottom (an outgoing frame matched as the incoming piece
# of a take that meets it in the source read as the way up already done: unreadable).
# 27: an asked replay is no shot out of order; a fade's level is its own piece's where that
# piece holds one (black and white grades each colour's luma by its own factor). The words
# check reads the edit's first in and last out point too, and hears a piece at the round
# speed near its mapped one (a 0.75x piece mapped at 0.755x matched no sound); a crossfade's
# pieces are cut where their sounds, mixed at full level, stop and start (29: off the blend).
# 28: a source's own cut inside the closing fade-out is no dip of the edit's (24 read it as one:
# the fade never comes back up).
# 29: a crossfade's out and in points are read off its blend (``_crossfade_cuts``), where the
# outgoing picture's share reaches 0 and 1, on each piece's sound heard beside it; an unread
# one leaves the words check unmeasured (the last cleanly matched frame, a blend short of the
# out point, and the sound's stop where the outgoing piece goes quiet, read cuts early). A
# piece's sound is tried at the round speeds either side of its mapped one (0.54x for 0.5x).
VERIFIER_VERSION = "29"

_Check = Callable[[Criterion, Brief, Evidence], CheckResult]
_CHECKS: dict[str, _Check] = {
    "duration": check_duration,
    "speed": check_speed,
    "colour": check_colour,
    "transitions": check_transitions,
    "transition_s": check_transition_length,
    "fade_in": check_fade,
    "fade_out": check_fade,
    "caption": check_caption,
    "no_text": check_no_text,
    "start_on": check_ends,
    "end_on": check_ends,
    "use": check_use,
    "order": check_order,
    "playback": check_playback,
    "aspect": check_aspect,
    "size": check_size,
    "audio": check_audio,
    "beats": check_beats,
    "words": check_words,
    "loudness": check_loudness,
}


def verify_edit(
    render: Path, sources: list[Path], brief: Brief, shots: list[Shot]
) -> list[CheckResult]:
    """Measure ``render`` against every criterion of ``brief``.

    Args:
        render: The rendered video.
        sources: The input clips, in the order the shots' ``source`` indices refer to.
        brief: What the request asks for.
        shots: The sources' measured shots (``tasks.measure_shots``).

    Returns:
        One result per ``brief.criteria()`` entry, in that order; free-text criteria come
        back unmeasured (``passed=None``).

    Raises:
        FootageError: The render or a source is not a readable video.
    """
    shown = read_footage(Path(render), keep_pictures=True)
    # A render of another shape than its sources is matched against their centre crops.
    aspect = shown.width * shown.sample_aspect / shown.height
    evidence = Evidence(
        render=shown,
        sources=[read_footage(Path(s), aspect=aspect) for s in sources],
        shots=list(shots),
    )
    # An ask against the source ("half its original length", "all but scene 2") is checked in
    # seconds of these sources, resolved as the planner resolved it.
    brief = on_footage(brief, evidence.shots, [s.duration_s for s in evidence.sources])
    criteria = brief.criteria()
    results = []
    for criterion in criteria:
        check = _CHECKS.get(criterion.kind) if criterion.checkable else None
        if check is None:
            results.append(CheckResult(criterion=criterion, passed=None, measured="not measurable"))
            continue
        results.append(check(criterion, brief, evidence))
    return results


def verification_key(render: Path, sources: list[Path], brief: Brief, shots: list[Shot]) -> str:
    """A cache key for ``verify_edit``: the inputs' contents, the brief, the shots, the code."""
    payload = {
        "version": VERIFIER_VERSION,
        "render": sha256_file(Path(render)),
        "sources": [sha256_file(Path(s)) for s in sources],
        "brief": brief.model_dump(mode="json"),
        "shots": [s.model_dump(mode="json") for s in shots],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
