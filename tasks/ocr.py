"""Text on screen, read by OCR: RapidOCR, whose ONNX models ship inside its wheel.

The one OCR wrapper of the studio: the footage pass reads the text of each sampled frame with
it (title cards, signs, captions) and the render verifier reads the output's captions.
Nothing is downloaded: the wheel's own model files are named explicitly.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tasks._onnx import offline

__all__ = ["MIN_SCORE", "ocr_available", "read_text", "read_text_bgr"]

MIN_SCORE = 0.6
_THREADS = 2
_DET_MODEL = "PP-OCRv6_det_small.onnx"
_REC_MODEL = "PP-OCRv6_rec_small.onnx"
# One engine, one caller at a time: RapidOCR keeps per-call state in Python objects, and
# its ONNX sessions already use the threads given them.
_lock = threading.Lock()


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


@lru_cache(maxsize=1)
def _engine() -> Any:
    """RapidOCR with the wheel's own models; no download, few threads, no angle classifier."""
    offline()
    import rapidocr

    models = _models()
    if models is None:
        raise RuntimeError("RapidOCR's models are not installed")
    return rapidocr.RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": False,
            "Det.model_path": str(models / _DET_MODEL),
            "Rec.model_path": str(models / _REC_MODEL),
            # Captions and titles are big: detect on a 320 px picture (5x faster than 640),
            # never upscaled.
            "Det.limit_type": "max",
            "Det.limit_side_len": 320,
            "EngineConfig.onnxruntime.intra_op_num_threads": _THREADS,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


def read_text_bgr(picture: NDArray[np.uint8]) -> list[str]:
    """Lines of text OCR reads with confidence in a BGR picture, top to bottom."""
    with _lock:
        output = _engine()(picture)
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
