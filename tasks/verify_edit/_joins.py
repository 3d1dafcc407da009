"""Where one segment gives way to the next, and how: a cut, a fade or a crossfade."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from ._dips import beside_black, dips_to_black
from ._footage import Footage
from ._matching import Match, shows_as_well
from ._segments import Segment, in_shot, played_on

__all__ = ["MIXED", "Join", "blend_weights", "classify_joins", "mixed_run"]

# A blend weight of the outgoing shot strictly between these is a mixed frame.
MIXED = (0.15, 0.85)
# How much the mixed frames' weights must move across a join to be a crossfade.
_MIX_SPREAD = 0.2
# The two shots' pictures must differ by this much (0-255 RMS) for a weight to mean anything.
_DISTINCT = 4.0
# How far either side of a join the picture's own frame-to-frame change is read.
_PLAY_S = 0.25
# A change of picture at a join is a visible jump when its step is this many times the steps
# of the play on both sides of it.
_STANDOUT = 2.0


@dataclass(frozen=True)
class Join:
    """Where one segment gives way to the next, and how: 'cut', 'fade' or 'crossfade'.

    ``own`` marks the source's own change of scene, which the render plays on through: no
    join the edit made, but a shot change the viewer sees all the same.
    """

    output_t: float
    kind: str
    before: Segment
    after: Segment
    own: bool = False


def _mean_step(thumbs: NDArray[np.float32], a: int, b: int) -> float:
    return float(np.abs(thumbs[b] - thumbs[a]).mean())


def _continuous(a: Segment, b: Segment, fps: float) -> bool:
    """Whether ``b`` plays on from where ``a`` stopped (a shot boundary, not an edit).

    A repeating picture could be any of its equal moments (the segments' ``shifts``): play
    that goes on from one of ``a``'s to one of ``b``'s is continuous too.
    """
    if a.source != b.source:
        return False
    speed = a.speed if a.speed is not None else 1.0
    expected = a.src_end + (b.out_start - a.out_end) * speed
    return any(
        abs(b.src_start + db - (expected + da)) <= 2.5 / fps
        for da in (0.0, *a.shifts)
        for db in (0.0, *b.shifts)
    )


def _still_into(
    render: Footage, sources: list[Footage], matches: list[Match], a: Segment, b: Segment
) -> bool:
    """Whether ``a``'s frames show just as well the moments that play on into ``b``.

    A still picture ties over a stretch of its shot, so the moments matched to its frames are
    one guess among many (a shot's last half-second fading up from black matched to its
    middle). When every frame of ``a`` ties with the moment that plays on into ``b``, inside
    ``a``'s shot, the render plays the source on across its own cut: what the viewer sees is
    the same either way.
    """
    if not sources or a.source != b.source or a.shot is None or a.shot == b.shot:
        return False
    speed = next((s for s in (a.speed, b.speed) if s is not None), 1.0)
    frames = [m for m in matches[a.first : a.last + 1] if m.source == a.source]
    for m in frames:
        t = b.src_start - (b.out_start - m.output_t) * speed
        if not in_shot(a.shot, t) or not shows_as_well(render, sources[a.source], m, t):
            return False
    return bool(frames)


def _source_small(
    src: Footage, t: float, shape: tuple[int, ...], plain: bool = False
) -> NDArray[np.float32]:
    k = src.nearest(t)
    smalls = src.smalls_mean if plain and len(src.smalls_mean) == len(src.smalls) else src.smalls
    picture: NDArray[np.float32] = smalls[k].astype(np.float32)
    if picture.shape != shape:
        import cv2

        picture = np.asarray(
            cv2.resize(picture, (shape[1], shape[0]), interpolation=cv2.INTER_AREA), np.float32
        )
    return picture


def _same_scene(a: Segment, b: Segment) -> bool:
    return a.source == b.source and (
        a.shot is None or b.shot is None or a.shot.scene_key == b.shot.scene_key
    )


def _jumps(thumbs: NDArray[np.float32], i: int, j: int, rate: float) -> bool:
    """Whether the picture jumps from frame ``i`` to ``j`` more than it moves on either side.

    A cut inside one scene shows as one step standing out from the play around it. A
    mapping that sends a run of frames to another moment of the same picture (a still or a
    slow shot, whose frames nearly tie, blended by the start of a crossfade) makes no such
    step: the picture the viewer sees goes on, and there is no shot change.
    """
    if j != i + 1:
        return True  # frames between the two matched no source: not judged here
    span = max(2, round(_PLAY_S * rate))
    before = [_mean_step(thumbs, k, k + 1) for k in range(max(0, i - span), i)]
    after = [_mean_step(thumbs, k, k + 1) for k in range(j, min(len(thumbs) - 1, j + span))]
    if not before or not after:
        return True
    play = max(float(np.median(before)), float(np.median(after)))
    return _mean_step(thumbs, i, j) > _STANDOUT * play


def _mix(
    shown: NDArray[np.float32], pa: NDArray[np.float32], pb: NDArray[np.float32]
) -> tuple[float, float, float] | None:
    """Least squares ``shown ~ x * pa + y * pb + c``: (x, y, residual RMS), None if alike."""
    # A and B must differ in structure, not only in level (one flat colour for another).
    design = np.stack([pa.ravel(), np.ones(pa.size, np.float32)], axis=1)
    fit, *_ = np.linalg.lstsq(design, pb.ravel(), rcond=None)
    if float(np.sqrt(np.mean((design @ fit - pb.ravel()) ** 2))) < _DISTINCT:
        return None
    design = np.stack([pa.ravel(), pb.ravel(), np.ones(pa.size, np.float32)], axis=1)
    (x, y, c), *_ = np.linalg.lstsq(design, shown.ravel(), rcond=None)
    residual = float(np.sqrt(np.mean((design @ np.array([x, y, c]) - shown.ravel()) ** 2)))
    return float(x), float(y), residual


def blend_weights(
    render: Footage, sources: list[Footage], a: Segment, b: Segment, lo: int, hi: int
) -> list[float] | None:
    """Per output frame ``lo..hi``: how much of ``a``'s picture (1) versus ``b``'s (0) it shows.

    Each frame is fitted as ``x * A + y * B + c``, where A and B are what ``a`` and ``b`` would
    show at that moment had they played on (their source times carried on at their speeds):
    a crossfade mixes them over several frames, a cut switches in one. None when A and B look
    too alike to tell apart (a static camera between two close moments).
    """
    weights: list[float] = []
    usable = 0
    for k in range(lo, hi + 1):
        t = float(render.times[k])
        shown = render.smalls[k].astype(np.float32)
        ta, tb = played_on(a, t), played_on(b, t, from_first=True)
        if not (in_shot(a.shot, ta) and in_shot(b.shot, tb)):
            # Played on past its own shot, a segment would show another one: no prediction.
            weights.append(float("nan"))
            continue
        fits = [
            _mix(
                shown,
                _source_small(sources[a.source], ta, shown.shape, plain),
                _source_small(sources[b.source], tb, shown.shape, plain),
            )
            for plain in (False, True)
        ]
        found = [f for f in fits if f is not None]
        if not found:
            weights.append(float("nan"))
            continue
        x, y, _ = min(found, key=lambda f: f[2])  # the grey the render was made with fits best
        if x + y < 0.3:  # mostly black or unrelated: no weight
            weights.append(float("nan"))
            continue
        usable += 1
        weights.append(float(np.clip(x / (x + y), 0.0, 1.0)))
    return weights if usable >= 3 else None


def mixed_run(weights: list[float], i: int, j: int) -> tuple[int, int]:
    """The first and last index of the one run of blended frames that holds the join ``i..j``.

    A crossfade's blended frames follow one another across the join. The run reaches out from
    it until a frame shows one shot alone; a mixed fit beyond such a frame is a picture
    predicted from the wrong moment (a segment matched a moment into a repeating picture and
    played back from there across its shot's edge, slowed down), not part of a blend.
    """

    def alone(w: float) -> bool:
        return not np.isnan(w) and not MIXED[0] < w < MIXED[1]

    first, last = i, j
    while first > 0 and not alone(weights[first - 1]) and not alone(weights[first]):
        first -= 1
    while last < len(weights) - 1 and not alone(weights[last + 1]) and not alone(weights[last]):
        last += 1
    return first, last


def _mixed_at_join(weights: list[float], i: int, j: int) -> list[float]:
    """The mixed weights of the run of blended frames at the join (see ``mixed_run``)."""
    first, last = mixed_run(weights, i, j)
    return [w for w in weights[first : last + 1] if MIXED[0] < w < MIXED[1]]


def classify_joins(
    render: Footage, segs: list[Segment], matches: list[Match], sources: list[Footage]
) -> list[Join]:
    """Each change of segment, classified from the output frames around it.

    A dip of the luma to near black that the edit made is a fade (the source's own dark
    frames, which a cut into a shot opening on black shows, make none: see ``_dips``).
    Otherwise each frame around the join is fitted as a mix of the two shots: mixed frames (a
    weight between them on several frames) make a crossfade, a switch in one frame a cut.
    Where the two shots look too alike to fit, the old test decides: one frame-to-frame step
    carrying most of the change is a cut, a change spread over several frames a crossfade. A
    segment that plays on from where the previous one stopped is no join the edit made: inside
    one scene (a measured part boundary of a long take) it is no change at all; into another
    scene it is the source's own change, kept as an ``own`` join (classified the same way). A
    cut inside one scene where the picture does not visibly jump (see ``_jumps``) is no change
    either.
    """
    joins: list[Join] = []
    distances = np.array([1.0 if m.source is None else m.distance for m in matches])
    rate = (
        1.0 / max(1e-3, float(np.median(np.diff(render.times)))) if len(render.times) > 1 else 25.0
    )
    reach = max(2, round(0.75 * rate))
    for a, b in pairwise(segs):
        i, j = a.last, b.first
        own = _continuous(a, b, sources[a.source].fps if sources else rate) or _still_into(
            render, sources, matches, a, b
        )
        lo, hi = max(a.first, i - reach), min(b.last, j + reach)
        if (
            own
            and a.shot is not b.shot
            and dips_to_black(render, sources, matches, a, b, (lo, hi), rate)
            and float(render.luma[hi]) > float(render.luma[j])
        ):
            # Played on into the next measured shot, but dimmed to black at the change, darker
            # than the source shows it, and up again after: the edit's dip between two pieces
            # that meet. A closing fade-out through the source's own cut never comes back up.
            own = False
        if own and _same_scene(a, b):
            continue
        time = float((render.times[i] + render.times[j]) / 2)
        weights = (
            blend_weights(render, sources, a, b, lo, hi) if sources and len(render.smalls) else None
        )
        if dips_to_black(render, sources, matches, a, b, (lo, hi), rate):
            kind = "fade"
        elif a.shot is not None and a.shot is b.shot and beside_black(render.luma, i, j, rate):
            # Frames dimmed on a fade's way into or out of black can match other moments of
            # their shot: a change inside one shot beside the black is that fade, no join.
            continue
        elif weights is not None:
            # A crossfade moves from one picture to the other: its mixed frames change weight
            # (a fit stuck at one mix is a picture neither shot explains, not a blend).
            mixed = _mixed_at_join(weights, i - lo, j - lo)
            gradual = len(mixed) >= 2 and max(mixed) - min(mixed) >= _MIX_SPREAD
            kind = "crossfade" if gradual else "cut"
        else:
            # A crossfade spreads the change over several frames, each a blend that matches
            # its source worse than the frames around it do.
            total = _mean_step(render.thumbs, lo, hi)
            steps = [_mean_step(render.thumbs, k, k + 1) for k in range(lo, hi)]
            spread = (max(steps) if steps else 0.0) < 0.5 * total
            distance = distances[lo : hi + 1]
            blended = int((distance > 3.0 * float(np.median(distance)) + 0.01).sum())
            kind = "crossfade" if spread and blended >= 2 else "cut"
        if (
            kind == "cut"
            and not own
            and _same_scene(a, b)
            and not _jumps(render.thumbs, i, j, rate)
        ):
            # A cut is a jump of the picture. Inside one scene without one, the viewer sees
            # the picture go on: the mapping moved to a tied moment (see ``_jumps``).
            continue
        joins.append(Join(time, kind, a, b, own))
    return joins
