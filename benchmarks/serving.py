"""The GPU tier as measured: tables from the JSON that the vLLM smoke run brings back.

``deployments/vllm/gpu-smoke/run_smoke.sh`` writes one ``gpu-smoke.json`` per run on the GPU
machine; the runs kept in the repo live under ``benchmarks/results/vllm-gpu-smoke/<run>/``.
This prints, per run: the setup (date, vLLM and torch versions, machine, flags), the checks
and their outcome, throughput and time to first token at batch 1 and at 32 concurrent
requests, the json_schema overhead, the pool's cap as vLLM saw it, and the KV cache vLLM
reported against ``inference.vllm_sizing.predict_kv``. It measures nothing itself.

Then, when ``benchmarks/results/cpu-tier/serving.json`` exists (``benchmarks/serving_cpu.py``
writes it: the embedded CPU tier, same prompts, same measuring code), one table of the newest
GPU run beside the CPU tier.

    .venv/bin/python benchmarks/serving.py [RESULT.json | RUN_DIR ...] [--cpu CPU.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "vllm-gpu-smoke"
CPU_RESULT = REPO / "benchmarks" / "results" / "cpu-tier" / "serving.json"

__all__ = ["load_runs", "render", "render_comparison"]


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


def _concurrent(bench: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The concurrent load of a run: ``concurrencyN`` (32 on the GPU, the slots on the CPU)."""
    for key, runs in bench.items():
        if key.startswith("concurrency") and runs:
            return key, list(runs)
    return "", []


def _figure(runs: list[dict[str, Any]], key: str) -> str:
    """The median of ``key``; a rate from the unrounded tokens and wall time where recorded."""
    if not runs:
        return "-"
    if key == "gen_tok_s" and all("wall_s" in r and "tokens" in r for r in runs):
        value = statistics.median(int(r["tokens"]) / float(r["wall_s"]) for r in runs)
    else:
        value = _median(runs, key)
    return f"{value:,.1f}" if value >= 10 else f"{value:.3g}"  # CPU rates are below 1/s


def _schema_rows(gpu: dict[str, Any], cpu: dict[str, Any]) -> list[list[str]]:
    def invalid(o: dict[str, Any]) -> str:
        reps = o.get("reps", 8)  # GPU runs before measure.py recorded reps: 8
        return f"{o.get('json_schema_invalid', '?')} of {reps}" if o else "-"

    return [
        ["json_schema: plain ms/token", str(gpu.get("plain_ms_per_token", "-")),
         str(cpu.get("plain_ms_per_token", "-"))],
        ["json_schema: constrained ms/token", str(gpu.get("json_schema_ms_per_token", "-")),
         str(cpu.get("json_schema_ms_per_token", "-"))],
        ["json_schema: overhead per token %", str(gpu.get("overhead_pct", "-")),
         str(cpu.get("overhead_pct", "-"))],
        ["json_schema: invalid answers", invalid(gpu), invalid(cpu)],
    ]  # fmt: skip


def render_comparison(gpu_name: str, gpu: dict[str, Any], cpu: dict[str, Any]) -> str:
    """The GPU run beside the CPU tier: same prompts, medians over each side's runs."""
    gb, cb = gpu.get("bench", {}), cpu.get("bench", {})
    g1, c1 = list(gb.get("batch1") or []), list(cb.get("batch1") or [])
    (gkey, gn), (_, cn) = _concurrent(gb), _concurrent(cb)
    greq = str(gn[0]["requests"]) if gn else "-"
    slots = cpu.get("slots", cn[0]["requests"] if cn else "?")
    creq = f"{slots} (its slots)" + ("" if cn else ", not run: = batch 1")
    machine = cpu.get("machine", {})
    rows = [
        ["model", str(gpu.get("model", "?")).split(" (")[0], str(cpu.get("model", "?"))],
        ["batch 1: runs", str(len(g1)), str(len(c1))],
        ["batch 1: gen tok/s", _figure(g1, "gen_tok_s"), _figure(c1, "gen_tok_s")],
        ["batch 1: TTFT ms", _figure(g1, "ttft_p50_ms"),
         _figure(c1, "ttft_p50_ms")],
        ["concurrent: requests at once", greq, creq],
        ["concurrent: runs", str(len(gn)), str(len(cn))],
        ["concurrent: gen tok/s", _figure(gn, "gen_tok_s"),
         _figure(cn, "gen_tok_s")],
        ["concurrent: per-request tok/s", _figure(gn, "per_request_decode_tok_s"),
         _figure(cn, "per_request_decode_tok_s")],
        ["concurrent: TTFT p50 ms", _figure(gn, "ttft_p50_ms"),
         _figure(cn, "ttft_p50_ms")],
        *_schema_rows(gb.get("json_schema_overhead") or {}, cb.get("json_schema_overhead") or {}),
    ]  # fmt: skip
    return "\n".join(
        [
            f"== GPU vs CPU, same prompts: {gpu_name} ({gpu.get('date')}, {gpu.get('machine')}) "
            f"vs the CPU tier ({cpu.get('date')}, {machine.get('cpu')}, "
            f"{machine.get('cores')} cores, llama-cpp-python "
            f"{cpu.get('llama_cpp_python_version')})",
            f"CPU load average (1/5/15 min): {cpu.get('load_avg_start')} at start, "
            f"{cpu.get('load_avg_end')} at end",
            f"CPU {cpu.get('slots_note', '')}; GPU: {greq if gkey else 'no'} concurrent requests",
            "batch 1 and concurrent: 256 tokens per request of the story prompt; json_schema: "
            "'Describe Paris as JSON.', 96 tokens at most. Medians over runs.",
            "",
            _table(["metric", f"GPU ({gpu_name})", "CPU tier"], rows),
        ]
    )


def main() -> None:
    """Print every run given (default: every kept run), then the newest beside the CPU tier."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--cpu", type=Path, default=CPU_RESULT, help="the CPU tier's result")
    args = ap.parse_args()
    runs = load_runs(args.paths)
    parts = [render(name, run) for name, run in runs]
    if runs and args.cpu.is_file():
        cpu = json.loads(args.cpu.read_text(encoding="utf-8"))
        parts.append(render_comparison(*runs[-1], cpu))
    print("\n\n".join(parts))


if __name__ == "__main__":
    main()
