"""Characters beyond the BMP in a spec: written as UTF-8, or as JSON's escaped surrogate pairs."""

from __future__ import annotations

import json

import pytest

from core.exceptions import ConfigError
from core.yaml_input import load_yaml

REQUEST = 'yo 👋 make it 5 s 🔥, caption "Drop 02 — live now"'


def test_a_json_spec_with_escaped_emoji_reads_its_characters() -> None:
    """``json.dumps`` escapes 👋 as two halves; PyYAML read each half as a character of its
    own (holdout10 cases 3, 6 and 22 failed: "unable to parse raw data as a unicode string")."""
    text = json.dumps({"request": REQUEST, "tags": ["🎬", {"🔥": "x"}]})
    assert "\\ud83d" in text
    data, _ = load_yaml(text, "job.json")
    assert data == {"request": REQUEST, "tags": ["🎬", {"🔥": "x"}]}


def test_emoji_written_as_utf8_yaml_are_unchanged() -> None:
    data, lines = load_yaml(f"request: {json.dumps(REQUEST, ensure_ascii=False)}\n", "job.yaml")
    assert data == {"request": REQUEST}
    assert lines[("request",)] == 1


@pytest.mark.parametrize("half", ["\\ud83d", "\\udc4b", "\\udc4b\\ud83d"])
def test_half_a_character_is_one_line(half: str) -> None:
    with pytest.raises(ConfigError, match=r"job\.json: a \\u escape .* half of a character"):
        load_yaml(f'{{"request": "yo {half} there"}}', "job.json")
