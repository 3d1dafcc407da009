"""parse_request never raises: any text gives a Brief (property-based, hypothesis).

The parse reads numbers into a validated model (a length must be > 0, a scene >= 1, a speed
in (0, 8]), so a rule that lets a zero, a huge or an odd number through would crash the
whole request. Text built from the parser's own fragments (numbers, colons, dashes, units,
time and speed words) reaches those rules far more often than arbitrary text does.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.brief import Brief, parse_request

_SETTINGS = settings(
    max_examples=400,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.too_slow],
)

_NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.integers(min_value=0, max_value=99).map(lambda n: f"{n:02d}"),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: f"{x:g}"),
    st.sampled_from(["0", "00", "0.0", ".5", "1e9", "zero", "a", "an", "half", "twenty-five"]),
)
# Words and marks the rules read around numbers, one fragment each ("_" stands for a space).
_WORDS = """
: ; - _-_ . , % x @ / ' " ( ) _ __ s sec secs seconds m min minutes ms fps frames lufs
to from between and then first last the no not under over at_least at_most max tops long
speed faster slower times times_slower times_as_slow scene shot end_on start_on fade
crossfade use only keep mute 9:16 4:5 1080p minus loudness replay half_speed monochrome
caption the_brightest in mark ish about around nothing longer_then more_long secnd begining
"""
_FRAGMENTS = st.one_of(_NUMBERS, st.sampled_from([w.replace("_", " ") for w in _WORDS.split()]))
_BUILT = st.lists(_FRAGMENTS, max_size=14).map(
    lambda parts: "".join(p + (" " if i % 2 else "") for i, p in enumerate(parts))
)


@_SETTINGS
@given(st.text(max_size=120))
def test_arbitrary_text_gives_a_brief(text: str) -> None:
    assert isinstance(parse_request(text), Brief)


@_SETTINGS
@given(_BUILT)
def test_text_built_from_number_and_time_fragments_gives_a_brief(text: str) -> None:
    assert isinstance(parse_request(text), Brief)


@_SETTINGS
@given(st.lists(st.integers(min_value=0, max_value=99), min_size=2, max_size=8), st.booleans())
def test_timecodes_of_any_digits_give_a_brief(digits: list[int], frames: bool) -> None:
    """hh:mm:ss, mm:ss and hh:mm:ss:ff codes, valid or not, alone and as ranges."""
    codes = [":".join(f"{d:02d}" for d in digits[i : i + 3]) for i in range(0, len(digits), 3)]
    if frames:
        codes = [c + ";12" for c in codes]
    text = "use " + " - ".join(codes) + " only, " + codes[0]
    assert isinstance(parse_request(text), Brief)


@pytest.mark.parametrize(
    "text",
    [
        "0 seconds", "the first 0 seconds", "last 0 s of the clip", "under 0 s", "0-0 s",
        "between 0 and 0 s", "00:00:00", "0:00 to 0:00", "first 0:00", "9" * 400 + " seconds",
        "0 times slower", "zero times as slow", "7654321 times slower", "a 0 s crossfade",
        "0 s fade out",
    ],
)  # fmt: skip
def test_no_length_or_speed_of_zero(text: str) -> None:
    """Numbers no edit can have are kept as free text, never read as an ask."""
    brief = parse_request(text)
    assert brief.duration is None and brief.speeds == []
    assert brief.transition_s is None and brief.fade_out_s is None
    assert brief.use is None or brief.use.kind == "ranges"
