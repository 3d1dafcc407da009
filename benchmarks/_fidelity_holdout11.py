"""Fidelity holdout set 11: blind requests with hand-written expected briefs (fidelity.py).

Written from the Brief schema (tasks/brief/model.py) and the other case files only -- no parser,
rule, planner or verifier file was read, and no request of another set is copied. Three aims:

- requests as people type them on a phone or dictate them: no punctuation or capitals, run-on
  sentences, filler words ("um", "like", "basically", "you know", "ok so"), "long ish", and
  speech-to-text output that a careful human still reads one way only; abbreviations ("w/",
  "w/o", "approx", "b4", "pls", "thx", "u", "vid", "bg music", "fx", "b&w", "&", "btw"); and
  numbers as digits, words and mixes ("6-sec", "6 seconds", "six secs", "5s max", "x2 speed",
  "2x fast", "0.8x", "50% speed", "1 min 15 sec", "min 12 secs" where "min" is minimum);
- non-native English and the word orders of other languages: "the video must to have 7
  seconds", "put in slow the second scene", "begin with the scene number three", "make it more
  short", "cut in duration of 5 seconds", "the shot more dark", "the sound it stays", "in format
  square", "from the street video the first half only take", "a little of the begin";
- two long chat messages that bury the asks among greetings, family news and a question about
  the weekend, and every checkable field of the Brief at least twice across the set: length
  (targets, a minimum, maxima, a range), speed for the whole edit, on one scene and as a slow
  replay, colour (monochrome, sepia, natural), dips and crossfades and their lengths, hard cuts,
  fades and their lengths (and "without fade"), exact captions (two in order once), start/end
  picks (scene numbers, first, brightest/darkest, least/most motion, faces, a time), source use
  (all, every scene, head, tail, ranges, a portion, beginning-middle-end), shot order, time
  running backwards (and explicitly forwards), aspect, size, sound kept or muted, beat cuts,
  whole words and loudness.

Every expected brief is a careful person's reading of its request, never the product's parse,
and fills only what the request clearly asks: "like 6 seconds" and "approx 8 secs" are targets,
"5s max" and "maximum 7 seconds" are bounds, "the whole trailer" is the whole source, "normal
speed (no timelapse)" is speed 1.0, "not playing backwards just the order" is reversed order
with forward playback, "no colour fx, keep the colours as they are" is natural colour, and "no
sound, no music no voices" mutes the edit. Captions are only asked in typed messages, in quotes,
so their exact text is never a guess at what dictation capitalised. Footage facts the cases rely
on: CLIP is 10 s in four 2.5 s scenes with no audio; MEGAMIND is 11.3 s with music and dialogue
in four scenes; VTEST is 79.5 s with no audio, one long take (so no numbered scenes are asked of
it). Every ask fits its footage: the source covers the asked length at the asked speed, sound is
only asked of the trailer, and no fade is longer than half of its edit.
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _at, _d, _part, _replay, _scene

from tasks.brief import Brief, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT11"]


HOLDOUT11: list[Case] = [
    # 1-9: dictation, phone typing and non-native phrasing, one request each.
    Case(
        "ok so um make this clip like 6 seconds long ish and black and white and um begin it "
        "with the scene number three and then at the end like a one second fade to black you "
        "know",
        CLIP,
        Brief(
            duration=_d(6),
            colour="monochrome",
            start_on=_scene(3),
            fade_out=True,
            fade_out_s=1.0,
        ),
    ),
    Case(
        "The video must to have 7 seconds. Put in slow the second scene, at half of the "
        "velocity, the other scenes they stay normal. Without fade in the start and in the end "
        "please.",
        CLIP,
        Brief(
            duration=_d(7),
            speeds=[_part(0.5, _scene(2))],
            fade_in=False,
            fade_out=False,
        ),
    ),
    Case(
        "pls make a vid from the trailer approx 8 secs w/ the bg music kept & every cut on the "
        "beat. no colour fx, keep the colours as they are. thx!!",
        MEGAMIND,
        Brief(
            duration=_d(8),
            audio="keep",
            sound=SoundAsk(beats=True),
            colour="natural",
        ),
    ),
    Case(
        "hey!! long time \U0001f604 hope the new job is going ok. so my sister has this urban "
        "studies project & she asked me to ask you lol. basically she needs the street video "
        "but only the bit from 0:20 to 0:50, like twice as fast, in sepia bc her teacher loves "
        'that old photo look. and it should say "Rush Hour" on it. that\'s all she said i '
        "think. oh and btw are u coming sat?? mum's making lasagne",
        VTEST,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(20.0, 50.0)]),
            speeds=[SpeedAsk(factor=2.0)],
            colour="sepia",
            captions=["Rush Hour"],
        ),
    ),
    Case(
        "keep the sound but like make it not too loud minus 16 LUFS and dont cut in the middle "
        "of words ok and i want it ten seconds",
        MEGAMIND,
        Brief(
            audio="keep",
            sound=SoundAsk(loudness_lufs=-16.0, whole_words=True),
            duration=_d(10),
        ),
    ),
    Case(
        "From the street video the first half only take, and with crossfades of 1 second "
        "between the shots make me a video of 12 seconds, in format square.",
        VTEST,
        Brief(
            use=SourceUse(kind="portion", portion=(0.0, 0.5)),
            transitions="crossfade",
            transition_s=1.0,
            duration=_d(12),
            aspect="1:1",
        ),
    ),
    Case(
        "clip \u2192 4:5, 5s max, x2 speed, end on brightest scene pls",
        CLIP,
        Brief(
            aspect="4:5",
            duration=_d(hi=5),
            speeds=[SpeedAsk(factor=2.0)],
            end_on=ShotPick(kind="brightest"),
        ),
    ),
    Case(
        "I want that the trailer goes in reverse, like the time is going back, and without "
        "sound, no music no voices. Duration: 6 second.",
        MEGAMIND,
        Brief(playback="reverse", audio="mute", duration=_d(6)),
    ),
    Case(
        "so basically what i need is um the clip but with the scenes going from the last one to "
        "the first one you know like reverse order but not playing backwards just the order and "
        "um dips to black between them half a second each and the whole thing six secs",
        CLIP,
        Brief(
            order="reverse",
            playback="forward",
            transitions="fade",
            transition_s=0.5,
            duration=_d(6),
        ),
    ),
    # 10-17: numbers and units in mixed forms, abbreviations, more non-native word orders.
    Case(
        "need a 6-sec thing from the street vid. last 30 secs only, 3x speed, b&w, 1s fade in",
        VTEST,
        Brief(
            duration=_d(6),
            use=SourceUse(kind="tail", seconds=30),
            speeds=[SpeedAsk(factor=3.0)],
            colour="monochrome",
            fade_in=True,
            fade_in_s=1.0,
        ),
    ),
    Case(
        "This trailer is too much long, make it more short: maximum 7 seconds. The cuts they "
        "must follow the rhythm of the music, and the sound it stays. Finish with the scene "
        "number 4.",
        MEGAMIND,
        Brief(
            duration=_d(hi=7),
            sound=SoundAsk(beats=True),
            audio="keep",
            end_on=_scene(4),
        ),
    ),
    Case(
        "can u add at the end a slow-mo replay (50% speed) of the moment w/ the most movement? "
        "total approx 9 sec, only hard cuts btw",
        CLIP,
        Brief(
            speeds=[_replay(0.5, ShotPick(kind="most_motion"))],
            duration=_d(9),
            transitions="cut",
        ),
    ),
    Case(
        "pls export at 1080x1080, from 1 min to 1 min 15 sec of the street, at normal speed (no "
        "timelapse), & 2 sec fade out at the end",
        VTEST,
        Brief(
            size=(1080, 1080),
            use=SourceUse(kind="ranges", ranges=[(60.0, 75.0)]),
            speeds=[SpeedAsk(factor=1.0)],
            fade_out=True,
            fade_out_s=2.0,
        ),
    ),
    Case(
        "um can you cut the trailer to eight seconds and keep the talking but like dont chop "
        "anyone off in the middle of a word and start it from the very first shot thanks",
        MEGAMIND,
        Brief(
            duration=_d(8),
            audio="keep",
            sound=SoundAsk(whole_words=True),
            start_on=ShotPick(kind="first"),
        ),
    ),
    Case(
        "Please cut in duration of 5 seconds. The colours must remain natural. Begin with the "
        "shot more dark and finish with the shot more bright.",
        CLIP,
        Brief(
            duration=_d(5),
            colour="natural",
            start_on=ShotPick(kind="darkest"),
            end_on=ShotPick(kind="brightest"),
        ),
    ),
    Case(
        "use all 4 scenes (a bit of each one) in the original order, 8 secs total, crossfade of "
        "0.5s between them",
        CLIP,
        Brief(
            use=SourceUse(kind="every_scene"),
            order="source",
            duration=_d(8),
            transitions="crossfade",
            transition_s=0.5,
        ),
    ),
    Case(
        "put in slow the whole trailer, 0.8x, keep the audio & normalize it to -14 LUFS pls",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="all"),
            speeds=[SpeedAsk(factor=0.8)],
            audio="keep",
            sound=SoundAsk(loudness_lufs=-14.0),
        ),
    ),
    # 18-25: the remaining fields -- beginning-middle-end, head, a minimum, a range, size, a
    # time pick, a replay on the street -- and the second long chat with two captions.
    Case(
        "Make a summary of the street video with a little of the begin, a little of the middle "
        "and a little of the end. Min 12 secs. Vertical 9:16 for the stories.",
        VTEST,
        Brief(
            use=SourceUse(kind="beginning_middle_end"),
            duration=_d(lo=12),
            aspect="9:16",
        ),
    ),
    Case(
        "pls run the clip in rewind, everything going backwards, 2x fast, grey colours, and the "
        'text "The End?" on it',
        CLIP,
        Brief(
            playback="reverse",
            speeds=[SpeedAsk(factor=2.0)],
            colour="monochrome",
            captions=["The End?"],
        ),
    ),
    Case(
        "trailer in 1280x720 pls, 9 sec, scenes in the opposite order (last scene first) w/ "
        "hard cuts, no sound at all",
        MEGAMIND,
        Brief(size=(1280, 720), duration=_d(9), order="reverse", transitions="cut", audio="mute"),
    ),
    Case(
        "Hi!! So sorry to bother u again \U0001f648 the party was amazing btw, thank you for "
        "coming!! Ok so for next year's invite I was thinking we use the trailer, kind of funny "
        'no? \U0001f602 My idea: 10 sec, keep the music, first the text "Save the Date" and '
        'after it "12.06 \u2014 Lisbon", 1 sec fade in from black at the start & 1 sec fade out '
        "at the end. Nothing else I think. Kisses to the kids!!",
        MEGAMIND,
        Brief(
            duration=_d(10),
            audio="keep",
            captions=["Save the Date", "12.06 \u2014 Lisbon"],
            fade_in=True,
            fade_in_s=1.0,
            fade_out=True,
            fade_out_s=1.0,
        ),
    ),
    Case(
        "ok this is for a presentation b4 friday: only the first 20s of the street vid, speed "
        "it up x2, 4:3 format, and finish on the calmest moment (least movement).",
        VTEST,
        Brief(
            use=SourceUse(kind="head", seconds=20),
            speeds=[SpeedAsk(factor=2.0)],
            aspect="4:3",
            end_on=ShotPick(kind="least_motion"),
        ),
    ),
    Case(
        "the third scene make it faster like double speed and the other scenes normal um keep "
        "the audio eight seconds long and end it on somebody's face",
        MEGAMIND,
        Brief(
            speeds=[_part(2.0, _scene(3))],
            audio="keep",
            duration=_d(8),
            end_on=ShotPick(kind="faces"),
        ),
    ),
    Case(
        "10 secs from the street pls, start at 0:40, and at the end a replay in slow motion of "
        "the brightest moment at quarter speed",
        VTEST,
        Brief(
            duration=_d(10),
            start_on=_at(40.0),
            speeds=[_replay(0.25, ShotPick(kind="brightest"))],
        ),
    ),
    Case(
        "at least three secs but not more than 5 pls, start from the scene one, sepia colour",
        CLIP,
        Brief(duration=_d(lo=3, hi=5), start_on=_scene(1), colour="sepia"),
    ),
]
