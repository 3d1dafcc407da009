"""Fidelity holdout set 8: blind requests with hand-written expected briefs (fidelity.py).

Written from the Brief schema (tasks/brief/model.py) and the other case files only -- no parser,
rule or planner file was read, and no request of another set is copied. Three aims:

- the newer asks, phrased in ways no other set uses: time running backwards (``playback``, kept
  apart from shots last to first, and once asked forwards explicitly while the shots run last to
  first) and stated fade lengths (``fade_in_s``, ``fade_out_s``, ``transition_s``: "over 2
  seconds", "each dip lasting 0.75 s", "0.4-second cross-fades", "(half a second each)");
- realistic marketing, social and fan-edit briefs that wrap four to seven asks in chat (who it
  is for, why, thanks), with the context deliberately free of further asks;
- picks and lengths in wordings the older sets lack: "a ten-sec cut", "keep it under 6s", "no
  more than a quarter of a minute", "half its original length", "close on a face", "open with
  the darkest bit", "end on the last scene", "start from 0:04", a stretch of source with a pick
  inside it.

Every expected brief is a careful person's reading of its request, never the product's parse.
Footage facts the cases rely on: CLIP is 10 s in four 2.5 s scenes with no audio; MEGAMIND is
11.3 s with music and dialogue in four scenes; VTEST is 79.5 s with no audio, one long take (so
no numbered scenes are asked of it). Every ask fits its footage: the source covers the asked
length at the asked speed, sound is only asked of the trailer, and no fade is longer than half
of its edit.
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _at, _d, _scene

from tasks.brief import Brief, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT8"]


HOLDOUT8: list[Case] = [
    # 1-8: the newer asks -- time running backwards, and fade lengths.
    Case(
        "Run the entire clip backwards, last frame to first, and let it fade up out of black "
        "over 2 seconds.",
        CLIP,
        Brief(use=SourceUse(kind="all"), playback="reverse", fade_in=True, fade_in_s=2.0),
    ),
    Case(
        "12-second black-and-white edit of the street footage with one-second dissolves "
        "between the shots.",
        VTEST,
        Brief(duration=_d(12), colour="monochrome", transitions="crossfade", transition_s=1.0),
    ),
    Case(
        "Keep the trailer's sound, make it 8 seconds, and let the ending fade to black over "
        "1.5 seconds.",
        MEGAMIND,
        Brief(audio="keep", duration=_d(8), fade_out=True, fade_out_s=1.5),
    ),
    Case(
        "Make time run backwards at half speed, 6 seconds long, with a half-second fade from "
        "black at the start and another half-second fade to black at the end.",
        CLIP,
        Brief(
            playback="reverse",
            speeds=[SpeedAsk(factor=0.5)],
            duration=_d(6),
            fade_in=True,
            fade_in_s=0.5,
            fade_out=True,
            fade_out_s=0.5,
        ),
    ),
    Case(
        "Dip to black between every shot, each dip lasting 0.75 s. 15 seconds total, and no "
        "fade-in at the very start.",
        VTEST,
        Brief(transitions="fade", transition_s=0.75, duration=_d(15), fade_in=False),
    ),
    Case(
        "Put the shots in last-to-first order, but each shot should still play forwards as "
        "normal. Mute it, and use 0.4-second cross-fades between them.",
        MEGAMIND,
        Brief(
            order="reverse",
            playback="forward",
            audio="mute",
            transitions="crossfade",
            transition_s=0.4,
        ),
    ),
    Case(
        "Take 0:30 to 0:36 and play it in reverse so the pedestrians walk backwards, slowed "
        "to 50%.",
        VTEST,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(30.0, 36.0)]),
            playback="reverse",
            speeds=[SpeedAsk(factor=0.5)],
        ),
    ),
    Case(
        "Open with a three-second fade up from black and close with a 2 s fade down to black; "
        "keep the whole thing to 8 seconds.",
        CLIP,
        Brief(duration=_d(8), fade_in=True, fade_in_s=3.0, fade_out=True, fade_out_s=2.0),
    ),
    # 9-16: marketing, social and fan-edit briefs -- several asks wrapped in chat.
    Case(
        "ok so I'm making a Megamind fan edit for my TikTok. I need it vertical 9:16, about 10 "
        "seconds, keep the audio and have the cuts hit the music's beats. Also put "
        '"Villain era" on screen. and a 1 second fade out at the end pls',
        MEGAMIND,
        Brief(
            aspect="9:16",
            duration=_d(10),
            audio="keep",
            sound=SoundAsk(beats=True),
            captions=["Villain era"],
            fade_out=True,
            fade_out_s=1.0,
        ),
    ),
    Case(
        "Hi team - we're a small coffee shop on this street and want a 20-second ad for our "
        "Facebook page. Please only use the first minute of the footage, keep the real colours, "
        'put "Open 7am - 7pm" on it as the caption, and dissolve from shot to shot (half a '
        "second each). Thanks so much!",
        VTEST,
        Brief(
            duration=_d(20),
            use=SourceUse(kind="head", seconds=60),
            colour="natural",
            captions=["Open 7am - 7pm"],
            transitions="crossfade",
            transition_s=0.5,
        ),
    ),
    Case(
        "Posting this as an Instagram story tonight! It needs to be 9:16, 5 seconds max, sepia "
        "for the vintage vibe, and please start on the brightest shot. No text on it.",
        CLIP,
        Brief(
            aspect="9:16", duration=_d(hi=5), colour="sepia", start_on=ShotPick(kind="brightest")
        ),
    ),
    Case(
        "For our cinema's newsletter we need a silent 6-second snippet of the trailer in black "
        "and white, square 1:1, and it should open on a close-up of someone's face.",
        MEGAMIND,
        Brief(
            audio="mute",
            duration=_d(6),
            colour="monochrome",
            aspect="1:1",
            start_on=ShotPick(kind="faces"),
        ),
    ),
    Case(
        "A real-estate client wants to show how lively the street is. Give them 25 seconds at "
        "double speed, widescreen 16:9, opening on whatever is moving the most. Fade in from "
        "black over one second and fade out over one second.",
        VTEST,
        Brief(
            duration=_d(25),
            speeds=[SpeedAsk(factor=2.0)],
            aspect="16:9",
            start_on=ShotPick(kind="most_motion"),
            fade_in=True,
            fade_in_s=1.0,
            fade_out=True,
            fade_out_s=1.0,
        ),
    ),
    Case(
        "Making a little edit for my friend's band's page. Concretely: every one of the four "
        "scenes should appear, everything at 0.75x, crossfade between them, end on the darkest "
        'scene, and the words "Night Drive" over it. Around 8 seconds.',
        CLIP,
        Brief(
            use=SourceUse(kind="every_scene"),
            speeds=[SpeedAsk(factor=0.75)],
            transitions="crossfade",
            end_on=ShotPick(kind="darkest"),
            captions=["Night Drive"],
            duration=_d(8),
        ),
    ),
    Case(
        "Promo for a Megamind watch party at our student union! Can you cut the trailer to 7 "
        "seconds, keep the dialogue but don't slice through any words, bring the loudness to "
        '-14 LUFS, add the caption "Fri 8pm - Room 2B", and fade out to black at the end?',
        MEGAMIND,
        Brief(
            duration=_d(7),
            audio="keep",
            sound=SoundAsk(whole_words=True, loudness_lufs=-14.0),
            captions=["Fri 8pm - Room 2B"],
            fade_out=True,
        ),
    ),
    Case(
        "Hey! City council social media here. We'd like a vertical reel from the street "
        "footage: 1080x1920, eighteen seconds, plain cuts with no transitions, start from "
        "0:10, and the caption 'Walk the High Street'.",
        VTEST,
        Brief(
            aspect="9:16",
            size=(1080, 1920),
            duration=_d(18),
            transitions="cut",
            start_on=_at(10.0),
            captions=["Walk the High Street"],
        ),
    ),
    # 17-25: picks and lengths in new wordings.
    Case(
        "a ten-sec cut of the trailer that opens with the darkest bit, audio off",
        MEGAMIND,
        Brief(duration=_d(10), start_on=ShotPick(kind="darkest"), audio="mute"),
    ),
    Case(
        "keep it under 6s, scenes in their original order, with the second scene opening it "
        "and the third scene closing it",
        CLIP,
        Brief(duration=_d(hi=6), order="source", start_on=_scene(2), end_on=_scene(3)),
    ),
    Case(
        "No more than a quarter of a minute of the street, in sepia, beginning where almost "
        "nothing is moving.",
        VTEST,
        Brief(duration=_d(hi=15), colour="sepia", start_on=ShotPick(kind="least_motion")),
    ),
    Case(
        "Six seconds of the trailer with the scenes in the order they appear, close on a face, "
        "sound kept.",
        MEGAMIND,
        Brief(duration=_d(6), order="source", end_on=ShotPick(kind="faces"), audio="keep"),
    ),
    Case(
        "Start from 0:04, end on the last scene, 4 to 6 seconds long, without any audio.",
        MEGAMIND,
        Brief(
            start_on=_at(4.0), end_on=ShotPick(kind="last"), duration=_d(lo=4, hi=6), audio="mute"
        ),
    ),
    Case(
        "Cut the clip to half its original length and open with the darkest bit. Keep it in "
        "colour.",
        CLIP,
        Brief(duration=_d(5), start_on=ShotPick(kind="darkest"), colour="natural"),
    ),
    Case(
        "Just the 0:15-0:27 stretch of the street, cut down to 6s, ending on the brightest "
        "moment in it.",
        VTEST,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(15.0, 27.0)]),
            duration=_d(6),
            end_on=ShotPick(kind="brightest"),
        ),
    ),
    Case(
        "A running time of 3 to 4.5 seconds, opening on scene 3 and closing on the trailer's "
        "final shot, simple cuts only.",
        MEGAMIND,
        Brief(
            duration=_d(lo=3, hi=4.5),
            start_on=_scene(3),
            end_on=ShotPick(kind="last"),
            transitions="cut",
        ),
    ),
    Case(
        "At least 3 but under 5 seconds. The first thing on screen should be the shot where "
        "things move the most, the last thing on screen the brightest shot.",
        CLIP,
        Brief(
            duration=_d(lo=3, hi=5),
            start_on=ShotPick(kind="most_motion"),
            end_on=ShotPick(kind="brightest"),
        ),
    ),
]
