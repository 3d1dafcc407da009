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
