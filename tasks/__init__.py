"""Creative steps: one operation per module, each owning its prompt, types and role."""

__all__: list[str] = [
    "analyze_frames",
    "brief",
    "catalog",
    "export_timeline",
    "footage",
    "generate_edit",
    "measure_shots",
    "plan_edit",
    "probe",
    "render",
    "report",
    "shots",
    "understand_intent",
    "verify_edit",
]
