"""The local CPU tier as the client sees it: started by the first call that needs it.

With the ``embedded`` profile no other tier is configured, so a call finding the tier down
starts it (announced on stderr) rather than failing; a call whose tier died mid-request
restarts it once.
"""

from __future__ import annotations

import logging
import sys
import threading

from core.exceptions import TierError
from core.settings import Settings
from inference.health import HealthProbe
from inference.routing import Deployment

__all__ = ["OnDemandTier"]

_log = logging.getLogger(__name__)


class OnDemandTier:
    """Starts the CPU tier when a call needs it (and only then).

    Args:
        settings: Where the tier listens (``cpu_host``, ``cpu_port``).
        probe: The client's health probe; a start refreshes its answer for the tier.
        enabled: Whether to start the tier at all (the ``embedded`` profile).
    """

    def __init__(self, settings: Settings, probe: HealthProbe, *, enabled: bool) -> None:
        self.settings = settings
        self.probe = probe
        self.enabled = enabled
        self.url = f"http://{settings.cpu_host}:{settings.cpu_port}/v1"
        self._lock = threading.Lock()

    def ensure(self, deployment: Deployment) -> None:
        """Start the tier when ``deployment`` is it, starting is on and it does not answer."""
        if not self.enabled or deployment.api_base != self.url:
            return
        if self.probe.is_up(deployment):
            return  # the hot path: a cached answer, no lock
        with self._lock:
            if self.probe.is_up(deployment):
                return
            from inference.cpu_tier import CpuTier

            tier = CpuTier(self.settings)
            try:
                tier.ensure_alive()
            except TierError as exc:
                print(f"{exc}; restarting it", file=sys.stderr)
            print(
                f"starting the CPU tier on {self.url} (no other tier is configured)...",
                file=sys.stderr,
            )
            _log.info("starting CPU tier on demand at %s", self.url)
            tier.up()
            self.probe.invalidate(deployment)
            self.probe.check(deployment)

    def died(self, members: list[Deployment]) -> bool:
        """True when ``members`` include the CPU tier we manage and it no longer answers."""
        local = [d for d in members if self.enabled and d.api_base == self.url]
        return bool(local) and not any(self.probe.is_up(d) for d in local)

    def healthy(self, members: list[Deployment]) -> list[Deployment]:
        """The members that answer, the tier among them started first if it is one."""
        for deployment in members:
            self.ensure(deployment)
        return [d for d in members if self.probe.is_up(d)]
