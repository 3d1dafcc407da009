"""benchmarks/serving.py prints the kept GPU-smoke runs as they were measured."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

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
