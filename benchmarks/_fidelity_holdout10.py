"""Fidelity holdout set 10: blind requests with hand-written expected briefs (fidelity.py).

Written from the Brief schema (tasks/brief/model.py) and the other case files only -- no parser,
rule, planner or verifier file was read, and no request of another set is copied. Three aims:

- the voices of different people: a primary-school teacher, a wedding videographer, a YouTuber,
  a game-trailer editor, a museum archivist, a social-media manager, a film student whose
  jargon ("match on action", "smash cut", "establishing shot", "diegetic sound") is context or
  names a checkable ask, an impatient one-liner and a very polite long e-mail with a signature;
- grammar the other sets lack: the passive ("the clip should be trimmed so that...", "scene two
  should be sped up", "all four scenes must be used"), asks put as questions ("could it end on
  the last scene?"), conditionals ("if you can", "if possible", "should it not be too much
  trouble"), asks carried by parentheses and dashes, numbers spelled out ("eleven seconds",
  "one and a half times faster", "sped up four times", "fifteen seconds all told"), ALL CAPS
  emphasis, emoji, "approx.", "~", "roughly", "give or take", and "tops", "max", "no longer
  than", "at least" as bounds; "beat" meaning a story beat next to "the beat of the track";
- every checkable field of the Brief at least twice across the set: length (targets and bounds),
  speed for the whole edit, on one part and as a slow replay, colour, cuts/dips/dissolves and
  their lengths, fades and their lengths, exact captions (two in order once), start/end picks
  (scene numbers, first/last, brightest/darkest, most/least motion, faces, times), source use
  (all, every scene, head, tail, ranges, a portion, beginning-middle-end), shot order, time
  running backwards (and explicitly forwards), aspect, size, sound kept or muted, beat cuts,
  whole words and loudness. Three requests mix asks the Brief cannot hold (a warm grade, a
  logo watermark, a punch-in zoom and auto-subtitles) with checkable ones; their expected
  briefs hold the checkable asks and the rest as free text.

Every expected brief is a careful person's reading of its request, never the product's parse,
and fills only what the request clearly asks ("720 x 720 pixels" is a size, not an aspect ask;
"no fades" is the fade-in and fade-out, not the joins). Footage facts the cases rely on: CLIP is
10 s in four 2.5 s scenes with no audio; MEGAMIND is 11.3 s with music and dialogue in four
scenes; VTEST is 79.5 s with no audio, one long take (so no numbered scenes are asked of it).
Every ask fits its footage: the source covers the asked length at the asked speed, sound is only
asked of the trailer, and no fade is longer than half of its edit.
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _at, _d, _part, _replay, _scene

from tasks.brief import Brief, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT10"]


HOLDOUT10: list[Case] = [
    # 1-9: voices -- teacher, wedding, YouTuber, game trailer, archive, social, film student,
    # impatient, polite e-mail.
    Case(
        "Hello! I teach Year 4 and I'm making a little video for our class topic on the "
        "seasons. The clip should be trimmed so that it lasts eight seconds, and the scenes "
        'should be kept in the order they were filmed. The title "Our Four Seasons" should '
        'appear first and "Thank you for watching!" after it. If you can, could it fade in '
        "from black over about a second? The children will love it.",
        CLIP,
        Brief(
            duration=_d(8),
            order="source",
            captions=["Our Four Seasons", "Thank you for watching!"],
            fade_in=True,
            fade_in_s=1.0,
        ),
    ),
    Case(
        "Wedding videographer here -- I'm trying the tool on a film trailer before I trust it "
        "with a couple's first-dance highlight. Treat it the way I'd treat a wedding film: a "
        "warm, golden grade that flatters skin tones, approx. 9 s overall, gentle dissolves "
        "between the shots (0.8 s each), the music kept and mastered to -15 LUFS, and a slow "
        "two-second fade to black to close.",
        MEGAMIND,
        Brief(
            duration=_d(9),
            transitions="crossfade",
            transition_s=0.8,
            audio="keep",
            sound=SoundAsk(loudness_lufs=-15.0),
            fade_out=True,
            fade_out_s=2.0,
            free_text=["a warm, golden grade that flatters skin tones"],
        ),
    ),
    Case(
        "yo!! \U0001f44b need a channel intro outta this clip: make it one and a half times "
        'faster, end on the brightest scene, and stick "SMASH THAT SUBSCRIBE" across it. ~5 '
        "sec total \U0001f525\U0001f525",
        CLIP,
        Brief(
            speeds=[SpeedAsk(factor=1.5)],
            end_on=ShotPick(kind="brightest"),
            captions=["SMASH THAT SUBSCRIBE"],
            duration=_d(5),
        ),
    ),
    Case(
        "Game-trailer editor here. Treat it like a cold open: smash cut straight in, hard cuts "
        "all the way through, every cut landing on a beat of the track, audio kept. Close on a "
        "half-speed replay of the biggest action beat (the shot with the most movement). Seven "
        "seconds, tops.",
        MEGAMIND,
        Brief(
            transitions="cut",
            sound=SoundAsk(beats=True),
            audio="keep",
            speeds=[_replay(0.5, ShotPick(kind="most_motion"))],
            duration=_d(hi=7),
        ),
    ),
    Case(
        "For the museum's archive wall we are preparing a looping excerpt of this street survey "
        "footage. Please take the section from 0:45 to 1:10, render it in sepia so that it "
        "matches the rest of the gallery, and present it at its original speed (no time-lapse). "
        "There should be no fade at either end, as the excerpt will loop.",
        VTEST,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(45.0, 70.0)]),
            colour="sepia",
            speeds=[SpeedAsk(factor=1.0)],
            fade_in=False,
            fade_out=False,
        ),
    ),
    Case(
        "Social team request \U0001f4f1 \u2014 9:16 at 1080x1920, max 6s, open on scene 3, and "
        'burn in the copy "Drop 02 \u2014 live now". Also pop our logo in the bottom-right '
        "corner as a watermark. No fades (it sits in a carousel).",
        CLIP,
        Brief(
            aspect="9:16",
            size=(1080, 1920),
            duration=_d(hi=6),
            start_on=_scene(3),
            captions=["Drop 02 \u2014 live now"],
            fade_in=False,
            fade_out=False,
            free_text=["our logo in the bottom-right corner as a watermark"],
        ),
    ),
    Case(
        "For my Editing II assignment the sequence is meant to read as a match on action into a "
        "smash cut, but what I need from the tool is simpler: open on the establishing shot "
        "(i.e. the first shot), close on the darkest shot, straight cuts only, diegetic sound "
        "kept, and no cut mid-dialogue -- whole words only. Runtime roughly 6 s.",
        MEGAMIND,
        Brief(
            start_on=ShotPick(kind="first"),
            end_on=ShotPick(kind="darkest"),
            transitions="cut",
            audio="keep",
            sound=SoundAsk(whole_words=True),
            duration=_d(6),
        ),
    ),
    Case(
        "street clip, 20s, TRIPLE speed, grayscale. needed it five minutes ago",
        VTEST,
        Brief(duration=_d(20), speeds=[SpeedAsk(factor=3.0)], colour="monochrome"),
    ),
    Case(
        "Dear Sir or Madam,\n\n"
        "I hope this message finds you well. I am writing on behalf of our community film "
        "society, which is holding a screening evening next month, and I would be most grateful "
        "if you could prepare a short excerpt of the attached trailer for us.\n\n"
        "Would it be possible for the excerpt to run to eleven seconds? We would also very much "
        "appreciate it if the original soundtrack could be retained and the picture left in its "
        "natural colours, and, if at all possible, if no one could be cut off partway through a "
        "word. Should it not be too much trouble, a gentle fade up from black at the opening, "
        "lasting perhaps one and a half seconds, would be lovely.\n\n"
        "With many thanks for your kind assistance,\n"
        "Margaret Ellis\n"
        "Honorary Secretary",
        MEGAMIND,
        Brief(
            duration=_d(11),
            audio="keep",
            colour="natural",
            sound=SoundAsk(whole_words=True),
            fade_in=True,
            fade_in_s=1.5,
        ),
    ),
    # 10-17: grammar -- questions, conditionals, passive, parentheses and dashes, caps, words.
    Case(
        "A few questions rather than orders: could it open on the brightest scene? Could it end "
        "on the last scene? Would five seconds or so be doable? And is there any chance the "
        "colours could stay exactly as they are?",
        CLIP,
        Brief(
            start_on=ShotPick(kind="brightest"),
            end_on=ShotPick(kind="last"),
            duration=_d(5),
            colour="natural",
        ),
    ),
    Case(
        "If it's possible, I'd like the street from the one-minute mark to 1:12 run in rewind "
        "-- pedestrians walking backwards, the lot -- with a one-second fade to black at the "
        "end.",
        VTEST,
        Brief(
            use=SourceUse(kind="ranges", ranges=[(60.0, 72.0)]),
            playback="reverse",
            fade_out=True,
            fade_out_s=1.0,
        ),
    ),
    Case(
        "The WHOLE clip, played BACKWARDS (time running in reverse, not just the scenes "
        "reshuffled), at half speed and in sepia.",
        CLIP,
        Brief(
            use=SourceUse(kind="all"),
            playback="reverse",
            speeds=[SpeedAsk(factor=0.5)],
            colour="sepia",
        ),
    ),
    Case(
        "Reverse the running order of the scenes, but don't reverse the footage itself -- each "
        "scene should still play forwards. Quarter-second dips to black between scenes, and the "
        'caption "Flashback".',
        CLIP,
        Brief(
            order="reverse",
            playback="forward",
            transitions="fade",
            transition_s=0.25,
            captions=["Flashback"],
        ),
    ),
    Case(
        "Could a slow-motion replay of the darkest moment, at 40% speed, be tacked on at the "
        "end? Apart from that: roughly 8 s, hard cuts.",
        CLIP,
        Brief(
            speeds=[_replay(0.4, ShotPick(kind="darkest"))],
            duration=_d(8),
            transitions="cut",
        ),
    ),
    Case(
        "Scene two should be sped up to three times its normal speed, while the other scenes "
        "are left as they are. The finished edit is to be no longer than 8 seconds and should "
        "be faded out over one second at the end.",
        CLIP,
        Brief(
            speeds=[_part(3.0, _scene(2))],
            duration=_d(hi=8),
            fade_out=True,
            fade_out_s=1.0,
        ),
    ),
    Case(
        "If possible, slow down just the shot with a face in it to half speed (everything else "
        "at normal pace), keep the sound, and let the cuts follow the beat of the music. Around "
        "seven seconds.",
        MEGAMIND,
        Brief(
            speeds=[_part(0.5, ShotPick(kind="faces"))],
            audio="keep",
            sound=SoundAsk(beats=True),
            duration=_d(7),
        ),
    ),
    Case(
        "Nothing after 0:40, please -- only the first forty seconds of the street -- sped up "
        'four times, with the lower-third "Market Street, 8:05 a.m." in widescreen 16:9.',
        VTEST,
        Brief(
            use=SourceUse(kind="head", seconds=40),
            speeds=[SpeedAsk(factor=4.0)],
            captions=["Market Street, 8:05 a.m."],
            aspect="16:9",
        ),
    ),
    # 18-25: the remaining fields -- tail, portion, beginning-middle-end, every scene, times,
    # size, loudness -- and the third request that mixes in asks the Brief cannot hold.
    Case(
        "Only the clip's closing four seconds -- black and white, half-second fade in, "
        "half-second fade out.",
        CLIP,
        Brief(
            use=SourceUse(kind="tail", seconds=4),
            colour="monochrome",
            fade_in=True,
            fade_in_s=0.5,
            fade_out=True,
            fade_out_s=0.5,
        ),
    ),
    Case(
        "Work only from the second quarter of the street footage. It ought to begin on the "
        "least busy moment and last about ten seconds, crossfading between shots, framed 4:5.",
        VTEST,
        Brief(
            use=SourceUse(kind="portion", portion=(0.25, 0.5)),
            start_on=ShotPick(kind="least_motion"),
            duration=_d(10),
            transitions="crossfade",
            aspect="4:5",
        ),
    ),
    Case(
        "Summarise the street footage with one snippet from the start, one from the middle and "
        "one from the end -- each joined by a dip to black lasting half a second -- fifteen "
        "seconds all told.",
        VTEST,
        Brief(
            use=SourceUse(kind="beginning_middle_end"),
            transitions="fade",
            transition_s=0.5,
            duration=_d(15),
        ),
    ),
    Case(
        "All four scenes of the trailer must be used, in the order they were shot, and the edit "
        "should be muted. Nothing should be played backwards. Nine seconds.",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="every_scene"),
            order="source",
            audio="mute",
            playback="forward",
            duration=_d(9),
        ),
    ),
    Case(
        "Making a reaction meme \U0001f602 -- punch-in zoom on the reaction, plus auto-generated "
        "subtitles of whatever they say. Also: 6 seconds, audio kept and levelled to -12 LUFS, "
        "and it has to END on a face.",
        MEGAMIND,
        Brief(
            duration=_d(6),
            audio="keep",
            sound=SoundAsk(loudness_lufs=-12.0),
            end_on=ShotPick(kind="faces"),
            free_text=[
                "a punch-in zoom on the reaction",
                "auto-generated subtitles of whatever they say",
            ],
        ),
    ),
    Case(
        "Start at 0:33 -- that's our cue point -- and give me at least twelve seconds from "
        "there at 1.25x, fading in from black.",
        VTEST,
        Brief(
            start_on=_at(33.0),
            duration=_d(lo=12),
            speeds=[SpeedAsk(factor=1.25)],
            fade_in=True,
        ),
    ),
    Case(
        "Render at 720 x 720 pixels, start on scene one, finish on the moment at 0:09, six "
        "seconds give or take.",
        CLIP,
        Brief(size=(720, 720), start_on=_scene(1), end_on=_at(9.0), duration=_d(6)),
    ),
    Case(
        "The last six seconds of the trailer only, the shots in reversed order, no sound "
        "whatsoever -- and could it come out at 1280x720?",
        MEGAMIND,
        Brief(
            use=SourceUse(kind="tail", seconds=6),
            order="reverse",
            audio="mute",
            size=(1280, 720),
        ),
    ),
]
