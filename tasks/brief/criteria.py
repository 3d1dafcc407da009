"""The checklist of a brief: one ``Criterion`` per checkable ask, in a stable order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._sound import sound_criteria
from .model import Criterion

if TYPE_CHECKING:
    from .model import Brief, ShotPick

__all__ = ["criteria_of", "describe_pick", "describe_portion"]


_FROM_END = {1: "last", 2: "second-to-last", 3: "third-to-last", 4: "fourth-to-last"}


def describe_pick(pick: ShotPick) -> str:
    """A pick in words: 'the brightest shot', 'scene 3', 'the second-to-last scene'."""
    if pick.kind == "scene":
        return f"scene {pick.scene}"
    if pick.kind == "scene_from_end":
        k = pick.scene or 1
        return f"the {_FROM_END.get(k, f'{k}th-to-last')} scene"
    if pick.kind == "time":
        return f"the source at {pick.time_s:.1f} s"
    words = {
        "most_motion": "the shot with the most motion",
        "least_motion": "the stillest shot",
        "faces": "a shot with a face",
        "most_colourful": "the most colourful shot",
        "first": "the first shot",
        "last": "the last shot",
    }
    return words.get(pick.kind, f"the {pick.kind} shot")


_HALVES = {(0.0, 0.5): "the first half", (0.5, 1.0): "the second half",
            (0.25, 0.75): "the middle half"}  # fmt: skip


def describe_portion(portion: tuple[float, float]) -> str:
    """A fraction of the source in words: 'the first half', 'the last third', '20-40%'."""
    a, b = (round(v, 3) for v in portion)
    if (a, b) in _HALVES:
        return _HALVES[(a, b)]
    for parts, name in ((3, "third"), (4, "quarter")):
        k = round(a * parts)
        if abs(a - k / parts) < 1e-3 and abs(b - (k + 1) / parts) < 1e-3:
            which = ("first", "second", "third", "fourth")[k] if k < parts - 1 else "last"
            if parts == 3 and k == 1:
                which = "middle"
            return f"the {which} {name}"
    return f"{a:.0%}\u2013{b:.0%}"


def _duration_text(brief: Brief) -> str:
    ask = brief.duration
    assert ask is not None
    parts = []
    if ask.target_s is not None:
        parts.append(f"{ask.target_s:g} ± {ask.tolerance_s:g} s")
    if ask.min_s is not None:
        parts.append(f"at least {ask.min_s:g} s")
    if ask.max_s is not None:
        parts.append(f"at most {ask.max_s:g} s")
    if ask.share_of_source is not None:  # not yet resolved with the source's length
        parts.append(f"{ask.share_of_source:.0%} of the source's length")
    if ask.shorter_by_s is not None:
        parts.append(f"the source's length less {ask.shorter_by_s:g} s")
    return "duration " + ", ".join(parts)


def _fade_text(lead: str, fade: str, asked: bool, seconds: float | None, none: str) -> str:
    if not asked:
        return none
    return f"{lead} {seconds:g} s {fade}" if seconds is not None else f"{lead} {fade}"


def criteria_of(brief: Brief) -> list[Criterion]:
    """Flatten a brief into its checklist (ids are stable: verification caches key on them)."""
    out: list[Criterion] = []

    def add(id_: str, kind: str, text: str, checkable: bool = True) -> None:
        out.append(Criterion(id=id_, kind=kind, text=text, checkable=checkable))  # type: ignore[arg-type]

    if brief.duration is not None:
        add("duration", "duration", _duration_text(brief))
    for i, speed in enumerate(brief.speeds, 1):
        where = {"all": "the whole edit", "best_moment": "a replay", "part": "part of the edit"}
        what = where[speed.applies_to]
        if speed.pick is not None:
            what += f" of {describe_pick(speed.pick)}"
        add(f"speed-{i}", "speed", f"{speed.factor:g}x speed on {what}")
    if brief.colour is not None:
        add("colour", "colour", f"colour: {brief.colour}")
    if brief.transitions is not None:
        words = {"cut": "hard cuts", "fade": "fades between shots", "crossfade": "crossfades"}
        add("transitions", "transitions", words[brief.transitions])
        if brief.transition_s is not None and brief.transitions != "cut":
            text = f"{words[brief.transitions]} {brief.transition_s:g} s long"
            add("transition_s", "transition_s", text)
    if brief.fade_in is not None:
        add("fade_in", "fade_in", _fade_text("opens with a", "fade from black", brief.fade_in,
                                             brief.fade_in_s, "no fade in"))  # fmt: skip
    if brief.fade_out is not None:
        add("fade_out", "fade_out", _fade_text("ends with a", "fade to black", brief.fade_out,
                                               brief.fade_out_s, "no fade out"))  # fmt: skip
    for i, caption in enumerate(brief.captions, 1):
        add(f"caption-{i}", "caption", f'caption "{caption}" on screen')
    if not brief.captions:
        add("no_text", "no_text", "no text burnt in that was not asked for")
    if brief.start_on is not None:
        add("start_on", "start_on", f"starts on {describe_pick(brief.start_on)}")
    if brief.end_on is not None:
        add("end_on", "end_on", f"ends on {describe_pick(brief.end_on)}")
    if brief.use is not None:
        use = brief.use
        if use.kind in ("head", "tail"):
            text = f"uses the {'first' if use.kind == 'head' else 'last'} {use.seconds or 0:g} s"
        elif use.kind == "portion" and use.portion is not None:
            text = f"uses {describe_portion(use.portion)} of the source"
        elif use.kind == "ranges":
            text = "uses " + ", ".join(f"{a:g} to {b:g} s" for a, b in use.ranges)
        elif use.kind == "trim" and use.trim is not None:  # not yet resolved with the footage
            text = f"uses the source less its first {use.trim[0]:g} s and last {use.trim[1]:g} s"
        elif use.kind == "except":
            text = "uses all but " + ", ".join(describe_pick(p) for p in use.skip)
        else:
            text = {
                "all": "uses the whole clip",
                "every_scene": "uses every scene",
                "beginning_middle_end": "uses the beginning, middle and end",
            }[use.kind]
        add("use", "use", text)
    if brief.order is not None:
        add(
            "order",
            "order",
            "shots in source order" if brief.order == "source" else "shots in reverse order",
        )
    if brief.playback is not None:
        way = "backwards" if brief.playback == "reverse" else "forwards"
        add("playback", "playback", f"plays {way}")
    if brief.aspect is not None:
        add("aspect", "aspect", f"aspect {brief.aspect}")
    if brief.size is not None:
        add("size", "size", f"size {brief.size[0]}x{brief.size[1]}")
    if brief.audio is not None:
        add(
            "audio",
            "audio",
            "keeps the source audio" if brief.audio == "keep" else "silent (audio muted)",
        )
    if brief.sound is not None:
        out += sound_criteria(brief.sound)
    for i, ask in enumerate(brief.free_text, 1):
        add(f"free-{i}", "free", ask, checkable=False)
    return out
