"""onnxruntime, as the studio uses it (OCR and voice activity), writes nothing in the home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tasks._onnx import ENV

ROOT = Path(__file__).resolve().parents[2]
# onnxruntime keeps no telemetry where it sees a CI service: the test runs as a user's machine.
_CI_MARKERS = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD")

# Reads a picture (RapidOCR) and finds speech in silence (Silero VAD): both start onnxruntime.
_SCRIPT = """
import numpy as np
from tasks.audio.speech import speech_spans
from tasks.ocr import read_text_bgr

read_text_bgr(np.zeros((64, 64, 3), np.uint8))
speech_spans(np.zeros(16000, np.float32), 16000)
"""


def test_onnxruntime_keeps_no_telemetry_in_the_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    unset = {*ENV, *_CI_MARKERS, "XDG_CACHE_HOME"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", _SCRIPT], env=env, cwd=ROOT, check=True, timeout=120)
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []
