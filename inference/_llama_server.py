"""The CPU tier's server: llama-cpp-python's own, sampling as llama.cpp's own server does.

Run as ``python -m inference._llama_server ARGS`` (``inference.cpu_tier`` starts it; the
arguments are ``llama_cpp.server``'s). One change: how a grammar constrains sampling.

llama-cpp-python puts the grammar first in its sampler chain, so every token checks the whole
vocabulary (152k entries for Qwen2.5) against the grammar before top-k. Measured on this tier
(2 cores, Qwen2.5-Coder-1.5B): ~35-40 ms a token on top of the model's ~80 ms, 40% of a JSON
answer's time. llama.cpp's own server (``common_sampler_sample``) samples without the grammar
first, asks the grammar about that one token, and only when it is refused samples again with
the grammar over every candidate: the same tokens under greedy decoding, and the same rule
upstream applies to stochastic sampling. :func:`install` makes llama-cpp-python sample so.

Should a llama-cpp-python release lack the internals this uses, :func:`install` leaves it as it
is and says so on stderr (the tier's log): slower, never wrong.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

__all__ = ["GrammarLast", "install", "main"]


class GrammarLast:
    """A sampler chain whose grammar is asked about the chosen token, not every candidate.

    It stands in for llama-cpp-python's ``LlamaSampler`` where ``Llama`` uses it: ``sample``.
    """

    def __init__(self, chain: Any, model: Any, grammar: Any, n_vocab: int) -> None:
        import llama_cpp
        import numpy as np

        self._lib = llama_cpp
        self._chain = chain  # a LlamaSampler without the grammar (it frees its own)
        self._grammar = llama_cpp.llama_sampler_init_grammar(
            model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
        )
        if not self._grammar:
            raise ValueError("llama.cpp refused the grammar")
        self._n_vocab = n_vocab
        # One buffer of llama_token_data {id, logit, p}, refilled from the logits per token.
        self._data = (llama_cpp.llama_token_data * n_vocab)()
        self._view = np.ctypeslib.as_array(self._data).view(
            np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])
        )
        self._ids = np.arange(n_vocab, dtype=np.int32)
        self._one = (llama_cpp.llama_token_data * 1)()

    def __del__(self) -> None:
        if getattr(self, "_grammar", None):
            self._lib.llama_sampler_free(self._grammar)
            self._grammar = None

    def _candidates(self, ctx: Any, idx: int) -> Any:
        import numpy as np

        logits = self._lib.llama_get_logits_ith(ctx, idx)
        self._view["id"] = self._ids
        self._view["logit"] = np.ctypeslib.as_array(logits, shape=(self._n_vocab,))
        self._view["p"] = 0.0
        return self._lib.llama_token_data_array(
            data=ctypes.cast(self._data, self._lib.llama_token_data_p),
            size=self._n_vocab,
            selected=-1,
            sorted=False,
        )

    def _allowed(self, token: int) -> bool:
        self._one[0] = self._lib.llama_token_data(token, 1.0, 0.0)
        single = self._lib.llama_token_data_array(
            data=ctypes.cast(self._one, self._lib.llama_token_data_p),
            size=1,
            selected=-1,
            sorted=False,
        )
        self._lib.llama_sampler_apply(self._grammar, ctypes.byref(single))
        return bool(self._one[0].logit != float("-inf"))

    def _select(self, ctx: Any, idx: int, constrained: bool) -> int:
        candidates = self._candidates(ctx, idx)
        if constrained:
            self._lib.llama_sampler_apply(self._grammar, ctypes.byref(candidates))
        self._lib.llama_sampler_apply(self._chain.sampler, ctypes.byref(candidates))
        return int(candidates.data[candidates.selected].id)

    def sample(self, ctx: Any, idx: int) -> int:
        """The next token at ``idx`` of ``ctx`` (a ``LlamaContext``), accepted by both."""
        token = self._select(ctx.ctx, idx, constrained=False)
        if not self._allowed(token):
            token = self._select(ctx.ctx, idx, constrained=True)
        self._lib.llama_sampler_accept(self._grammar, token)
        self._lib.llama_sampler_accept(self._chain.sampler, token)
        return token


def install() -> bool:
    """Make ``llama_cpp.Llama`` check a grammar after sampling. False if it cannot."""
    try:
        import llama_cpp
        from llama_cpp import llama as module

        needed = ("llama_sampler_apply", "llama_sampler_accept", "llama_get_logits_ith")
        original = module.Llama._init_sampler
        if not all(hasattr(llama_cpp, name) for name in needed):
            raise AttributeError(", ".join(needed))
    except (ImportError, AttributeError) as exc:
        print(f"grammar sampling left as llama-cpp-python has it ({exc})", file=sys.stderr)
        return False

    def _init_sampler(self: Any, *args: Any, **kwargs: Any) -> Any:
        grammar = kwargs.pop("grammar", None)  # both of Llama's calls pass it by name
        chain = original(self, *args, **kwargs)
        if grammar is None:
            return chain
        return GrammarLast(chain, self._model, grammar, self._n_vocab)

    setattr(module.Llama, "_init_sampler", _init_sampler)  # noqa: B010 - a method replaced
    return True


def main() -> None:
    """Serve as ``python -m llama_cpp.server`` does, with :func:`install` first."""
    from llama_cpp.server.__main__ import main as serve

    install()
    serve()  # type: ignore[no-untyped-call]  # llama-cpp-python's entry point is untyped


if __name__ == "__main__":
    main()
