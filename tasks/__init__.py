"""Package."""

__all__: list[str] = [
    "analyze_frames",
    "catalog",
    "footage",
    "generate_edit",
    "probe",
    "render",
    "report",
    "understand_intent",
]
