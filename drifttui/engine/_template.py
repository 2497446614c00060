"""Chat templates: the model's own (Jinja2, from the GGUF) or a ChatML fallback."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from drifttui.engine._types import Message

CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
CHATML_STOPS = ("<|im_end|>", "<|im_start|>")


def _raise(message: str) -> None:
    raise jinja2.TemplateError(message)


class ChatTemplate:
    """Renders messages to the prompt text the model was trained on.

    Args:
        source: Jinja2 template text (``tokenizer.chat_template`` in a GGUF), or
            ``None`` for the ChatML fallback.
        bos_token: Text of the model's BOS token, passed to the template.
        eos_token: Text of the model's EOS token, passed to the template.
    """

    def __init__(self, source: str | None, *, bos_token: str = "", eos_token: str = "") -> None:
        self.is_fallback = not source
        self.name = "chatml (fallback: the model has no chat template)" if self.is_fallback else "gguf"
        self.source = source or CHATML
        self.bos_token = bos_token
        self.eos_token = eos_token
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, loader=jinja2.BaseLoader())
        env.globals["raise_exception"] = _raise
        env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
        self._template = env.from_string(self.source)
        self.stops: tuple[str, ...] = CHATML_STOPS if self.is_fallback else ()

    def render(self, messages: Sequence[Message], *, add_generation_prompt: bool = True) -> str:
        """The prompt text for ``messages``, ending where the assistant's reply starts."""
        return self._template.render(
            messages=[m.to_dict() for m in messages],
            add_generation_prompt=add_generation_prompt,
            bos_token=self.bos_token,
            eos_token=self.eos_token,
        )
