"""Fidelity holdout set 14: blind requests with hand-written expected briefs (fidelity.py).

Written from the Brief schema (tasks/brief/model.py) and the other case files only -- no parser,
rule, planner or verifier file was read, the parser was never run on these requests, and no
request of another set is copied. The theme is delivery specs and negations, as people write
them when the edit is going somewhere:

- platform and delivery wording: "vertical 9:16", "1080x1920", "square 1:1 for the feed",
  "720p", "4:5", "16:9 landscape", sizes written "1280 by 720" and 1920-by-1080 with the
  multiplication sign (U+00D7); a platform named without a ratio ("For TikTok") is context, not an
  aspect ask;
- loudness as delivered: "-14 LUFS", "normalise to minus 16 LUFS integrated", "-23 LUFS (EBU
  R128)", "-16 LUFS integrated"; sound kept or taken away: "no audio", "strip the sound", "keep
  the original audio", "silent", "without the music";
- negations and exclusions: "no transitions, just hard cuts", "don't slow anything down" (next
  to a speed-up), "don't slow anything down, don't speed anything up", "no captions", "no fade
  at the start but fade out at the end", "not in black and white", "don't reverse it", "no
  longer than", "not under 5 s", "without fades", "no fade at either end";
- each request carries three to six checkable asks beside its negations (lengths, speeds, picks,
  captions, order, crossfades with their lengths); four carry an ask the Brief cannot hold
  (frame rate, codec and file size; a framing for the caption bar; stabilisation; ducking the
  music under the dialogue), kept as free text only; two correct themselves mid-request.

Reading conventions, as in the other sets: every expected brief is a careful person's reading
of its request, never the product's parse, and fills only what the request clearly asks. A
stated ratio is an aspect ask and stated pixels a size ask ("1080x1920" alone is a size;
"1080x1920 vertical 9:16" is both); "720p" is 1280x720, as in holdout4; "square" is 1:1.
"No captions" and "don't add any text" are the default no-text check and add no field. "Not
in black and white" and "leave the colour as it is" are natural colour; "don't reverse it" is
forward playback (the shot order stays unasked); "no fade at the start" is fade_in False and
"without fades" / "no fade at either end" are both fades False (the joins are not fades).
"Don't slow anything down" next to "2x" adds nothing beyond the 2x; with "don't speed anything
up" beside it, it is real time (speed 1.0). "Without the music" on the trailer mutes it: the
Brief holds the soundtrack as one thing, and the trailer's music runs under all of it. A
self-correction keeps only the last word. Loudness is only asked where the sound is kept.

Footage facts the cases rely on: CLIP is 10 s at 24 fps in four 2.5 s scenes with no audio
(scene 3 the brightest, scene 4 the darkest and the one with most motion); MEGAMIND is 11.3 s
with music and dialogue in four scenes; VTEST is 79.5 s at 10 fps with no audio, one long take
(so no numbered scenes are asked of it). Every ask fits its footage: the source covers the
asked length at the asked speed (the arithmetic is in a comment where it is tight), sound is
only kept on the trailer, and no fade is longer than half of its edit.
"""

from __future__ import annotations

from _fidelity_cases import CLIP, MEGAMIND, VTEST, Case, _at, _d, _head, _part, _scene

from tasks.brief import Brief, ShotPick, SoundAsk, SourceUse, SpeedAsk

__all__ = ["HOLDOUT14"]


HOLDOUT14: list[Case] = [
    # 1-10: delivery formats and loudness, each with a negation or two.
    # "for Reels" is context; the ratio is stated.
    Case(
        "Vertical 9:16 cut of the trailer for Reels, 8 seconds. Keep the original audio and "
        "normalise it to -14 LUFS. No transitions, just hard cuts.",
        MEGAMIND,
        Brief(
            aspect="9:16",
            duration=_d(8),
            audio="keep",
            sound=SoundAsk(loudness_lufs=-14.0),
            transitions="cut",
        ),
    ),
    # Pixels alone: a size, no aspect ask. From scene 2 on there are 7.5 s of source.
    Case(
        "1080x1920, no longer than 6 s, no captions, don't reverse it, and start on scene 2.",
        CLIP,
        Brief(size=(1080, 1920), duration=_d(hi=6), playback="forward", start_on=_scene(2)),
    ),
    # 12 s at 2x is 24 s of the 79.5 s street; "don't slow anything down" only rules out what
    # the 2x already excludes.
    Case(
        "Square 1:1 for the feed: 12 seconds of the street at 2x, and don't slow anything down "
        "anywhere -- no slow-mo replays. Crossfades of 0.5 s between shots, no audio.",
        VTEST,
        Brief(
            aspect="1:1",
            duration=_d(12),
            speeds=[SpeedAsk(factor=2.0)],
            transitions="crossfade",
            transition_s=0.5,
            audio="mute",
        ),
    ),
    Case(
        "Strip the sound, export it at 720p, 6 seconds long, black and white, and fade in from "
        "black.",
        MEGAMIND,
        Brief(
            audio="mute",
            size=(1280, 720),
            duration=_d(6),
            colour="monochrome",
            fade_in=True,
        ),
    ),
    # The darkest shot is scene 4, the last one: ending there is the natural order.
    Case(
        "No fade at the start but fade out at the end (1 s). 4:5 portrait, 7 seconds, ending "
        "on the darkest shot.",
        CLIP,
        Brief(
            fade_in=False,
            fade_out=True,
            fade_out_s=1.0,
            aspect="4:5",
            duration=_d(7),
            end_on=ShotPick(kind="darkest"),
        ),
    ),
    # "for broadcast" is context.
    Case(
        "For broadcast: -23 LUFS (EBU R128), keep the original audio, 16:9 landscape, "
        "anywhere between 6 and 9 seconds, and never cut in the middle of a word.",
        MEGAMIND,
        Brief(
            sound=SoundAsk(loudness_lufs=-23.0, whole_words=True),
            audio="keep",
            aspect="16:9",
            duration=_d(lo=6, hi=9),
        ),
    ),
    # 0:30 + 20 s = 0:50, inside the 79.5 s.
    Case(
        "Not in black and white -- keep the colour. 1920\u00d71080, 20 seconds starting at 0:30, "
        "hard cuts only, no audio.",
        VTEST,
        Brief(
            colour="natural",
            size=(1920, 1080),
            duration=_d(20),
            start_on=_at(30.0),
            transitions="cut",
            audio="mute",
        ),
    ),
    # "Without the music" on the trailer: its music runs under everything, and a voice-over
    # goes on top later, so the edit is delivered silent.
    Case(
        "Without the music please -- this goes under a voice-over. 5 seconds, square, open on "
        "a face, 0.3 s crossfades between shots.",
        MEGAMIND,
        Brief(
            audio="mute",
            duration=_d(5),
            aspect="1:1",
            start_on=ShotPick(kind="faces"),
            transitions="crossfade",
            transition_s=0.3,
        ),
    ),
    # "For TikTok" names a platform but no ratio (TikTok takes several), so no aspect is
    # checked; at most it is context. 5 s at 1.5x is 7.5 s of the 10 s clip.
    Case(
        'For TikTok: 5 seconds at 1.5x, no transitions, and the caption "Wait for it".',
        CLIP,
        Brief(
            duration=_d(5),
            speeds=[SpeedAsk(factor=1.5)],
            transitions="cut",
            captions=["Wait for it"],
        ),
    ),
    # The first 6 s bound the edit; nothing else is asked of its length.
    Case(
        "Normalise to minus 16 LUFS integrated and keep the original audio. Only the first 6 "
        "seconds of the trailer, no fade at either end, 4:5.",
        MEGAMIND,
        Brief(
            sound=SoundAsk(loudness_lufs=-16.0),
            audio="keep",
            use=_head(6),
            fade_in=False,
            fade_out=False,
            aspect="4:5",
        ),
    ),
    # 11-14: negations stacked.
    # Four scenes in 6 s at real time: 1.5 s of each 2.5 s scene, last to first.
    Case(
        "Don't slow anything down, don't speed anything up -- real time. 1280 by 720, every "
        "scene, last to first, hard cuts, 6 seconds.",
        CLIP,
        Brief(
            speeds=[SpeedAsk(factor=1.0)],
            size=(1280, 720),
            use=SourceUse(kind="every_scene"),
            order="reverse",
            transitions="cut",
            duration=_d(6),
        ),
    ),
    Case(
        "not under 5 s and no longer than 8 s, 9:16 vertical, sepia, end on the calmest moment, "
        "no audio",
        VTEST,
        Brief(
            duration=_d(lo=5, hi=8),
            aspect="9:16",
            colour="sepia",
            end_on=ShotPick(kind="least_motion"),
            audio="mute",
        ),
    ),
    # The first word (9:16) is withdrawn; only 4:5 is asked.
    Case(
        "Make it 9:16 -- no wait, the client wants 4:5 after all. 7 seconds, keep the audio at "
        "-14 LUFS, and end on the final scene.",
        MEGAMIND,
        Brief(
            aspect="4:5",
            duration=_d(7),
            audio="keep",
            sound=SoundAsk(loudness_lufs=-14.0),
            end_on=ShotPick(kind="last"),
        ),
    ),
    # 4 s at 2x is 8 s of the 10 s clip.
    Case(
        "No captions, no fades, not in black and white. Double speed, 4 seconds, 1:1.",
        CLIP,
        Brief(
            fade_in=False,
            fade_out=False,
            colour="natural",
            speeds=[SpeedAsk(factor=2.0)],
            duration=_d(4),
            aspect="1:1",
        ),
    ),
    # 15-18: delivery asks the Brief cannot hold, beside checkable ones.
    Case(
        "Deliver for YouTube Shorts: 1080x1920 vertical 9:16, 8 seconds, keep the original "
        "audio. Export at 30 fps, H.264, under 10 MB.",
        MEGAMIND,
        Brief(
            size=(1080, 1920),
            aspect="9:16",
            duration=_d(8),
            audio="keep",
            free_text=["export at 30 fps, H.264, under 10 MB"],
        ),
    ),
    # The brightest shot is scene 3 (5-7.5 s): 5 s of source from there in order, enough for 4 s.
    Case(
        "4:5 for the feed. Keep the action in the top two thirds of the frame so the caption "
        "bar doesn't cover it. 4 seconds, start on the brightest shot, no transitions.",
        CLIP,
        Brief(
            aspect="4:5",
            duration=_d(4),
            start_on=ShotPick(kind="brightest"),
            transitions="cut",
            free_text=["keep the action in the top two thirds of the frame"],
        ),
    ),
    # 15 s at 1.5x is 22.5 s of the street.
    Case(
        "Stabilise it if it's shaky, then give me 15 seconds at 1.5x, 16:9 landscape, no "
        "captions, crossfades between shots, no audio.",
        VTEST,
        Brief(
            duration=_d(15),
            speeds=[SpeedAsk(factor=1.5)],
            aspect="16:9",
            transitions="crossfade",
            audio="mute",
            free_text=["stabilise it if it's shaky"],
        ),
    ),
    Case(
        "Keep the original audio but duck the music under the dialogue, -16 LUFS integrated. "
        "7 seconds, don't reverse anything, end on a face.",
        MEGAMIND,
        Brief(
            audio="keep",
            sound=SoundAsk(loudness_lufs=-16.0),
            duration=_d(7),
            playback="forward",
            end_on=ShotPick(kind="faces"),
            free_text=["duck the music under the dialogue"],
        ),
    ),
    # 19-25: mixed, one more self-correction.
    # Sepia is withdrawn in favour of the original colour.
    Case(
        "Sepia, 5 seconds... actually no, not sepia, leave the colour as it is. Crossfade from "
        "scene to scene over 0.4 s, 1920 by 1080.",
        CLIP,
        Brief(
            colour="natural",
            duration=_d(5),
            transitions="crossfade",
            transition_s=0.4,
            size=(1920, 1080),
        ),
    ),
    # 3 s of source at half speed is 6 s.
    Case(
        "Silent, half speed, just the first 3 seconds of the trailer, square 1:1, no fade-in.",
        MEGAMIND,
        Brief(
            audio="mute",
            speeds=[SpeedAsk(factor=0.5)],
            use=_head(3),
            aspect="1:1",
            fade_in=False,
        ),
    ),
    # The first 40 s at 4x is the 10 s the request states.
    Case(
        "16:9 landscape, the first 40 seconds of the street sped up 4x (so 10 s), fade out at "
        "the end, no fade-in.",
        VTEST,
        Brief(
            aspect="16:9",
            use=_head(40),
            speeds=[SpeedAsk(factor=4.0)],
            duration=_d(10),
            fade_out=True,
            fade_in=False,
        ),
    ),
    # From 0:02 at half speed, 4 s on screen is at most 2 s of source.
    Case(
        "Don't reverse it and don't add any text. Start at 0:02, 9:16, half speed, no longer "
        "than 4 s.",
        CLIP,
        Brief(
            playback="forward",
            start_on=_at(2.0),
            aspect="9:16",
            speeds=[SpeedAsk(factor=0.5)],
            duration=_d(hi=4),
        ),
    ),
    Case(
        "No transitions, just hard cuts on the beat of the music. Keep the original audio, not "
        'under 6 s, with the caption "Coming Friday".',
        MEGAMIND,
        Brief(
            transitions="cut",
            sound=SoundAsk(beats=True),
            audio="keep",
            duration=_d(lo=6),
            captions=["Coming Friday"],
        ),
    ),
    Case(
        "No longer than 10 seconds but not under 8. 4:5 for the feed, black and white, open on "
        "the busiest moment, without fades.",
        VTEST,
        Brief(
            duration=_d(lo=8, hi=10),
            aspect="4:5",
            colour="monochrome",
            start_on=ShotPick(kind="most_motion"),
            fade_in=False,
            fade_out=False,
        ),
    ),
    # Scene 2 at half speed, the rest in real time; the 0.5 s fade-out fits in any cut.
    Case(
        "Scene 2 at half speed, the rest real time. Keep the original audio, 1920x1080, no "
        "fade at the start but fade out over the last half second.",
        MEGAMIND,
        Brief(
            speeds=[_part(0.5, _scene(2))],
            audio="keep",
            size=(1920, 1080),
            fade_in=False,
            fade_out=True,
            fade_out_s=0.5,
        ),
    ),
]
