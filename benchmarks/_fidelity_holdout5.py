"""Fidelity holdout set 5: blind requests with hand-written expected briefs (fidelity.py).

Written without reading the parser or the planner, and not copied from the other sets: the
requests are phrased the way editors, marketers and hobbyists type them (number words, ranges,
"0:05" times, negative asks, several asks in one sentence). Every expected brief is a careful
person's reading of its request, never the product's parse. Footage facts the cases rely on:
CLIP is 10 s in four 2.5 s scenes with no audio; MEGAMIND is 11.3 s with music and dialogue in
four scenes; VTEST is 79.5 s with no audio.
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _d

from tasks.brief import Brief, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT5"]

HOLDOUT5: list[Case] = [
    Case(
        "Seven seconds of the trailer in black & white please, and don't chop anyone off mid-word.",
        MEGAMIND,
        Brief(duration=_d(7), colour="monochrome", sound=SoundAsk(whole_words=True)),
    ),
    Case(
        "street clip: use 0:03 to 0:07 only, quarter speed",
        VTEST,
        Brief(use=SourceUse(kind="ranges", ranges=[(3.0, 7.0)]), speeds=[SpeedAsk(factor=0.25)]),
    ),
    Case(
        "Sepia tone, 720x1280, no longer than 6 secs.",
        CLIP,
        Brief(colour="sepia", size=(720, 1280), duration=_d(hi=6)),
    ),
    Case(
        "Reel for Insta from the trailer - 9:16, somewhere between 8 and 10 seconds, cuts landing "
        "on the beat, keep the music and master it to -14 LUFS.",
        MEGAMIND,
        Brief(
            aspect="9:16",
            duration=_d(lo=8, hi=10),
            sound=SoundAsk(beats=True, loudness_lufs=-14.0),
            audio="keep",
        ),
    ),
    Case(
        "Only use the middle third of the street footage and run it at 150%. Don't fade in or out.",
        VTEST,
        Brief(
            use=SourceUse(kind="portion", portion=(1 / 3, 2 / 3)),
            speeds=[SpeedAsk(factor=1.5)],
            fade_in=False,
            fade_out=False,
        ),
    ),
    Case(
        "Could you flip the scene order so it plays last-to-first, crossfade between each one, "
        'and put "The End?" over it? 8 seconds total.',
        CLIP,
        Brief(order="reverse", transitions="crossfade", captions=["The End?"], duration=_d(8)),
    ),
    Case(
        "5s silent version of the trailer, starting with the third scene.",
        MEGAMIND,
        Brief(duration=_d(5), audio="mute", start_on=ShotPick(kind="scene", scene=3)),
    ),
    Case(
        "Grab the last 20 seconds of the street scene, make it twice as fast, square format.",
        VTEST,
        Brief(use=SourceUse(kind="tail", seconds=20), speeds=[SpeedAsk(factor=2.0)], aspect="1:1"),
    ),
    Case(
        "first 5s of this at half speed, b&w",
        CLIP,
        Brief(
            use=SourceUse(kind="head", seconds=5),
            speeds=[SpeedAsk(factor=0.5)],
            colour="monochrome",
        ),
    ),
    Case(
        "I'm after a teaser that's at least 6 seconds long. It should end on the brightest shot "
        "and fade to black at the end. Keep the original audio.",
        MEGAMIND,
        Brief(duration=_d(lo=6), end_on=ShotPick(kind="brightest"), fade_out=True, audio="keep"),
    ),
    Case(
        "A 1m cut of the street footage in 4:3. No captions or text on it, and leave the colour "
        "alone.",
        VTEST,
        Brief(duration=_d(60), aspect="4:3", colour="natural"),
    ),
    Case(
        "Open on the darkest shot, close on the brightest. 6 seconds, straight cuts, no fade-in.",
        CLIP,
        Brief(
            start_on=ShotPick(kind="darkest"),
            end_on=ShotPick(kind="brightest"),
            duration=_d(6),
            transitions="cut",
            fade_in=False,
        ),
    ),
    Case(
        "Ten seconds from the trailer with the audio normalised to -20 LUFS, and please don't "
        "cut in the middle of a word.",
        MEGAMIND,
        Brief(duration=_d(10), sound=SoundAsk(loudness_lufs=-20.0, whole_words=True)),
    ),
    Case(
        "Make a 10-sec clip starting at the 0:40 mark, sepia, fading in from black.",
        VTEST,
        Brief(
            duration=_d(10),
            start_on=ShotPick(kind="time", time_s=40.0),
            colour="sepia",
            fade_in=True,
        ),
    ),
    Case(
        "Reverse the running order of the scenes (last one first), crop to 4:5 and keep it "
        "under 7 seconds.",
        CLIP,
        Brief(order="reverse", aspect="4:5", duration=_d(hi=7)),
    ),
    Case(
        "Take 0:02-0:08 of the trailer at 1.5x, sound on, fade in at the start and fade out at "
        "the end.",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(2.0, 8.0)]),
            speeds=[SpeedAsk(factor=1.5)],
            audio="keep",
            fade_in=True,
            fade_out=True,
        ),
    ),
    Case(
        "Lead with whatever moment has the most action, 8 secs in total, 1280x720, and don't "
        "add any text.",
        VTEST,
        Brief(start_on=ShotPick(kind="most_motion"), duration=_d(8), size=(1280, 720)),
    ),
    Case(
        "Put the calmest, stillest bit in slo-mo (50%) and keep the overall length around seven "
        "seconds.",
        CLIP,
        Brief(
            speeds=[SpeedAsk(factor=0.5, applies_to="part", pick=ShotPick(kind="least_motion"))],
            duration=_d(7),
        ),
    ),
    Case(
        "use the whole trailer but make it go 3x faster, and kill the audio",
        MEGAMIND,
        Brief(use=SourceUse(kind="all"), speeds=[SpeedAsk(factor=3.0)], audio="mute"),
    ),
    Case(
        "Using only the first half-minute of the footage, cut it down to twelve seconds with "
        "crossfades and a fade-out at the end.",
        VTEST,
        Brief(
            use=SourceUse(kind="head", seconds=30),
            duration=_d(12),
            transitions="crossfade",
            fade_out=True,
        ),
    ),
    Case(
        'Square, 5 seconds, open on the most colourful shot with a title reading "Summer \'24", '
        "and finish with a fade to black.",
        CLIP,
        Brief(
            aspect="1:1",
            duration=_d(5),
            start_on=ShotPick(kind="most_colourful"),
            captions=["Summer '24"],
            fade_out=True,
        ),
    ),
    Case(
        "Just the last five seconds of the trailer, greyscale, no sound.",
        MEGAMIND,
        Brief(use=SourceUse(kind="tail", seconds=5), colour="monochrome", audio="mute"),
    ),
    Case(
        "Pull shots from the beginning, middle and end of the street footage - roughly 9 secs, "
        "dissolves between them, 16:9 widescreen.",
        VTEST,
        Brief(
            use=SourceUse(kind="beginning_middle_end"),
            duration=_d(9),
            transitions="crossfade",
            aspect="16:9",
        ),
    ),
    Case(
        "From 0:03 to 0:09 at 75% speed - no transitions, just straight cuts.",
        CLIP,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(3.0, 9.0)]),
            speeds=[SpeedAsk(factor=0.75)],
            transitions="cut",
        ),
    ),
    Case(
        "Quick 4-second sting from the trailer: open on the first shot, close on the last one, "
        "keep the original colour and audio, loudness at -16 LUFS.",
        MEGAMIND,
        Brief(
            duration=_d(4),
            start_on=ShotPick(kind="first"),
            end_on=ShotPick(kind="last"),
            colour="natural",
            audio="keep",
            sound=SoundAsk(loudness_lufs=-16.0),
        ),
    ),
]
