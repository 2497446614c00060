"""A weak, general factual signal: a sentence about a fact that names a different detail.

The claim ledger (:mod:`~drifttui.drift.factual`) reads claims in the forms it knows and is
precise, but every new writer brings forms it does not know. This signal knows no forms: it
finds the persona fact (or backstory sentence) a reply sentence is *about* — the nearest by
meaning, with the user's question as context — and compares the typed details both name:
numbers, names, occupations, coat colours, species. "She'll be fourteen come March", asked
about a dog the facts call "a nine-year-old collie", is about that fact and says 14 where it
says 9. A sentence that names the fact's own detail ("Bamse is twelve now") matches it.

It is weak evidence (a simile, a second dog, a nickname all look like mismatches), so the
scorer uses it only to rank turns the ledger found nothing in, below the firing threshold
(:data:`WEIGHT`): it orders the side panel's quiet numbers and the AUROC, it never raises an alarm.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from drifttui.drift.lexicon import OCCUPATIONS, SPECIES
from drifttui.drift.text import expand_contractions, fold_quotes, sentences, words_to_digits

WEIGHT = 0.45
"""The factual score a full-similarity mismatch gives: below 0.5, so the signal ranks but never fires."""
TOP_FACTS = 3
"""How many of the nearest facts each sentence is compared with."""
KINDS = ("number", "name", "occupation", "colour", "species")

_COLOURS = frozenset("black white ginger orange grey gray brown golden yellow tabby cream red blue silver chocolate tan".split())
_NOT_NAMES = frozenset("I I'm The A An And But So Oh Ah Yes No Yeah Well Ha Haha Ja Aye Sure Mm Hm Ok Okay Lol God Lord".split())
_SINGLE_OCCUPATIONS = frozenset(o for o in OCCUPATIONS if " " not in o)


def details(text: str) -> dict[str, frozenset]:
    """The typed details ``text`` names: numbers (2–119), capitalised names, occupations, colours, species."""
    e = words_to_digits(expand_contractions(fold_quotes(text)))
    numbers = frozenset(int(x) for x in re.findall(r"(?<![\d:£$€.])\b(\d{1,3})\b(?![\d:%])", e) if 1 < int(x) < 120)
    tokens = re.findall(r"[\w'’-]+", e)
    names = frozenset(re.sub(r"['’]s?$", "", t.lower()) for i, t in enumerate(tokens) if i > 0 and t[:1].isupper() and not t.isupper() and t not in _NOT_NAMES)
    low = {t.lower() for t in tokens}
    return {
        "number": numbers,
        "name": names,
        "occupation": frozenset(_SINGLE_OCCUPATIONS & low),
        "colour": frozenset(_COLOURS & low),
        "species": frozenset(SPECIES[w] for w in low if w in SPECIES),
    }


@dataclass(frozen=True)
class Mismatch:
    """A reply sentence about a fact that names another detail of the same kind."""

    sentence: str
    fact: str
    similarity: float
    kind: str
    said: tuple
    expected: tuple

    def message(self) -> str:
        """One readable line for the evidence list."""
        said = ", ".join(map(str, self.said))
        expected = ", ".join(map(str, self.expected))
        return f'factual (weak): "{_short(self.sentence)}" is about "{_short(self.fact, 60)}" but says {said} where it says {expected} (similarity {self.similarity:.2f})'


class FactIndex:
    """The persona's facts and backstory sentences, embedded once, to find what a reply sentence is about.

    Args:
        facts: ``Persona.facts`` (``key → value``; each becomes "key: value").
        backstory: The persona's backstory (one entry per sentence).
        encode: The sentence embedder's ``encode(texts) → unit vectors``.
    """

    def __init__(self, facts: Mapping[str, str], backstory: str, encode: Callable[[Sequence[str]], np.ndarray]) -> None:
        self.texts = [f"{k}: {v}" for k, v in facts.items() if str(v).strip()] + sentences(backstory or "")
        self.encode = encode
        self.vectors = encode(self.texts) if self.texts else np.zeros((0, 1))
        self.details = [details(t) for t in self.texts]

    def mismatches(self, reply: str, question: str | None = None) -> list[Mismatch]:
        """Every sentence of ``reply`` (three words or more) that names another detail than the fact it is nearest to."""
        sents = [s for s in sentences(fold_quotes(reply)) if len(s.split()) >= 3]
        if not sents or not self.texts:
            return []
        context = (question or "")[-150:]
        vectors = self.encode([f"{context} {s}".strip() for s in sents])
        out: list[Mismatch] = []
        for sentence, vector in zip(sents, vectors):
            said = details(sentence)
            sims = self.vectors @ vector
            for k in np.argsort(-sims)[:TOP_FACTS]:
                expected = self.details[k]
                for kind in KINDS:
                    if said[kind] and expected[kind] and not said[kind] & expected[kind]:
                        out.append(Mismatch(sentence, self.texts[k], float(sims[k]), kind, tuple(sorted(said[kind])), tuple(sorted(expected[kind]))))
                        break
        return sorted(out, key=lambda m: -m.similarity)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
