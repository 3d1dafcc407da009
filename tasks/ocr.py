"""Text on screen, read by OCR: RapidOCR, whose ONNX models ship inside its wheel.

The one OCR wrapper of the studio: the footage pass reads the text of each sampled frame with
it (title cards, signs, captions) and the render verifier reads the output's captions.
Nothing is downloaded: the wheel's own model files are named explicitly.

Engines are pooled, one per CPU core at most and created when first needed: an engine serves
one caller at a time (RapidOCR keeps per-call state in Python objects), so frames of clips
sampled at once are read side by side instead of queueing for one engine. Each engine's ONNX
sessions run on one thread: a second intra-op thread spins more CPU than it saves, and the
parallelism comes from the pool instead.

rapidocr is imported with its model catalogue parsed once, as plain data (``tasks._rapidocr``).
Each engine's text detector builds its pre-processing once, from plain numbers, instead of
from OmegaConf lists on every picture (``_plain_det_preprocess``), and its ONNX sessions keep
their memory arena between pictures: neither changes what is read.
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tasks._onnx import offline
from tasks._rapidocr import import_rapidocr

__all__ = ["MIN_SCORE", "ocr_available", "read_text", "read_text_bgr"]

MIN_SCORE = 0.6
_DET_MODEL = "PP-OCRv6_det_small.onnx"
_REC_MODEL = "PP-OCRv6_rec_small.onnx"
# Idle engines, and how many exist; a caller waits only when every core has a busy one.
_idle: list[Any] = []
_created = 0
_pool_changed = threading.Condition()
_loading = threading.Lock()  # one engine built at a time: RapidOCR's setup shares its config
# The first detector and recogniser loaded; later engines read with copies (``_share_models``).
_loaded_models: dict[str, Any] = {}
_models_lock = threading.Lock()


def _models() -> Path | None:
    offline()
    try:
        import rapidocr
    except ImportError:
        return None
    models = Path(str(rapidocr.__file__)).parent / "models"
    found = all((models / name).is_file() for name in (_DET_MODEL, _REC_MODEL))
    return models if found else None


def ocr_available() -> bool:
    """Whether RapidOCR and its wheel's models are installed."""
    return _models() is not None


def _new_engine() -> Any:
    """RapidOCR with the wheel's own models; no download, one thread, no angle classifier."""
    offline()
    models = _models()
    if models is None:
        raise RuntimeError("RapidOCR's models are not installed")
    engine = import_rapidocr().RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": False,
            "Det.model_path": str(models / _DET_MODEL),
            "Rec.model_path": str(models / _REC_MODEL),
            # Captions and titles are big: detect on a 320 px picture (5x faster than 640),
            # never upscaled.
            "Det.limit_type": "max",
            "Det.limit_side_len": 320,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            # Buffers reused between pictures instead of allocated for each run (~6% of a
            # small frame's OCR CPU, measured); the numbers are the same.
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
        }
    )
    _share_models(engine)
    _plain_det_preprocess(engine)
    return engine


def _share_models(engine: Any) -> None:
    """Have the engine load its detector and recogniser as the first engine's siblings.

    Each ONNX session costs ~50-60 ms of CPU to build, and an engine builds two, the first
    time it needs each. An ``InferenceSession`` may run on several threads at once, so an
    engine built after another gets a shallow copy of that engine's ``TextDetector`` and
    ``TextRecognizer`` (its own Python objects, the same session and post-processing, which
    keep no state between pictures): the same model with the same kernels reads the same
    text. Still loaded on first need, so a model that fails to load fails where it did.
    """
    if not all(hasattr(engine, f"_load_{kind}_model") for kind in ("det", "rec")):
        return  # another rapidocr 3.x: each engine loads its own

    def loader(kind: str) -> Callable[[], Any]:
        own = getattr(engine, f"_load_{kind}_model")  # the bound method of its class

        def load() -> Any:
            with _models_lock:
                shared = _loaded_models.get(kind)
                if shared is None:
                    shared = _loaded_models[kind] = own()
                elif getattr(engine, f"text_{kind}") is None:
                    setattr(engine, f"text_{kind}", copy.copy(shared))
            return getattr(engine, f"text_{kind}")

        return load

    engine._load_det_model = loader("det")
    engine._load_rec_model = loader("rec")


def _plain_det_preprocess(engine: Any) -> None:
    """Build the detector's pre-processing once, with its mean and std as plain numbers.

    rapidocr 3.x makes a new ``DetPreProcess`` for every picture from the config's OmegaConf
    lists; ``np.array`` of such a list goes through OmegaConf's attribute errors (~1.5 ms a
    picture, a tenth of a small frame's OCR). The pre-processing keeps no state between
    pictures, so one instance built from the same values serves every call.
    """
    try:
        from rapidocr.ch_ppocr_det.utils import DetPreProcess

        detector = engine._load_det_model()  # loaded now instead of at the first picture
    except (ImportError, AttributeError):  # another rapidocr 3.x: its own, slower path
        return
    built = DetPreProcess(
        detector.limit_side_len,
        detector.limit_type,
        None if detector.mean is None else [float(v) for v in detector.mean],
        None if detector.std is None else [float(v) for v in detector.std],
    )
    detector.get_preprocess = lambda: built


@contextmanager
def _engine() -> Iterator[Any]:
    """An engine for this caller alone.

    An idle one, else a new one while fewer than one per core exist, else the next given back.
    """
    global _created
    with _pool_changed:
        while not _idle and _created >= max(1, os.cpu_count() or 1):
            _pool_changed.wait()
        if _idle:
            engine = _idle.pop()
        else:
            _created += 1
            engine = None
    if engine is None:
        try:
            with _loading:  # not under _pool_changed: idle engines stay available meanwhile
                engine = _new_engine()
        except BaseException:
            with _pool_changed:
                _created -= 1
                _pool_changed.notify()
            raise
    try:
        yield engine
    finally:
        with _pool_changed:
            _idle.append(engine)
            _pool_changed.notify()


def read_text_bgr(picture: NDArray[np.uint8]) -> list[str]:
    """Lines of text OCR reads with confidence in a BGR picture, top to bottom."""
    with _engine() as engine:
        output = engine(picture)
    texts = getattr(output, "txts", None) or ()
    scores = getattr(output, "scores", None) or ()
    return [
        str(t).strip()
        for t, s in zip(texts, scores, strict=False)
        if s >= MIN_SCORE and str(t).strip()
    ]


def read_text(picture: NDArray[np.uint8]) -> list[str]:
    """Lines of text OCR reads with confidence in an RGB picture, top to bottom."""
    from tasks._video import import_cv2

    cv2 = import_cv2()
    return read_text_bgr(cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
