"""Who may use the Prefect API (issue 18): the session's server runs with the credential
`studio up` generates; without it the API answers 401, with it 200; the UI asks for it; and
the credential never shows up in logs, artifacts, history, `studio status` or job outputs.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.settings import Settings
from studio.credential import (
    AUTH_ENV,
    credential_file,
    ensure_credential,
    read_credential,
    server_auth_env,
)
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.ops.test_ui import UNIVERSAL, Browser, browser  # noqa: F401  (the browser fixture)
from tests.ops.ui_login import login

REPO = Path(__file__).resolve().parents[2]


def _basic(credential: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(credential.encode()).decode()}


# --- the credential file ------------------------------------------------------------------


def test_generated_once_mode_0600_and_refused_when_others_can_read(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    first = ensure_credential(settings)
    path = credential_file(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    user, _, password = first.partition(":")
    assert user == "studio" and len(password) >= 40
    assert ensure_credential(settings) == first  # kept, not regenerated
    assert ensure_credential(Settings(home=tmp_path / "other")) != first
    path.chmod(0o644)
    with pytest.raises(Exception, match="readable by other users") as info:
        read_credential(settings)
    assert password not in str(info.value)


def test_no_auth_says_what_it_opens(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    env, line = server_auth_env(settings, {"PREFECT_SERVER_API_AUTH_STRING": "x:y"}, auth=False)
    assert "PREFECT_SERVER_API_AUTH_STRING" not in env
    assert "OFF" in line and "anyone who can reach" in line and "history" in line
    env, line = server_auth_env(settings, {}, auth=True)
    secret = read_credential(settings)
    assert secret and env["PREFECT_SERVER_API_AUTH_STRING"] == secret
    assert secret.partition(":")[2] not in line and str(credential_file(settings)) in line
    helped = subprocess.run(
        [sys.executable, "-c", "from studio.cli import main; main()", "up", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "--no-auth" in helped.stdout and "anyone" in helped.stdout


# --- the running server ---------------------------------------------------------------------

pytestmark_server = pytest.mark.prefect_server


@pytestmark_server
def test_the_api_answers_401_without_the_credential_and_200_with_it(
    prefect_server: Settings,
) -> None:
    from studio import stack

    api = stack.api_url(prefect_server)
    secret = read_credential(prefect_server)
    assert secret is not None
    body = {"limit": 1}
    assert httpx.post(f"{api}/flows/filter", json=body, timeout=10).status_code == 401
    wrong = _basic("studio:not-the-password")
    assert httpx.post(f"{api}/flows/filter", json=body, headers=wrong, timeout=10).status_code == (
        401
    )
    ok = httpx.post(f"{api}/flows/filter", json=body, headers=_basic(secret), timeout=10)
    assert ok.status_code == 200
    # Probes stay open (k8s readiness, `studio status`), and say nothing else.
    assert httpx.get(f"{api}/health", timeout=10).status_code == 200


@pytestmark_server
@pytest.mark.slow
@pytest.mark.browser
def test_the_ui_asks_for_the_credential(
    browser: Browser,  # noqa: F811
    prefect_server: Settings,
) -> None:
    page = browser.page
    secret = read_credential(prefect_server)
    assert secret is not None
    base = f"http://{prefect_server.prefect_host}:{prefect_server.prefect_port}"
    assert login(page, base, "studio:wrong") == 401
    page.get_by_text("Authentication failed.").first.wait_for()
    assert login(page, base, secret) == 200
    page.get_by_text("Deployments").first.wait_for()


@pytestmark_server
@pytest.mark.slow
@pytest.mark.usefixtures("prefect_worker")
def test_the_credential_never_appears_in_logs_artifacts_history_status_or_outputs(
    deployed: Settings,
    session_fake: tuple[FakeOpenAI, Path],
    tmp_path: Path,
    megamind: Path,
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.deployments import run_deployment

    from studio import stack

    secret = read_credential(deployed)
    assert secret is not None
    password = secret.partition(":")[2]
    canaries = [password, base64.b64encode(secret.encode()).decode()]
    session_fake[0].default(Reply.json(UNIVERSAL))
    out = tmp_path / "out"
    spec = {
        "name": "canary",
        "request": "A short teaser.",
        "footage": [str(megamind)],
        "output_dir": str(out),
        "steps": ["understand_intent", "sample_frames", "analyze_frames", "report"],
        "sample_frames": {"max_frames": 2},
    }
    with stack.prefect_settings(deployed):
        run = run_deployment("creative-job/creative-job", parameters={"spec": spec}, timeout=400)
        assert run.state and run.state.is_completed(), run.state
        with get_client(sync_client=True) as client:
            logs = client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id]))
            )
            artifacts = client.read_artifacts(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id]))
            )
            flow_run = client.read_flow_run(run.id)
    assert logs and artifacts
    texts: dict[str, str] = {
        "run logs": "\n".join(log.message for log in logs),
        "artifacts": "\n".join(json.dumps(a.model_dump(mode="json")) for a in artifacts),
        "run record": json.dumps(flow_run.model_dump(mode="json")),
    }
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", AUTH_ENV)}
    env.update(STUDIO_HOME=str(deployed.home), STUDIO_PREFECT_PORT=str(deployed.prefect_port))
    for command in (["history", "--json"], ["status"], ["status", "--json"], ["history"]):
        proc = subprocess.run(
            [sys.executable, "-c", "from studio.cli import main; main()", *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        texts[" ".join(command)] = proc.stdout + proc.stderr
    assert "api-auth" in texts["status"] and str(run.id) in texts["history --json"]
    logs_dir = stack.StackPaths.of(deployed).logs
    for path in [*logs_dir.rglob("*"), *out.rglob("*")]:
        if path.is_file():
            texts[str(path)] = path.read_bytes().decode("utf-8", "replace")
    assert any(name.endswith("report.md") for name in texts)
    leaks = [name for name, text in texts.items() for c in canaries if c in text]
    assert not leaks, f"the credential leaked into: {leaks}"


# --- compose and Kubernetes take the credential from a secret -------------------------------


def test_compose_and_k8s_take_the_credential_from_a_secret() -> None:
    import yaml

    from tests.ops.test_manifests import _compose_config, _kustomize

    proc = _compose_config()
    assert proc.returncode == 0, proc.stderr
    compose = yaml.safe_load(proc.stdout)
    services = compose["services"]
    server = services["prefect-server"]
    assert "PREFECT_SERVER_API_AUTH_STRING" in " ".join(server["command"])
    assert "/run/secrets/prefect_auth" in " ".join(server["command"])
    assert "prefect_auth" in compose["secrets"]
    for name in ("worker", "deploy"):
        env = services[name]["environment"]
        assert env["STUDIO_PREFECT_AUTH_FILE"] == "/run/secrets/prefect_auth"
        assert env["STUDIO_FOOTAGE_ROOTS"] == "/srv/footage"
        assert env["STUDIO_OUTPUT_ROOT"] == "/srv/output"
        assert [s if isinstance(s, str) else s["source"] for s in services[name]["secrets"]] == [
            "prefect_auth"
        ]
    assert "PREFECT_API_AUTH_STRING" in " ".join(services["deploy"]["command"])

    docs = _kustomize(REPO / "deployments" / "k8s" / "base")
    by_name = {f"{d['kind']}/{d['metadata']['name']}": d for d in docs}

    def env_of(key: str) -> dict[str, Any]:
        spec = by_name[key]["spec"]["template"]["spec"]
        return {e["name"]: e for e in spec["containers"][0]["env"]}

    for key, var in (
        ("Deployment/prefect-server", "PREFECT_SERVER_API_AUTH_STRING"),
        ("Deployment/prefect-worker", "PREFECT_API_AUTH_STRING"),
        ("Job/studio-deploy", "PREFECT_API_AUTH_STRING"),
    ):
        ref = env_of(key)[var]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": "studio-secrets", "key": "prefect-auth"}, key
    config = next(
        d for d in docs if d["kind"] == "ConfigMap" and "studio-env" in d["metadata"]["name"]
    )
    assert config["data"]["STUDIO_OUTPUT_ROOT"] == "/srv/output"
