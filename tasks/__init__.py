"""Package."""

__all__: list[str] = ["describe_frames", "probe", "sample_frames", "generate_edit", "render"]
