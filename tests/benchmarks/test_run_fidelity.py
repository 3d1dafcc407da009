"""The bench table's fidelity row reads the kept end-to-end results (benchmarks/run.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def _run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks/run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_row_reads_the_sum_of_every_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Results of several sets keep each set's totals and "all" (benchmarks/fidelity.py report):
    # the row read a top-level "rate" that such a file does not have, and failed.
    run = _run()
    one = {
        "met": 9,
        "total": 10,
        "durations_ok": 2,
        "durations_total": 2,
        "cases_ran": 3,
        "cases": 3,
    }
    kept = tmp_path / "fidelity-after.json"
    kept.write_text(
        json.dumps({"totals": {"main": {**one, "rate": 0.9}, "all": {**one, "rate": 0.9}}})
    )
    monkeypatch.setattr(run, "FIDELITY_JSON", kept)
    rows, totals = run.fidelity(rerun=False)
    assert [r.value for r in rows] == ["90.0%"] and rows[0].ok is True
    assert "9/10, durations 2/2, 3/3 cases" in rows[0].note
    assert totals["met"] == 9


def test_the_kept_results_give_a_row() -> None:
    rows, _ = _run().fidelity(rerun=False)
    assert rows[0].figure == "creative fidelity rate (criteria met)", rows[0]
