"""The OCR engine pool: callers on different threads read at once, on at most one engine per
core, and an engine is reused rather than rebuilt."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from tasks import ocr


class _Engine:
    """Stands in for RapidOCR: each call waits at a barrier shared by the test's callers."""

    def __init__(self, barrier: threading.Barrier, built: list[_Engine]) -> None:
        self.barrier = barrier
        built.append(self)

    def __call__(self, picture: Any) -> Any:
        self.barrier.wait(timeout=5)
        return type("Output", (), {"txts": ("TITLE",), "scores": (0.9,)})()


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[_Engine]:
    monkeypatch.setattr(ocr, "_idle", [])
    monkeypatch.setattr(ocr, "_created", 0)
    monkeypatch.setattr(ocr.os, "cpu_count", lambda: 2)
    return []


def test_two_callers_read_at_once_on_two_engines(
    built: list[_Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each call returns only once both callers are inside an engine: one shared engine
    # (callers queued behind a lock) breaks the barrier.
    barrier = threading.Barrier(2)
    monkeypatch.setattr(ocr, "_new_engine", lambda: _Engine(barrier, built))
    picture = np.zeros((32, 32, 3), np.uint8)

    with ThreadPoolExecutor(max_workers=2) as pool:
        lines = list(pool.map(lambda _: ocr.read_text_bgr(picture), range(2)))

    assert lines == [["TITLE"], ["TITLE"]]
    assert len(built) == 2


def test_engines_are_reused_and_never_more_than_the_cores(
    built: list[_Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    barrier = threading.Barrier(1)  # never waits
    monkeypatch.setattr(ocr, "_new_engine", lambda: _Engine(barrier, built))
    picture = np.zeros((32, 32, 3), np.uint8)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda _: ocr.read_text_bgr(picture), range(30)))

    assert 1 <= len(built) <= 2
    assert sorted(map(id, ocr._idle)) == sorted(map(id, built))


_PARSE_COUNT = r"""
from pathlib import Path

import cv2
import numpy as np
from omegaconf import OmegaConf

real = OmegaConf.__dict__["load"]
catalogue_trees = []


def counting(file_, *args, **kwargs):
    if Path(str(file_)).name == "default_models.yaml":
        catalogue_trees.append(str(file_))
    return real.__func__(file_, *args, **kwargs)


counting_load = staticmethod(counting)
type.__setattr__(OmegaConf, "load", counting_load)
from tasks import ocr  # noqa: E402

picture = np.full((120, 360, 3), 255, np.uint8)
cv2.putText(picture, "TITLE 42", (10, 75), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (0, 0, 0), 3)
print(ocr.read_text_bgr(picture))
print(len(catalogue_trees))
print(OmegaConf.__dict__["load"] is counting_load)
from rapidocr.inference_engine.base import MODEL_URL_PATH, InferSession  # noqa: E402
from rapidocr.utils import model_resolver  # noqa: E402

whole = OmegaConf.to_container(real.__func__(MODEL_URL_PATH))
print(model_resolver._MODEL_CONFIG == whole)
print(OmegaConf.to_container(InferSession.model_info) == whole)
print(bool(OmegaConf.select(InferSession.model_info, "onnxruntime")))
"""


@pytest.mark.skipif(not ocr.ocr_available(), reason="RapidOCR's models are not installed")
def test_rapidocr_imports_without_building_its_catalogue_and_still_reads_text() -> None:
    # A fresh interpreter: this one may have imported rapidocr already. Building the
    # catalogue's OmegaConf tree costs ~0.15-0.2 s of CPU in every process that reads text.
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _PARSE_COUNT],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert lines[0] == "['TITLE 42']"
    assert lines[1] == "0"  # rapidocr 3.10 alone builds it twice
    # load put back; the plain parse is the whole catalogue, and the tree rapidocr selects
    # download addresses from is still there when asked for.
    assert lines[2:6] == ["True", "True", "True", "True"]


@pytest.mark.skipif(not ocr.ocr_available(), reason="RapidOCR's models are not installed")
def test_the_detector_builds_its_preprocessing_once_not_per_picture(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # rapidocr builds it from OmegaConf lists for every picture: ~1.5 ms each, a tenth of a
    # small frame's OCR. The engine's own one must read the same text.
    import cv2
    from rapidocr.ch_ppocr_det import utils

    engine = ocr._new_engine()
    built: list[object] = []
    real_init = utils.DetPreProcess.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(utils.DetPreProcess, "__init__", counting)
    picture = np.full((120, 360, 3), 255, np.uint8)
    cv2.putText(picture, "TITLE 42", (10, 75), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (0, 0, 0), 3)

    readings = [tuple(engine(picture).txts) for _ in range(3)]

    assert readings == [("TITLE 42",)] * 3
    assert built == []


@pytest.mark.skipif(not ocr.ocr_available(), reason="RapidOCR's models are not installed")
def test_later_engines_read_with_the_first_engines_sessions_and_read_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two ONNX sessions cost ~0.1 s of CPU per engine; an InferenceSession runs on several
    # threads at once, so engines built later share the first one's.
    import cv2

    monkeypatch.setattr(ocr, "_loaded_models", {})
    picture = np.full((120, 360, 3), 255, np.uint8)
    cv2.putText(picture, "TITLE 42", (10, 75), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (0, 0, 0), 3)
    first, second = ocr._new_engine(), ocr._new_engine()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(lambda engine: engine(picture), (first, second, first, second)))

    assert [(tuple(o.txts), tuple(o.scores)) for o in outputs] == [
        (tuple(outputs[0].txts), tuple(outputs[0].scores))
    ] * 4
    assert outputs[0].txts == ("TITLE 42",)
    assert second.text_det is not first.text_det and second.text_rec is not first.text_rec
    assert second.text_det.session is first.text_det.session
    assert second.text_rec.session is first.text_rec.session
