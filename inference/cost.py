"""What a run's model calls cost: tokens and, on GPU profiles, GPU time and its price.

Reports show it (``tasks.report``, which re-exports both names) and the footage batch keeps it
per clip; it lives here, with the call records it sums, so that a batch gets it without
importing the creative job's report and brief modules (~0.14 s of CPU per process).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel

from inference.messages import CallRecord

__all__ = ["CostLine", "estimate_cost"]


class CostLine(BaseModel):
    """Tokens spent and, on GPU profiles, the estimated GPU time and price."""

    tokens_in: int = 0
    tokens_out: int = 0
    gpu_seconds: float | None = None
    usd: float | None = None
    text: str = ""


def estimate_cost(
    calls: Iterable[CallRecord], profile: str, gpu_price_per_hour: Mapping[str, float]
) -> CostLine:
    """Sum tokens and, for the vLLM profile, estimate GPU-seconds and price.

    GPU time is the wall time of calls actually sent (cache hits cost nothing), one GPU per
    deployment; the price per GPU-hour comes from the config's table by deployment id, with
    ``default`` for the rest.

    Args:
        calls: Call records of the run (cache hits included; they are skipped for cost).
        profile: The routing profile.
        gpu_price_per_hour: USD per GPU-hour by deployment id.

    Returns:
        The cost line.
    """
    sent = [c for c in calls if not c.cache_hit]
    tokens_in = sum(c.tokens_in for c in sent)
    tokens_out = sum(c.tokens_out for c in sent)
    # A count taken from a stream that may join tokens is a lower bound (inference._usage).
    low = "≥" if any(c.tokens_estimated for c in sent) else ""
    text = f"tokens: {tokens_in} in + {low}{tokens_out} out over {len(sent)} model calls"
    if profile != "vllm":
        return CostLine(
            tokens_in=tokens_in, tokens_out=tokens_out, text=f"{text}; CPU tier: no GPU cost"
        )
    gpu_s = sum(c.latency_s for c in sent)
    default = gpu_price_per_hour.get("default", 0.0)
    usd = sum(c.latency_s / 3600.0 * gpu_price_per_hour.get(c.deployment, default) for c in sent)
    return CostLine(
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        gpu_seconds=round(gpu_s, 3),
        usd=round(usd, 6),
        text=f"{text}; ~{gpu_s:.1f} GPU-seconds, ~${usd:.4f} at the configured GPU prices",
    )
