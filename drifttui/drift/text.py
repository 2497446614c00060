"""Text helpers shared by the drift scores: normalising, splitting, negation.

Everything here is rule-based and needs no downloaded data: nltk's regex
tokenizers and :func:`nltk.sentiment.util.mark_negation` (punkt is not used).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nltk.sentiment.util import mark_negation
from nltk.tokenize import TreebankWordTokenizer

_TREEBANK = TreebankWordTokenizer()

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_NUMBER_WORD = "|".join(sorted([*UNITS, *TENS, "hundred"], key=len, reverse=True))
_NUMBER_RUN = re.compile(
    rf"\b(?:(?:a|one)\s+hundred(?:\s+and)?[\s-]+)?(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}))*\b",
    re.IGNORECASE,
)

_ARCHAIC = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine)[\s-](?:and|an['’]?|['’]n['’]?)[\s-](twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b", re.I)
""""seven-and-forty" (47), "two-an'-twenty" (22): the old way of saying a number."""

_SCORE = re.compile(r"\b(two|three|four)[\s-]?score(?:[\s-]+(years?[\s-]+)?(?:and|an['’]?|['’]n['’]?)[\s-]+(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b)?", re.I)
""""threescore and ten" (70), "fourscore" (80): counting in twenties."""

CONTRACTIONS: tuple[tuple[str, str], ...] = (
    (r"\bcan't\b", "can not"),
    (r"\bcannot\b", "can not"),
    (r"\bwon't\b", "will not"),
    (r"\bshan't\b", "shall not"),
    (r"\bain't\b", "am not"),
    (r"\b(\w+)n't\b", r"\1 not"),
    (r"\bI'm\b", "I am"),
    (r"\bim\b", "I am"),
    (r"\b(\w+)'re\b", r"\1 are"),
    (r"\b(\w+)'ve\b", r"\1 have"),
    (r"\bI'd\b", "I would"),
    (r"\b(\w+)'ll\b", r"\1 will"),
    (r"\b(she|he|it|that|what|there|who|where|here)'s\b", r"\1 is"),
    (r"\bi\b", "I"),
)
_CONTRACTION_RES = [(re.compile(p, re.IGNORECASE), r) for p, r in CONTRACTIONS]
ARTICLES = frozenset({"a", "an", "the"})
NEGATORS = frozenset({"not", "no", "never", "n't", "without", "nor", "neither", "nothing", "none", "nobody"})


def fold_quotes(text: str) -> str:
    """Curly quotes and apostrophes → ASCII; NFKC (so "ｆｕｌｌ" and ligatures compare equal)."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def expand_contractions(text: str) -> str:
    """``I'm`` → ``I am``, ``don't`` → ``do not``, lowercase ``i`` → ``I`` (for pattern matching)."""
    text = fold_quotes(text)
    for pattern, repl in _CONTRACTION_RES:
        text = pattern.sub(repl, text)
    return text


def _parse_number_words(words: list[str]) -> int | None:
    total, current = 0, 0
    seen = False
    for w in words:
        w = w.lower()
        if w == "and":
            continue
        if w in UNITS:
            current += UNITS[w]
            seen = True
        elif w in TENS:
            current += TENS[w]
            seen = True
        elif w == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif w in ("a",):
            current += 1
        else:
            return None
    return total + current if seen else None


def words_to_digits(text: str) -> str:
    """Spell-out numbers become digits: ``twenty-eight`` → ``28``, ``a hundred and two`` → ``102``."""

    def repl(m: re.Match[str]) -> str:
        words = re.split(r"[\s-]+", m.group(0))
        # "twenty eight" is 28, but "two three" is not a number: only tens+unit or hundreds combine
        value = _parse_number_words(words)
        if value is None:
            return m.group(0)
        if len(words) > 1 and not any(w.lower() in TENS or w.lower() == "hundred" for w in words):
            return m.group(0)
        return str(value)

    text = _ARCHAIC.sub(lambda m: str(TENS[m.group(2).lower()] + UNITS[m.group(1).lower()]), text)
    text = _SCORE.sub(lambda m: str(20 * UNITS[m.group(1).lower()] + (UNITS[m.group(3).lower()] if m.group(3) else 0)), text)
    return _NUMBER_RUN.sub(repl, text)


def parse_int(text: str) -> int | None:
    """The integer a token means: ``34``, ``thirty-four``, ``thirty four``; else None."""
    text = text.strip().lower()
    if re.fullmatch(r"\d{1,4}", text):
        return int(text)
    converted = words_to_digits(text)
    return int(converted) if re.fullmatch(r"\d{1,4}", converted) else None


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Casefold, numbers as digits, no articles or punctuation: the form claims are compared in."""
    text = words_to_digits(fold_quotes(text)).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    words = [w for w in text.split() if w not in ARTICLES]
    return " ".join(words)


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n+|(?<=[.!?])(?=[A-Z])")


def writes_lowercase(text: str) -> bool:
    """Does the writer never capitalise a word? ("lmao my family's all back in bismarck": places and names come lowercase.)

    Shouted or abbreviated words in capitals ("LMAO", "SO") and the pronoun "I" do not count as capitalising.
    """
    return not any(w[0].isupper() and not (w.isupper() and len(w) > 1) and w not in ("I", "I'm", "I’m", "I'd", "I'll", "I've") for w in re.findall(r"[^\W\d_][\w'’]*", text))


def sentences(text: str) -> list[str]:
    """Split a reply into sentences with a regex (no punkt); blank pieces dropped."""
    parts = _SENTENCE_END.split(text.strip())
    return [p.strip() for p in parts if p and p.strip()]


_CLAUSE_SPLIT = re.compile(r"\s*(?:[,;:()]|\s[—–-]\s|—|\bbut\b|\bthough\b|\balthough\b|\bwhereas\b|\byet\b)\s*", re.IGNORECASE)


def clauses(sentence: str) -> list[str]:
    """Split a sentence into clauses at commas, semicolons, dashes and contrastive conjunctions."""
    return [c for c in _CLAUSE_SPLIT.split(sentence) if c and c.strip()]


def tokenize(text: str) -> list[str]:
    """Word tokens (nltk Treebank rules: ``don't`` → ``do``, ``n't``)."""
    return _TREEBANK.tokenize(fold_quotes(text))


def negation_marks(tokens: list[str]) -> list[bool]:
    """For each token, whether it lies in the scope of a negation (nltk ``mark_negation``)."""
    marked = mark_negation(list(tokens))
    return [m.endswith("_NEG") for m in marked]


CLAUSE_BREAKS = frozenset({",", ";", ":", ".", "!", "?", "--", "-", "\u2014", "\u2013", "..."})
"""Punctuation tokens that end a clause (and so the reach of a bare negator before them)."""


_ANSWERING_NOT = re.compile(r"(?:^|(?<=[.!?,;:]))\s*(?:(?:no|nah|nope)\s*,?\s*)?not\s+(?:any ?more|really|now|lately|these days|yet|at the moment|always|every day|much)\s*[,.;!—–-]", re.I)


def is_negated(clause_prefix: str) -> bool:
    """True if the last word of ``clause_prefix`` is inside a negation's scope.

    ``clause_prefix`` is the clause up to and including the word the claim
    hangs on (``"I do not have a cat"`` → the ``cat`` is negated). Scope ends at
    clause punctuation, as nltk marks it; plain ``no`` before a noun counts too.
    """
    # "Not anymore, he's on shift at the farm": a short answering negation before a comma negates the question, not what follows
    clause_prefix = _ANSWERING_NOT.sub(" ", clause_prefix)
    tokens = tokenize(clause_prefix)
    # "No, I was born in Duluth": an answering "no" (followed by punctuation) negates the question, not the clause
    tokens = [t for i, t in enumerate(tokens) if not (t.lower() in ("no", "nah", "nope") and i + 1 < len(tokens) and tokens[i + 1] in CLAUSE_BREAKS)]
    if not tokens:
        return False
    if negation_marks(tokens)[-1]:
        return True
    start = max((i + 1 for i, t in enumerate(tokens[:-1]) if t in CLAUSE_BREAKS), default=0)
    return any(t.lower() in NEGATORS for t in tokens[start:-1])  # "Not a cat, a dog": the dog is not denied



def content_words(text: str) -> list[str]:
    """Normalised words minus function words (for overlap tests)."""
    return [w for w in normalize(text).split() if w not in STOPWORDS]


STOPWORDS = frozenset(
    """i me my myself we our ours you your he him his she her it its they them their this that these those
    am is are was were be been being have has had do does did will would shall should can could may might must
    and or but if then so than too very just also only really quite rather some any all each every both either
    of in on at to from by with for about into over under after before between through during without again
    further once here there when where why how what which who whom whose not no nor own same such few more most
    other up down out off s t don now one lot bit much many get got go going like""".split()
)
