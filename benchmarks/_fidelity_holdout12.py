"""Fidelity holdout set 12: blind requests with hand-written expected briefs (fidelity.py).

Written from the Brief schema (tasks/brief/model.py) and the other case files only -- no parser,
rule, planner or verifier file was read, and no request of another set is copied. Three aims:

- DENSE requests, the way a demanding editor writes a spec: every case carries four to seven
  checkable asks that the planner has to satisfy together, several of them tight but feasible
  (a half-speed replay inside a six-second cap, every scene plus 0.5 s crossfades inside five
  seconds, dips plus fades plus an exact length, a shot list whose shot lengths add up to the
  stated total); the arithmetic is worked out in a comment above each tight case;
- asks that refer to each other: "the scene right after it", "the scene just before the final
  one", "that part slowed to half speed", "that same face shot", "the same scene it opens on";
- the shape of a spec: an edit decision list with numbered events and timecodes
  ("00:00:20-00:00:24"), a shot list with per-shot lengths and a total, markdown headings and
  bold "Key:" lines, bullet points; and requests that explicitly keep defaults ("hard cuts
  only", "no colour change", "normal speed throughout", "keep the original sound", "don't
  reverse anything", "no fade out"), which the Brief holds as explicit values.

Every checkable field of the Brief is asked at least twice across the set: length (targets,
a lower bound, an upper bound, both bounds), speed for the whole edit (and explicitly 1.0), on
one part and as a slow replay, colour, cuts/dips/crossfades and their lengths, fades and their
lengths (and "no fade out"), exact captions (two in order twice), start/end picks (scene
numbers, first/last, brightest/darkest, most/least motion, faces, most colourful, times),
source use (all, every scene, head, tail, ranges, a portion, beginning-middle-end), shot order,
time running backwards (and explicitly forwards), aspect, size, sound kept or muted, beat cuts,
whole words and loudness.

Reading conventions, as in the other sets: every expected brief is a careful person's reading of
its request, never the product's parse, and fills only what the request clearly asks. In a shot
list the first shot's scene is the start pick, the last shot's scene the end pick, a slowed shot
a part speed on that scene, and the stated total the length; an order such as 3-1-4 is neither
the source order nor its reverse, so no order is filled. A replay "to close" adds no end pick
(as in holdout10). A part of a timecoded range that is slowed is picked by its source start
time. "1080x1080" alone is a size, not an aspect ask; "16:9 at 1280x720" is both. "No captions"
is the default no-text check and adds no field. A reference ("the scene right after it") is
resolved to the scene it names: CLIP and MEGAMIND both have four scenes.

Footage facts the cases rely on: CLIP is 10 s in four 2.5 s scenes with no audio; MEGAMIND is
11.3 s with music and dialogue in four scenes; VTEST is 79.5 s with no audio, one long take (so
no numbered scenes are asked of it). Every ask fits its footage: the source covers the asked
length at the asked speed, sound is only asked of the trailer, no fade is longer than half of
its edit, and each set of asks is jointly satisfiable.
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _at, _d, _part, _replay, _scene

from tasks.brief import Brief, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT12"]


def _from_end(n: int) -> ShotPick:
    """The n-th scene counted from the end (1 = the last)."""
    return ShotPick(kind="scene_from_end", scene=n)


HOLDOUT12: list[Case] = [
    # 1-8: edit decision lists, shot lists, timecodes and markdown specs.
    # Shots 2 + 2 (1 s of scene 1 at 0.5x) + 2 = 6 s; each shot fits inside its 2.5 s scene.
    Case(
        "EDL -- clip.mp4\n"
        "Shot 1: scene 3, 2 s.\n"
        "Shot 2: scene 1, 1 s of it slowed to half speed (2 s on screen).\n"
        "Shot 3: scene 4, 2 s.\n"
        "Total: 6 s. Hard cuts only, no colour change.",
        CLIP,
        Brief(
            start_on=_scene(3),
            end_on=_scene(4),
            speeds=[_part(0.5, _scene(1))],
            duration=_d(6),
            transitions="cut",
            colour="natural",
        ),
    ),
    Case(
        "## Trailer sting\n"
        "### Length\n"
        "Between 6 and 8 seconds.\n"
        "### Picture\n"
        "- open on the first shot\n"
        "- close on the scene just before the final one\n"
        "- 0.4 s crossfades between shots\n"
        "### Sound\n"
        "Keep the original sound, mastered to -14 LUFS, and never cut inside a spoken word.",
        MEGAMIND,
        Brief(
            duration=_d(lo=6, hi=8),
            start_on=ShotPick(kind="first"),
            end_on=_from_end(2),
            transitions="crossfade",
            transition_s=0.4,
            audio="keep",
            sound=SoundAsk(loudness_lufs=-14.0, whole_words=True),
        ),
    ),
    # 6 s + 6 s of source at normal speed = 12 s; a 0.5 s dip between them costs at most 0.5 s,
    # inside the 0.6 s tolerance either way; 0.5 s fades are far under half of the edit.
    Case(
        "Pull 00:00:10-00:00:16 and 00:00:50-00:00:56 from the street footage. Normal speed "
        "throughout, a 0.5 s dip to black between the two, fade in over 0.5 s and out over 0.5 s, "
        'and the caption "Before / After". 12 seconds total.',
        VTEST,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(10.0, 16.0), (50.0, 56.0)]),
            speeds=[SpeedAsk(factor=1.0)],
            transitions="fade",
            transition_s=0.5,
            fade_in=True,
            fade_in_s=0.5,
            fade_out=True,
            fade_out_s=0.5,
            captions=["Before / After"],
            duration=_d(12),
        ),
    ),
    # 4 + 2 s at 0.5x (4 s) + 4 = 12 s of picture, less two 0.5 s crossfades = 11 s.
    Case(
        "EDL\n"
        "001  00:00:20-00:00:24  normal speed\n"
        "002  00:00:40-00:00:42  that part slowed to half speed (4 s on screen)\n"
        "003  00:01:00-00:01:04  normal speed\n"
        'Crossfade 0.5 s at each join. Caption "Crossing Time". Total about 11 s.',
        VTEST,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(20.0, 24.0), (40.0, 42.0), (60.0, 64.0)]),
            speeds=[_part(0.5, _at(40.0))],
            transitions="crossfade",
            transition_s=0.5,
            captions=["Crossing Time"],
            duration=_d(11),
        ),
    ),
    # 1.5 + 1.5 + 1 s at 0.25x (4 s) = 7 s; the scene before the last one of four is scene 3.
    Case(
        "Shot list:\n"
        "1. Scene 4 -- 1.5 s\n"
        "2. Scene 2 -- 1.5 s\n"
        "3. The scene before the last one -- 1 s of it at quarter speed (4 s on screen)\n"
        "Running time: 7 s. Dips to black of 0.25 s between shots. Don't reverse anything.",
        CLIP,
        Brief(
            start_on=_scene(4),
            end_on=_from_end(2),
            speeds=[_part(0.25, _from_end(2))],
            duration=_d(7),
            transitions="fade",
            transition_s=0.25,
            playback="forward",
        ),
    ),
    # 2 s + 3 s of source at 1.5x = 3.33 s; a 1 s fade-out is under half of that.
    Case(
        "Use 00:00:01-00:00:03 and 00:00:06-00:00:09 only, everything at 1.5x, hard cuts, a "
        "1 s fade-out, ending on the moment at 0:08, square 1:1.",
        CLIP,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(1.0, 3.0), (6.0, 9.0)]),
            speeds=[SpeedAsk(factor=1.5)],
            transitions="cut",
            fade_out=True,
            fade_out_s=1.0,
            end_on=_at(8.0),
            aspect="1:1",
        ),
    ),
    Case(
        "# Promo\n"
        "**Length:** 7 s\n"
        "**Start:** the brightest scene\n"
        "**End:** the darkest scene\n"
        '**Titles:** "Opening Soon" first, then "Summer 2027"\n'
        "**Joins:** hard cuts only\n"
        "**Colour:** no colour change",
        CLIP,
        Brief(
            duration=_d(7),
            start_on=ShotPick(kind="brightest"),
            end_on=ShotPick(kind="darkest"),
            captions=["Opening Soon", "Summer 2027"],
            transitions="cut",
            colour="natural",
        ),
    ),
    # Scenes 2-4 alone hold well over the 5-6.25 s of source that 4-5 s at 1.25x needs.
    Case(
        "Spec -- trailer cutdown\n"
        "* Length: 4 to 5 s\n"
        "* Speed: 1.25x for the whole thing\n"
        "* Start: scene 2; End: the final scene\n"
        "* Sound: keep it, -12 LUFS\n"
        "* Ends: 0.5 s fade in, no fade out",
        MEGAMIND,
        Brief(
            duration=_d(lo=4, hi=5),
            speeds=[SpeedAsk(factor=1.25)],
            start_on=_scene(2),
            end_on=ShotPick(kind="last"),
            audio="keep",
            sound=SoundAsk(loudness_lufs=-12.0),
            fade_in=True,
            fade_in_s=0.5,
            fade_out=False,
        ),
    ),
    # 9-18: asks that refer to each other, and tight combinations.
    # 2 s of scene 2 + 1.5 s of scene 3 at 0.5x (3 s) = 5 s.
    Case(
        "Start on scene 2 and close on the scene right after it; play that closing scene at "
        "half speed. Hard cuts, 5 seconds overall, in sepia.",
        CLIP,
        Brief(
            start_on=_scene(2),
            end_on=_scene(3),
            speeds=[_part(0.5, _scene(3))],
            transitions="cut",
            duration=_d(5),
            colour="sepia",
        ),
    ),
    # A replay of 1 s of source at 0.5x is 2 s, which leaves 4 s for the cut itself: 6 s.
    Case(
        "Six seconds, no more. Hard cuts on the beat of the music, the sound kept, and finish "
        "with a half-speed replay of the shot with the most motion. Don't reverse anything.",
        MEGAMIND,
        Brief(
            duration=_d(hi=6),
            transitions="cut",
            sound=SoundAsk(beats=True),
            audio="keep",
            speeds=[_replay(0.5, ShotPick(kind="most_motion"))],
            playback="forward",
        ),
    ),
    # Four shots joined by three 0.5 s crossfades: 5 s + 1.5 s = 6.5 s of picture, about
    # 1.6 s of each 2.5 s scene; a 0.5 s fade-in fits inside the first shot.
    Case(
        "Every one of the four scenes has to appear, in their original order, joined by 0.5 s "
        "crossfades, and the whole edit must come in at 5 seconds. Fade in over half a second.",
        CLIP,
        Brief(
            use=SourceUse(kind="every_scene"),
            order="source",
            transitions="crossfade",
            transition_s=0.5,
            duration=_d(5),
            fade_in=True,
            fade_in_s=0.5,
        ),
    ),
    # 8 s of the 11.3 s trailer; 1 s fades at both ends leave 6 s between them.
    Case(
        "Exactly 8 seconds. Dips to black of 0.3 s between shots, a 1 s fade-in and a 1 s "
        "fade-out, audio muted, and the scenes in reverse order.",
        MEGAMIND,
        Brief(
            duration=_d(8),
            transitions="fade",
            transition_s=0.3,
            fade_in=True,
            fade_in_s=1.0,
            fade_out=True,
            fade_out_s=1.0,
            audio="mute",
            order="reverse",
        ),
    ),
    Case(
        "Keep the soundtrack and level it to -18 LUFS; cut on the beat but never mid-word. Open "
        "on a face and finish on the darkest shot. 7 s or longer.",
        MEGAMIND,
        Brief(
            audio="keep",
            sound=SoundAsk(beats=True, whole_words=True, loudness_lufs=-18.0),
            start_on=ShotPick(kind="faces"),
            end_on=ShotPick(kind="darkest"),
            duration=_d(lo=7),
        ),
    ),
    # At most 9 s of source at 0.75x on one shot and 1x elsewhere: 7 s is well within reach.
    Case(
        "The first 9 seconds of the trailer only. Slow the shot with a face in it to 0.75x and "
        "leave everything else at normal speed, keep the dialogue without cutting anyone off "
        "mid-word, end on that same face shot, 16:9, at least 7 s.",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="head", seconds=9),
            speeds=[_part(0.75, ShotPick(kind="faces"))],
            audio="keep",
            sound=SoundAsk(whole_words=True),
            end_on=ShotPick(kind="faces"),
            aspect="16:9",
            duration=_d(lo=7),
        ),
    ),
    # A replay of 1 s of scene 4 at 0.5x is 2 s; 3 s are left for the scenes, last to first.
    Case(
        "5 s. Open on scene 4, the scenes running last-to-first, and close with a half-speed "
        "replay of the same scene it opens on. Black and white, 0.5 s fade-in.",
        CLIP,
        Brief(
            duration=_d(5),
            start_on=_scene(4),
            order="reverse",
            speeds=[_replay(0.5, _scene(4))],
            colour="monochrome",
            fade_in=True,
            fade_in_s=0.5,
        ),
    ),
    # The whole 10 s clip at 2x is 5 s; 0.5 s fades at both ends.
    Case(
        "All ten seconds of the clip in rewind, at double speed and monochrome, with a "
        "half-second fade at each end. No captions.",
        CLIP,
        Brief(
            use=SourceUse(kind="all"),
            playback="reverse",
            speeds=[SpeedAsk(factor=2.0)],
            colour="monochrome",
            fade_in=True,
            fade_in_s=0.5,
            fade_out=True,
            fade_out_s=0.5,
        ),
    ),
    # The first half is 0-39.75 s; 10 s at 3x is 30 s of source, 0:05-0:35, inside it.
    Case(
        "Use the first half of the street footage only. 3x speed throughout, 16:9 at "
        "1280x720, starting at 0:05 and lasting 10 s, with a 1 s fade-out.",
        VTEST,
        Brief(
            use=SourceUse(kind="portion", portion=(0.0, 0.5)),
            speeds=[SpeedAsk(factor=3.0)],
            aspect="16:9",
            size=(1280, 720),
            start_on=_at(5.0),
            duration=_d(10),
            fade_out=True,
            fade_out_s=1.0,
        ),
    ),
    # The last quarter is 59.6-79.5 s (19.9 s); 12 s at 1.25x is 15 s of source, plus about
    # 0.9 s per crossfade: even three joins stay under 18 s.
    Case(
        "From the last quarter of the street footage: start on the calmest moment, end on the "
        "busiest one, 1.25x, 12 s, 0.75 s crossfades.",
        VTEST,
        Brief(
            use=SourceUse(kind="portion", portion=(0.75, 1.0)),
            start_on=ShotPick(kind="least_motion"),
            end_on=ShotPick(kind="most_motion"),
            speeds=[SpeedAsk(factor=1.25)],
            duration=_d(12),
            transitions="crossfade",
            transition_s=0.75,
        ),
    ),
    # 19-25: the remaining fields, and requests that keep defaults explicitly.
    Case(
        "Straight edit, 6 s: one bit from the beginning, one from the middle and one from the "
        "end of the clip. Hard cuts only, no colour change, normal speed throughout, nothing "
        'reversed, and the caption "Still Life".',
        CLIP,
        Brief(
            duration=_d(6),
            use=SourceUse(kind="beginning_middle_end"),
            transitions="cut",
            colour="natural",
            speeds=[SpeedAsk(factor=1.0)],
            playback="forward",
            captions=["Still Life"],
        ),
    ),
    Case(
        "Run the trailer end to end at its normal speed throughout, original sound kept, in "
        "black and white, 4:3, with a 1.5 s fade-out.",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="all"),
            speeds=[SpeedAsk(factor=1.0)],
            audio="keep",
            colour="monochrome",
            fade_out=True,
            fade_out_s=1.5,
            aspect="4:3",
        ),
    ),
    # 8 s of source at 2x is 4 s.
    Case(
        "Last 8 seconds of the trailer only, sped up 2x, sound muted, 1920x1080, starting on "
        'the most colourful shot, caption "Villain Night".',
        MEGAMIND,
        Brief(
            use=SourceUse(kind="tail", seconds=8),
            speeds=[SpeedAsk(factor=2.0)],
            audio="mute",
            size=(1920, 1080),
            start_on=ShotPick(kind="most_colourful"),
            captions=["Villain Night"],
        ),
    ),
    Case(
        "All four scenes, in the order they happen, cut on the beat, sound kept at -20 LUFS, "
        'the caption "Blue Genius" and then "In cinemas Friday", at most 9 s.',
        MEGAMIND,
        Brief(
            use=SourceUse(kind="every_scene"),
            order="source",
            sound=SoundAsk(beats=True, loudness_lufs=-20.0),
            audio="keep",
            captions=["Blue Genius", "In cinemas Friday"],
            duration=_d(hi=9),
        ),
    ),
    # Three snippets totalling 18 s of source at 2x = 9 s; 0.25 s dips are negligible.
    Case(
        "Beginning, middle and end of the street, 2x speed, 9 seconds on the nose, 0.25 s dips "
        "to black between the three parts, vertical 1080x1920, sepia.",
        VTEST,
        Brief(
            use=SourceUse(kind="beginning_middle_end"),
            speeds=[SpeedAsk(factor=2.0)],
            duration=_d(9),
            transitions="fade",
            transition_s=0.25,
            size=(1080, 1920),
            colour="sepia",
        ),
    ),
    # 8 s from the first 30 s of source; the last shot, the earliest, holds 0:03.
    Case(
        "From the first 30 seconds of the street, put the shots in reverse order (latest "
        "first), end on the moment at 0:03, 8 s long, 0.5 s crossfades, 4:5.",
        VTEST,
        Brief(
            use=SourceUse(kind="head", seconds=30),
            order="reverse",
            end_on=_at(3.0),
            duration=_d(8),
            transitions="crossfade",
            transition_s=0.5,
            aspect="4:5",
        ),
    ),
    # The last 20 s at 2x is 10 s; a 1 s fade-out is under half of it.
    Case(
        "The last 20 seconds of the street, played in rewind (time running backwards) at 2x, "
        "with 0.4 s dips to black between shots, a 1 s fade-out, and 1080x1080.",
        VTEST,
        Brief(
            use=SourceUse(kind="tail", seconds=20),
            playback="reverse",
            speeds=[SpeedAsk(factor=2.0)],
            transitions="fade",
            transition_s=0.4,
            fade_out=True,
            fade_out_s=1.0,
            size=(1080, 1080),
        ),
    ),
]
