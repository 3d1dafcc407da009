"""Generated-code safety: policy (AST allowlist), runner (isolated run), hints, EDL."""

__all__: list[str] = ["edl", "hints", "policy", "runner"]
