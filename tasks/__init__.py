"""Package."""

__all__: list[str] = [
    "analyze_frames",
    "catalog",
    "describe_frames",
    "export_timeline",
    "generate_edit",
    "measure_shots",
    "plan_edit",
    "probe",
    "render",
    "report",
    "sample_frames",
    "understand_intent",
]
