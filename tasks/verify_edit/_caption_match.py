"""Whether text OCR read is the caption asked for, or another one that looks much like it.

The fuzzy ratio that finds a caption (``_text.similarity``) forgives what OCR gets wrong:
case, punctuation, spacing, a confused or dropped letter. It also forgives what makes a
caption another one: "Chapter 1" reads 89% like "Chapter 2". So a read that is close
enough must also keep every digit of the caption and every word: a number that differs
by one digit, or a word swapped for another, is a different caption. OCR's letter/digit
confusions (O/0, I/l/1, S/5, B/8) are no such difference.
"""

from __future__ import annotations

from difflib import SequenceMatcher

__all__ = ["same_text"]

# Characters OCR reads for one another, folded to one: a confusion, not a change.
_CONFUSED = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s", "8": "b"})
# A word of the caption with less than this share of its letters found was not read; with
# as many other letters in its place, another word is there. "the" read "tne" is the word,
# "one" read "two" is not.
_WORD_FOUND = 0.5


def same_text(wanted: str, read: str) -> bool:
    """Whether ``read`` shows ``wanted`` (both normalised: ``_text.normalise``).

    ``read`` may hold more than the caption (other lines, the source's own text): only the
    part aligned with it, and characters glued to that part, are compared. A word OCR lost
    (nothing read in its place) is left to the fuzzy ratio; a word with other letters read
    in its place is another word.
    """
    if not wanted or not read:
        return False
    a, b = wanted.translate(_CONFUSED), read.translate(_CONFUSED)
    blocks = [
        m for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if m.size
    ]
    if not blocks:
        return False
    lo, hi = blocks[0].b, blocks[-1].b + blocks[-1].size
    # Characters glued to the aligned part belong to it: "chapter 12" is not "chapter 1".
    while lo > 0 and b[lo - 1] != " ":
        lo -= 1
    while hi < len(b) and b[hi] != " ":
        hi += 1
    shown = read[lo:hi]
    partner: dict[int, int] = {}  # position in wanted -> position in shown, where they agree
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b[lo:hi], autojunk=False).get_opcodes():
        if tag == "equal":
            partner.update(zip(range(i1, i2), range(j1, j2), strict=True))
        elif any(ch.isdigit() for ch in wanted[i1:i2] + shown[j1:j2]):
            return False  # a digit changed, dropped or added: another number
    matched = set(partner.values())
    for at, word in _words(wanted):
        found = sum(i in partner for i in range(at, at + len(word)))
        if len(word) < 2 or found >= _WORD_FOUND * len(word):
            continue
        # What was read where the word should be: after the last letter placed before it,
        # up to the first placed after it.
        before = max((partner[i] for i in range(at) if i in partner), default=-1)
        after = min((partner[i] for i in partner if i >= at + len(word)), default=len(shown))
        other = [j for j in range(before + 1, after) if j not in matched and shown[j].isalpha()]
        if len(other) >= _WORD_FOUND * len(word):
            return False  # other letters in its place: another word
    return True


def _words(text: str) -> list[tuple[int, str]]:
    """Each word of ``text`` with its position."""
    out, at = [], 0
    for word in text.split(" "):
        if word:
            out.append((at, word))
        at += len(word) + 1
    return out
