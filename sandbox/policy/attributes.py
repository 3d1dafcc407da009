"""Attribute access in a script: the allowlist of attribute names and its check.

A script may read ``x.attr`` only for ``attr`` in ``ALLOWED_ATTRIBUTES``: clip methods and
properties of MoviePy 2, effect classes, ``math`` members and a few list/str/dict/array
helpers. It never assigns to an attribute.
"""

from __future__ import annotations

import ast

from .allowlist import AFX, MATH, VFX
from .finding import Finding

__all__ = ["ALLOWED_ATTRIBUTES", "attribute_findings"]

#: Attribute names a script may use: clip methods/properties of MoviePy 2, effect classes,
#: ``math`` members and a few list/str/dict/array helpers. Anything reading or writing
#: files (``write_*``, ``save_frame``, ``filename``, ``reader``, ``tofile``) or reaching
#: interpreter internals is absent by construction.
ALLOWED_ATTRIBUTES: frozenset[str] = frozenset(
    [
        # clip methods returning new clips
        "subclipped",
        "with_effects",
        "with_effects_on_subclip",
        "with_duration",
        "with_start",
        "with_end",
        "with_fps",
        "with_position",
        "with_opacity",
        "with_audio",
        "without_audio",
        "with_mask",
        "without_mask",
        "with_layer_index",
        "with_background_color",
        "with_section_cut_out",
        "with_speed_scaled",
        "with_volume_scaled",
        "resized",
        "cropped",
        "rotated",
        "time_transform",
        "image_transform",
        "transform",
        "to_ImageClip",
        "to_RGB",
        "get_frame",
        "copy",
        # clip properties
        "duration",
        "start",
        "end",
        "fps",
        "size",
        "w",
        "h",
        "aspect_ratio",
        "n_frames",
        "audio",
        "mask",
        # numpy frame helpers used inside image_transform callbacks
        "shape",
        "astype",
        "mean",
        # containers and strings
        "append",
        "extend",
        "insert",
        "pop",
        "index",
        "count",
        "reverse",
        "items",
        "keys",
        "values",
        "get",
        "upper",
        "lower",
        "title",
        "capitalize",
        "strip",
        "split",
        "join",
        "replace",
        "startswith",
        "endswith",
        # effect and math modules
        "vfx",
        "afx",
        *VFX,
        *AFX,
        *MATH,
    ]
)


def attribute_findings(node: ast.Attribute) -> list[Finding]:
    """Why ``node`` (one ``x.attr``, its value not included) is refused, if it is."""
    attr, line = node.attr, node.lineno
    findings = []
    if isinstance(node.ctx, ast.Store):
        findings.append(
            Finding(
                line,
                "attribute-store",
                f"assigning to attribute {attr!r} is not allowed (clips are immutable: "
                "use the with_* methods; module attributes are read-only)",
            )
        )
    if attr.startswith("_"):
        message = f"attribute {attr!r} starts with '_' (private names)"
        findings.append(Finding(line, "underscore", message))
    elif attr in ("format", "format_map"):
        findings.append(Finding(line, "attribute", f"str.{attr} is forbidden; use an f-string"))
    elif attr.startswith("write_") or attr in ("save_frame", "preview", "show"):
        message = (
            f".{attr}() is forbidden: scripts never write or display; return the clip "
            "and the studio renders it"
        )
        findings.append(Finding(line, "attribute", message))
    elif attr not in ALLOWED_ATTRIBUTES:
        findings.append(Finding(line, "attribute", f"attribute {attr!r} is not on the allowlist"))
    return findings
