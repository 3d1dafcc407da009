"""Fidelity holdout set 7: blind requests with hand-written expected briefs (fidelity.py).

Written without reading the parser or the planner, and not copied from the other sets. This set
aims at the harder structural asks the ``Brief`` type can hold, two to five in one request:
several speeds on numbered scenes or picked shots, a slow replay, two captions in order,
captions with punctuation and quotes inside, start/end picks by number (the last scene
included), several source ranges, a range ending at the clip's end, portions with a speed or
a length, duration bounds, size and aspect together, and sound asks (keep/mute, whole words,
beats, loudness). Every expected brief is a careful person's reading of its request, never the
product's parse. Footage facts the cases rely on: CLIP is 10 s in four 2.5 s scenes with no
audio; MEGAMIND is 11.3 s with music and dialogue in four scenes; VTEST is 79.5 s with no
audio, one long take (so no numbered scenes are asked of it).
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _d, _part, _scene

from tasks.brief import Brief, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT7"]


HOLDOUT7: list[Case] = [
    Case(
        "Two speeds in this one: scene 2 sped up to double, and scene 4 - the last one - slowed "
        "right down to a quarter of normal speed. Leave the scenes in their original order.",
        CLIP,
        Brief(speeds=[_part(2.0, _scene(2)), _part(0.25, _scene(4))], order="source"),
    ),
    Case(
        "Keep the music and dialogue in, cut on the beat, level the whole mix to -18 LUFS, "
        "anywhere from 6 to 9 seconds long.",
        MEGAMIND,
        Brief(
            audio="keep",
            sound=SoundAsk(beats=True, loudness_lufs=-18.0),
            duration=_d(lo=6, hi=9),
        ),
    ),
    Case(
        "I only want footage from 0:05-0:15 and 0:40-0:50. Cut those into a 12 second piece "
        "with crossfades, and don't fade in at the start.",
        VTEST,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(5.0, 15.0), (40.0, 50.0)]),
            duration=_d(12),
            transitions="crossfade",
            fade_in=False,
        ),
    ),
    Case(
        "Make it exactly 10 seconds long, sepia-toned, fading up from black at the top, with "
        'the caption "Wait... what?!"',
        CLIP,
        Brief(duration=_d(10), colour="sepia", fade_in=True, captions=["Wait... what?!"]),
    ),
    Case(
        "Silent version of the trailer at 1.25x speed, framed 9:16 for stories, beginning with "
        "scene 2.",
        MEGAMIND,
        Brief(audio="mute", speeds=[SpeedAsk(factor=1.25)], aspect="9:16", start_on=_scene(2)),
    ),
    Case(
        "Last 16 seconds of the street footage, sped up to 1.25x, rendered at 1080x1920, and "
        "fade it out at the end.",
        VTEST,
        Brief(
            use=SourceUse(kind="tail", seconds=16),
            speeds=[SpeedAsk(factor=1.25)],
            size=(1080, 1920),
            fade_out=True,
        ),
    ),
    Case(
        "Use 0:04 through 0:10 only, slowed to 0.75x, crossfading between the shots, and finish "
        "on the final shot.",
        CLIP,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(4.0, 10.0)]),
            speeds=[SpeedAsk(factor=0.75)],
            transitions="crossfade",
            end_on=ShotPick(kind="last"),
        ),
    ),
    Case(
        "From the trailer I need two bits, 2s-5s and 7s-10s, joined with a crossfade. Keep the "
        "audio and make sure no cut lands in the middle of a word.",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(2.0, 5.0), (7.0, 10.0)]),
            transitions="crossfade",
            audio="keep",
            sound=SoundAsk(whole_words=True),
        ),
    ),
    Case(
        "Build a 10 second black-and-white cut from the last quarter of the street footage, "
        "dipping to black between shots.",
        VTEST,
        Brief(
            duration=_d(10),
            colour="monochrome",
            use=SourceUse(kind="portion", portion=(0.75, 1.0)),
            transitions="fade",
        ),
    ),
    Case(
        "Title it 'The \"Best\" Day Ever', crop to 4:5 portrait, and keep the running time "
        "between 6 and 8 seconds.",
        CLIP,
        Brief(captions=['The "Best" Day Ever'], aspect="4:5", duration=_d(lo=6, hi=8)),
    ),
    Case(
        "6 sec cut of the trailer ending on scene 4, sound off, caption: "
        '"Coming 2026 \u2014 don\'t miss it!"',
        MEGAMIND,
        Brief(
            duration=_d(6),
            end_on=_scene(4),
            audio="mute",
            captions=["Coming 2026 \u2014 don't miss it!"],
        ),
    ),
    Case(
        "Open on the shot with the most movement, close on the stillest one, about 15 seconds, "
        "widescreen 16:9.",
        VTEST,
        Brief(
            start_on=ShotPick(kind="most_motion"),
            end_on=ShotPick(kind="least_motion"),
            duration=_d(15),
            aspect="16:9",
        ),
    ),
    Case(
        'Reverse the scene order and add two captions: "Chapter 1" first, then "Chapter 2". '
        "Square, 1080x1080.",
        CLIP,
        Brief(
            order="reverse",
            captions=["Chapter 1", "Chapter 2"],
            aspect="1:1",
            size=(1080, 1080),
        ),
    ),
    Case(
        "Scene 1 at half speed, scene 3 at double speed, no sound at all, and finish with a fade "
        "to black.",
        MEGAMIND,
        Brief(
            speeds=[_part(0.5, _scene(1)), _part(2.0, _scene(3))],
            audio="mute",
            fade_out=True,
        ),
    ),
    Case(
        "20-second fast-forward of the street at 3x, plain hard cuts, and keep the original "
        "colours.",
        VTEST,
        Brief(duration=_d(20), speeds=[SpeedAsk(factor=3.0)], transitions="cut", colour="natural"),
    ),
    Case(
        "Begin on scene 4 and wrap up on scene 1. Hard cuts only, black and white, 5 seconds max.",
        CLIP,
        Brief(
            start_on=_scene(4),
            end_on=_scene(1),
            transitions="cut",
            colour="monochrome",
            duration=_d(hi=5),
        ),
    ),
    Case(
        "All of the trailer, nothing cut out, played back in real time. Make it monochrome, "
        "keep the audio and normalise it to -23 LUFS.",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="all"),
            speeds=[SpeedAsk(factor=1.0)],
            colour="monochrome",
            audio="keep",
            sound=SoundAsk(loudness_lufs=-23.0),
        ),
    ),
    Case(
        "Work only from the first 45 seconds. No shorter than 10 s, no longer than 14 s, sepia, "
        'with the caption "Rush Hour (est. 8:30am)".',
        VTEST,
        Brief(
            use=SourceUse(kind="head", seconds=45),
            duration=_d(lo=10, hi=14),
            colour="sepia",
            captions=["Rush Hour (est. 8:30am)"],
        ),
    ),
    Case(
        "Only the back half of the clip, at half speed, at least 8 seconds long, and don't fade "
        "out.",
        CLIP,
        Brief(
            use=SourceUse(kind="portion", portion=(0.5, 1.0)),
            speeds=[SpeedAsk(factor=0.5)],
            duration=_d(lo=8),
            fade_out=False,
        ),
    ),
    Case(
        "Just the first third of the trailer at 0.75x, cropped 1:1, with the caption "
        '"Hi, I\'m Megamind."',
        MEGAMIND,
        Brief(
            use=SourceUse(kind="portion", portion=(0.0, 1 / 3)),
            speeds=[SpeedAsk(factor=0.75)],
            aspect="1:1",
            captions=["Hi, I'm Megamind."],
        ),
    ),
    Case(
        "Start at 0:25, keep everything in chronological order, 9 seconds long, fade in and "
        "fade out.",
        VTEST,
        Brief(
            start_on=ShotPick(kind="time", time_s=25.0),
            order="source",
            duration=_d(9),
            fade_in=True,
            fade_out=True,
        ),
    ),
    Case(
        "Cut it to 6 seconds, dip to black between shots, and somewhere in there add a "
        "half-speed replay of the brightest shot.",
        CLIP,
        Brief(
            duration=_d(6),
            transitions="fade",
            speeds=[
                SpeedAsk(
                    factor=0.5,
                    applies_to="best_moment",
                    replay=True,
                    pick=ShotPick(kind="brightest"),
                )
            ],
        ),
    ),
    Case(
        "Kick off at the 3-second mark and end on the final shot; at least 5 s long, with the "
        "original sound.",
        MEGAMIND,
        Brief(
            start_on=ShotPick(kind="time", time_s=3.0),
            end_on=ShotPick(kind="last"),
            duration=_d(lo=5),
            audio="keep",
        ),
    ),
    Case(
        "Slow the brightest shot to half speed and speed the darkest one up to 2x; 12 seconds "
        "overall, 4:3.",
        VTEST,
        Brief(
            speeds=[_part(0.5, ShotPick(kind="brightest")), _part(2.0, ShotPick(kind="darkest"))],
            duration=_d(12),
            aspect="4:3",
        ),
    ),
    Case(
        "Run the scenes in reverse order, time the cuts to the beat of the soundtrack, 1280 by "
        "720, 8 s.",
        MEGAMIND,
        Brief(order="reverse", sound=SoundAsk(beats=True), size=(1280, 720), duration=_d(8)),
    ),
]
