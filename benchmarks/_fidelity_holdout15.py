"""Fidelity holdout set 15: blind requests with hand-written expected briefs (fidelity.py).

Written from the Brief schema (tasks/brief/model.py) and the other case files only -- no parser,
rule, merge, planner or verifier file was read, the parser was never run on these requests, and
no request of another set is copied. The theme is the core checkable asks said in the vocabulary
and idioms of editors and of everyday people:

- length: "TRT 6 seconds", "clock in at 8", "no more than a :15", "tighten it to 5", "ballpark
  9 seconds", "5 seconds all in", "runtime of 6 seconds", "8 to 10 seconds";
- speed: "overcranked look, 50%", "super slo-mo at 25%", "at a crawl -- quarter speed",
  "undercranked to 4x", "at 2x for a fast-forward look", "all at half-time", "fast-forward the
  whole street at 4x", an "instant replay ... slowed to 50%" tagged onto the end;
- order and time running backwards: "flip the order so it's last shot first", "story order",
  "play it in rewind", "everyone walking backwards, like a VCR on rewind";
- fades and joins: "come up from black over a second and a half at the top", "go to black at
  the end", "a fade up at the open and a fade down at the close", "no fade at the head, just
  hard in", "zero fades", "butt the shots up against each other", "cuts only, nothing fancy",
  "mix between the shots, half a second per mix", "quarter-second lap dissolves", "go through
  black for half a second between shots", and "iris out", which the Brief cannot hold;
- captions: "a lower third that says", "an end card with", "a super reading", "burn in the
  words", "a card reading";
- start and end: "open cold on a face", "lead off with", "lead in on", "the first thing we see
  should be", "go out on", "landing on", "land on", "button it on", "bookend it with";
- colour: "desaturate it fully", "strip the colour out completely", "in grayscale", "an
  old-timey brown tint", "keep it in colour";
- sound: "MOS", "nat sound", "the natural sound", "leave the audio in", "leave the sound up",
  "sound stays", "pull the audio", "picture only, no sound";
- source: "0:02 in to 0:06", "lift 0:12 in to 0:20 and 0:45 in to 0:53", "the head of the
  trailer", "the back end ... the final 20 seconds", "the tail end", "the back half", "from
  the top: the first 30 seconds", "the whole street".

Four requests carry an idiom that asks nothing checkable: "cut to the chase" (no join ask), "in
black and white terms" (meaning plainly, no colour ask), "fade into the background" (about a
person, no fade ask) and "a quick turnaround" (a deadline, no speed or length ask).

Reading conventions, as in the other sets: every expected brief is a careful person's reading
of its request, never the product's parse, and fills only what the request clearly asks. "MOS",
"pull the audio" and "picture only" mute the edit; "nat sound" and "the natural sound" keep the
footage's own soundtrack (the trailer's music and dialogue). "A :15" is a fifteen-second spot,
so "no more than a :15" is an upper bound. "Mix" and "lap dissolve" are crossfades; "go through
black" between shots is a dip (fade); butting shots together is hard cuts. "Half-time" is half
speed. "Zero fades" is the fade-in and the fade-out, not the joins (as in holdout10). "Open cold"
names the first shot only; it is not read as "no fade-in". A caption's position (lower third,
end card) is not checked: only its exact text, in the order given. "The final scene" is the
last one (as in holdout14).

Footage facts the cases rely on: CLIP is 10 s at 24 fps in four 2.5 s scenes with no audio
(scene 3 the brightest, scene 4 the darkest and the one with most motion); MEGAMIND is 11.3 s
with music and dialogue in four scenes; VTEST is 79.5 s at 10 fps with no audio, one long take
(so no numbered scenes are asked of it). Every ask fits its footage: the source covers the
asked length at the asked speed (the arithmetic is in a comment where it is tight), sound is
only asked of the trailer, and no fade is longer than half of its edit.
"""

from __future__ import annotations

from _fidelity_cases import (
    CLIP,
    MEGAMIND,
    VTEST,
    Case,
    _d,
    _head,
    _part,
    _ranges,
    _replay,
    _scene,
    _tail,
)

from tasks.brief import Brief, ShotPick, SourceUse, SpeedAsk

__all__ = ["HOLDOUT15"]


HOLDOUT15: list[Case] = [
    # 1-8: runtimes, speeds and joins in editors' words.
    # Butting shots up against each other is a hard cut.
    Case(
        "TRT 6 seconds. No dissolves, just butt the shots up against each other, and go out on "
        "the brightest shot.",
        CLIP,
        Brief(duration=_d(6), transitions="cut", end_on=ShotPick(kind="brightest")),
    ),
    # "Nat sound" is the footage's own soundtrack: kept. "Open cold" names the first shot only.
    Case(
        "Can this clock in at 8 seconds? Keep the nat sound and open cold on a face.",
        MEGAMIND,
        Brief(duration=_d(8), audio="keep", start_on=ShotPick(kind="faces")),
    ),
    # "A :15" is a fifteen-second spot; "no more than" makes it a bound.
    Case(
        "No more than a :15 out of the street footage. Overcranked look, 50%, and come up from "
        "black over a second and a half at the top.",
        VTEST,
        Brief(
            duration=_d(hi=15),
            speeds=[SpeedAsk(factor=0.5)],
            fade_in=True,
            fade_in_s=1.5,
        ),
    ),
    # The 25% is on scene 2 alone; the rest plays at its own speed.
    Case(
        "Flip the order so it's last shot first, desaturate it fully, and put scene 2 in super "
        "slo-mo at 25%.",
        CLIP,
        Brief(order="reverse", colour="monochrome", speeds=[_part(0.25, _scene(2))]),
    ),
    # MOS: no sound. A "mix" is a crossfade; the voice-over comes later and is context.
    Case(
        "MOS please, a VO goes over it later. Tighten it to 5 seconds and mix between the "
        "shots, half a second per mix.",
        MEGAMIND,
        Brief(audio="mute", duration=_d(5), transitions="crossfade", transition_s=0.5),
    ),
    # Trap: "cut to the chase" is a figure of speech, not a join ask, and "short on time" is
    # the deadline. 10 s at 4x is 40 s of the 79.5 s street.
    Case(
        "I'll cut to the chase since we're short on time: 10 seconds of the street, "
        "undercranked to 4x, landing on the stillest moment.",
        VTEST,
        Brief(
            duration=_d(10),
            speeds=[SpeedAsk(factor=4.0)],
            end_on=ShotPick(kind="least_motion"),
        ),
    ),
    # "In rewind" is time running backwards; 4 s of source at quarter speed is 16 s.
    Case(
        "0:02 in to 0:06, and play it in rewind at a crawl -- quarter speed.",
        CLIP,
        Brief(use=_ranges((2.0, 6.0)), playback="reverse", speeds=[SpeedAsk(factor=0.25)]),
    ),
    # Two captions, in the order they appear; their positions are not checked.
    Case(
        'Ballpark 9 seconds, leave the audio in. A lower third that says "Will Ferrell as '
        'Megamind" early on, and an end card with "In Theaters November 5".',
        MEGAMIND,
        Brief(
            duration=_d(9),
            audio="keep",
            captions=["Will Ferrell as Megamind", "In Theaters November 5"],
        ),
    ),
    # 9-16: starts, ends, colour, and two more traps.
    # Trap: "in black and white terms" means plainly; no colour is asked. Scene 3 then scene 4
    # is 5 s, inside the bound.
    Case(
        "So we're clear, in black and white terms: under 6 seconds, lead off with scene 3, cuts "
        "only, nothing fancy.",
        CLIP,
        Brief(duration=_d(hi=6), start_on=_scene(3), transitions="cut"),
    ),
    # An old-timey brown tint is sepia.
    Case(
        "Give the back end of the street footage -- the final 20 seconds -- an old-timey brown "
        "tint, and go to black at the end over 2 seconds.",
        VTEST,
        Brief(use=_tail(20), colour="sepia", fade_out=True, fade_out_s=2.0),
    ),
    # Trap: the person fades into the background, not the picture.
    Case(
        "Honestly I'd rather fade into the background at the launch and let the video do the "
        "talking. 7 seconds of the trailer, dialogue and music kept, and button it on a face.",
        MEGAMIND,
        Brief(duration=_d(7), audio="keep", end_on=ShotPick(kind="faces")),
    ),
    # An iris is a shaped wipe to black, which the Brief cannot hold: free text, no fade-out.
    Case(
        "Bookend it with the first and last shots, 5 seconds all in, dissolve between shots, "
        "and iris out at the very end if the tool can.",
        CLIP,
        Brief(
            start_on=ShotPick(kind="first"),
            end_on=ShotPick(kind="last"),
            duration=_d(5),
            transitions="crossfade",
            free_text=["iris out at the very end"],
        ),
    ),
    # "Half-time" is half speed: 16 s of source play as 32 s.
    Case(
        "Lift 0:12 in to 0:20 and 0:45 in to 0:53 of the street, straight cuts between them, "
        "all at half-time.",
        VTEST,
        Brief(
            use=_ranges((12.0, 20.0), (45.0, 53.0)),
            transitions="cut",
            speeds=[SpeedAsk(factor=0.5)],
        ),
    ),
    # A "super" is a superimposed title: a caption.
    Case(
        "Pull the audio. The head of the trailer, first 4 seconds, at 2x for a fast-forward "
        'look, with a super reading "Tonight at 9".',
        MEGAMIND,
        Brief(
            audio="mute",
            use=_head(4),
            speeds=[SpeedAsk(factor=2.0)],
            captions=["Tonight at 9"],
        ),
    ),
    # Trap: "a quick turnaround" is the deadline, not a speed or a length.
    Case(
        "Need a quick turnaround on this one, client's on the phone. The tail end of the clip, "
        "last 4 seconds, in slo-mo at 50%, and keep it in colour.",
        CLIP,
        Brief(use=_tail(4), speeds=[SpeedAsk(factor=0.5)], colour="natural"),
    ),
    # "Hard in" with "no fade at the head" is fade_in False.
    Case(
        "Go out on the brightest shot and fade to black over one second. No fade at the head, "
        "just hard in. Sound stays.",
        MEGAMIND,
        Brief(
            end_on=ShotPick(kind="brightest"),
            fade_out=True,
            fade_out_s=1.0,
            fade_in=False,
            audio="keep",
        ),
    ),
    # 17-25: mixed.
    # A lap dissolve is a crossfade.
    Case(
        "Strip the colour out completely, lead with the busiest moment, run about 12 seconds, "
        "and use quarter-second lap dissolves between shots.",
        VTEST,
        Brief(
            colour="monochrome",
            start_on=ShotPick(kind="most_motion"),
            duration=_d(12),
            transitions="crossfade",
            transition_s=0.25,
        ),
    ),
    # People walking backwards is time running backwards, not only the shots last to first.
    # At most 10 s at 1.5x is 15 s of source.
    Case(
        "I want everyone walking backwards, like a VCR on rewind -- 8 to 10 seconds of the "
        "street at 1.5x.",
        VTEST,
        Brief(playback="reverse", duration=_d(lo=8, hi=10), speeds=[SpeedAsk(factor=1.5)]),
    ),
    Case(
        "Lead in on scene 2, land on the final scene, runtime of 6 seconds, and leave the sound "
        "up.",
        MEGAMIND,
        Brief(
            start_on=_scene(2),
            end_on=ShotPick(kind="last"),
            duration=_d(6),
            audio="keep",
        ),
    ),
    # "Story order" is the source order; going through black between shots is a dip.
    Case(
        "New plan, forget my notes from yesterday: 8 seconds, every scene in story order, and "
        "go through black for half a second between shots.",
        CLIP,
        Brief(
            duration=_d(8),
            use=SourceUse(kind="every_scene"),
            order="source",
            transitions="fade",
            transition_s=0.5,
        ),
    ),
    # The whole 79.5 s at 4x is 19.9 s: the stated ~20 s agrees.
    Case(
        "Fast-forward the whole street at 4x so the TRT is about 20 seconds, and burn in the "
        'words "Rush Hour".',
        VTEST,
        Brief(
            use=SourceUse(kind="all"),
            speeds=[SpeedAsk(factor=4.0)],
            duration=_d(20),
            captions=["Rush Hour"],
        ),
    ),
    # "Picture only" mutes; the back half is the second half of the source.
    Case(
        "Picture only, no sound. Just the back half of the trailer, in grayscale, with a card "
        'reading "Blue Is the New Black".',
        MEGAMIND,
        Brief(
            audio="mute",
            use=SourceUse(kind="portion", portion=(0.5, 1.0)),
            colour="monochrome",
            captions=["Blue Is the New Black"],
        ),
    ),
    # "Zero fades" is the fade-in and fade-out (as in holdout10). 4 s at 2x is 8 s of the clip.
    Case(
        "Tighten it to 4 seconds at 2x. The first thing we see should be the most colourful "
        "shot, and zero fades.",
        CLIP,
        Brief(
            duration=_d(4),
            speeds=[SpeedAsk(factor=2.0)],
            start_on=ShotPick(kind="most_colourful"),
            fade_in=False,
            fade_out=False,
        ),
    ),
    # The first 30 s at 3x is the 10 s the request states.
    Case(
        "From the top: the first 30 seconds of the street at 3x so it clocks in at 10, with a "
        "fade up at the open and a fade down at the close.",
        VTEST,
        Brief(
            use=_head(30),
            speeds=[SpeedAsk(factor=3.0)],
            duration=_d(10),
            fade_in=True,
            fade_out=True,
        ),
    ),
    # An instant replay tagged onto the end is an extra slowed replay of the picked moment.
    Case(
        "Keep the natural sound, and tag an instant replay of the busiest moment onto the end, "
        "slowed to 50%.",
        MEGAMIND,
        Brief(audio="keep", speeds=[_replay(0.5, ShotPick(kind="most_motion"))]),
    ),
]
