"""Writing the report: ``report.md`` then ``summary.json``, each through a rename."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from core.files import write_atomic
from tasks.report.markdown import render_markdown
from tasks.report.model import JobReport

__all__ = ["write_report"]


def write_report(
    report: JobReport, output_dir: Path, summary: Mapping[str, Any]
) -> tuple[Path, Path]:
    """Write ``report.md`` then ``summary.json`` (last, so it marks a complete run).

    Args:
        report: The report data.
        output_dir: Destination folder (created if needed).
        summary: The JSON summary (the flow's return value).

    Returns:
        ``(report_path, summary_path)``.
    """
    report_path = write_atomic(output_dir / "report.md", render_markdown(report).encode())
    text = json.dumps(dict(summary), indent=2, sort_keys=True, default=str) + "\n"
    summary_path = write_atomic(output_dir / "summary.json", text.encode())
    return report_path, summary_path
