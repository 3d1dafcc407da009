"""Fidelity holdout set 16: blind requests with hand-written expected briefs (fidelity.py).

Written from the Brief schema (tasks/brief/model.py) and the other case files only -- no parser,
rule, merge, planner or verifier file was read, the parser was never run on these requests, and
no request of another set is copied. The theme is subtractive and relative asks: editing by
taking things away, or by comparison with the source:

- trims: "trim 2 seconds off the start ... shave the last second", "cut 3 s off each end",
  "lose the first half second", "drop the intro (the first 2 seconds)", "start 4 seconds in and
  play through to the end", "from 0:05 onward only", "nothing before 0:30 ... stop at the
  50-second mark", "from the top up to the 6-second mark", "stop at 0:07, nothing after that";
- exclusions by scene: "everything except scene 2", "skip the third scene", "leave out the last
  scene", "all but the first scene", "without the dark scene at the end";
- relative lengths: "half as long as the original", "a third of its length", "take a third off
  the running time", "half the length of the full trailer", "cut it down by 4 seconds", "twice
  as long as a single scene", "exactly as long as the first scene";
- relative speeds: "everything after scene 2 at double speed, the rest at normal speed", "only
  the middle scene slowed", and "keep the first half as is and speed up the rest", which names
  no factor and so stays free text;
- beside them, one to three other checkable asks (fades and their lengths, joins, captions,
  colour, order, time running backwards, start and end picks, aspect, sound kept or muted,
  beats and whole words).

Two requests take things away without saying what or how much: "trim the fat" and "lose the
boring bits". Their expected briefs hold no invented range or length: the ask stays free text,
in the request's own words ("drop the intro" is only held because its length is given).

Reading conventions: every expected brief is a careful person's reading of its request, never
the product's parse, and fills only what the request clearly asks. A trim is read as the source
the edit keeps (Brief.use), not as a start or end pick: what is kept is a head when it runs from
the very start, a tail when it runs to the very end, and ranges (source seconds) otherwise or
when it is several spans. Scene exclusions resolve on CLIP's four 2.5 s scenes (scene n spans
2.5(n-1) to 2.5n s); the derivation is in a comment above each case. A length asked as a share
of the source is DurationAsk.share_of_source (the share of the whole footage, whatever part is
used); a length fixed by arithmetic on the footage facts ("cut it down by 4 seconds" on the
10 s clip, "twice as long as a single scene") is a target in seconds. A speed on the scenes
after scene 2 is one part speed per scene (3 and 4); a speed on "the rest" with no factor is
not held. Scene numbers in picks are the footage's own, also after a scene is left out.

Footage facts the cases rely on: CLIP is 10 s at 24 fps in four 2.5 s scenes with no audio
(scene 3 the brightest, scene 4 the darkest and the one with most motion); MEGAMIND is 11.3 s
with music and dialogue in four scenes (their bounds are not relied on: trims of the trailer
are in seconds); VTEST is 79.5 s at 10 fps with no audio, one long take (so no numbered scenes
are asked of it). Every ask fits its footage: the source kept covers the asked length at the
asked speed (the arithmetic is in a comment where it is tight), sound is only asked of the
trailer, and no fade is longer than half of its edit.
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _d, _head, _part, _ranges, _scene, _tail

from tasks.brief import Brief, DurationAsk, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT16"]


def _share(share: float) -> DurationAsk:
    """A length asked as a share of the source's, resolved by the planner and the verifier."""
    return DurationAsk(share_of_source=share)


HOLDOUT16: list[Case] = [
    # 1-8: trims in seconds.
    # 2 s off the start and 1 s off the end of the 10 s clip keep 2-9 s: one range.
    Case(
        "Trim 2 seconds off the start of the clip and shave the last second too. Fade in from "
        "black.",
        CLIP,
        Brief(use=_ranges((2.0, 9.0)), fade_in=True),
    ),
    # 3 s off each end of the 79.5 s street keep 3-76.5 s.
    Case(
        'Cut 3 s off each end of the street footage and put the caption "Main St., 8 AM" over '
        "what's left.",
        VTEST,
        Brief(use=_ranges((3.0, 76.5)), captions=["Main St., 8 AM"]),
    ),
    # Losing the first 0.5 s of the 11.3 s trailer keeps the last 10.8 s. The flash frame is
    # the reason, not a further ask.
    Case(
        "lose the first half second of the trailer, it opens on a flash frame. keep the music "
        "and cut on the beat",
        MEGAMIND,
        Brief(use=_tail(10.8), audio="keep", sound=SoundAsk(beats=True)),
    ),
    # The intro is given a length: dropping the first 2 s of 11.3 s keeps the last 9.3 s.
    Case(
        "Drop the intro (the first 2 seconds), keep the soundtrack, and end with a 1-second "
        "fade to black.",
        MEGAMIND,
        Brief(use=_tail(9.3), audio="keep", fade_out=True, fade_out_s=1.0),
    ),
    # "Start 4 seconds in and play through to the end" keeps 4-10 s, the last 6 s; at half
    # speed that is 12 s.
    Case(
        "Start 4 seconds in and play through to the end at half speed, in sepia.",
        CLIP,
        Brief(use=_tail(6), speeds=[SpeedAsk(factor=0.5)], colour="sepia"),
    ),
    # "Only" makes 0:05 onward the source kept (5-10 s, the last 5 s: scenes 3 and 4), not a
    # start pick; "last scene first" is the reverse order.
    Case(
        'From 0:05 onward only, last scene first, and burn in "Lights Out" as a title.',
        CLIP,
        Brief(use=_tail(5), order="reverse", captions=["Lights Out"]),
    ),
    # Nothing before 0:30 and a stop at 0:50 keep 30-50 s; 20 s of source at 2x is 10 s.
    Case(
        "Nothing before 0:30 and stop at the 50-second mark. Run that bit at 2x and fade it "
        "out at the end.",
        VTEST,
        Brief(use=_ranges((30.0, 50.0)), speeds=[SpeedAsk(factor=2.0)], fade_out=True),
    ),
    # From the top up to the 6-second mark is the first 6 s.
    Case(
        "Play the trailer from the top up to the 6-second mark, no sound, square for the feed.",
        MEGAMIND,
        Brief(use=_head(6), audio="mute", aspect="1:1"),
    ),
    # 9-14: exclusions by scene.
    # Everything except scene 2 (2.5-5 s) keeps 0-2.5 and 5-10 s.
    Case(
        "Everything except scene 2, please, with crossfades between what's left and a fade "
        "out at the end.",
        CLIP,
        Brief(use=_ranges((0.0, 2.5), (5.0, 10.0)), transitions="crossfade", fade_out=True),
    ),
    # Skipping the third scene (5-7.5 s) keeps 0-5 and 7.5-10 s; 7.5 s of source at 1.5x is
    # 5 s. The last shot is the last of the edit, scene 4.
    Case(
        "Skip the third scene. Keep the others in their original order at 1.5x and end on the "
        "last shot.",
        CLIP,
        Brief(
            use=_ranges((0.0, 5.0), (7.5, 10.0)),
            order="source",
            speeds=[SpeedAsk(factor=1.5)],
            end_on=ShotPick(kind="last"),
        ),
    ),
    # Leaving out the last scene (7.5-10 s) keeps the first 7.5 s; the brightest, scene 3,
    # is the last scene left.
    Case(
        "Leave out the last scene and close on the brightest shot, with a one-second fade to "
        "black.",
        CLIP,
        Brief(
            use=_head(7.5),
            end_on=ShotPick(kind="brightest"),
            fade_out=True,
            fade_out_s=1.0,
        ),
    ),
    # All but the first scene (0-2.5 s) keeps the last 7.5 s. Played backwards is time
    # running backwards.
    Case(
        "All but the first scene, played backwards, in black and white.",
        CLIP,
        Brief(use=_tail(7.5), playback="reverse", colour="monochrome"),
    ),
    # The dark scene at the end is scene 4 (7.5-10 s), the darkest: without it the first
    # 7.5 s are kept. "Last to first" is the reverse order of the scenes left.
    Case(
        "Could I get this without the dark scene at the end? Scenes last to first, 4:5 for "
        "Instagram.",
        CLIP,
        Brief(use=_head(7.5), order="reverse", aspect="4:5"),
    ),
    # Without scene 3 the scenes are 1, 2 and 4: the middle one is scene 2 (the footage's
    # own number), slowed to half speed while the others stay in real time.
    Case(
        "Drop scene 3, and of the three that are left slow only the middle one, to half speed. "
        "Straight cuts.",
        CLIP,
        Brief(
            use=_ranges((0.0, 5.0), (7.5, 10.0)),
            speeds=[_part(0.5, _scene(2))],
            transitions="cut",
        ),
    ),
    # 15-21: lengths relative to the source.
    # Half as long as the original: a share of the source (5 s of the 10 s clip). Scenes 3
    # and 4 alone hold 5 s from scene 3 on.
    Case(
        "Make it half as long as the original, open on scene 3, and fade in.",
        CLIP,
        Brief(duration=_share(0.5), start_on=_scene(3), fade_in=True),
    ),
    # A third of its length: a share of the source (26.5 s of the 79.5 s street).
    Case(
        "Cut the street down to a third of its length -- sepia, dissolves between shots.",
        VTEST,
        Brief(duration=_share(1 / 3), colour="sepia", transitions="crossfade"),
    ),
    # Cut down by 4 seconds: 10 - 4 = 6 s, fixed by the footage facts.
    Case(
        "Can you cut it down by 4 seconds? Use every scene, and end on the darkest one.",
        CLIP,
        Brief(
            duration=_d(6),
            use=SourceUse(kind="every_scene"),
            end_on=ShotPick(kind="darkest"),
        ),
    ),
    # Twice as long as a single 2.5 s scene is 5 s; the busiest shot is scene 4.
    Case(
        "I want it twice as long as a single scene, opening on the busiest shot, cuts only.",
        CLIP,
        Brief(duration=_d(5), start_on=ShotPick(kind="most_motion"), transitions="cut"),
    ),
    # As long as the first scene: 2.5 s, fixed by the footage facts.
    Case(
        "Make it exactly as long as the first scene, start on the brightest frame and keep the "
        "colour.",
        CLIP,
        Brief(duration=_d(2.5), start_on=ShotPick(kind="brightest"), colour="natural"),
    ),
    # A third off the running time leaves two thirds: a share of the source (7.5 s of 11.3 s).
    Case(
        "Take a third off the trailer's running time. Keep the dialogue, and don't cut anyone "
        "off mid-word.",
        MEGAMIND,
        Brief(duration=_share(2 / 3), audio="keep", sound=SoundAsk(whole_words=True)),
    ),
    # Stopping at 0:07 keeps the first 7 s; half the full trailer is a share of the whole
    # source (5.65 s of 11.3 s), which the 7 s kept cover.
    Case(
        "Stop at 0:07, nothing after that. Half the length of the full trailer, dialogue kept.",
        MEGAMIND,
        Brief(use=_head(7), duration=_share(0.5), audio="keep"),
    ),
    # 22-23: relative speeds.
    # After scene 2 are scenes 3 and 4: one double-speed part each, scenes 1-2 in real time.
    Case(
        "Everything after scene 2 at double speed, the rest at normal speed, with a fade out.",
        CLIP,
        Brief(speeds=[_part(2.0, _scene(3)), _part(2.0, _scene(4))], fade_out=True),
    ),
    # "Speed up the rest" names no factor, so no speed is held; the ask stays free text.
    Case(
        "Keep the first half of the street footage as it is and speed up the rest. Widescreen, "
        "with a fade in.",
        VTEST,
        Brief(
            aspect="16:9",
            fade_in=True,
            free_text=["keep the first half as it is and speed up the rest"],
        ),
    ),
    # 24-25: subtractive words that say neither what nor how much.
    # Trap: "trim the fat" names no length or place; only the other asks are held.
    Case(
        "Trim the fat -- nobody needs every single pedestrian. Black and white, fade in and "
        "fade out.",
        VTEST,
        Brief(
            colour="monochrome",
            fade_in=True,
            fade_out=True,
            free_text=["trim the fat"],
        ),
    ),
    # Trap: "lose the boring bits" names no length or place.
    Case(
        'Lose the boring bits, keep the sound on, and put "Only in Cinemas" at the end.',
        MEGAMIND,
        Brief(audio="keep", captions=["Only in Cinemas"], free_text=["lose the boring bits"]),
    ),
]
