"""The embedded CPU tier measured with the GPU smoke's own prompts and measuring code.

Starts a private llama.cpp server (``inference.cpu_tier.CpuTier``, the tier's own command
line) on a free port, then runs what ``deployments/vllm/gpu-smoke/checks.py`` runs against
vLLM, through the same functions (``deployments/vllm/gpu-smoke/measure.py``):

- batch 1: 256 tokens of the story prompt, streamed; generated tokens/s and time to first
  token. A short request of the same prompt warms the prompt cache first.
- concurrent: as many requests at once as the tier has parallel slots (the embedded
  profile's ``max_parallel_requests``; llama-cpp-python serves one request at a time), in
  place of the GPU run's 32.
- json_schema overhead: ``Describe Paris as JSON.``, ms per generated token plain vs
  constrained, the constraint being what the product sends this deployment
  (``inference.structured.response_format``: ``json_object`` + schema, a llama.cpp grammar).

vLLM's ``ignore_eos`` has no llama-cpp-python equivalent, so plain requests carry a logit
bias that bans the end-of-sequence tokens. Far fewer repetitions than on the GPU (a CPU token
costs 0.1 s on an idle 2-core VM, seconds on a loaded one); the JSON says how many. The
machine is shared: the load average at the start and end goes into the JSON with the figures.

    nice -n 10 .venv/bin/python benchmarks/serving_cpu.py [--runs 1] [--reps 2] [--out PATH]

``benchmarks/serving.py`` prints the result beside the newest GPU run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inference.routing import Deployment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MEASURE = ROOT / "deployments" / "vllm" / "gpu-smoke" / "measure.py"
OUT = ROOT / "benchmarks" / "results" / "cpu-tier" / "serving.json"
PROFILE = "embedded"
MAX_TOKENS = 256
# Qwen2.5's end-of-turn and end-of-text tokens, named so the server maps them to their ids.
NO_EOS: dict[str, Any] = {
    "logit_bias": {"<|im_end|>": -1000.0, "<|endoftext|>": -1000.0},
    "logit_bias_type": "tokens",
}


def load_measure() -> ModuleType:
    """``measure.py`` of the GPU smoke, imported by path (it is no package)."""
    spec = importlib.util.spec_from_file_location("gpu_smoke_measure", MEASURE)
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: cannot load {MEASURE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves City's annotations through it
    spec.loader.exec_module(module)
    return module


def _machine() -> dict[str, Any]:
    names = [
        line.split(":", 1)[1].strip()
        for line in Path("/proc/cpuinfo").read_text().splitlines()
        if line.startswith("model name")
    ]
    return {
        "cpu": names[0] if names else "unknown",
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def measure_tier(deployment: Deployment, slots: int, args: argparse.Namespace) -> dict[str, Any]:
    """The three measurements against ``deployment``'s server; plain JSON."""
    from inference.structured import response_format

    m = load_measure()
    base, model = deployment.api_base.removesuffix("/v1"), deployment.wire_model
    timeout = float(args.timeout)
    bench: dict[str, Any] = {}
    body = m.bench_body(model, MAX_TOKENS, NO_EOS)
    bench["load_avg_by_phase"] = {"start": _load()}
    bench["warmup"] = m.burst(base, "no-key", 1, {**body, "max_tokens": 2}, timeout)
    print(f"warm-up (2 tokens of the story prompt): {bench['warmup']}", flush=True)
    bench["batch1"] = []
    for i in range(args.runs):
        bench["batch1"].append(m.burst(base, "no-key", 1, body, timeout))
        print(f"batch1 run {i + 1}/{args.runs}: {bench['batch1'][-1]}", flush=True)
    bench["load_avg_by_phase"]["after_batch1"] = _load()
    label = f"concurrency{slots}"
    bench[label] = []
    for i in range(args.burst_runs if slots > 1 else 0):  # one slot: that is batch 1
        bench[label].append(m.burst(base, "no-key", slots, body, timeout))
        print(f"{label} run {i + 1}/{args.burst_runs}: {bench[label][-1]}", flush=True)
    constrained = response_format(deployment, m.City, 96)
    bench["json_schema_overhead"] = m.schema_overhead(
        base, "no-key", model, constrained, NO_EOS, reps=args.reps, timeout=timeout
    )
    bench["json_schema_overhead"]["response_format"] = constrained
    bench["load_avg_by_phase"]["after_json_schema_overhead"] = _load()
    print(f"json_schema overhead: {bench['json_schema_overhead']}", flush=True)
    return bench


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Start a private CPU tier, measure it, stop it; the result document."""
    from core.settings import Settings
    from inference.cpu_tier import CpuTier
    from inference.routing import load_routing

    base_settings = Settings()
    home = Path(tempfile.mkdtemp(prefix="serving-cpu-"))
    settings = base_settings.model_copy(
        update={
            "cpu_port": _free_port(base_settings.cpu_host),
            "home": home,
            "cpu_model_path": base_settings.model_path,
        }
    )
    deployment = load_routing(PROFILE, settings=settings).deployments("reasoning")[0]
    slots = deployment.max_parallel or 1
    tier = CpuTier(settings)
    started = time.perf_counter()
    doc: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "load_avg_start": _load(),
        "model": settings.model_path.name,
        "model_bytes": settings.model_path.stat().st_size,
        "llama_cpp_python_version": version("llama-cpp-python"),
        "server_command": " ".join(tier.command()[1:]),
        "profile": PROFILE,
        "deployment": deployment.id,
        "slots": slots,
        "slots_note": (
            f"concurrency = the tier's parallel slots (max_parallel_requests={slots} in the "
            f"'{PROFILE}' profile; llama-cpp-python serves one request at a time), not 32"
            + ("; with one slot that load is batch 1, so it is not run again" if slots == 1 else "")
        ),
        "no_eos": NO_EOS,
        "repetitions": {
            "batch1": args.runs,
            "concurrency": args.burst_runs,
            "json_schema_overhead": args.reps,
        },
    }
    print(f"starting the CPU tier on port {settings.cpu_port} (load {doc['load_avg_start']})")
    try:
        up_t0 = time.perf_counter()
        tier.up(timeout_s=300)
        doc["startup_s"] = round(time.perf_counter() - up_t0, 1)
        doc["bench"] = measure_tier(deployment, slots, args)
    finally:
        tier.down()
        shutil.rmtree(home, ignore_errors=True)
    doc["load_avg_end"] = _load()
    doc["wall_s"] = round(time.perf_counter() - started, 1)
    return doc


def main() -> None:
    """Measure and write the JSON (``--out``)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1, help="measured batch-1 runs (default 1)")
    ap.add_argument("--burst-runs", type=int, default=1, help="concurrent bursts (default 1)")
    ap.add_argument("--reps", type=int, default=2, help="json_schema reps per side (default 2)")
    ap.add_argument("--timeout", type=float, default=600, help="per request, seconds")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    # A plain kill must still stop the server: it runs in its own session.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("error: terminated"))
    if min(args.runs, args.burst_runs, args.reps) < 1:
        raise SystemExit("error: --runs, --burst-runs and --reps must be at least 1")
    try:
        doc = run(args)
    except Exception as exc:  # the one-line error the house asks for
        raise SystemExit(f"error: {type(exc).__name__}: {exc}") from None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} in {doc['wall_s']} s (load {doc['load_avg_start']} -> "
          f"{doc['load_avg_end']})")  # fmt: skip


if __name__ == "__main__":
    main()
