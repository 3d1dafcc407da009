"""The suite's own rule: in CI a skipped real-component test fails; locally it is listed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

_CONFTEST = "from tests.conftest import pytest_runtest_makereport, pytest_terminal_summary\n"
_INI = textwrap.dedent(
    """\
    [pytest]
    markers =
        redis: x
        cpu_tier: x
        prefect_server: x
        browser: x
    """
)
_TESTS = textwrap.dedent(
    """\
    import pytest

    @pytest.mark.redis
    def test_needs_redis():
        pytest.skip("no Redis at redis://127.0.0.1:1/0")

    @pytest.mark.cpu_tier
    @pytest.mark.skipif(True, reason="no model")
    def test_needs_tier():
        pass

    @pytest.fixture
    def megamind():
        pytest.skip("shared footage missing: /nowhere/Megamind.avi")

    def test_needs_footage(megamind):
        pass

    def test_optional_tool():
        pytest.skip("kubectl not installed")

    @pytest.mark.redis
    @pytest.mark.xfail(reason="known", run=False)
    def test_expected_failure():
        pass

    def test_plain():
        assert True
    """
)


def _run(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(_CONFTEST)
    (tmp_path / "pytest.ini").write_text(_INI)
    (tmp_path / "test_inner.py").write_text(_TESTS)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = str(REPO)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "test_inner.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_in_ci_a_skipped_real_component_test_fails_with_one_line_reason(tmp_path: Path) -> None:
    run = _run(tmp_path, ci="true")
    out = run.stdout
    assert run.returncode == 1, out
    # A skip at setup (skipif, a fixture) is reported as an error: it fails the run all the same.
    assert "1 failed, 1 passed, 1 skipped, 1 xfailed, 2 errors" in out, out
    assert "CI forbids skipping a redis test: no Redis at redis://127.0.0.1:1/0" in out
    assert "CI forbids skipping a cpu_tier test: no model" in out
    assert "CI forbids skipping a shared footage test: shared footage missing" in out
    # An ordinary optional tool may still skip in CI.
    assert "SKIPPED [1] test_inner.py" in out and "kubectl not installed" in out


@pytest.mark.parametrize("ci", [None, "", "0", "false"])
def test_locally_skips_pass_and_the_run_lists_them(tmp_path: Path, ci: str | None) -> None:
    run = _run(tmp_path, ci=ci)
    out = run.stdout
    assert run.returncode == 0, out
    assert "1 passed, 4 skipped, 1 xfailed" in out, out
    summary = out.split("real components not exercised", 1)[1]
    assert "test_inner.py::test_needs_redis (redis): no Redis" in summary
    assert "test_inner.py::test_needs_tier (cpu_tier): no model" in summary
    assert "test_inner.py::test_needs_footage (shared footage)" in summary
    assert "kubectl" not in summary.split("short test summary")[0]
    assert "3 real-component test(s) skipped; CI fails them" in summary
