"""The BlazeFace short-range net run by OpenCV's dnn: anchors, letterboxed input, decoded boxes.

``tasks.footage.faces`` finds and checks the model file and decides which detector counts;
this module is what one BlazeFace count does with a loaded net: the measure copy letterboxed
into the 128x128 input, the outputs decoded on MediaPipe's anchor layout, and the boxes that
fall on the frame rather than on the black bars counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tasks._video import import_cv2

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["count_blazeface", "load_blazeface"]

_BLAZEFACE_SIZE = 128
# MediaPipe's SSD anchor layout for this model: 16x16 cells of stride 8 with 2 anchors each,
# then 8x8 cells of stride 16 with 6 each (three stride-16 layers merged), 896 in all; every
# anchor is 1x1, so the regressors are offsets and sizes in input pixels.
_BLAZEFACE_ANCHOR_LAYERS = ((8, 2), (16, 6))
# MediaPipe's own defaults for this model.
_BLAZEFACE_MIN_SCORE = 0.5
_BLAZEFACE_NMS_IOU = 0.3
# Logits are clipped before exp: exp(80) still fits a float32; an unclipped large negative
# logit overflows it (and warns) for a score that rounds to 0 anyway.
_BLAZEFACE_LOGIT_CLIP = 80.0


def _anchor_centres(size: int, layers: tuple[tuple[int, int], ...]) -> npt.NDArray[np.float32]:
    """SSD anchor centres (x, y; 0..1) in the model's output order: layer, row, column, anchor."""
    centres = []
    for stride, per_cell in layers:
        cells = size // stride
        rows, columns = np.mgrid[0:cells, 0:cells]
        grid = (np.stack([columns, rows], axis=-1).reshape(-1, 2) + 0.5) / cells
        centres.append(np.repeat(grid, per_cell, axis=0))
    return np.concatenate(centres).astype(np.float32)


_BLAZEFACE_ANCHORS = _anchor_centres(_BLAZEFACE_SIZE, _BLAZEFACE_ANCHOR_LAYERS)


def _blazeface_outputs(
    outputs: Sequence[npt.NDArray[np.float32]],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """The score logits (one per anchor) and regressors (16 per anchor), told apart by size.

    OpenCV returns ``forward(names)`` in the order of ``names``, and which name comes first
    is the importer's choice, so the outputs are picked by shape rather than by position.

    Raises:
        ValueError: The outputs are not the two this model has.
    """
    anchors = len(_BLAZEFACE_ANCHORS)
    logits = regressors = None
    for output in outputs:
        if output.size == anchors:
            logits = output.reshape(anchors)
        elif output.size == anchors * 16:
            regressors = output.reshape(anchors, 16)
    if logits is None or regressors is None:
        raise ValueError(f"unexpected BlazeFace outputs {[o.shape for o in outputs]}")
    return logits, regressors


def _blazeface_boxes(
    logits: npt.NDArray[np.float32], regressors: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Decode the model's outputs into faces.

    Args:
        logits: One score logit per anchor.
        regressors: Per anchor: box centre offset and size in input pixels, then six
            keypoints (unused).

    Returns:
        Faces as rows (x, y, width, height), 0..1 of the input square, after the score
        threshold and non-maximum suppression, best first.
    """
    cv2 = import_cv2()
    clipped = np.clip(logits, -_BLAZEFACE_LOGIT_CLIP, _BLAZEFACE_LOGIT_CLIP)
    scores = 1.0 / (1.0 + np.exp(-clipped))
    keep = np.flatnonzero(scores >= _BLAZEFACE_MIN_SCORE)
    if keep.size == 0:
        return np.zeros((0, 4), np.float32)
    offsets = regressors[keep, :4] / _BLAZEFACE_SIZE
    sizes = offsets[:, 2:]
    corners = _BLAZEFACE_ANCHORS[keep] + offsets[:, :2] - sizes / 2
    boxes = np.concatenate([corners, sizes], axis=1).astype(np.float32)
    chosen = cv2.dnn.NMSBoxes(
        boxes.tolist(), scores[keep].tolist(), _BLAZEFACE_MIN_SCORE, _BLAZEFACE_NMS_IOU
    )
    return boxes[np.asarray(chosen, np.int64).reshape(-1)]


def _run_blazeface(net: Any, blob: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    net.setInput(blob)
    outputs = net.forward(net.getUnconnectedOutLayersNames())
    return _blazeface_boxes(*_blazeface_outputs(outputs))


def load_blazeface(model: npt.NDArray[np.uint8]) -> Any | None:
    """A BlazeFace net that has run once on a blank input, or None if it does not."""
    cv2 = import_cv2()
    try:
        net = cv2.dnn.readNetFromTFLite(model)
        # Explicitly, so a build with other backends (OpenVINO, CUDA) runs what was measured.
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        # One pass proves the outputs are the expected ones before any frame relies on them,
        # and allocates the net's buffers outside a timed frame.
        _run_blazeface(net, np.zeros((1, 3, _BLAZEFACE_SIZE, _BLAZEFACE_SIZE), np.float32))
    except (cv2.error, ValueError):
        return None
    return net


def count_blazeface(net: Any, small: npt.NDArray[np.uint8], gray: npt.NDArray[np.uint8]) -> int:
    """Faces in the measure copy, letterboxed into the model's square input."""
    cv2 = import_cv2()
    height, width = small.shape[:2]
    scale = _BLAZEFACE_SIZE / max(height, width)
    inner_w = max(1, round(width * scale))
    inner_h = max(1, round(height * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    resized = cv2.resize(small, (inner_w, inner_h), interpolation=interpolation)
    left = (_BLAZEFACE_SIZE - inner_w) // 2
    top = (_BLAZEFACE_SIZE - inner_h) // 2
    # Letterboxed, not stretched: the model was trained on undistorted faces.
    square = cv2.copyMakeBorder(
        resized,
        top,
        _BLAZEFACE_SIZE - inner_h - top,
        left,
        _BLAZEFACE_SIZE - inner_w - left,
        cv2.BORDER_CONSTANT,
        value=(0, 0, 0),
    )
    blob = cv2.dnn.blobFromImage(
        square,
        1 / 127.5,
        (_BLAZEFACE_SIZE, _BLAZEFACE_SIZE),
        (127.5, 127.5, 127.5),
        swapRB=True,
    )
    boxes = _run_blazeface(net, blob) * _BLAZEFACE_SIZE
    # A face centred on the black bars is not on the frame.
    centre_x = boxes[:, 0] + boxes[:, 2] / 2
    centre_y = boxes[:, 1] + boxes[:, 3] / 2
    on_frame = (
        (centre_x >= left)
        & (centre_x < left + inner_w)
        & (centre_y >= top)
        & (centre_y < top + inner_h)
    )
    return int(np.count_nonzero(on_frame))
