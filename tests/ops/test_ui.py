"""The Prefect UI, as a user drives it (headless Chromium fills the creative-job Run form),
and scripts/trigger_job.py, as a script drives it (run_deployment and wait).

The form is rendered by the Prefect UI from the deployment's parameter schema (the JobSpec
pydantic model); the run executes on the session's process worker with model calls answered
by the fake OpenAI server. Screenshots of the last page go to tests/_artifacts/ on failure.

The UI test waits on states only (the create request's answer, the run's state through the
API, elements on the page), never on fixed sleeps; any 5xx the UI receives fails it with the
Prefect server's log in the message.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.ops.conftest import server_log_tail

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# One answer that validates as both a CreativeIntent and a frame analysis (both ignore
# extra keys), so the scripted server needs no knowledge of the call order.
UNIVERSAL = {
    "goal": "A five-second teaser of the villain's grin",
    "style_and_mood": "playful menace",
    "target_audience": "trailer viewers",
    "success_criteria": ["the grin is on screen"],
    "technical_challenges": ["short clip"],
    "summary": "A blue villain grins at the camera.",
    "subjects": ["villain"],
    "mood": "mischievous",
    "composition": "close-up",
    "motion": "static",
    "edit_suggestions": ["hold the grin"],
}


@dataclass
class Browser:
    """The page, and the 5xx answers the UI received while the test drove it."""

    page: Any
    server_errors: list[str] = field(default_factory=list)

    def assert_no_server_errors(self, settings: Settings) -> None:
        assert not self.server_errors, (
            "the Prefect server answered 5xx:\n"
            + "\n".join(self.server_errors)
            + "\n"
            + server_log_tail(settings)
        )


@pytest.fixture
def browser(artifacts_dir: Path, request: pytest.FixtureRequest) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        ui = Browser(page)
        # What the UI's own requests and scripts reported: a toast such as "Oops. Something
        # went wrong." says nothing by itself, the failed request behind it does.
        problems: list[str] = []

        def on_response(response: Any) -> None:
            line = f"HTTP {response.status} {response.request.method} {response.url}"
            if response.status >= 400:
                problems.append(line)
            if response.status >= 500:
                ui.server_errors.append(line)

        page.on("response", on_response)
        page.on("requestfailed", lambda r: problems.append(f"failed {r.method} {r.url}"))
        page.on(
            "console",
            lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
        )
        failed_before = request.session.testsfailed
        try:
            yield ui
        finally:
            if request.session.testsfailed > failed_before or getattr(
                request.node, "ui_failed", False
            ):
                page.screenshot(
                    path=str(artifacts_dir / f"{request.node.name}.png"), full_page=True
                )
                report = "\n".join(problems) or "no failed request or console error"
                (artifacts_dir / f"{request.node.name}.log").write_text(report + "\n")
                print(f"browser problems during {request.node.name}:\n{report}")
            chromium.close()


def _wait_final(flow_run_id: Any, timeout: float) -> Any:
    """Poll the run's state until it is final (the deadline only bounds a hung run)."""
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            run = client.read_flow_run(flow_run_id)
            if run.state and run.state.is_final():
                return run
            time.sleep(0.5)
    raise AssertionError(f"flow run {flow_run_id} not finished after {timeout}s: {run.state}")


def _field(page: Any, label: str) -> Any:
    """The schema form's property block whose label is exactly ``label``."""
    span = page.locator("span.schema-form-property__label").filter(
        has_text=re.compile(f"^{re.escape(label)}$")
    )
    block = "contains(concat(' ', normalize-space(@class), ' '), ' schema-form-property ')"
    return span.locator(f"xpath=ancestor::div[{block}][1]")


def _is_create_flow_run(response: Any) -> bool:
    return bool(response.request.method == "POST" and response.url.endswith("/create_flow_run"))


@pytest.mark.browser
def test_creative_job_runs_from_the_ui_form(
    browser: Browser,
    deployed: Settings,
    prefect_api: Settings,
    prefect_worker: tuple[Settings, int],
    session_fake: tuple[FakeOpenAI, Path],
    tmp_path: Path,
    megamind: Path,
    artifacts_dir: Path,
) -> None:
    from prefect.client.orchestration import get_client

    page = browser.page
    fake, _ = session_fake
    fake.default(Reply.json(UNIVERSAL))
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("creative-job/creative-job")
    base = f"http://{prefect_api.prefect_host}:{prefect_api.prefect_port}"
    run_name = f"ui-{uuid.uuid4().hex[:8]}"
    job_name = f"UI teaser {run_name}"
    out_dir = tmp_path / "out"

    # The UI asks for the credential first (issue 18), as a person types it.
    from studio.credential import read_credential
    from tests.ops.ui_login import login

    assert login(page, base, read_credential(prefect_api) or "") == 200

    # Deployment page -> Run -> Custom run: the form generated from the JobSpec schema.
    # (Not "networkidle": the UI polls the API, so the network is never idle for sure.)
    page.goto(f"{base}/deployments/deployment/{deployment.id}")
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_text("Custom run", exact=True).click()
    page.wait_for_url("**/run**")
    page.get_by_text("Job name, used in reports and artifact keys.").wait_for()

    page.get_by_role("textbox").nth(0).fill(run_name)  # the run's name, above the schema form
    # The schema form's fields by their labels, never by position: JobSpec gains fields.
    footage = _field(page, "Footage")
    footage.get_by_role("button", name="Add item").click()
    _field(page, "Name").locator("textarea, input").first.fill(job_name)
    _field(page, "Request").locator("textarea, input").first.fill(
        "A five-second teaser of the grin."
    )
    footage.locator("textarea, input").first.fill(str(megamind))
    _field(page, "Output Dir").locator("textarea, input").first.fill(str(out_dir))
    # Steps: keep intent, sampling, analysis and the report; no edit or render here.
    for step in ("generate_edit", "render"):
        page.locator(".p-tag", has_text=step).locator("button.p-tag__dismiss").click()
    browser.assert_no_server_errors(prefect_api)

    # The run exists once the server answered the UI's create request (and not before).
    with page.expect_response(_is_create_flow_run) as created:
        page.get_by_role("button", name="Submit").click()
    response = created.value
    browser.assert_no_server_errors(prefect_api)
    assert response.status == 201, f"create_flow_run: HTTP {response.status} {response.text()}"
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(response.json()["id"])
    assert run.name == run_name
    # The UI returns to the deployment page, where the new run is listed.
    page.get_by_text(run_name).first.wait_for()
    assert run.parameters["spec"]["footage"] == [str(megamind)]
    assert run.parameters["spec"]["steps"] == [
        "understand_intent",
        "sample_frames",
        "analyze_frames",
        "report",
    ]
    finished = _wait_final(run.id, timeout=300)
    assert finished.state.is_completed(), finished.state

    # The UI shows the final state and the report artifact on the run page.
    page.goto(f"{base}/runs/flow-run/{run.id}")
    page.get_by_text("Completed").first.wait_for()
    page.get_by_text("Artifacts", exact=True).first.click()
    report_key = f"ui-teaser-{run_name}-report"
    page.get_by_text(report_key).first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts_dir / "ui_run_artifacts.png"), full_page=True)
    page.get_by_text(report_key).first.click()
    page.get_by_text(job_name).first.wait_for(timeout=30_000)
    browser.assert_no_server_errors(prefect_api)
    assert (out_dir / "report.md").is_file()


@pytest.mark.usefixtures("prefect_worker")
def test_trigger_job_script_runs_the_deployment_and_waits(
    deployed: Settings,
    session_fake: tuple[FakeOpenAI, Path],
    tmp_path: Path,
    megamind: Path,
) -> None:
    import json
    import os
    import subprocess
    import sys

    from studio import stack

    session_fake[0].default(Reply.json(UNIVERSAL))
    spec = tmp_path / "job.yaml"
    spec.write_text(
        "name: scripted teaser\n"
        "request: A short teaser of the grin.\n"
        f"footage: {megamind}\n"
        "output_dir: out\n"
        "steps: [understand_intent, sample_frames, analyze_frames, report]\n"
    )
    from studio.credential import AUTH_ENV, read_credential

    env = dict(os.environ, PREFECT_API_URL=stack.api_url(deployed))
    env[AUTH_ENV] = read_credential(deployed) or ""  # a script user exports it (README)
    proc = subprocess.run(
        [
            sys.executable,
            "scripts/trigger_job.py",
            str(spec),
            "--set",
            "sample_frames.max_frames=3",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    first, _, rest = proc.stdout.partition("\n")
    assert first.startswith("flow run ") and first.endswith(": Completed")
    fields = json.loads(rest)
    assert fields["output"] == str(tmp_path / "out" / "report.md")
    assert isinstance(fields["llm_calls"], int) and isinstance(fields["cache_hits"], int)
    assert (tmp_path / "out" / "report.md").is_file()

    # History reads the job's persisted summary through the Prefect API.
    from studio.history import recent_runs

    run_id = first.split("(")[1].split(")")[0]
    with stack.prefect_settings(deployed):
        row = next(r for r in recent_runs(limit=10) if r.id == run_id)
    assert row.flow == "creative-job" and row.state == "Completed"
    assert row.llm_calls == fields["llm_calls"] and row.cache_hits == fields["cache_hits"]
    assert row.output == fields["output"]

    bad = subprocess.run(
        [sys.executable, "scripts/trigger_job.py", str(tmp_path / "missing.yaml")],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error: job spec not found")
