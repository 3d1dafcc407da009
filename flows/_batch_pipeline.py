"""How a footage batch keeps its model backend busy: several clips at once, bounded gates.

A batch analyses several clips concurrently, so that probing and frame sampling of the next
clips overlap with the model calls of the current ones. Three process-wide gates keep that
from overrunning anything:

* **model gate**: at most ``Routing.capacity(role)`` vision requests in flight from this
  process, whichever clips they belong to (more would only queue at the server and spend
  their timeout waiting);
* **sampling gate**: at most one frame-sampling clip per CPU core (decoding is CPU bound;
  more at once only delays every clip's first model call);
* **content lock**: one clip per content (sha256) at a time, so a copy of a clip being
  analysed waits for that analysis and is then skipped, never analysed twice into the same
  folder.

How many clips a batch runs at once (``clips_at_once``): the capacity plus one, so that
even clips of one scene each fill the backend while one more clip is being sampled.

**Riding out an outage** (``CLIP_RETRIES``, ``CLIP_RETRY_DELAYS_S``): with several clips in
flight, a backend that dies or restarts fails every one of them at once, and each clip's retry
may meet the outage again, or a timeout of its own. A clip that failed transiently is
therefore retried on a schedule longer than an outage as a client sees it: the restart itself
(the fault test keeps the backend down 3 s) plus the health probe's memory of "down" (its
5 s ttl: calls are refused without a request until it re-probes), so up to ~8 s. The
second retry starts 12 s after the first failure, past that window whenever it began; the
third (32 s) is a spare for a transient failure of the clip's own call. Only the transient
branch is retried (``flows._retry.retry_transient``): a bad file fails at once, alone.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "CLIP_RETRIES",
    "CLIP_RETRY_DELAYS_S",
    "MAX_CLIPS_AT_ONCE",
    "clips_at_once",
    "content_lock",
    "model_gate",
    "sampling_gate",
]

MAX_CLIPS_AT_ONCE = 32  # frames of every clip in flight are held in memory
# Seconds before each retry of a clip that failed transiently (see the module doc).
CLIP_RETRY_DELAYS_S = (2.0, 10.0, 20.0)
CLIP_RETRIES = len(CLIP_RETRY_DELAYS_S)

_lock = threading.Lock()
_model_gates: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_content_locks: dict[str, threading.Lock] = {}
_sampling: threading.BoundedSemaphore | None = None


def clips_at_once(capacity: int, clips: int) -> int:
    """Clips a batch of ``clips`` clips runs at once against ``capacity`` model slots."""
    return max(1, min(clips, capacity + 1, MAX_CLIPS_AT_ONCE))


def model_gate(role: str, capacity: int) -> threading.BoundedSemaphore:
    """The semaphore every request of ``role`` holds while in flight (``capacity`` slots)."""
    key = (role, max(1, capacity))
    with _lock:
        gate = _model_gates.get(key)
        if gate is None:
            gate = _model_gates[key] = threading.BoundedSemaphore(key[1])
        return gate


@contextmanager
def sampling_gate() -> Iterator[None]:
    """Hold one of the process's frame-sampling slots (one per CPU core) for the block."""
    global _sampling
    with _lock:
        if _sampling is None:
            _sampling = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
        gate = _sampling
    with gate:
        yield


@contextmanager
def content_lock(sha256: str) -> Iterator[None]:
    """Hold the lock of one clip content for the block (one analysis of it at a time)."""
    with _lock:
        lock = _content_locks.setdefault(sha256, threading.Lock())
    with lock:
        yield
