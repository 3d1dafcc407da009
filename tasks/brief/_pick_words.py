"""Words that choose a shot by what it shows: the measured superlatives of a pick.

"the brightest", "the most dynamic moment", "a face"; and a place said by what happens there
("where almost nothing is moving", "where the most is happening"), which picks the same shot
as its superlative. :func:`tasks.brief._shot_picks.find_pick` reads them with positions and times.
"""

from __future__ import annotations

__all__ = ["PICK_WORDS"]

_WHERE = r"(?:where|when|in\s+which)\s+"
_HARDLY = r"(?:almost|nearly|hardly|barely|practically|virtually|scarcely)"
# "nothing is moving", "nothing's moving", "nothing moves"
_IS = r"(?:\s+(?:is|are|was|were)\s+|'s\s+|'re\s+|\s+)"
# A state said with its verb: "where it is still" (not "where it still looks good").
_BE = r"(?:\s+(?:is|are|was|were|stays?|stands?)\s+|'s\s+|'re\s+)"
_HAPPENS = (
    r"(?:mov(?:es|ing)|happen(?:s|ing)|going\s+on|goes\s+on|stir(?:s|ring)|"
    r"chang(?:es|ing)|(?:in\s+)?motion)\b"
)


def _after_noun(adjectives: str) -> str:
    """A superlative said after its noun: "the shot more dark", "the scene most bright".

    Learners of English often say it so; never "more dark" alone ("make it more dark" changes
    the picture).
    """
    return (
        r"(?:shot|scene|moment|part|bit|frame|image|clip|one)s?\s+(?:the\s+)?mo(?:re|st)\s+"
        rf"(?:{adjectives})\b"
    )


PICK_WORDS: list[tuple[str, str]] = [
    (
        "most_colourful",
        r"most\s+(?:colou?rful|vivid|saturated|vibrant)|colou?rfullest|"
        + _after_noun(r"colou?rful|vivid|saturated|vibrant"),
    ),
    (
        "least_motion",
        r"stillest|calmest|quietest|slowest|most\s+(?:static|still|calm|peaceful|restful)|"
        r"least\s+(?:motion|movement|action|dynamic|busy|movement)|"
        r"mov(?:es?|ing)\s+(?:around\s+)?the\s+least|"
        # a place said by what happens there: "where almost nothing is moving", "when
        # hardly anything happens", "where everything is still"
        rf"{_WHERE}(?:{_HARDLY}\s+)?(?:nothing|nobody|no\s*one|little){_IS}{_HAPPENS}|"
        rf"{_WHERE}{_HARDLY}\s+any(?:thing|body|one){_IS}{_HAPPENS}|"
        rf"{_WHERE}(?:everything|everyone|everybody|things|it){_BE}(?:{_HARDLY}\s+)?"
        r"(?:still|static|calm|motionless|at\s+rest)\b|"
        + _after_noun(r"still|static|calm|quiet|peaceful|restful"),
    ),
    (
        "most_motion",
        # "the most action-packed moment" is one pick, said whole
        r"most\s+(?:dynamic|motion|movement|action(?:[- ](?:packed|filled))?|active|energetic|"
        r"kinetic|intense|exciting|lively)|busiest|liveliest|fastest|action[- ]packed|"
        r"biggest\s+(?:moment|action)|"
        r"mov(?:es?|ing)\s+(?:around\s+)?the\s+most|"
        r"(?:best|key|peak|top)\s+(?:moment|bit|part|action)|climax|highlight|peak|"
        # "where the most is happening", "where everything is moving", "where the action is"
        rf"{_WHERE}(?:the\s+)?most{_IS}{_HAPPENS}|"
        rf"{_WHERE}(?:everything|everyone|everybody){_IS}(?:moving|happening|busy)\b|"
        rf"{_WHERE}the\s+action\s+is\b|"
        + _after_noun(r"dynamic|active|energetic|intense|lively|busy|animated"),
    ),
    (
        "brightest",
        r"brightest|lightest|sunniest|most\s+(?:brightly\s+)?(?:lit|bright|luminous)|"
        + _after_noun(r"bright|light|lit|luminous|sunny"),
    ),
    (
        "darkest",
        r"darkest|dimmest|gloomiest|most\s+(?:dark|dim|shadowy)|"
        + _after_noun(r"dark|dim|shadowy|gloomy"),
    ),
    (
        "faces",
        # "a close-up of a face" whole, before "a close-up of the ..." of anything else
        r"close[- ]?ups?\s+of\s+(?:(?:a|the|someone'?s|somebody'?s|their|his|her)\s+)?"
        r"(?:faces?|person|people|someone|somebody)\b|"
        r"(?:someone'?s\s+|a\s+|the\s+|human\s+)?faces?\b|close[- ]?ups?\s+of\s+(?:a|the)",
    ),
]
