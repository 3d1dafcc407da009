"""Colour looks said in words: sepia however it is described, black and white, as shot.

"sepia" names the look; people also describe it: "a brownish tint", "vintage brown", "tint
it brown", "like an old photograph", "old style like the brown photos", "an antique tone".
Brown or old alone is what the footage shows ("the brown dog", "the old man", "a slideshow
of old photos"); it is a look only said of a tint or tone, of the picture, or as a likeness
to old photographs.
"""

from __future__ import annotations

__all__ = ["AS_IS", "AS_SHOT", "BW_IDIOM", "MONO", "NATURAL", "SEPIA"]

# Where a phrase ends: "vintage brown, 10 s" names the look, "vintage brown jacket" a thing.
_PHRASE_END = r"(?=\s*(?:[,.;:!?)]|and\b|then\b|please\b|$))"
_OLD = r"(?:old(?:[- ](?:style|fashioned|timey?|school))?|vintage|antique|aged|yellowed)"
_BROWN = r"(?:brown(?:ish|y)?|brown[- ]toned)"
_PHOTO = r"(?:photographs?|photos?|pictures?|prints?|snapshots?|postcards?|polaroids?)\b"
# What a colour look is called: "a brown tint", "an antique tone", "old photo effect".
_LOOK = (
    r"(?:tint(?:ed|s)?|tones?|toned|wash|cast|hue|filter|look|grade|grading|finish|palette|"
    r"effect|aesthetic|vibe|feel)"
)
# The picture as the thing tinted: "tint it brown", "make the colours brownish".
_PICTURE = (
    r"(?:it|everything|the\s+(?:video|footage|clip|image|picture|colou?rs?|whole\s+thing|edit))"
)
# The colour said to be a look before it is named: "the colour must be old style like ...".
_COLOUR_IS = (
    r"(?:(?:the\s+)?colou?r(?:s|ing)?\s+(?:should|must|has\s+to|have\s+to|needs?\s+to|to)\s+"
    rf"(?:be|look)\s+(?:{_OLD}(?:\s+style)?\s+)?)?"
)
_LIKE_PHOTOS = (
    r"(?:(?:look(?:s|ing)?\s+)?like|in\s+the\s+style\s+of|as\s+in)\s+"
    r"(?:an?\s+|the\s+|those\s+|some\s+|my\s+|our\s+|your\s+)?"
    rf"(?:{_OLD}[- ](?:{_BROWN}\s+)?|{_BROWN}\s+){_PHOTO}"
)
SEPIA = (
    r"sepia(?:[- ]ton(?:ed|es?))?|"
    # the tint itself: "a brownish tint", "vintage brown tones", "vintage brown"
    rf"(?:{_OLD}[- ])?{_BROWN}[- ]{_LOOK}\b|{_OLD}\s+{_BROWN}{_PHRASE_END}|"
    rf"(?:tint|tone|grade|wash)(?:s|ed|ing)?\s+(?:{_PICTURE}\s+)?(?:in\s+)?(?:a\s+)?"
    rf"(?:bit\s+|little\s+|slightly\s+)?{_BROWN}\b|"
    rf"(?:make|turn)(?:s|ed|ing)?\s+{_PICTURE}\s+(?:a\s+)?(?:bit\s+|little\s+|slightly\s+)?"
    rf"{_BROWN}{_PHRASE_END}|"
    # old photographs as the likeness: "like an old photograph", "like the brown photos"
    rf"{_COLOUR_IS}{_LIKE_PHOTOS}|"
    rf"(?:an?\s+)?{_OLD}[- ]{_PHOTO}[- ]{_LOOK}|"
    rf"antique[- ](?:{_LOOK}|{_BROWN})"
)

# What is done to colour ("colour grading", "colour fx"), not colour itself: "no colour
# grading", "without colour effects" keep it.
_COLOUR_CHANGE = (
    r"(?:changes?|grad\w*|correct\w*|effects?|fx|filters?|tweaks?|adjust\w*|edit(?:s|ing)?|"
    r"treatments?|processing|modifications?|manipulations?|enhancements?)"
)
# Grey said of the picture's look ("grey colours", "gray tones", "shades of grey", "turn it
# grey"), not of a thing in the footage ("the grey car").
_GREY = r"gr[ae]y(?:ish)?"
MONO = (
    r"monochrome|monochromatic|black[- ]and[- ]white|black\s*&\s*white|b\s*&\s*w|b/w|"
    r"gr[ae]y\s*scale|gr[ae]yscale|desaturated?|noir|colou?rless|"
    r"(?:no|without|remove|drain|strip|drop|lose)\s+(?:the\s+|any\s+|all\s+)?colou?rs?\b"
    rf"(?!\s+{_COLOUR_CHANGE})|"
    rf"{_GREY}[- ](?:colou?rs?|{_LOOK})\b|shades\s+of\s+{_GREY}\b|"
    rf"(?:make|turn)(?:s|ed|ing)?\s+{_PICTURE}\s+(?:all\s+)?{_GREY}{_PHRASE_END}"
)
# "Black and white" as plain speaking, not a look: "in black and white terms", "spelled out
# in black and white", "it's not that black and white". Only where the words around it say
# so: "in black and white" alone, "a black and white film", "it's not black and white" stay
# colour asks.
_BW = r"black[- ]and[- ]white|black\s*&\s*white"
BW_IDIOM = (
    rf"(?:{_BW})\s+(?:terms|issues?|questions?|matters?|answers?|choices?|decisions?|cases?|"
    r"thinking|distinctions?|situations?)\b|"
    r"(?:spell(?:s|ed|ing)?|spelt|set(?:s|ting)?|lay(?:s|ing)?|laid)\s+(?:it\s+|this\s+|that\s+|"
    rf"things\s+|everything\s+)?out\s+in\s+(?:{_BW})|"
    rf"not\s+(?:that|so|as|all\s+that|quite\s+so|entirely|always)\s+(?:{_BW})\b"
)
AS_IS = r"(?:\s+(?:alone|as\s+(?:is|it\s+is|they\s+are)|unchanged|untouched|intact|the\s+same)\b)?"
# Colours said to be as shot: "the original colours", "the real colours", "its true colours".
AS_SHOT = r"(?:original|natural|real|true|normal|actual)"
NATURAL = (
    rf"(?:keep|retain|preserve|leave)\s+(?:the\s+|its\s+|all\s+)?(?:{AS_SHOT}\s+)?"
    rf"colou?rs?\b{AS_IS}|in\s+(?:full\s+)?colou?r\b|full[- ]colou?r|"
    r"(?:natural|original)\s+colou?rs?\b|"
    # the colours said to stay as they are: "the colours could stay exactly as they are",
    # "colours unchanged", "the colour should remain untouched"
    r"colou?rs?\s+(?:(?:could|should|must|can|will|would|may|to)\s+)?"
    r"(?:(?:stay|stays|remain|remains|be\s+left|be\s+kept|left|kept)\s+)?(?:exactly\s+|just\s+)?"
    r"(?:as\s+(?:they\s+are|it\s+is|is|shot|filmed)|unchanged|untouched|unaltered|as[- ]is)|"
    # "don't touch the colour", "no colour grading": the colour stays as shot
    r"(?:(?:don'?t|do\s+not|never)\s+(?:touch|change|alter|grade|tweak)\s+(?:the\s+)?colou?rs?|"
    rf"(?:no|without(?:\s+any)?)\s+colou?r\s+{_COLOUR_CHANGE})\b"
)
