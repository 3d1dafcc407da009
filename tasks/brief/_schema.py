"""The compact JSON schema a small model's brief is constrained to (see ``brief_from_model``)."""

from __future__ import annotations

from typing import Any

__all__ = ["BRIEF_SCHEMA"]

_PICK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "kind": {"enum": ["brightest", "darkest", "most_motion", "least_motion", "faces",
                          "most_colourful", "first", "last", "scene", "scene_from_end",
                          "time"]},
        # scene_from_end counts from the end: 1 the last scene, 2 the one before it
        "scene": {"type": "integer", "minimum": 1},
        "time_s": {"type": "number", "minimum": 0},
    },
    "required": ["kind"],
    "additionalProperties": False,
}  # fmt: skip
# Every property optional (left out = the request does not say), no nulls and no $refs:
# the shape small grammars compile reliably and a 1.5B model fills without wandering.
BRIEF_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "duration": {
            "type": "object",
            "properties": {k: {"type": "number", "minimum": 0}
                           for k in ("target_s", "min_s", "max_s")},
            "additionalProperties": False,
        },
        "speeds": {
            "type": "array",
            "maxItems": 3,
            "items": {
                "type": "object",
                "properties": {
                    "factor": {"type": "number", "exclusiveMinimum": 0, "maximum": 8},
                    "applies_to": {"enum": ["all", "best_moment", "part"]},
                    "replay": {"type": "boolean"},
                    "pick": _PICK_SCHEMA,
                },
                "required": ["factor"],
                "additionalProperties": False,
            },
        },
        "colour": {"enum": ["monochrome", "sepia", "natural"]},
        "transitions": {"enum": ["cut", "fade", "crossfade"]},
        "fade_in": {"type": "boolean"},
        "fade_out": {"type": "boolean"},
        "fade_in_s": {"type": "number", "exclusiveMinimum": 0},
        "fade_out_s": {"type": "number", "exclusiveMinimum": 0},
        "transition_s": {"type": "number", "exclusiveMinimum": 0},
        "captions": {"type": "array", "maxItems": 3, "items": {"type": "string", "maxLength": 80}},
        "start_on": _PICK_SCHEMA,
        "end_on": _PICK_SCHEMA,
        "use": {
            "type": "object",
            "properties": {
                "kind": {"enum": ["all", "every_scene", "head", "tail", "ranges",
                                  "beginning_middle_end"]},
                "seconds": {"type": "number", "exclusiveMinimum": 0},
                "ranges": {"type": "array", "maxItems": 4, "items": {
                    "type": "array", "items": {"type": "number", "minimum": 0},
                    "minItems": 2, "maxItems": 2}},
            },
            "required": ["kind"],
            "additionalProperties": False,
        },
        "order": {"enum": ["source", "reverse"]},
        "playback": {"enum": ["forward", "reverse"]},
        "aspect": {"enum": ["16:9", "9:16", "1:1", "4:5", "4:3"]},
        "size": {"type": "array", "items": {"type": "integer", "minimum": 16}, "minItems": 2,
                 "maxItems": 2},
        "audio": {"enum": ["keep", "mute"]},
        "sound": {"type": "object", "properties": {"beats": {"type": "boolean"},
                  "whole_words": {"type": "boolean"},
                  "loudness_lufs": {"type": "number", "minimum": -40, "maximum": -5}},
                  "additionalProperties": False},
        "free_text": {"type": "array", "maxItems": 3, "items": {"type": "string", "maxLength": 80}},
    },
    "additionalProperties": False,
}  # fmt: skip
