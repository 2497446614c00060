"""Breeds of the animals people keep: "a border collie" is a dog, and not a blue heeler.

Each breed name maps to ``(species, breed, family)``. Two breeds are the same
animal when their canonical names match, or when one is only a family word
("a terrier", "a retriever") and the other belongs to that family. Coat colours
and patterns (tabby, ginger, tortoiseshell, brindle) are not breeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Breed:
    species: str
    name: str
    family: str


def _rows(species: str, table: str) -> dict[str, Breed]:
    out: dict[str, Breed] = {}
    for line in table.strip().splitlines():
        family, _, names = line.partition(":")
        spellings = [n.strip() for n in names.split(",") if n.strip()]
        canonical = spellings[0]
        for name in spellings:
            out[name] = Breed(species, canonical, family.strip())
    return out


FAMILIES = {"coonhound", "cur", "retriever", "collie", "terrier", "spaniel", "hound", "shepherd", "sighthound", "bulldog", "doodle",
            "cattle dog", "lop", "pony", "setter", "pointer", "sheepdog", "mastiff"}  # fmt: skip
"""Family words: "a terrier" is any terrier."""

BREEDS: dict[str, Breed] = {
    **_rows("dog", """
retriever: labrador, labrador retriever, lab, black lab, yellow lab, chocolate lab
retriever: golden retriever, golden
retriever: flat-coated retriever, flatcoat
retriever: retriever
collie: border collie
collie: rough collie
collie: bearded collie
collie: collie
sheepdog: old english sheepdog
sheepdog: shetland sheepdog, sheltie
sheepdog: sheepdog
cattle dog: australian cattle dog, blue heeler, red heeler, heeler, queensland heeler, cattle dog
kelpie: kelpie, australian kelpie
shepherd: german shepherd, alsatian
shepherd: australian shepherd, aussie shepherd
shepherd: shepherd dog, shepherd
hound: beagle
hound: basset hound, basset
hound: bloodhound
hound: foxhound
hound: dachshund, sausage dog, doxie, wiener dog
hound: hound
coonhound: bluetick, bluetick hound, bluetick coonhound
coonhound: redbone, redbone coonhound
coonhound: treeing walker, black and tan coonhound, coonhound
cur: yellow cur, black mouth cur, mountain cur, cur
sighthound: greyhound
sighthound: whippet
sighthound: lurcher
sighthound: saluki
sighthound: afghan hound
doodle: labradoodle
doodle: cockapoo
doodle: goldendoodle
poodle: poodle, toy poodle, standard poodle
bulldog: french bulldog, frenchie
bulldog: english bulldog, british bulldog
bulldog: bulldog
pug: pug
boxer: boxer
rottweiler: rottweiler, rottie
dobermann: dobermann, doberman, doberman pinscher
husky: husky, siberian husky
husky: alaskan malamute, malamute
corgi: corgi, welsh corgi
chihuahua: chihuahua
terrier: yorkshire terrier, yorkie
terrier: jack russell, jack russell terrier
terrier: staffordshire bull terrier, staffie, staffy, staff
terrier: bull terrier
terrier: west highland terrier, westie, west highland white terrier
terrier: scottish terrier, scottie, scottie dog
terrier: border terrier
terrier: airedale, airedale terrier
terrier: cairn terrier
terrier: pit bull, pitbull, pit bull terrier
terrier: terrier
spaniel: springer spaniel, springer
spaniel: cocker spaniel, cocker
spaniel: cavalier king charles spaniel, cavalier, king charles spaniel
spaniel: spaniel
setter: irish setter, red setter
setter: english setter
setter: setter
pointer: pointer, german shorthaired pointer
shih tzu: shih tzu
maltese: maltese
pomeranian: pomeranian
schnauzer: schnauzer, miniature schnauzer
dalmatian: dalmatian
great dane: great dane
mastiff: mastiff, bullmastiff
st bernard: st bernard, saint bernard
bernese: bernese mountain dog, bernese
shiba: shiba inu, shiba
akita: akita
samoyed: samoyed
weimaraner: weimaraner
vizsla: vizsla
bichon: bichon frise, bichon
"""),
    **_rows("cat", """
siamese: siamese
persian: persian
maine coon: maine coon
ragdoll: ragdoll
bengal: bengal
sphynx: sphynx
british shorthair: british shorthair, british blue
russian blue: russian blue
abyssinian: abyssinian
burmese: burmese
scottish fold: scottish fold
norwegian forest cat: norwegian forest cat, wegie
"""),
    **_rows("rabbit", """
lop: holland lop
lop: mini lop
lop: french lop
lop: lop, lop-eared, lop eared, lop-ear
dwarf: netherland dwarf, dwarf rabbit
rex: rex, mini rex
lionhead: lionhead
angora: angora
flemish giant: flemish giant
"""),
    **_rows("horse", """
thoroughbred: thoroughbred
arabian: arabian, arab
pony: shetland pony, shetland
pony: welsh pony
pony: pony
clydesdale: clydesdale
shire: shire horse
quarter horse: quarter horse
appaloosa: appaloosa
"""),
    **_rows("bird", """
parrot: african grey
parrot: macaw
parrot: cockatoo
parrot: cockatiel
parrot: budgie, budgerigar, parakeet
parrot: lovebird
canary: canary
"""),
}  # fmt: skip
"""Breed spellings → :class:`Breed`."""

COMMON_WORDS = frozenset("lab golden staff arab arabian boxer pointer setter cavalier springer cocker shepherd rex shire bengal shetland".split())
"""Breed names that are also everyday words: they name a breed only in a sentence that also names the animal."""

ANIMAL_WORDS = re.compile(r"\b(?:dog|dogs|pup|puppy|pups|cat|kitten|kitty|horse|mare|pony|rabbit|bunny|bird|mutt|hound)\b", re.I)

_BREED_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(b) for b in BREEDS), key=len, reverse=True)) + r")(?:s|es)?\b", re.I)


@lru_cache(maxsize=2048)
def breeds_in(text: str) -> tuple[Breed, ...]:
    """Every breed named in ``text``, in reading order, longest names first ("border collie", not "collie").

    Everyday words ("lab", "golden", "boxer") count only when the text also names an animal.
    """
    animal = bool(ANIMAL_WORDS.search(text))
    return tuple(BREEDS[m.group(1).lower()] for m in _BREED_RE.finditer(text) if animal or m.group(1).lower() not in COMMON_WORDS)


def same_breed(a: Breed, b: Breed) -> bool:
    """Can ``a`` and ``b`` be the same animal? (equal, or one is the other's family word)."""
    if a.species != b.species:
        return False
    if a.name == b.name:
        return True
    if {a.name, b.name} & HERDING_WORDS and {a.family, b.family} <= HERDING_FAMILIES:
        return True  # a plain "sheepdog" is any working herding dog: a collie, a kelpie
    return (a.name in FAMILIES and a.name == b.family) or (b.name in FAMILIES and b.name == a.family)


HERDING_WORDS = frozenset({"sheepdog", "sheep dog", "herding dog", "working dog"})
HERDING_FAMILIES = frozenset({"sheepdog", "collie", "shepherd", "cattle dog", "kelpie"})
