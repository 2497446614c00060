"""A GGUF model's tokenizer and chat template, through llama.cpp in vocab-only mode.

The ct2 engine must tokenise exactly like the llama engine; the surest way is
to use the same code: llama.cpp loads only the vocabulary (no weights, a few
MB and a few milliseconds) and its tokenizer and detokenizer are called the
same way :class:`~drifttui.engine._llama.LlamaEngine` calls them.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from pathlib import Path

from drifttui.engine._template import ChatTemplate
from drifttui.errors import ModelError


class GGUFVocab:
    """Tokenizer, special tokens, metadata and chat template of a GGUF file.

    Args:
        path: The GGUF model file.
    """

    def __init__(self, path: str | Path) -> None:
        from drifttui.engine._llama import _LOG, _last_error, _load_library, check_gguf_file

        self.path = Path(path)
        check_gguf_file(self.path)
        self._ll = ll = _load_library()
        params = ll.llama_model_default_params()
        params.vocab_only = True
        _LOG.clear()
        self._model = ll.llama_model_load_from_file(str(self.path).encode(), params)
        if not self._model:
            raise ModelError(f"llama.cpp could not read this model's vocabulary: {_last_error()}", path=self.path)
        self._vocab = ll.llama_model_get_vocab(self._model)
        self.n_vocab = int(ll.llama_vocab_n_tokens(self._vocab))
        self.n_ctx_train = int(ll.llama_model_n_ctx_train(self._model))
        self.bos = int(ll.llama_vocab_bos(self._vocab))
        self.eos = int(ll.llama_vocab_eos(self._vocab))
        self.add_bos = bool(ll.llama_vocab_get_add_bos(self._vocab))
        self.eog_ids = [t for t in range(self.n_vocab) if ll.llama_vocab_is_eog(self._vocab, t)]
        self._eog = frozenset(self.eog_ids)
        source = ll.llama_model_chat_template(self._model, None)
        self.template = ChatTemplate(
            source.decode("utf-8", "replace") if source else None,
            bos_token=self.piece(self.bos, special=True).decode("utf-8", "replace") if self.bos >= 0 else "",
            eos_token=self.piece(self.eos, special=True).decode("utf-8", "replace"),
        )

    def meta(self, key: str) -> str | None:
        """A GGUF metadata value as text (None if absent)."""
        buf = ctypes.create_string_buffer(512)
        n = self._ll.llama_model_meta_val_str(self._model, key.encode(), buf, len(buf))
        return buf.value.decode("utf-8", "replace") if n >= 0 else None

    def piece(self, token: int, special: bool = False) -> bytes:
        """The bytes of one token (special tokens rendered only with ``special``)."""
        from drifttui.engine._llama import token_piece

        return token_piece(self._ll, self._vocab, token, special)

    def tokenize(self, text: str | bytes, *, add_bos: bool = False, special: bool = True) -> list[int]:
        """Token ids of ``text``, exactly as the llama engine tokenises it."""
        from drifttui.engine._llama import tokenize_text

        return tokenize_text(self._ll, self._vocab, text, add_bos=add_bos, special=special)

    def detokenize(self, tokens: Sequence[int]) -> str:
        return b"".join(self.piece(t) for t in tokens).decode("utf-8", "replace")

    def is_eog(self, token: int) -> bool:
        """End-of-generation token (EOS, EOT, …)."""
        return token in self._eog

    def bos_needed(self, text: str) -> bool:
        return self.add_bos and not (self.template.bos_token and text.startswith(self.template.bos_token))

    def prompt_tokens(self, text: str) -> list[int]:
        """Token ids of a rendered prompt (BOS added when the model wants it and the text lacks it)."""
        return self.tokenize(text, add_bos=self.bos_needed(text), special=True)

    def close(self) -> None:
        if getattr(self, "_model", None):
            self._ll.llama_model_free(self._model)
            self._model = None
