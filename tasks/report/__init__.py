"""The job report: ``report.md`` for people, ``summary.json`` for programs.

``assemble`` turns what a job produced into both; ``contact_sheet`` and ``shot_sheet``
draw the pictures beside them; ``write_report`` writes them under
temporary names and renames them into place, so a folder holding ``summary.json`` always
holds a complete run's results.
"""

from tasks.report.assemble import JobResults, assemble
from tasks.report.contact import contact_sheet, inline_images, shot_sheet
from tasks.report.files import write_report
from tasks.report.markdown import render_markdown
from tasks.report.model import (
    CostLine,
    JobReport,
    SceneRow,
    call_rows,
    estimate_cost,
    scene_label,
)

__all__ = [
    "CostLine",
    "JobReport",
    "JobResults",
    "SceneRow",
    "assemble",
    "call_rows",
    "contact_sheet",
    "estimate_cost",
    "inline_images",
    "render_markdown",
    "scene_label",
    "shot_sheet",
    "write_report",
]
