"""The dry run is the render's first part, and the render must show what it validated.

Host-side: the parent decodes the delivered file's frames and compares them with the
fingerprints of the frames the validation saw (``sandbox.samples``).
"""

from __future__ import annotations

import os
from pathlib import Path

from sandbox.runner import Limits, run_script

HERE = Path(__file__).parent
PROCESSES = 24 + 8 * (os.cpu_count() or 2)
LIMITS = Limits(cpu_s=60, processes=PROCESSES, wall_s=120.0)


def test_a_call_counting_script_cannot_render_what_it_did_not_show(
    clip: Path, tmp_path: Path
) -> None:
    source = (HERE / "hostile" / "count_calls.py").read_text(encoding="utf-8")
    dry = run_script(source, [clip], None, limits=LIMITS, validate_only=True)
    assert dry.ok, dry.reason  # the dry run alone is fooled: it saw ordinary frames
    out = tmp_path / "o.mp4"
    result = run_script(source, [clip], out, limits=LIMITS)
    assert not result.ok
    assert "not what was validated" in (result.reason or ""), result.reason
    assert not out.exists() and not list(tmp_path.glob(".*partial"))


def test_the_same_script_without_the_counter_renders(clip: Path, tmp_path: Path) -> None:
    # Control: the negative on every frame is ordinary content, validated and rendered.
    source = (HERE / "hostile" / "count_calls.py").read_text(encoding="utf-8")
    source = source.replace("if len(CALLS) <= 6:", "if len(CALLS) < 0:")
    out = tmp_path / "o.mp4"
    result = run_script(source, [clip], out, limits=LIMITS)
    assert result.ok, result.reason
    assert out.exists()
