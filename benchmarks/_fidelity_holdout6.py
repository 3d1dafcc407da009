"""Fidelity holdout set 6: blind requests with hand-written expected briefs (fidelity.py).

Written from the Brief schema (tasks/brief/model.py) and the other case files only -- no parser,
rule, merge or planner file was read -- in styles the other sets under-use: terse chat ("speed
x2", "b/w", "for ig"), long rambling briefs with one or two concrete asks buried in them,
non-native English, British spellings, typos a careful reader still reads one way, hh:mm:ss
timecode ranges, "1.5 secs", percentages, "minus 18 LUFS", asks stated negatively ("nothing
longer then", "no shorter than", "without the sound"), asks in an unusual order, asks the Brief
cannot hold (kept as free text only), and purely creative requests with nothing checkable.
Every expected brief is a careful person's reading of its request, never the product's parse.
Footage facts the cases rely on: CLIP is 10 s in four 2.5 s scenes with no audio; MEGAMIND is
11.3 s with music and dialogue in four scenes; VTEST is 79.5 s with no audio (so sound is only
ever asked of the trailer).
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _d

from tasks.brief import Brief, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT6"]

HOLDOUT6: list[Case] = [
    Case(
        "30% speed pls, just the first 1.5 secs, b/w",
        CLIP,
        Brief(
            use=SourceUse(kind="head", seconds=1.5),
            speeds=[SpeedAsk(factor=0.3)],
            colour="monochrome",
        ),
    ),
    Case(
        "mute, 4:5 for ig, 5 to 6 sec, sepia",
        MEGAMIND,
        Brief(audio="mute", aspect="4:5", duration=_d(lo=5, hi=6), colour="sepia"),
    ),
    Case(
        "00:00:12 - 00:00:18, then 00:01:02 - 00:01:08, straight cuts, b&w",
        VTEST,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(12.0, 18.0), (62.0, 68.0)]),
            transitions="cut",
            colour="monochrome",
        ),
    ),
    Case(
        "use 00:00:02 - 00:00:06 and 00:00:07 - 00:00:09 only. dip to black between the two, "
        "but no fade at the very start",
        CLIP,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(2.0, 6.0), (7.0, 9.0)]),
            transitions="fade",
            fade_in=False,
        ),
    ),
    Case(
        "Could you normalise the loudness to minus 18 LUFS and make sure none of the cuts land "
        "in the middle of someone speaking? Around nine seconds would be grand.",
        MEGAMIND,
        Brief(duration=_d(9), sound=SoundAsk(loudness_lufs=-18.0, whole_words=True)),
    ),
    Case(
        "Take the last quarter of the footage and play it at 400%; portrait, 1080x1920.",
        VTEST,
        Brief(
            use=SourceUse(kind="portion", portion=(0.75, 1.0)),
            speeds=[SpeedAsk(factor=4.0)],
            size=(1080, 1920),
            aspect="9:16",
        ),
    ),
    Case(
        "Please I want this video more short, only 4 second, and the scenes must to go in the "
        'reverse order, from the end to the beginning. Also put the text "Goodbye" on it.',
        CLIP,
        Brief(duration=_d(4), order="reverse", captions=["Goodbye"]),
    ),
    Case(
        "Hello, I need the trailer in 9:16 for the phone, with the music, and the cuts must "
        "follow the beats of the music. Not more long than 8 seconds please.",
        MEGAMIND,
        Brief(aspect="9:16", audio="keep", sound=SoundAsk(beats=True), duration=_d(hi=8)),
    ),
    Case(
        "I want make video of 20 second from this, the colour must be old style like the brown "
        'photos, begin with the most bright shot, and write "Ciudad" on it.',
        VTEST,
        Brief(
            duration=_d(20),
            colour="sepia",
            start_on=ShotPick(kind="brightest"),
            captions=["Ciudad"],
        ),
    ),
    Case(
        "make it feel like a half-remembered dream - soft, wistful, a little melancholy",
        CLIP,
        Brief(free_text=["feel like a half-remembered dream: soft, wistful, a little melancholy"]),
    ),
    Case(
        "00:00:01 - 00:00:07 @ x1.5, keep sound",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(1.0, 7.0)]),
            speeds=[SpeedAsk(factor=1.5)],
            audio="keep",
        ),
    ),
    Case(
        "Stabilise the footage, blur any number plates, and cut it down to something no shorter "
        "than 40 seconds in 16:9.",
        VTEST,
        Brief(
            duration=_d(lo=40),
            aspect="16:9",
            free_text=["stabilise the footage", "blur any number plates"],
        ),
    ),
    Case(
        "Nothing longer then 5 seconds please, keep the colour as it is, no titles, and no "
        "fade-in or fade-out.",
        CLIP,
        Brief(duration=_d(hi=5), colour="natural", fade_in=False, fade_out=False),
    ),
    Case(
        "Add a subtle film grain and a slow zoom on the faces, but keep it to exactly 5 seconds "
        "and leave the dialogue in.",
        MEGAMIND,
        Brief(
            duration=_d(5),
            audio="keep",
            free_text=["a subtle film grain", "a slow zoom on the faces"],
        ),
    ),
    Case(
        "no text. no fade in. 12s. start on the most colourful shot, fade out at the end tho",
        VTEST,
        Brief(
            fade_in=False,
            duration=_d(12),
            start_on=ShotPick(kind="most_colourful"),
            fade_out=True,
        ),
    ),
    Case(
        "speed x2, open on scene 3, make it square plz",
        CLIP,
        Brief(
            speeds=[SpeedAsk(factor=2.0)], start_on=ShotPick(kind="scene", scene=3), aspect="1:1"
        ),
    ),
    Case(
        "Use a bit of each of the four shots, run them back to front and finish on the very "
        "first one. No audio at all. 7 sec.",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="every_scene"),
            order="reverse",
            end_on=ShotPick(kind="first"),
            audio="mute",
            duration=_d(7),
        ),
    ),
    Case(
        "pls make a 15 secnd vid from the begining, midle and end of the footage, with "
        "crosfades, and keep it in colour",
        VTEST,
        Brief(
            duration=_d(15),
            use=SourceUse(kind="beginning_middle_end"),
            transitions="crossfade",
            colour="natural",
        ),
    ),
    Case(
        "ok so this is for my nephew's birthday slideshow, he loves this kind of thing, and "
        "honestly I don't mind what you do with the middle bits but it has to END on the darkest "
        "shot because that's where the candles go lol. oh and keep it in colour. 7 seconds ish "
        "is fine.",
        CLIP,
        Brief(end_on=ShotPick(kind="darkest"), colour="natural", duration=_d(7)),
    ),
    Case(
        "8 secs total, without the sound, and finish with an instant replay of the most "
        "action-packed moment at 25% speed.",
        MEGAMIND,
        Brief(
            duration=_d(8),
            audio="mute",
            speeds=[
                SpeedAsk(
                    factor=0.25,
                    applies_to="best_moment",
                    replay=True,
                    pick=ShotPick(kind="most_motion"),
                )
            ],
        ),
    ),
    Case(
        "Start at the 50 sec mark, 3x speed, 8 seconds long, widescreen, no captions pls",
        VTEST,
        Brief(
            start_on=ShotPick(kind="time", time_s=50.0),
            speeds=[SpeedAsk(factor=3.0)],
            duration=_d(8),
            aspect="16:9",
        ),
    ),
    Case(
        "Play the shot with the least movement in it at half speed, keep everything else at "
        "normal speed. 5.5 sec total, 1280x720.",
        CLIP,
        Brief(
            speeds=[SpeedAsk(factor=0.5, applies_to="part", pick=ShotPick(kind="least_motion"))],
            duration=_d(5.5),
            size=(1280, 720),
        ),
    ),
    Case(
        "Use only the opening 6 seconds. Greyscale throughout, original audio kept, fade in from "
        "black at the top and fade out to black at the end.",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="head", seconds=6),
            colour="monochrome",
            audio="keep",
            fade_in=True,
            fade_out=True,
        ),
    ),
    Case(
        "Something quiet and observational, like the opening minutes of an indie film about "
        "city life. Your call on everything.",
        VTEST,
        Brief(free_text=["quiet and observational, like an indie film about city life"]),
    ),
    Case(
        "So we're doing a little retrospective night at the cinema club and I want to run a "
        "bunch of trailers back to back with a short sting between each one. For this one, "
        "honestly, do whatever you think works best creatively -- I trust you -- but it "
        "absolutely has to be under ten seconds because of how the projector playlist is set "
        "up, and the last thing on screen should be someone's face. Thanks a million!",
        MEGAMIND,
        Brief(duration=_d(hi=10), end_on=ShotPick(kind="faces")),
    ),
]
