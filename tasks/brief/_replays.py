"""A replay's speed said in a clause of its own, just after the replay.

"Tag an instant replay of the busiest moment onto the end, slowed to 50%": the speed opens
the clause after the replay's and is the replay's, not the whole edit's.
"""

from __future__ import annotations

import re

from ._scan import Scan

__all__ = ["replay_before"]

# What may open the speed's clause before the speed: "..., at half speed".
_ASIDE = re.compile(r"^\s*(?:at|to|by|of|in)?\s*$")
# A replay named in the clause before a speed that opens its own: "tag an instant replay of the
# busiest moment onto the end, slowed to 50%" (the noun only: "again" reaches no further).
_SENTENCE_END = re.compile(r"[.;!?](?!\d)")
_REPLAY_NOUN = re.compile(r"\b(?:(?:action|instant|slow[- ]?mo(?:tion)?)\s+)?replays?\b")


def replay_before(scan: Scan, a: int, start: int) -> tuple[int, int] | None:
    """The clause of a replay said just before the clause at ``a``, which opens on its speed."""
    if not _ASIDE.match(scan.text[a:start]) or not re.search(r",\s*$", scan.text[:a]):
        return None  # the speed must open a clause set off by a comma
    sentence = max((m.end() for m in _SENTENCE_END.finditer(scan.text, 0, a)), default=0)
    found = [m for m in _REPLAY_NOUN.finditer(scan.text, sentence, a) if scan.is_free(*m.span())]
    if not found:
        return None
    p, q = scan.clause(found[-1].start(), found[-1].end())
    # the clause right before: nothing but the comma between them
    return (p, q) if not scan.text[q:a].strip(" ,") else None
