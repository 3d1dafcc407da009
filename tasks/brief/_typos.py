"""Typos a careful reader still reads one way: a slip in a word of the parser's vocabulary.

"a 15 secnd vid from the begining, midle and end, with crosfades" asks a 15 s edit of the
beginning, middle and end with crossfades. A word is read as a word of :data:`_VOCABULARY`
(the units, transitions, looks and places in the footage the rules read) when it is one
edit away from exactly one of them (a letter left out, added, changed, or two swapped: the
Damerau-Levenshtein distance 1), is at least five letters long, and is no English word
itself: "spend" stays "spend", never "speed". Quoted text is a caption, kept as written.

An English word is a slip only where no English reading fits: "an edit that stars at 0:30"
starts there (a verb before a time of the source), "the stars at night" stay stars.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["correct_typos"]

_VOCABULARY_WORDS = """
second seconds minute minutes length duration longer shorter total maximum minimum exactly
around roughly approximately beginning begin middle ending start finish opening closing close
final first whole entire every quarter third percent transition transitions crossfade crossfades
dissolve dissolves fade fades faded fading monochrome sepia greyscale grayscale black white
colour color colours colors colourful colorful saturated vivid caption captions subtitle
subtitles title titles text speed faster slower motion double triple twice reverse reversed
backwards forwards backward forward normal replay vertical portrait landscape horizontal
widescreen square audio sound music silent mute muted volume loudness beats brightest darkest
stillest calmest quietest busiest fastest slowest liveliest movement action highlight faces
footage video scene scenes shots
"""
_VOCABULARY = frozenset(_VOCABULARY_WORDS.split())
# English words one edit from a word above: never read as a typo. The words of SCOWL's
# large American and British lists (Debian's wamerican-large and wbritish-large) that
# are five letters or longer and one edit from a vocabulary word; regenerate the list
# when the vocabulary grows.
_ENGLISH_NEAR_WORDS = """
abound actin actinon actions aground alack aster auction audios audit backyard backyards baster
beads beaks beams beans bears beast beasts beaus beauts beets began beginnings begins begun
belts bending bents bests betas binal blacks blank blats bleats block blower boats bound brats
bushiest busies bustiest captious caster cation cations caution cautions chose clack clone
cloning closed closer closes closet closings clove cloying colon colons conger curation daces
dankest deration dhole diddle dissolved dissolver dissolvers doable dolor dolors dolour dolours
doubled doubler doubles doublet doubly durations emery emotion endings enduing entice evert
faced facer facers facet facets facies facing faction facts fader fadge fadings faeces faked
fakes faking falter famed farces fared fares faring fasces fasted fasten fated fates fating
fatter fattest fauces faves faxed faxes faxing fazed fazes fazing feaster feats feces fending
fester fiddle finale finals finfish finial finis firsts flack flotage flower formal foster found
froward glower ground hades heats highlights horizontals hound jaded jades jading laces laded
lades lading landscaped landscaper landscapes lending lengths lengthy likeliest linger livid
lodger logger loner longe longed losing lotion lounger loveliest lower lowest lunger maces
master mated maturated maximums meats meddle mending mesic meted middles minimums minimus minium
minuet minuets minuses minuted minuter minutest monger monochromes morion motions mound
movements muddle mused musics muter mutes normals notion openings opining outed paces paction
pending percents percept phots piddle plower portraits potion pound quartern quarters quartet
races raster relay rending repay replays reply revere revered reveres reverie revers reverser
reverses reverso reverted revery riddle rightest rouble round sades saturate saturates scend
scends scent scents scone scones seats secund sending septa shits shoats shoes shoos shooter
shoots shops shorted shorten shorts shote shouter shouts shower shows shuts sileni silents slack
slots slowed smart snorter snots sorter sounds sower speeds speedy spend spewed spied spots
spreed spued squame squared squarer squares squire stare stark stars starts steed stilliest
stound subtile subtitled surtitle surtitles swart swots swound taction taster teats tending
texts thirds thole tiles tithe tithes titled titre titres tittle tittles tonal totals toughly
trice trifle tripe tripled triples triplet triplex triply twine vaster vastest veery vending
verticals videos vireo volumed volumes volute vortical waded wades wading waster wending whale
while whine whited whiten whiter whites whitey whits whity wholes whore whose whsle widescreens
wound write
"""
_ENGLISH_NEAR = frozenset(_ENGLISH_NEAR_WORDS.split())
_MIN_LETTERS = 5
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"[A-Za-z]+")
# English words that are a slip of a verb of the edit, and that verb: only where a verb
# stands (after "that", "it", "to" ...) before the time of the source it is at ("at 0:30").
_SLIPS_AS_VERBS = {"star": "start", "stars": "starts"}
_AS_VERB = re.compile(
    r"\b(?:that|which|it|and|then|to|should|must|will|can|shall)\s+([a-z]+)"
    r"(?=\s+(?:at|from)\s+(?:the\s+)?\d)",
    re.IGNORECASE,
)
# Quoted text, in straight or curly quotes: what a caption says, spelt as the user wants.
_QUOTED = re.compile(
    r"[\"\u201c\u201d][^\"\u201c\u201d]*[\"\u201c\u201d]|"
    r"(?<!\w)['\u2018\u2019][^'\u2018\u2019]+?['\u2018\u2019](?!\w)"
)


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        | {a + c + b for a, b in splits for c in _LETTERS}
    )


@lru_cache(maxsize=4096)
def _meant(word: str) -> str | None:
    """The vocabulary word ``word`` (lower case) is a slip of, if exactly one."""
    if len(word) < _MIN_LETTERS or word in _VOCABULARY or word in _ENGLISH_NEAR:
        return None
    near = _one_edit(word) & _VOCABULARY
    return next(iter(near)) if len(near) == 1 else None


def _in_case_of(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    return word.capitalize() if like[0].isupper() else word


def _correct(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        meant = _meant(m.group(0).lower())
        return m.group(0) if meant is None else _in_case_of(meant, m.group(0))

    def fix_verb(m: re.Match[str]) -> str:
        meant = _SLIPS_AS_VERBS.get(m.group(1).lower())
        if meant is None:
            return m.group(0)
        return m.group(0)[: m.start(1) - m.start()] + _in_case_of(meant, m.group(1))

    return _AS_VERB.sub(fix_verb, _WORD.sub(fix, text))


def correct_typos(text: str) -> str:
    """``text`` with each slip of a vocabulary word written as that word; quotes untouched.

    The length may change ("secnd" is "second"): correct before anything indexes the text.
    """
    out, last = [], 0
    for m in _QUOTED.finditer(text):
        out += [_correct(text[last : m.start()]), m.group(0)]
        last = m.end()
    return "".join([*out, _correct(text[last:])])
