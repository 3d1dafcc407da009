"""``studio run JOB.yaml``: run a creative job.

Progress goes to stderr; stdout carries only the final summary (with ``--json``: one JSON
object as the last thing printed), so scripts can parse it. Prefect runs against its
configured server, or an ephemeral one when none is configured.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["register"]


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send everything written to stdout (including by subprocesses) to stderr for a while."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _quiet_prefect() -> None:
    # Prefect's run logs would drown the progress lines; warnings and errors still show.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_LOG_PRINTS", "false")
    # No network here: the server's telemetry would only log failures (and lock its DB).
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Two busy cores can take a while to bring up the ephemeral server.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


class _NoTracebacks(logging.Filter):
    """Drop tracebacks, and Prefect's run-failure lines: the CLI prints the error once."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and record.name.startswith(
            ("prefect.task_runs", "prefect.flow_runs")
        ):
            return False
        record.exc_info = None
        record.exc_text = None
        message = record.getMessage()
        if "\nTraceback" in message:
            record.msg, record.args = message.split("\nTraceback", 1)[0], None
        return True


def _hide_tracebacks() -> None:
    if os.environ.get("STUDIO_DEBUG", "") not in ("", "0", "false"):
        return
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            handler.addFilter(_NoTracebacks())


def _human_summary(summary: dict[str, Any]) -> str:
    lines = [
        f"job:          {summary.get('name')}",
        f"output video: {summary.get('output_video') or '-'}",
        f"report:       {summary.get('report') or '-'}",
        f"scenes:       {len(summary.get('scenes') or [])}",
        f"brief:        {summary.get('checks_passed', 0)}/{summary.get('checks_total', 0)} checks "
        f"passed (route {summary.get('route') or '-'}, {summary.get('rounds', 0)} round(s))",
        f"model calls:  {summary.get('llm_calls')} sent, {summary.get('cache_hits')} cache hits",
        f"cost:         {(summary.get('cost') or {}).get('text', '-')}",
        f"wall time:    {summary.get('duration_s')} s",
    ]
    intent = summary.get("intent") or {}
    if intent.get("goal"):
        lines.insert(1, f"intent:       {intent['goal']}")
    return "\n".join(lines)


def _miss_warning(summary: dict[str, Any]) -> str | None:
    """One line when the kept render misses its brief: a job never passes silently."""
    total, passed = summary.get("checks_total") or 0, summary.get("checks_passed") or 0
    if not total or passed >= total:
        return None
    missed = ", ".join(summary.get("missed") or []) or "?"
    return f"warning: {passed}/{total} checks passed; missed: {missed}"


def register(app: typer.Typer) -> None:
    """Add ``studio run`` to the root app."""

    @app.command("run")
    def run(
        job: Annotated[Path, typer.Argument(help="The job spec (YAML).")],
        set_: Annotated[
            list[str] | None,
            typer.Option(
                "--set",
                metavar="KEY=VALUE",
                help="Override a spec key, e.g. --set sample_frames.max_frames=4 (repeatable).",
            ),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="End with the summary as one JSON object on stdout.")
        ] = False,
    ) -> None:
        """Run a creative job declared in JOB (a YAML spec).

        Examples: studio run examples/job.yaml | studio run job.yaml --set
        sample_frames.max_frames=4 --json
        """
        from studio.cli._live import live
        from studio.cli._output import set_interrupt_note

        set_interrupt_note("finished steps are cached; rerun the same command to resume")
        overrides = list(set_ or [])
        _quiet_prefect()
        from core.settings import get_settings
        from flows.admission import admit_job
        from flows.creative_job import on_count, on_progress, run_job
        from flows.spec import load_spec
        from inference.wire import on_tokens
        from studio.heartbeat import flow_run_heartbeats

        # Validate before starting Prefect, so a bad spec fails fast with one line; the
        # roots (when set) and a footage probe apply here as in the flow (issue 18).
        admit_job(load_spec(job, overrides), get_settings(), via_deployment=False)
        _hide_tracebacks()

        with (
            _stdout_to_stderr(),
            live("[studio]") as board,
            on_progress(board.step),
            on_count(board.count),
            on_tokens(board.tokens),
            # Every 30 s against a configured server, none under the temporary one.
            flow_run_heartbeats(),
        ):
            # Prefect's temporary server (when none is configured) can take a while to start.
            board.step("starting the flow run...")
            summary = run_job(job, overrides)
        if as_json:
            print(json.dumps(summary, default=str), flush=True)
        else:
            print(_human_summary(summary), flush=True)
        warning = _miss_warning(summary)
        if warning:
            print(warning, file=sys.stderr, flush=True)
