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
How much a mismatch counts is a small logistic model (:data:`LOGIT`): numbers and names count most,
a detail that *matches* its fact counts against, and a long reply's mismatches count less.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from drifttui.drift.lexicon import OCCUPATIONS, SPECIES
from drifttui.drift.text import expand_contractions, fold_quotes, sentences, words_to_digits

WEIGHT = 0.45
"""The most the weak signal gives: below 0.5, so it ranks but never fires."""
EVIDENCE_FLOOR = 0.1
"""Below this the weak score still ranks the turn but prints no evidence line: a third of the in-character
labelled turns with a mismatch sit there (a capitalised word near an unrelated fact, similarity ~0.05), and
3 % of the factual ones."""
FEATURES = (*(f"mm_{k}" for k in ("number", "name", "occupation", "colour", "species")), *(f"ok_{k}" for k in ("number", "name", "occupation", "colour", "species")), "sentences")
"""Inputs of :data:`LOGIT`: per kind of detail, the similarity of the nearest fact a sentence *mismatches*
(``mm_``) and *matches* (``ok_``); and log(1 + sentences compared), since a long reply mismatches by chance more often."""
LOGIT: tuple[float, tuple[float, ...]] = (3.15, (3.93, 1.67, 1.93, -1.26, 2.58, -1.49, -1.13, -0.07, -3.16, -1.37, -2.75))
"""Bias and weights over :data:`FEATURES`: class-balanced logistic regression on the labelled splits' turns the
ledger found nothing in but that have a mismatch, factual against in-character (13 splits, 2026-12-07, L2 300 chosen
by leave-one-split-out AUROC): ``eval_scorer.py --split all --no-model --save r.json``, then ``--load r.json --split all --fit-weak``."""
TOP_FACTS = 3
"""How many of the nearest facts each sentence is compared with."""
KINDS = ("number", "name", "occupation", "colour", "species")

_COLOURS = frozenset("black white ginger orange grey gray brown golden yellow tabby cream red blue silver chocolate tan".split())
_NOT_NAMES = frozenset("I I'm The A An And But So Oh Ah Yes No Yeah Well Ha Haha Ja Aye Sure Mm Hm Ok Okay Lol God Lord".split())
_SINGLE_OCCUPATIONS = frozenset(o for o in OCCUPATIONS if " " not in o)
CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday "
    "christmas xmas easter hogmanay hanukkah diwali eid ramadan passover lent advent whitsun michaelmas "
    "candlemas halloween thanksgiving midsummer yule".split()
)
"""Capitalised words that name a time, not a person, pet or place: "since Easter" says nothing against "Michael";
they are compared only with each other ("born in March" against "April")."""


def details(text: str) -> dict[str, frozenset]:
    """The typed details ``text`` names: numbers (2–119), capitalised names, occupations, colours, species."""
    e = words_to_digits(expand_contractions(fold_quotes(text)))
    numbers = frozenset(int(x) for x in re.findall(r"(?<![\d:£$€.])\b(\d{1,3})\b(?![\d:%])", e) if 1 < int(x) < 120)
    tokens = re.findall(r"[\w'’-]+", e)
    # a capitalised word inside the sentence, not after a bracket or a stop ("(laughs) Sorry", "Oh! Well")
    names = frozenset(
        re.sub(r"['’]s?$", "", m.group(0).lower())
        for m in re.finditer(r"[\w'’-]+", e)
        if m.start() > 0 and m.group(0)[:1].isupper() and not m.group(0).isupper() and m.group(0) not in _NOT_NAMES
        and not re.search(r"[.!?)(\]\[\"“”:;—–…]\s*$|^\s*$", e[: m.start()])
    )  # fmt: skip
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
        self.own_name = frozenset(n.lower() for n in re.findall(r"[\w'’-]+", str(facts.get("name", ""))))
        """The persona's own name: saying it ("I am Mara Silva") mismatches no fact about someone else."""

    def read(self, reply: str, question: str | None = None) -> tuple[dict[str, float], list[Mismatch]]:
        """:data:`FEATURES` of ``reply``, and its mismatches, most similar first.

        Each sentence (three words or more) is compared with its :data:`TOP_FACTS` nearest facts,
        kind by kind: a detail of a kind both name either matches or mismatches.
        """
        sents = [s for s in sentences(fold_quotes(reply)) if len(s.split()) >= 3]
        features = dict.fromkeys(FEATURES, 0.0)
        features["sentences"] = float(np.log1p(len(sents)))
        if not sents or not self.texts:
            return features, []
        context = (question or "")[-150:]
        vectors = self.encode([f"{context} {s}".strip() for s in sents])
        out: list[Mismatch] = []
        for sentence, vector in zip(sents, vectors):
            said = details(sentence)
            said["name"] = said["name"] - self.own_name
            sims = self.vectors @ vector
            for k in np.argsort(-sims)[:TOP_FACTS]:
                expected, sim = self.details[k], float(sims[k])
                for kind in KINDS:
                    for ours, theirs in _comparable(kind, said[kind], expected[kind]):
                        key = ("ok_" if ours & theirs else "mm_") + kind
                        features[key] = max(features[key], sim)
                        if key.startswith("mm_"):
                            out.append(Mismatch(sentence, self.texts[k], sim, kind, tuple(sorted(ours)), tuple(sorted(theirs))))
        return features, sorted(out, key=lambda m: -m.similarity)

    def mismatches(self, reply: str, question: str | None = None) -> list[Mismatch]:
        """The sentences of ``reply`` that name another detail than a fact they are near to, most similar first."""
        return self.read(reply, question)[1]


def _comparable(kind: str, said: frozenset, expected: frozenset) -> list[tuple[frozenset, frozenset]]:
    """The pairs of detail sets to compare: names of times only with names of times, other names with other names."""
    if kind != "name":
        return [(said, expected)] if said and expected else []
    pairs = []
    for group in (lambda n: n in CALENDAR, lambda n: n not in CALENDAR):
        ours, theirs = frozenset(filter(group, said)), frozenset(filter(group, expected))
        if ours and theirs:
            pairs.append((ours, theirs))
    return pairs


def weak_score(features: Mapping[str, float]) -> float:
    """The weak factual score of a reply's :data:`FEATURES`: 0 without a mismatch, else up to :data:`WEIGHT`."""
    if not any(features.get(f, 0.0) > 0 for f in FEATURES if f.startswith("mm_")):
        return 0.0
    bias, weights = LOGIT
    z = bias + sum(w * features.get(f, 0.0) for f, w in zip(FEATURES, weights))
    return WEIGHT / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
