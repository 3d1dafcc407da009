"""``understand``: the model's proposed brief, cross-checked by the parse of the request."""

from __future__ import annotations

from pathlib import Path

from tasks.understand_intent import understand
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.inference.test_client import INTENT, make_client

REQUEST = "A 6-second teaser with hard cuts that ends on the brightest shot."


def test_the_request_wins_where_the_model_disagrees(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    proposed = {"duration": {"target_s": 12}, "transitions": "crossfade", "colour": "sepia",
                "captions": ["Title"]}  # fmt: skip
    fake_openai.script(Reply.json({**INTENT, "brief": proposed}))

    got = understand(make_client(tmp_path, fake_openai), REQUEST)

    assert got.intent is not None and got.intent.goal == INTENT["goal"]
    assert got.brief.duration is not None and got.brief.duration.target_s == 6.0
    assert got.brief.transitions == "cut"
    assert got.brief.end_on is not None and got.brief.end_on.kind == "brightest"
    # The request says nothing about colour or captions: the model's are inventions.
    assert got.brief.colour is None and got.brief.captions == []
    notes = " ".join(got.notes)
    assert "duration target_s: the request says 6 s" in notes
    assert "transitions" in notes and "colour: the model proposed 'sepia'" in notes
    assert got.proposed is not None and got.proposed.colour == "sepia"


def test_settle_redoes_the_brief_from_the_cached_proposal() -> None:
    from tasks.brief import Brief
    from tasks.understand_intent import Understanding, settle

    stale = Understanding(brief=Brief(colour="sepia"), proposed=Brief(order="reverse"))
    settled = settle(stale, "A 5 s cut in reverse order.")
    assert settled.brief.order == "reverse" and settled.brief.colour is None
    assert settled.brief.duration is not None and settled.brief.duration.target_s == 5.0


def test_settle_times_frames_at_the_footage_rate() -> None:
    """The rate is applied in ``settle``, outside the cached step keyed on the request alone."""
    from tasks.brief import Brief, SourceUse
    from tasks.understand_intent import Understanding, settle

    # The model read the frames at a guessed 30 fps; the footage runs at 24.
    guess = Brief(use=SourceUse(kind="ranges", ranges=[(1.6, 3.2)]), transition_s=0.4)
    cached = Understanding(brief=guess, proposed=guess)
    request = "Frames 48-96 and frames 168-216, joined by a 12-frame dissolve."
    settled = settle(cached, request, 24.0)
    assert settled.brief.use is not None and settled.brief.use.ranges == [(2.0, 4.0), (7.0, 9.0)]
    assert settled.brief.transition_s == 0.5


def test_without_a_usable_brief_the_parse_stands(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply.json({**INTENT, "brief": "make it good"}), Reply.json(INTENT))
    client = make_client(tmp_path, fake_openai)

    for _ in range(2):  # a brief that is not an object, then no brief at all
        got = understand(client, REQUEST)
        assert got.brief.duration is not None and got.brief.duration.target_s == 6.0
        assert got.brief.transitions == "cut" and got.notes == []


def test_the_answer_schema_asks_for_a_small_brief(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    fake_openai.script(Reply.json(INTENT))
    understand(make_client(tmp_path, fake_openai), REQUEST)

    sent = fake_openai.requests[0]
    schema = sent["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["brief"]["properties"]["duration"]["type"] == "object"
    assert "brief" not in schema.get("required", [])
    assert "brief is an object" in sent["messages"][-1]["content"]
