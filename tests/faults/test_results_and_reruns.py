"""The batch's failure result, pickled by a flow loaded the way a worker loads it (by file
path), reads back in another process: ``studio history`` showed blanks for every failed
deployment batch because the class was pickled under the script's module name.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cloudpickle
import pytest

REPO = Path(__file__).resolve().parents[2]


def test_batch_failure_from_a_path_loaded_flow_unpickles_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.utilities.importtools import load_script_as_module

    module = load_script_as_module(str(REPO / "flows" / "batch_analysis.py"))
    failure = module.BatchFailure("1 of 2 clips failed: bad.avi", {"failed": 1, "llm_calls": 3})
    blob = cloudpickle.dumps(failure)
    # Another process never loaded the script, nor has its folder on sys.path.
    sys.modules.pop(module.__name__, None)
    monkeypatch.setattr(
        sys, "path", [p for p in sys.path if Path(p or ".").resolve() != REPO / "flows"]
    )
    back = cloudpickle.loads(blob)
    assert str(back) == "1 of 2 clips failed: bad.avi"
    assert back.summary == {"failed": 1, "llm_calls": 3}
    from studio.history import summary_fields

    assert summary_fields(back)["llm_calls"] == 3


def test_a_run_that_keeps_crashing_is_not_rerun_forever(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.exceptions import JobError
    from flows._recovery import MAX_RUNS, refuse_endless_reruns

    monkeypatch.setenv("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT", str(MAX_RUNS))
    refuse_endless_reruns("creative-job")  # its last try
    monkeypatch.setenv("PREFECT__RUNTIME__FLOW_RUN__RUN_COUNT", str(MAX_RUNS + 1))
    with pytest.raises(JobError, match=f"started {MAX_RUNS + 1} times"):
        refuse_endless_reruns("creative-job")
