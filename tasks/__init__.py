"""Package."""

__all__: list[str] = [
    "analyze_frames",
    "catalog",
    "describe_frames",
    "generate_edit",
    "probe",
    "render",
    "report",
    "sample_frames",
    "understand_intent",
]
