"""Fidelity holdout set 13: blind requests with hand-written expected briefs (fidelity.py).

Written from the Brief schema (tasks/brief/model.py) and the other case files only -- no parser,
rule, planner or verifier file was read, the parser was never run on these requests, and no
request of another set is copied. The theme is asks stated through numbers and references in
many formats, as different people write them:

- positions: "0:01-0:03", SMPTE timecode "00:00:03:12" (hours:minutes:seconds:frames, the
  frames counted at the footage's rate), "from 3s to 5.5s", "the 2nd through 4th seconds",
  "frames 48-96", "the first third", "the last quarter", "the middle 40%";
- lengths: "a 6-second cut", "6000 ms", "six and a half seconds", "1/2 minute", "between 5 and
  8 seconds", "no longer than 7 s", "under 8 seconds", "exactly 4 s";
- speeds: "150%", "1.5x", "half-speed", "quarter speed", "2x slo-mo", "double time", "at 0.75",
  "three-quarter speed", "200%", "0.5x", "75%";
- join and fade lengths: "a 12-frame dissolve", "6-frame dissolves", "a 20-frame fade-in",
  "half-second fades", "250 ms crossfades", "300 ms dips", "500 ms";
- picks by number and by measure: "shot two", "scene #3", "the third shot", "the penultimate
  scene", brightest/darkest/most and least motion/faces, and one ordinal the Brief cannot hold
  ("the second-brightest shot"), kept as free text with no end pick;
- multi-ask requests mixing four to six of these, and three requests with a user's mistake.

Reading conventions, as in the other sets: every expected brief is a careful person's reading
of its request, never the product's parse, and fills only what the request clearly asks.
Timecode frames and frame counts are converted at the footage's own rate: CLIP is 24 fps
(12 frames = 0.5 s, frame 48 = 2 s), VTEST is 10 fps (":05" = 0.5 s, 6 frames = 0.6 s); frame
numbers are never asked of MEGAMIND (23.976 fps), whose frame arithmetic does not come out
round. "The Nth second" is the N-th one-second interval: the 2nd second is 1-2 s, so "the 2nd
through 4th seconds" is 1-4 s, and the request says "three seconds of footage" to pin it.
"2x slo-mo" is slowed by a factor of two: speed 0.5. "The penultimate scene" is scene 2 counted
from the end (scene_from_end), as the schema documents. "Everything else at 100%" next to a
speed on one scene adds no whole-edit speed (as in holdout10 and holdout12). A quoted caption
is its exact text, numbers and all, and says nothing about length, speed or position. Mistakes:
a unit said and then corrected keeps only the correction; a range written backwards ("5-3 s",
"0:07 to 0:03") with no word about time running backwards is read as the stretch between the two
times, played forwards -- an editor would not reverse the picture on a typo, least of all with
the sound kept -- and ranges keep the order in which they are written.

Footage facts the cases rely on: CLIP is 10 s at 24 fps in four 2.5 s scenes with no audio;
MEGAMIND is 11.3 s at 23.976 fps with music and dialogue in four scenes; VTEST is 79.5 s at
10 fps with no audio, one long take (so no numbered scenes are asked of it). Every ask fits its
footage: the source covers the asked length at the asked speed (the arithmetic is in a comment
where it is tight), sound is only kept on the trailer, and no fade is longer than half of its
edit.
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _at, _d, _part, _ranges, _replay, _scene

from tasks.brief import Brief, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT13"]


def _from_end(n: int) -> ShotPick:
    """The n-th scene counted from the end (1 = the last)."""
    return ShotPick(kind="scene_from_end", scene=n)


def _portion(start: float, end: float) -> SourceUse:
    return SourceUse(kind="portion", portion=(start, end))


HOLDOUT13: list[Case] = [
    # 1-9: positions -- m:ss ranges, SMPTE timecode, decimal seconds, ordinal seconds, frame
    # numbers, and fractions and percentages of the source.
    # Scene 3 (5-7.5 s), the brightest, lies inside 0:06-0:09.
    Case(
        "Cut 0:01-0:03 and 0:06-0:09 of the clip together with 250 ms crossfades and end on "
        "the brightest shot; leave the colours alone.",
        CLIP,
        Brief(
            use=_ranges((1.0, 3.0), (6.0, 9.0)),
            transitions="crossfade",
            transition_s=0.25,
            end_on=ShotPick(kind="brightest"),
            colour="natural",
        ),
    ),
    # 00:00:03:12 at 24 fps is 3.5 s; 3.5 s of source at 1.5x is 2.33 s.
    Case(
        "In point 00:00:03:12, out point 00:00:07:00 (the clip runs at 24 fps). Play that "
        "stretch at 150% and deliver it square.",
        CLIP,
        Brief(use=_ranges((3.5, 7.0)), speeds=[SpeedAsk(factor=1.5)], aspect="1:1"),
    ),
    # At 10 fps ":05" is half a second: 12.5-18.5 s and 41.0-47.5 s.
    Case(
        "Selects from the street footage: 00:00:12:05 - 00:00:18:05 and 00:00:41:00 - "
        "00:00:47:05. Straight cut between them, sepia, 16:9.",
        VTEST,
        Brief(
            use=_ranges((12.5, 18.5), (41.0, 47.5)),
            transitions="cut",
            colour="sepia",
            aspect="16:9",
        ),
    ),
    # 2.5 s of source at quarter speed is 10 s; half-second fades are far under half of it.
    Case(
        "From 3s to 5.5s of the clip, at quarter speed, with half-second fades in and out.",
        CLIP,
        Brief(
            use=_ranges((3.0, 5.5)),
            speeds=[SpeedAsk(factor=0.25)],
            fade_in=True,
            fade_in_s=0.5,
            fade_out=True,
            fade_out_s=0.5,
        ),
    ),
    # The 2nd second is 1-2 s and the 4th is 3-4 s: 1-4 s, the three seconds the request
    # states; slowed 2x it lasts 6 s.
    Case(
        "Give me the 2nd through 4th seconds of the clip (three seconds of footage) in 2x "
        "slo-mo, black and white.",
        CLIP,
        Brief(use=_ranges((1.0, 4.0)), speeds=[SpeedAsk(factor=0.5)], colour="monochrome"),
    ),
    # At 24 fps frames 48-96 are 2-4 s and 168-216 are 7-9 s; a 12-frame dissolve is 0.5 s.
    Case(
        "Frames 48-96 and frames 168-216, joined by a 12-frame dissolve, then fade to black at "
        "the end.",
        CLIP,
        Brief(
            use=_ranges((2.0, 4.0), (7.0, 9.0)),
            transitions="crossfade",
            transition_s=0.5,
            fade_out=True,
        ),
    ),
    # The first third is 0-26.5 s; 6 s at 2x needs 12 s of it.
    Case(
        "Only the first third of the street footage: a 6000 ms edit, sped up 2x, that opens on "
        "the busiest moment.",
        VTEST,
        Brief(
            use=_portion(0.0, 1 / 3),
            duration=_d(6),
            speeds=[SpeedAsk(factor=2.0)],
            start_on=ShotPick(kind="most_motion"),
        ),
    ),
    # The last quarter is 8.45-11.26 s (2.8 s); at 0.75 it lasts 3.75 s, so a 0.5 s fade fits.
    Case(
        "The last quarter of the trailer at three-quarter speed, sound kept, fading out over "
        "500 ms.",
        MEGAMIND,
        Brief(
            use=_portion(0.75, 1.0),
            speeds=[SpeedAsk(factor=0.75)],
            audio="keep",
            fade_out=True,
            fade_out_s=0.5,
        ),
    ),
    # The middle 40% is 23.85-55.65 s (31.8 s); at 3x that is up to 10.6 s, over the cap.
    Case(
        "Take the middle 40% of the street, play it at 3x, keep it under 8 seconds, greyscale.",
        VTEST,
        Brief(
            use=_portion(0.3, 0.7),
            speeds=[SpeedAsk(factor=3.0)],
            duration=_d(hi=8),
            colour="monochrome",
        ),
    ),
    # 10-18: lengths, speeds and ordinal picks.
    # Scene 2 starts at 2.5 s and the penultimate scene (scene 3) ends at 7.5 s: 5 s of
    # source in order, 6.67 s at 0.75 -- enough for 6.5 s (tolerance 0.325 s).
    Case(
        "Six and a half seconds, please: open on shot two, close on the penultimate scene, "
        "everything at three-quarter speed.",
        CLIP,
        Brief(
            duration=_d(6.5),
            start_on=_scene(2),
            end_on=_from_end(2),
            speeds=[SpeedAsk(factor=0.75)],
        ),
    ),
    # 30 s at 2x is 60 s of source, 0:15-1:15, inside the 79.5 s; 20 frames at 10 fps = 2 s.
    Case(
        "1/2 minute of the street starting at 0:15, in double time, with a 20-frame fade-in.",
        VTEST,
        Brief(
            duration=_d(30),
            start_on=_at(15.0),
            speeds=[SpeedAsk(factor=2.0)],
            fade_in=True,
            fade_in_s=2.0,
        ),
    ),
    Case(
        "Half-speed version of the trailer from scene #2 on, anywhere between 5 and 8 seconds "
        "long, with its soundtrack.",
        MEGAMIND,
        Brief(
            speeds=[SpeedAsk(factor=0.5)],
            start_on=_scene(2),
            duration=_d(lo=5, hi=8),
            audio="keep",
        ),
    ),
    Case(
        "Play everything at 0.75, no longer than 7 s, ending on the darkest shot, no audio.",
        CLIP,
        Brief(
            speeds=[SpeedAsk(factor=0.75)],
            duration=_d(hi=7),
            end_on=ShotPick(kind="darkest"),
            audio="mute",
        ),
    ),
    # 4 s at 1.5x is 6 s of the 11.3 s trailer.
    Case(
        "Exactly 4 s of the trailer at 1.5x, ending on the third shot, muted.",
        MEGAMIND,
        Brief(
            duration=_d(4),
            speeds=[SpeedAsk(factor=1.5)],
            end_on=_scene(3),
            audio="mute",
        ),
    ),
    # 1 s of scene 2 at 0.25x is 4 s, which leaves 2 s for the other scenes.
    Case(
        "A 6-second cut where scene #2 plays at quarter speed and everything else at 100%.",
        CLIP,
        Brief(duration=_d(6), speeds=[_part(0.25, _scene(2))]),
    ),
    # A replay of 1 s at 0.5x is 2 s, leaving 5 s for the cut itself.
    Case(
        "Seven seconds of the trailer with the sound on, finishing with a 0.5x replay of a face.",
        MEGAMIND,
        Brief(
            duration=_d(7),
            audio="keep",
            speeds=[_replay(0.5, ShotPick(kind="faces"))],
        ),
    ),
    # The penultimate scene is scene 3; last to first from there runs 3, 2, 1 -- 7.5 s of
    # source for 5 s plus two 0.3 s dips.
    Case(
        "Start with the penultimate scene and work backwards to scene #1, 300 ms dips to black "
        "between them, a 5-second cut overall.",
        CLIP,
        Brief(
            start_on=_from_end(2),
            end_on=_scene(1),
            order="reverse",
            transitions="fade",
            transition_s=0.3,
            duration=_d(5),
        ),
    ),
    # "The second-brightest" has no place in a ShotPick: free text, and no end pick.
    Case(
        "Shot three at 200%, the rest in real time. Begin on shot one and end on the "
        "second-brightest shot. Between 6 and 9 s, sound on.",
        MEGAMIND,
        Brief(
            speeds=[_part(2.0, _scene(3))],
            start_on=_scene(1),
            duration=_d(lo=6, hi=9),
            audio="keep",
            free_text=["end on the second-brightest shot"],
        ),
    ),
    # 19-22: four to six asks at once.
    # 00:00:01:12 at 24 fps is 1.5 s; frames 180-228 are 7.5-9.5 s; 2.5 + 2.0 = 4.5 s of
    # source at 1.5x is 3.0 s, and hard cuts cost nothing.
    Case(
        "Two pieces: 00:00:01:12 to 00:00:04:00, then frames 180-228. Both at 150%, hard cuts, "
        "exactly 3 s total, sepia, 1:1.",
        CLIP,
        Brief(
            use=_ranges((1.5, 4.0), (7.5, 9.5)),
            speeds=[SpeedAsk(factor=1.5)],
            transitions="cut",
            duration=_d(3),
            colour="sepia",
            aspect="1:1",
        ),
    ),
    # The last quarter is 59.6-79.5 s (19.9 s); at 0.75x it gives up to 26.5 s, well over the
    # 10-15 s asked even with 0.6 s dissolves (6 frames at 10 fps).
    Case(
        "Street, last quarter only, at 0.75x. 10-15 seconds. Open on the calmest moment, "
        "6-frame dissolves between shots, vertical 9:16.",
        VTEST,
        Brief(
            use=_portion(0.75, 1.0),
            speeds=[SpeedAsk(factor=0.75)],
            duration=_d(lo=10, hi=15),
            start_on=ShotPick(kind="least_motion"),
            transitions="crossfade",
            transition_s=0.6,
            aspect="9:16",
        ),
    ),
    # 6 s of source at 75% is 8 s; a 0.5 s fade-in and 0.25 s crossfades fit easily.
    Case(
        "First 6000 ms of the trailer slowed to 75%, 250 ms crossfades, a half-second fade-in, "
        "the sound kept and levelled to -16 LUFS, and no cut in the middle of a word.",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="head", seconds=6),
            speeds=[SpeedAsk(factor=0.75)],
            transitions="crossfade",
            transition_s=0.25,
            fade_in=True,
            fade_in_s=0.5,
            audio="keep",
            sound=SoundAsk(loudness_lufs=-16.0, whole_words=True),
        ),
    ),
    # The last quarter of the clip is 7.5-10 s; at quarter speed it lasts 10 s. The caption's
    # "25%" is its text, not a speed or a portion.
    Case(
        'The last quarter of the clip at quarter speed, captioned "The Final 25%", in black and '
        "white, 16:9, with a 1.5 s fade-out.",
        CLIP,
        Brief(
            use=_portion(0.75, 1.0),
            speeds=[SpeedAsk(factor=0.25)],
            captions=["The Final 25%"],
            colour="monochrome",
            aspect="16:9",
            fade_out=True,
            fade_out_s=1.5,
        ),
    ),
    # 23-25: a user's mistakes.
    # Six minutes cannot come from a 10 s clip, and the user corrects it: 6 s.
    Case(
        "Make it 6 min long -- sorry, wrong unit, 6 seconds. Open on scene #3 and dip to black "
        "for a quarter of a second between shots.",
        CLIP,
        Brief(
            duration=_d(6),
            start_on=_scene(3),
            transitions="fade",
            transition_s=0.25,
        ),
    ),
    # Both ranges written backwards: the stretches 3-5 s and 7-9 s, forwards, in the order
    # written; nothing asks time to run backwards. 4 s of source at 1.5x is 2.67 s.
    Case(
        "Use 5-3 s and 9-7 s of the clip at 1.5x, hard cuts.",
        CLIP,
        Brief(
            use=_ranges((3.0, 5.0), (7.0, 9.0)),
            speeds=[SpeedAsk(factor=1.5)],
            transitions="cut",
        ),
    ),
    # "0:07 to 0:03" with the sound kept and no word of rewinding: the 3-7 s stretch,
    # played forwards (reversed sound would be noise, not what anyone keeps the sound for).
    Case(
        "Take 0:07 to 0:03 of the trailer with its sound and fade it out over the last second.",
        MEGAMIND,
        Brief(
            use=_ranges((3.0, 7.0)),
            audio="keep",
            fade_out=True,
            fade_out_s=1.0,
        ),
    ),
]
