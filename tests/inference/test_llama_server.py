"""The CPU tier's server samples as llama.cpp's own does: the grammar asked about one token.

On the real model, loaded in this process: a greedy JSON answer is the same token for token
with the grammar asked last as with llama-cpp-python's grammar-first chain, the grammar is
asked once per token, and a token the grammar refuses is sampled again under it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.cpu_tier

_PROMPT = (
    "<|im_start|>user\nDescribe a dark blue night scene with one large face in the centre, as "
    "one JSON object with keys summary and mood.<|im_end|>\n<|im_start|>assistant\n"
)


@pytest.fixture(scope="module")
def model() -> Iterator[Any]:
    llama_cpp = pytest.importorskip("llama_cpp")
    from core.settings import Settings

    path = Settings().model_path
    if not path.is_file():
        pytest.skip(f"CPU-tier model absent: {path}")
    llm = llama_cpp.Llama(
        model_path=str(path), n_ctx=512, n_threads=2, n_threads_batch=2, verbose=False
    )
    yield llm
    llm.close()


def _answer(llm: Any, grammar: Any, temperature: float, tokens: int) -> str:
    out = llm.create_completion(
        _PROMPT, max_tokens=tokens, temperature=temperature, grammar=grammar, seed=7
    )
    return str(out["choices"][0]["text"])


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Installs the grammar-last sampling for the test; lists each selection's ``constrained``."""
    from llama_cpp import llama as module

    from inference import _llama_server

    monkeypatch.setattr(module.Llama, "_init_sampler", module.Llama._init_sampler)  # restored
    assert _llama_server.install()
    seen: list[bool] = []
    select = _llama_server.GrammarLast._select

    def recording(self: Any, ctx: Any, idx: int, constrained: bool) -> int:
        seen.append(constrained)
        return select(self, ctx, idx, constrained)

    monkeypatch.setattr(_llama_server.GrammarLast, "_select", recording)
    return seen


def test_a_greedy_json_answer_is_the_same_with_the_grammar_asked_last(model: Any) -> None:
    from llama_cpp.llama_grammar import LlamaGrammar

    schema = {
        "type": "object",
        "properties": {
            "summary": {"type": "string", "maxLength": 80},
            "mood": {"type": "string", "maxLength": 24},
        },
        "required": ["summary", "mood"],
    }
    grammar = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
    first = _answer(model, grammar, 0.0, 48)

    with pytest.MonkeyPatch.context() as patch:
        from llama_cpp import llama as module

        from inference import _llama_server

        patch.setattr(module.Llama, "_init_sampler", module.Llama._init_sampler)
        assert _llama_server.install()
        calls: list[int] = []
        allowed = _llama_server.GrammarLast._allowed

        def counted(self: Any, token: int) -> bool:
            calls.append(token)
            return allowed(self, token)

        patch.setattr(_llama_server.GrammarLast, "_allowed", counted)
        last = _answer(model, grammar, 0.0, 48)

    assert last == first
    assert last.startswith("{")
    # Asked about the chosen token each step (the end token included), not the vocabulary.
    assert len(calls) >= len(model.tokenize(last.encode(), add_bos=False, special=False))


def test_a_token_the_grammar_refuses_is_sampled_again_under_it(
    model: Any, asked: list[bool]
) -> None:
    from llama_cpp.llama_grammar import LlamaGrammar

    # The model's own first token is "{" or a word: never "yes" or "no" ("Yes" is capital).
    grammar = LlamaGrammar.from_string('root ::= "yes" | "no"', verbose=False)

    answer = _answer(model, grammar, 0.2, 8)

    assert answer in ("yes", "no")
    assert asked[0] is False and True in asked  # free first, then again under the grammar


def test_without_a_grammar_the_chain_is_llama_cpp_pythons_own(
    model: Any, asked: list[bool]
) -> None:
    answer = _answer(model, None, 0.0, 8)

    assert answer
    assert asked == []  # no grammar: nothing of ours runs
