"""Fidelity holdout set 9: blind requests with hand-written expected briefs (fidelity.py).

Written from the Brief schema (tasks/brief/model.py) and the other case files only -- no parser,
rule, planner or verifier file was read, and no request of another set is copied. Three aims:

- the shape of the request rather than its words: bullet lists, numbered steps, "Key: value"
  lines split by line breaks, a preamble about the project before the asks, a "P.S." that adds
  an ask after the sign-off, and two requests that change their mind ("8 s... actually 6 s",
  "sepia -- no, scratch that, keep the original colours"), where only the last word counts;
- units and numbers said in ways no other set uses: "half a min", "1.5 sec", "ninety frames at
  30fps", "a sec and a half", "three quarters of its running time", "twice the normal speed",
  "slowed 2x", "50% speed" on one scene, ordinals ("the third scene", "scene no. 2", "scene
  #4", "the 3rd scene", "scene two", "the final scene"), ranges "5-7s", "12-15 sec" (with an
  en dash) and "between five and seven seconds";
- four to seven checkable asks at once (length, speed, order, fades and their lengths, exact
  captions, start/end picks, colour, sound kept or muted, cuts or crossfades, time running
  backwards, source ranges), in British spelling ("colour", "grey", "programme"), American
  slang, non-native English and a few realistic typos ("stars at", "whtie", "form black"),
  with negations the Brief can hold ("nothing sped up or slowed down", "no fade-in or
  fade-out", "don't play it backwards", "leave the sound off"; "no words on screen" and the
  like are the default no-text check, so they add no field).

Every expected brief is a careful person's reading of its request, never the product's parse,
and fills only what the request clearly asks. Footage facts the cases rely on: CLIP is 10 s in
four 2.5 s scenes with no audio; MEGAMIND is 11.3 s with music and dialogue in four scenes; VTEST
is 79.5 s with no audio, one long take (so no numbered scenes are asked of it). Every ask fits
its footage: the source covers the asked length at the asked speed, sound is only kept on the
trailer, and no fade is longer than half of its edit.
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _at, _d, _scene

from tasks.brief import Brief, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT9"]


HOLDOUT9: list[Case] = [
    # 1-8: the shape of the request -- lists, steps, lines, preamble, P.S., second thoughts.
    Case(
        "Edit notes for the clip:\n"
        "- 6 seconds long\n"
        "- scenes in reverse order\n"
        "- half-second crossfades between them\n"
        "- no fade at the very start or the very end\n"
        "- leave the sound off",
        CLIP,
        Brief(
            duration=_d(6),
            order="reverse",
            transitions="crossfade",
            transition_s=0.5,
            fade_in=False,
            fade_out=False,
            audio="mute",
        ),
    ),
    Case(
        "1. Take 0:20 to 0:40 of the street footage.\n"
        "2. Play it at twice the normal speed.\n"
        "3. Drain the colour out so it's black and white.\n"
        "4. Fade up from black over one second at the top.",
        VTEST,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(20.0, 40.0)]),
            speeds=[SpeedAsk(factor=2.0)],
            colour="monochrome",
            fade_in=True,
            fade_in_s=1.0,
        ),
    ),
    Case(
        "Trailer cut\n"
        "Length: 7 seconds\n"
        "Sound: keep it, normalised to -16 LUFS\n"
        'Text: "Brains Over Brawn"\n'
        "Ending: fade to black over 1.5 sec",
        MEGAMIND,
        Brief(
            duration=_d(7),
            audio="keep",
            sound=SoundAsk(loudness_lufs=-16.0),
            captions=["Brains Over Brawn"],
            fade_out=True,
            fade_out_s=1.5,
        ),
    ),
    Case(
        "Bit of background first: I'm putting together the programme for our borough's "
        "heritage open day, and the opening titles play over some street footage. What I need "
        "from you is half a min of it in sepia, with a slow two-second fade in from black, and "
        'the caption "Then & Now". Thanks ever so much.',
        VTEST,
        Brief(
            duration=_d(30),
            colour="sepia",
            fade_in=True,
            fade_in_s=2.0,
            captions=["Then & Now"],
        ),
    ),
    Case(
        "Can you cut the clip down to 5 seconds and open it on the third scene? Crossfades "
        "between the scenes would be nice. Thanks!\n\n"
        "P.S. forgot to say - could it be black and white as well?",
        CLIP,
        Brief(duration=_d(5), start_on=_scene(3), transitions="crossfade", colour="monochrome"),
    ),
    Case(
        "Make it 8 s... actually 6 s, that's plenty. Keep the audio, scene #4 should close it, "
        "and fade in from black at the start.",
        MEGAMIND,
        Brief(duration=_d(6), audio="keep", end_on=_scene(4), fade_in=True),
    ),
    Case(
        "Sepia please -- hmm, no, scratch that, keep the original colours. Four seconds, "
        "ending on scene no. 2, with dips to black between shots.",
        CLIP,
        Brief(colour="natural", duration=_d(4), end_on=_scene(2), transitions="fade"),
    ),
    Case(
        "Three things for the trailer:\n"
        "1) cut it to 5-7s\n"
        "2) mute the soundtrack completely\n"
        "3) shots in reverse order, hard cuts between them",
        MEGAMIND,
        Brief(duration=_d(lo=5, hi=7), audio="mute", order="reverse", transitions="cut"),
    ),
    # 9-16: units, numbers and ordinals said differently.
    Case(
        "Our broadcast slot is ninety frames at 30fps, so the edit has to fill exactly that. "
        "Start it at the 0:12 mark, keep the street in its original colours, and no fade at the "
        "end.",
        VTEST,
        Brief(duration=_d(3), start_on=_at(12.0), colour="natural", fade_out=False),
    ),
    Case(
        "Open with the darkest scene and close on scene 1; seven seconds in all, with a sec and "
        "a half fade to black at the end.",
        CLIP,
        Brief(
            start_on=ShotPick(kind="darkest"),
            end_on=_scene(1),
            duration=_d(7),
            fade_out=True,
            fade_out_s=1.5,
        ),
    ),
    Case(
        'Just the opening 3 seconds, slowed 2x, with the caption "Slow Burn". No fades.',
        CLIP,
        Brief(
            use=SourceUse(kind="head", seconds=3),
            speeds=[SpeedAsk(factor=0.5)],
            captions=["Slow Burn"],
            fade_in=False,
            fade_out=False,
        ),
    ),
    Case(
        "Play the 3rd scene at 50% speed and leave every other scene at its normal pace. Keep "
        "the sound, and no cross-fades - just cuts.",
        MEGAMIND,
        Brief(
            speeds=[SpeedAsk(factor=0.5, applies_to="part", pick=_scene(3))],
            audio="keep",
            transitions="cut",
        ),
    ),
    Case(
        "Give me between five and seven seconds of the street at 3x, taken from the latter "
        "half of the footage, in sepia.",
        VTEST,
        Brief(
            duration=_d(lo=5, hi=7),
            speeds=[SpeedAsk(factor=3.0)],
            use=SourceUse(kind="portion", portion=(0.5, 1.0)),
            colour="sepia",
        ),
    ),
    Case(
        "Open on scene two and finish with the final scene, keeping everything in the order it "
        "happens in the trailer. Run it all at 1.5x and keep the dialogue audible.",
        MEGAMIND,
        Brief(
            start_on=_scene(2),
            end_on=ShotPick(kind="last"),
            order="source",
            speeds=[SpeedAsk(factor=1.5)],
            audio="keep",
        ),
    ),
    Case(
        "Trim the clip to three quarters of its running time, widescreen 16:9, no sound, and "
        "end on the most colourful scene.",
        CLIP,
        Brief(
            duration=_d(7.5),
            aspect="16:9",
            audio="mute",
            end_on=ShotPick(kind="most_colourful"),
        ),
    ),
    Case(
        "Street footage, 12\u201315 sec, straight cuts, open on the busiest moment (the most "
        "movement), in its natural colour, and nothing written over the picture.",
        VTEST,
        Brief(
            duration=_d(lo=12, hi=15),
            transitions="cut",
            start_on=ShotPick(kind="most_motion"),
            colour="natural",
        ),
    ),
    # 17-25: many asks at once, in slang, British or non-native English, typos and negations.
    Case(
        "yo lemme get like a 9 sec cut of the trailer, keep the audio, cuts on the beat, slap "
        '"BIG BRAIN ENERGY" on there and make it black and white, that\'d go hard fr',
        MEGAMIND,
        Brief(
            duration=_d(9),
            audio="keep",
            sound=SoundAsk(beats=True),
            captions=["BIG BRAIN ENERGY"],
            colour="monochrome",
        ),
    ),
    Case(
        "Could you do a grey, colourless version of the street footage? Twenty-five seconds, "
        "dissolves of three-quarters of a second between the shots, and a two-second fade-out "
        "to finish. Cheers!",
        VTEST,
        Brief(
            colour="monochrome",
            duration=_d(25),
            transitions="crossfade",
            transition_s=0.75,
            fade_out=True,
            fade_out_s=2.0,
        ),
    ),
    Case(
        "Please make the video go in backward, I mean the time must go back like when you "
        "rewind a tape. Long 4 second. The colours keep them normal, and not put any writing "
        "on it.",
        CLIP,
        Brief(playback="reverse", duration=_d(4), colour="natural"),
    ),
    Case(
        "I am needing a short piece of the trailer of 5 seconds with the sound inside. It must "
        "to start at 0:02 and to finish with a fade to black of one second.",
        MEGAMIND,
        Brief(
            duration=_d(5),
            audio="keep",
            start_on=_at(2.0),
            fade_out=True,
            fade_out_s=1.0,
        ),
    ),
    Case(
        "Make a 15 second edit of the street that stars at 0:30, in black and whtie, and fade "
        "in form black.",
        VTEST,
        Brief(duration=_d(15), start_on=_at(30.0), colour="monochrome", fade_in=True),
    ),
    Case(
        "Use every scene. Nothing sped up or slowed down, hard cuts, no fade-in or fade-out, no "
        "words on screen, 8 seconds.",
        CLIP,
        Brief(
            use=SourceUse(kind="every_scene"),
            speeds=[SpeedAsk(factor=1.0)],
            transitions="cut",
            fade_in=False,
            fade_out=False,
            duration=_d(8),
        ),
    ),
    Case(
        "Don't play it backwards, don't touch the colours and don't add a title -- just 0:50 "
        "to 1:05 at half speed with a 2.5 s fade-out.",
        VTEST,
        Brief(
            playback="forward",
            colour="natural",
            use=SourceUse(kind="ranges", ranges=[(50.0, 65.0)]),
            speeds=[SpeedAsk(factor=0.5)],
            fade_out=True,
            fade_out_s=2.5,
        ),
    ),
    Case(
        "Use 0:01-0:04 and 0:06-0:10 of the trailer, keep the music, crossfade between the two "
        "bits (0.3 s), fade in over half a sec, monochrome, and caption it "
        '"Megamind Returns".',
        MEGAMIND,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(1.0, 4.0), (6.0, 10.0)]),
            audio="keep",
            transitions="crossfade",
            transition_s=0.3,
            fade_in=True,
            fade_in_s=0.5,
            colour="monochrome",
            captions=["Megamind Returns"],
        ),
    ),
    Case(
        "\u2022 8 secs\n"
        "\u2022 sepia\n"
        '\u2022 two captions: "Once upon a time" first, then "Happily ever after"\n'
        "\u2022 start on the brightest scene\n"
        "\u2022 dip to black between scenes, 0.4 s each",
        CLIP,
        Brief(
            duration=_d(8),
            colour="sepia",
            captions=["Once upon a time", "Happily ever after"],
            start_on=ShotPick(kind="brightest"),
            transitions="fade",
            transition_s=0.4,
        ),
    ),
]
