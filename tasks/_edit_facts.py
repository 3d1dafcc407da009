"""What the edit prompt says about the job: the intent, the probed clips, the frame analyses.

Trusted code turns the step's inputs into short prompt lines here; durations, sizes and frame
rates are probed from the clips themselves rather than taken from the caller's facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.exceptions import ConfigError

__all__ = ["analysis_lines", "as_intent", "clip_lines"]

_MAX_ANALYSES = 6
_DEFAULT_GOAL = "A short, well-paced edit of the footage that keeps its best moments."
_PROBED = frozenset({"clips", "duration", "duration_s", "fps", "width", "height", "scenes"})


def as_intent(intent: Any) -> Any:
    """A ``CreativeIntent`` from one, a plain goal string, or None (a generic goal).

    Raises:
        ConfigError: The intent has no goal.
    """
    from tasks.understand_intent import CreativeIntent

    if intent is None:
        return CreativeIntent(goal=_DEFAULT_GOAL, style_and_mood="", target_audience="")
    if isinstance(intent, str):
        return CreativeIntent(goal=intent.strip(), style_and_mood="", target_audience="")
    if not getattr(intent, "goal", ""):
        raise ConfigError("generate_edit needs an intent with a goal")
    return intent


def clip_lines(inputs: list[Path], clip_facts: dict[str, Any]) -> list[str]:
    """One line per input: probed duration, size and rate, then its short facts and scenes."""
    from moviepy.video.io.ffmpeg_reader import ffmpeg_parse_infos

    extra = clip_facts.get("clips") if isinstance(clip_facts.get("clips"), list) else None
    lines = []
    for index, path in enumerate(inputs):
        infos = ffmpeg_parse_infos(str(path))
        width, height = infos.get("video_size") or (0, 0)
        line = (
            f"{path.name}: {float(infos.get('duration') or 0):.2f} s, {width}x{height}, "
            f"{float(infos.get('video_fps') or 0):.3g} fps"
        )
        facts = extra[index] if extra and index < len(extra) else (clip_facts if index == 0 else {})
        notes = [
            f"{key}={value}"
            for key, value in facts.items()
            if key not in _PROBED and isinstance(value, str | int | float) and len(str(value)) < 80
        ]
        scenes = facts.get("scenes")
        if isinstance(scenes, list) and scenes:
            notes.append("scenes at " + ", ".join(_scene_text(s) for s in scenes[:12]))
        if notes:
            line += "; " + "; ".join(notes)
        lines.append(line)
    return lines


def _scene_text(scene: Any) -> str:
    if isinstance(scene, dict):
        start, end = scene.get("start_s"), scene.get("end_s")
    else:
        start, end = getattr(scene, "start_s", None), getattr(scene, "end_s", None)
    if isinstance(start, int | float) and isinstance(end, int | float):
        return f"{start:.1f}-{end:.1f}s"
    return str(scene)[:40]


def _spread(items: Sequence[Any], most: int) -> list[Any]:
    """At most ``most`` items, evenly spread from first to last (every scene range is seen)."""
    items = list(items)
    if len(items) <= most:
        return items
    if most <= 1:
        return items[:most]
    return [items[round(i * (len(items) - 1) / (most - 1))] for i in range(most)]


def analysis_lines(analyses: Sequence[Any]) -> list[str]:
    """One line per analysis: a ``FrameAnalysis``, a string, or a ``(label, either)`` pair."""
    lines = []
    for item in _spread(analyses, _MAX_ANALYSES):
        label, analysis = item if isinstance(item, tuple) else ("", item)
        if isinstance(analysis, str):
            text = analysis
        else:
            text = str(getattr(analysis, "summary", "") or "")
            suggestions = list(getattr(analysis, "edit_suggestions", []) or [])[:2]
            if suggestions:
                text += " Suggested: " + "; ".join(str(s) for s in suggestions)
        text = " ".join(text.split())
        if text:
            lines.append((f"{label}: {text}" if label else text)[:300])
    return lines
