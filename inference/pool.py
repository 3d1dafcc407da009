"""Which deployment of a group takes the next request: load, cooldowns and concurrency caps.

The client hands :meth:`DeploymentPool.pick` the deployments of a group that the health probe
reports up; the pool leaves out those cooling down and returns the one with the fewest
requests in flight (ties go round-robin), so replicas share load and a slow one gets less.
Failures are counted per deployment over a one-minute window; past ``allowed_fails`` the
deployment cools down for ``cooldown_time`` seconds (the routing file's
``router_settings``, the same knobs and meaning as litellm's Router). A lone deployment with
nowhere to fall back to is never cooled down: refusing every request would not help.
``max_parallel_requests`` caps requests in flight per deployment (a caller waits for a
slot); ``rpm`` caps requests started per rolling minute (a deployment at its cap is passed
over, as if cooling down, until the minute rolls on).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from inference.routing import Deployment

__all__ = ["DeploymentPool"]

_WINDOW_S = 60.0  # failures older than this no longer count towards a cooldown


class DeploymentPool:
    """Thread-safe selection state shared by every call of one client.

    Args:
        allowed_fails: Failures within a minute a deployment may have before it cools down.
        cooldown_s: How long a cooled-down deployment gets no traffic.
    """

    def __init__(self, allowed_fails: int = 1, cooldown_s: float = 30.0) -> None:
        self.allowed_fails = allowed_fails
        self.cooldown_s = cooldown_s
        self._lock = threading.Lock()
        self._in_flight: dict[str, int] = {}
        self._failures: dict[str, list[float]] = {}
        self._cool_until: dict[str, float] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._started: dict[str, deque[float]] = {}
        self._turn = itertools.count()

    def cooling(self, deployment: Deployment) -> bool:
        """Whether ``deployment`` is cooling down now."""
        with self._lock:
            return self._cool_until.get(deployment.id, 0.0) > time.monotonic()

    def pick(self, candidates: Sequence[Deployment]) -> Deployment | None:
        """The least-loaded candidate neither cooling down nor at its rpm, or None.

        The pick counts as a request started (towards ``rpm``).
        """
        now = time.monotonic()
        with self._lock:
            ready = [
                d
                for d in candidates
                if self._cool_until.get(d.id, 0.0) <= now and not self._at_rpm(d, now)
            ]
            if not ready:
                return None
            least = min(self._in_flight.get(d.id, 0) for d in ready)
            tied = [d for d in ready if self._in_flight.get(d.id, 0) == least]
            chosen = tied[next(self._turn) % len(tied)]
            if chosen.rpm is not None:
                self._started.setdefault(chosen.id, deque()).append(now)
            return chosen

    def _at_rpm(self, deployment: Deployment, now: float) -> bool:
        if deployment.rpm is None:
            return False
        started = self._started.get(deployment.id)
        while started and now - started[0] >= _WINDOW_S:
            started.popleft()
        return started is not None and len(started) >= deployment.rpm

    @contextmanager
    def slot(self, deployment: Deployment, timeout: float) -> Iterator[None]:
        """Hold one of ``deployment``'s request slots for the duration of a request.

        Raises:
            TimeoutError: No slot freed up within ``timeout`` seconds.
        """
        semaphore = self._semaphore(deployment)
        if semaphore is not None and not semaphore.acquire(timeout=timeout):
            raise TimeoutError(
                f"{deployment.id} is busy: {deployment.max_parallel} request(s) in flight"
            )
        with self._lock:
            self._in_flight[deployment.id] = self._in_flight.get(deployment.id, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight[deployment.id] -= 1
            if semaphore is not None:
                semaphore.release()

    def failed(self, deployment: Deployment, *, can_cool: bool) -> bool:
        """Count a transient failure; cool the deployment down once it is over its allowance.

        Args:
            deployment: The deployment that failed.
            can_cool: False for a lone deployment with no fallback, which is never cooled.

        Returns:
            Whether the deployment is now cooling down.
        """
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(deployment.id, []) if now - t < _WINDOW_S]
            recent.append(now)
            self._failures[deployment.id] = recent
            if can_cool and len(recent) > self.allowed_fails:
                self._cool_until[deployment.id] = now + self.cooldown_s
                self._failures[deployment.id] = []
                return True
            return False

    def _semaphore(self, deployment: Deployment) -> threading.BoundedSemaphore | None:
        if deployment.max_parallel is None:
            return None
        with self._lock:
            semaphore = self._slots.get(deployment.id)
            if semaphore is None:
                semaphore = threading.BoundedSemaphore(deployment.max_parallel)
                self._slots[deployment.id] = semaphore
            return semaphore
