"""The GPU tier as measured: tables from the JSON that the vLLM smoke run brings back.

``deployments/vllm/gpu-smoke/run_smoke.sh`` writes one ``gpu-smoke.json`` per run on the GPU
machine; the runs kept in the repo live under ``benchmarks/results/vllm-gpu-smoke/<run>/``.
This prints, per run: the setup (date, vLLM and torch versions, machine, flags), the checks
and their outcome, throughput and time to first token at batch 1 and at 32 concurrent
requests, the json_schema overhead, the pool's cap as vLLM saw it, and the KV cache vLLM
reported against ``inference.vllm_sizing.predict_kv``. It measures nothing itself.

    .venv/bin/python benchmarks/serving.py [RESULT.json | RUN_DIR ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "vllm-gpu-smoke"

__all__ = ["load_runs", "render"]


def load_runs(paths: list[Path]) -> list[tuple[str, dict[str, Any]]]:
    """Read result files (a directory stands for its ``gpu-smoke.json``), oldest first."""
    files = []
    for path in paths or sorted(RESULTS.glob("*/gpu-smoke.json")):
        files.append(path / "gpu-smoke.json" if path.is_dir() else path)
    runs = [(f.parent.name, json.loads(f.read_text(encoding="utf-8"))) for f in files]
    return sorted(runs, key=lambda run: str(run[1].get("date", "")))


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*(str(c) for c in row)) for row in rows]
    return "\n".join(out)


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(r[key]) for r in rows) if rows else float("nan")


def _bench_rows(bench: dict[str, Any]) -> list[list[str]]:
    rows = []
    for label in ("batch1", "concurrency32"):
        runs = bench.get(label) or []
        if not runs:
            continue
        rows.append(
            [
                label,
                str(runs[0]["requests"]),
                str(len(runs)),
                f"{_median(runs, 'gen_tok_s'):,.0f}",
                f"{_median(runs, 'per_request_decode_tok_s'):,.0f}",
                f"{_median(runs, 'ttft_p50_ms'):.1f}",
                f"{_median(runs, 'ttft_max_ms'):.1f}",
            ]
        )
    return rows


def render(name: str, run: dict[str, Any]) -> str:
    """One run as text tables."""
    parts = [
        f"== {name}: {run.get('date')}  vLLM {run.get('vllm_version')}  "
        f"torch {run.get('torch_version')}  {run.get('machine')}",
        f"model: {run.get('model')}",
        f"flags: {' '.join(str(run.get('launch_flags', '')).replace(chr(92), ' ').split())}",
        "",
    ]
    checks = run.get("checks", {})
    parts.append(
        _table(
            ["check", "ok", "s", "note"],
            [
                [
                    k,
                    "yes" if v.get("ok") else "NO",
                    f"{v.get('seconds', 0):.2f}",
                    " ".join((v.get("error") or "").split())[:90],
                ]
                for k, v in checks.items()
            ],
        )
    )
    bench = run.get("bench", {})
    rows = _bench_rows(bench)
    if rows:
        header = ["load", "requests", "runs", "gen tok/s", "per-req tok/s", "TTFT p50 ms",
                  "TTFT max ms"]  # fmt: skip
        parts += ["", "256 generated tokens per request, median over runs:", _table(header, rows)]
    overhead = bench.get("json_schema_overhead")
    if overhead:
        parts += [
            "",
            _table(
                ["json_schema overhead", "plain", "json_schema"],
                [
                    [
                        "ms per token",
                        overhead.get("plain_ms_per_token"),
                        overhead.get("json_schema_ms_per_token"),
                    ],
                    [
                        "first request ms",
                        overhead.get("plain_first_ms"),
                        overhead.get("json_schema_first_ms"),
                    ],
                ],
            )
            + f"\noverhead per token: {overhead.get('overhead_pct')} %",
        ]
    pool = checks.get("pool_max_parallel_requests", {}).get("detail")
    burst = checks.get("bench_concurrency32", {}).get("detail")
    if pool:
        seen = burst.get("peak_running") if burst else "?"
        parts += [
            "",
            f"pool: max_parallel_requests={pool['cap']}, 32 client threads -> vLLM "
            f"num_requests_running peaked at {pool['peak_running']:g} "
            f"(raw 32-request burst without the pool: {seen})",
        ]
    kv = run.get("kv")
    if kv:
        pred, rep = kv["predicted"], kv["reported"]
        parts += [
            "",
            _table(
                ["KV cache", "predicted (serve block)", "vLLM reported"],
                [
                    ["tokens", f"{pred['tokens']:,}", f"{rep.get('kv_cache_tokens', 0):,.0f}"],
                    [
                        "max concurrency @ max_model_len",
                        pred["max_concurrency"],
                        rep.get("max_concurrency"),
                    ],
                    ["KV memory", f"{pred['kv_gb']} GB", f"{rep.get('available_kv_gib')} GiB"],
                ],
            ),
        ]
    return "\n".join(parts)


def main() -> None:
    """Print every run given (default: every kept run)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    args = ap.parse_args()
    print("\n\n".join(render(name, run) for name, run in load_runs(args.paths)))


if __name__ == "__main__":
    main()
