"""benchmarks/serving.py prints the kept GPU-smoke runs as they were measured."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
RUN2 = REPO / "benchmarks/results/vllm-gpu-smoke/run2/gpu-smoke.json"


def _serving() -> ModuleType:
    spec = importlib.util.spec_from_file_location("serving", REPO / "benchmarks/serving.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_kept_runs_load_oldest_first() -> None:
    runs = _serving().load_runs([])
    names = [name for name, _ in runs]
    assert {"run1", "run2"} <= set(names)
    dates = [run["date"] for _, run in runs]
    assert dates == sorted(dates)


def test_table_carries_the_recorded_numbers() -> None:
    run = json.loads(RUN2.read_text())
    text = _serving().render("run2", run)
    batch1 = sorted(r["gen_tok_s"] for r in run["bench"]["batch1"])[1]
    assert f"{batch1:,.0f}" in text
    assert "vLLM 0.23.0" in text and "NVIDIA H200" in text
    assert f"{run['kv']['predicted']['tokens']:,}" in text
    rows = {line.split()[0]: line.split()[1] for line in text.splitlines() if line.strip()}
    assert rows["complete_json_schema"] == "yes"
    assert rows["task_understand_intent"] == "NO"


def _cpu_doc() -> dict[str, Any]:
    def run(wall_s: float, ttft: float) -> dict[str, Any]:
        rate = 256 / wall_s
        return {"requests": 1, "tokens": 256, "wall_s": wall_s, "gen_tok_s": round(rate, 1),
                "ttft_p50_ms": ttft, "ttft_max_ms": ttft,
                "per_request_decode_tok_s": rate + 0.5}  # fmt: skip

    return {
        "date": "2026-12-01T22:00:00+00:00",
        "machine": {"cpu": "Test CPU 9000", "cores": 2},
        "load_avg_start": [12.5, 14.0, 14.4],
        "load_avg_end": [9.25, 11.0, 13.0],
        "slots": 1,
        "model": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        "llama_cpp_python_version": "0.3.36",
        "slots_note": "concurrency = the tier's parallel slots (1), not 32",
        "bench": {
            "batch1": [run(80.0, 812.5), run(51.2, 700.0), run(60.0, 640.0)],
            "concurrency1": [],
            "json_schema_overhead": {
                "reps": 2,
                "plain_ms_per_token": 301.5,
                "json_schema_ms_per_token": 377.25,
                "overhead_pct": 25.1,
                "json_schema_invalid": 1,
            },
        },
    }


def _rows(text: str) -> dict[str, list[str]]:
    """Table rows keyed by their label; cells split on runs of two or more spaces."""
    rows = {}
    for line in text.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) == 3:
            rows[cells[0]] = cells[1:]
    return rows


def test_comparison_puts_each_tier_in_its_column() -> None:
    gpu = json.loads(RUN2.read_text())
    text = _serving().render_comparison("run2", gpu, _cpu_doc())
    rows = _rows(text)
    gpu_b1 = sorted(r["tokens"] / r["wall_s"] for r in gpu["bench"]["batch1"])[1]
    # 256 tokens in 80, 51.2 and 60 s: the median rate is 4.27, not the rounded 4.3
    assert rows["batch 1: gen tok/s"] == [f"{gpu_b1:,.1f}", "4.27"]
    assert rows["batch 1: TTFT ms"][1] == "700.0"
    assert rows["batch 1: runs"] == [str(len(gpu["bench"]["batch1"])), "3"]
    assert rows["concurrent: requests at once"] == ["32", "1 (its slots), not run: = batch 1"]
    assert rows["concurrent: gen tok/s"][1] == "-"  # one slot: not run
    overhead = gpu["bench"]["json_schema_overhead"]
    assert rows["json_schema: plain ms/token"] == [str(overhead["plain_ms_per_token"]), "301.5"]
    assert rows["json_schema: constrained ms/token"][1] == "377.25"
    assert rows["json_schema: invalid answers"] == [f"{overhead['json_schema_invalid']} of 8",
                                                    "1 of 2"]  # fmt: skip
    assert "[12.5, 14.0, 14.4] at start, [9.25, 11.0, 13.0] at end" in text
    assert "Test CPU 9000, 2 cores" in text and "not 32" in text


def test_main_prints_the_newest_gpu_run_beside_the_cpu_tier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cpu = tmp_path / "serving.json"
    cpu.write_text(json.dumps(_cpu_doc()))
    run1 = RUN2.parents[1] / "run1" / "gpu-smoke.json"
    monkeypatch.setattr(sys, "argv", ["serving.py", str(RUN2), str(run1), "--cpu", str(cpu)])
    _serving().main()
    out = capsys.readouterr().out
    newest = max((json.loads(p.read_text()) for p in (RUN2, run1)), key=lambda r: r["date"])
    head = next(line for line in out.splitlines() if line.startswith("== GPU vs CPU"))
    assert f"({newest['date']}," in head
    assert _rows(out)["batch 1: gen tok/s"][1] == "4.27"
