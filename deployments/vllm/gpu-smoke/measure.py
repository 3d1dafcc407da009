"""The serving measurements both tiers share: one prompt, one way to time it.

``checks.py`` runs them against vLLM on the GPU machine and ``benchmarks/serving_cpu.py``
against the embedded llama.cpp tier, so the figures in ``benchmarks/`` compare like with like:

- :func:`burst`: ``n`` streamed requests at once; generated tokens/s over the wall time,
  time to first token (first content chunk), per-request decode rate.
- :func:`schema_overhead`: the same short request, plain and constrained by a
  ``response_format``; milliseconds per generated token of each.

Servers differ in how a request is told to ignore the end of sequence (``no_eos``: vLLM's
``ignore_eos``, a logit bias on llama.cpp) and in whether a stream reports usage (vLLM does;
llama-cpp-python does not, so a stream that ended on ``length`` counts ``max_tokens``).
Imports only httpx and pydantic: it travels to the GPU machine with ``checks.py``.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from typing import Any

import httpx
from pydantic import BaseModel, Field

__all__ = ["PROMPT", "City", "bench_body", "burst", "schema_overhead", "stream"]

PROMPT = "Write a short story about a lighthouse keeper who finds a message in a bottle."
SCHEMA_PROMPT = "Describe Paris as JSON."
VLLM_NO_EOS: dict[str, Any] = {"ignore_eos": True}


class City(BaseModel):
    """The json_schema probe: a small object with typed fields, lists and strings bounded."""

    city: str = Field(max_length=40)
    country: str = Field(max_length=40)
    population_millions: float
    landmarks: list[str] = Field(max_length=3)


def bench_body(model: str, max_tokens: int, no_eos: dict[str, Any]) -> dict[str, Any]:
    """The throughput request: :data:`PROMPT`, greedy, generating exactly ``max_tokens``."""
    return {"model": model, "messages": [{"role": "user", "content": PROMPT}],
            "max_tokens": max_tokens, "temperature": 0.0, **no_eos}  # fmt: skip


async def stream(http: httpx.AsyncClient, base: str, body: dict[str, Any]) -> dict[str, Any]:
    """One streamed chat completion, timed per content chunk.

    ``tokens_from`` says where the token count came from: the server's ``usage``; else
    ``max_tokens`` when the stream ended on ``length``; else the content chunks.
    """
    body = {**body, "stream": True, "stream_options": {"include_usage": True}}
    t0 = time.perf_counter()
    first = last = 0.0
    usage: int | None = None
    chunks, finish = 0, None
    async with http.stream("POST", f"{base}/v1/chat/completions", json=body) as resp:
        resp.raise_for_status()
        async for line in resp.aiter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            data = json.loads(line[6:])
            if data.get("usage"):
                usage = int(data["usage"]["completion_tokens"])
            if data.get("choices"):
                finish = data["choices"][0].get("finish_reason") or finish
                if data["choices"][0]["delta"].get("content"):
                    now = time.perf_counter()
                    first = first or now
                    last = now
                    chunks += 1
    total = time.perf_counter() - t0
    if usage is not None:
        tokens, source = usage, "usage"
    elif finish == "length":
        tokens, source = int(body["max_tokens"]), "max_tokens"
    else:
        tokens, source = chunks, "chunks"
    return {"ttft_s": first - t0, "total_s": total, "tokens": tokens, "tokens_from": source,
            "decode_tok_s": (tokens - 1) / (last - first) if last > first else 0.0}  # fmt: skip


async def _gather(base: str, key: str, n: int, body: dict[str, Any], timeout: float) -> Any:
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=n + 4)
    async with httpx.AsyncClient(headers=headers, timeout=timeout, limits=limits) as http:
        t0 = time.perf_counter()
        runs = await asyncio.gather(*(stream(http, base, body) for _ in range(n)))
        return runs, time.perf_counter() - t0


def burst(
    base: str, key: str, n: int, body: dict[str, Any], timeout: float = 120
) -> dict[str, Any]:
    """``n`` copies of ``body`` streamed at once; throughput and time to first token."""
    runs, wall = asyncio.run(_gather(base, key, n, body, timeout))
    tokens = sum(int(r["tokens"]) for r in runs)
    ttft = sorted(float(r["ttft_s"]) for r in runs)
    return {
        "requests": n,
        "tokens": tokens,
        "wall_s": round(wall, 4),
        "gen_tok_s": round(tokens / wall, 3),
        "ttft_p50_ms": round(1000 * statistics.median(ttft), 2),
        "ttft_max_ms": round(1000 * ttft[-1], 2),
        "per_request_decode_tok_s": round(
            statistics.median(float(r["decode_tok_s"]) for r in runs), 3
        ),
        "tokens_from": sorted({str(r["tokens_from"]) for r in runs}),
    }


def schema_overhead(
    base: str,
    key: str,
    model: str,
    response_format: dict[str, Any],
    no_eos: dict[str, Any],
    reps: int = 8,
    timeout: float = 60,
) -> dict[str, Any]:
    """Milliseconds per generated token, plain (``no_eos``) and under ``response_format``.

    :data:`SCHEMA_PROMPT`, 96 tokens at most, greedy; each side's first request is timed
    apart (cold grammar, prompt cache) and ``reps`` more are averaged. The two sides
    alternate, so a change in the host's load hits both. Constrained answers are validated
    as :class:`City`.
    """
    msgs = [{"role": "user", "content": SCHEMA_PROMPT}]
    out: dict[str, Any] = {"reps": reps, "order": "interleaved"}
    sides = {"plain": no_eos, "json_schema": {"response_format": response_format}}
    lat: dict[str, list[float]] = {label: [] for label in sides}
    toks = dict.fromkeys(sides, 0)
    finish: dict[str, set[str]] = {label: set() for label in sides}
    invalid = 0
    with httpx.Client(headers={"Authorization": f"Bearer {key}"}, timeout=timeout) as http:
        for i in range(reps + 1):  # plain and constrained alternate: a shared host drifts
            for label, extra in sides.items():
                body = {"model": model, "messages": msgs, "max_tokens": 96, "temperature": 0.0,
                        **extra}  # fmt: skip
                t0 = time.perf_counter()
                r = http.post(f"{base}/v1/chat/completions", json=body)
                r.raise_for_status()
                dt = time.perf_counter() - t0
                if i == 0:
                    out[f"{label}_first_ms"] = round(1000 * dt, 2)
                    continue
                lat[label].append(dt)
                toks[label] += r.json()["usage"]["completion_tokens"]
                finish[label].add(r.json()["choices"][0]["finish_reason"])
                if label == "json_schema":
                    try:
                        City.model_validate_json(r.json()["choices"][0]["message"]["content"])
                    except ValueError:
                        invalid += 1
    for label in sides:
        out[f"{label}_ms_per_token"] = round(1000 * sum(lat[label]) / toks[label], 3)
        out[f"{label}_tok_s"] = round(toks[label] / sum(lat[label]), 3)
        out[f"{label}_ms_per_request"] = round(1000 * sum(lat[label]) / reps, 2)
        out[f"{label}_finish_reasons"] = sorted(finish[label])
    out["json_schema_invalid"] = invalid
    out["overhead_pct"] = round(
        100 * (out["json_schema_ms_per_token"] / out["plain_ms_per_token"] - 1), 1
    )
    return out
