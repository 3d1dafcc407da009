"""The sandbox started by a non-root user: bwrap's user-namespace path, jail intact.

The suite runs as root, so the runner is started here inside a user namespace where it is
uid 1000 (``unshare --user --map-user=1000``): ``jail_command`` then has to take the
unprivileged variant, as it would in a pod or on a laptop. The hostile scripts that the
root path contains must be contained the same way.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
REPO = HERE.parents[1]
UNSHARE = shutil.which("unshare")

_DRIVER = textwrap.dedent(
    """\
    import json, os, sys
    from pathlib import Path
    from sandbox.jail import jail_command
    from sandbox.runner import Limits, _run_unchecked

    clip, out_dir, scripts = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    limits = Limits(cpu_s=20, memory_bytes=1536 * 1024**2, processes=64, wall_s=60.0)
    report = {"euid": os.geteuid(), "prefix": jail_command(out_dir, [], None), "runs": {}}
    for name, source in scripts.items():
        out = out_dir / f"{name}.mp4"
        result = _run_unchecked(source, [clip], out, limits=limits)
        report["runs"][name] = {"ok": result.ok, "reason": result.reason, "out": out.exists()}
    print(json.dumps(report))
    """
)


def _script(kind: str, name: str) -> str:
    return (HERE / kind / f"{name}.py").read_text(encoding="utf-8")


def _as_user_1000(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert UNSHARE is not None
    command = [UNSHARE, "--user", "--map-user=1000", "--map-group=1000", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def unprivileged(clip: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if UNSHARE is None or os.geteuid() != 0:
        pytest.skip("needs root and util-linux unshare to stage a non-root user")
    probe = _as_user_1000(["true"], dict(os.environ))
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not available here: {probe.stderr.strip()}")
    work = tmp_path_factory.mktemp("unprivileged")
    work.chmod(0o777)
    (work / "driver.py").write_text(_DRIVER, encoding="utf-8")
    scripts = {
        "valid": "def edit(source):\n    return source.subclipped(0, 1)\n",
        "network": _script("hostile", "socket_connect"),
        "outside": _script("hostile", "write_outside_scratch"),
        "repo": _script("hostile", "write_into_repo"),
        "flood": _script("hostile", "file_flood"),
        "mutation": _script("hostile", "handed_clip_mutation"),
        "secrets": (
            "import os\n\ndef edit(source):\n"
            "    raise RuntimeError(repr((os.getuid(), sorted(os.environ))))\n"
        ),
    }
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "HOME": str(work),
        "STUDIO_VLLM_API_KEY": "sk-unprivileged-canary",
    }
    Path("/tmp/studio-sandbox-escape-marker").unlink(missing_ok=True)
    policy_file = REPO / "sandbox" / "policy" / "__init__.py"
    policy = policy_file.read_bytes()
    done = _as_user_1000(
        [sys.executable, str(work / "driver.py"), str(clip), str(work), json.dumps(scripts)], env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["policy_unchanged"] = policy_file.read_bytes() == policy
    return report


def test_a_non_root_user_gets_the_user_namespace_variant(unprivileged: dict[str, Any]) -> None:
    assert unprivileged["euid"] == 1000
    prefix = unprivileged["prefix"]
    assert {"--unshare-all", "--unshare-user", "--disable-userns"} <= set(prefix)
    assert "--cap-add" not in prefix


def test_a_valid_edit_renders(unprivileged: dict[str, Any]) -> None:
    run = unprivileged["runs"]["valid"]
    assert run["ok"] and run["out"], run["reason"]


def test_the_network_is_unreachable(unprivileged: dict[str, Any]) -> None:
    run = unprivileged["runs"]["network"]
    assert not run["ok"]
    assert re.search(r"Network is unreachable|Connection refused", run["reason"]), run["reason"]


def test_the_filesystem_is_read_only_outside_scratch(unprivileged: dict[str, Any]) -> None:
    for name in ("outside", "repo"):
        run = unprivileged["runs"][name]
        assert not run["ok"] and not run["out"]
        assert re.search(r"Read-only file system|No such file", run["reason"]), run["reason"]
    assert not Path("/tmp/studio-sandbox-escape-marker").exists()
    assert unprivileged["policy_unchanged"]


def test_no_file_can_be_created(unprivileged: dict[str, Any]) -> None:
    run = unprivileged["runs"]["flood"]
    assert not run["ok"] and not run["out"]
    assert "no writable scratch directory" in run["reason"], run["reason"]


def test_the_script_gets_a_copy_of_its_clip(unprivileged: dict[str, Any]) -> None:
    run = unprivileged["runs"]["mutation"]
    assert run["ok"] and run["out"], run["reason"]


def test_secrets_stay_outside(unprivileged: dict[str, Any]) -> None:
    reason = unprivileged["runs"]["secrets"]["reason"]
    assert "RuntimeError" in reason and "'PATH'" in reason  # the script listed its environment
    assert "STUDIO_VLLM_API_KEY" not in reason and "canary" not in reason
