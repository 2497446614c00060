"""The regular expressions the claim extractor matches replies against.

Patterns run on text whose contractions are expanded ("I'm" → "I am") and
whose number words are digits, so one pattern covers "I'm twenty-eight" and
"I am 28". Names of people and pets must be capitalised (``PNAME``) unless the
writer never capitalises anything.
"""

from __future__ import annotations

import re

from drifttui.drift.lexicon import KIN_CHILD, KIN_PARTNER, KIN_SIBLING, SPECIES

NUM = r"(\d{1,3})"
ADV = r"(?:(?:really|actually|still|also|just|now|currently|already|honestly|definitely|certainly|only|even|ever|never|not|no longer|do|did|does|have|had|truly|totally|absolutely|genuinely|kind of|sort of|always|usually|mostly|proper|properly|secretly|officially|basically|literally)\s+)*"
AGE_NEXT = (
    r"(?=\s*(?:years?\b(?!\s+(?:later|ago|on|back|since|in|after|before|married|together|here|there|now|an?|as|into|out|sober|clean|retired|widowed|divorced|single|older|younger|behind|ahead|from|past|away)\b)|yrs?\b|y/?o\b|this\b|next\b|now\b|already\b|yet\b|and\b|but\b|so\b|though\b|going\b|turning\b|"
    r"in\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|"
    r"[,.!?;:)…—–-]|$))"
)
TURNING = r"(?:\s+(?:this|next)\s+(?:year|spring|summer|autumn|fall|winter|month|week|birthday)|\s+in\s+(?:january|february|march|april|may|june|july|august|september|october|november|december))"
AGE_PATTERNS = (
    (re.compile(rf"\bI am {ADV}(?:about |around |nearly |almost |barely |only |just )?{NUM}{AGE_NEXT}(?P<turning>{TURNING})?", re.I), 0),
    (re.compile(rf"\bI (?:will be|am going to be|am turning|turn|will turn) {NUM}\b(?!\s*(?:%|percent|minutes?|hours?|days?|weeks?|times))", re.I), -1),
    (re.compile(rf"(?<!when )(?<!since )(?<!after )(?<!before )(?<!once )(?<!until )(?<!till )\bI (?:just |recently )?turned {NUM}\b(?!\s*(?:%|percent|minutes?|hours?|days?|weeks?|times))", re.I), 0),
    (re.compile(rf"\bmy age is {NUM}\b", re.I), 0),
    (re.compile(rf"\bI am {ADV}an? {NUM}[- ]years?[- ]old\b", re.I), 0),  # "I'm just a five-year-old"
    # "at 63 I still carry the pipe", "I'm a grown woman of 27"
    (re.compile(rf"(?:^|[,;—–]\s*|\b(?:and|but|yet|even|now|sir|sior|love|dear|mate)\W+)at {NUM},? I (?:am |can |do |will )?still\b", re.I), 0),
    (re.compile(rf"(?:^|[,;—–]\s*)at {NUM},? a (?:man|woman|body|fellow|fella|girl|lad|lass) (?:has to|must|should|needs to|can|starts? to|begins? to)\b", re.I), 0),
    (re.compile(rf"\bI am {ADV}an? (?:(?:grown|old|young|married|single|working|respectable|sensible)\s+)?(?:woman|man|lady|girl|boy|lad|lass|fellow|gentleman|widow|widower|bachelor|spinster|maid) of {NUM}\b(?!\s*(?:years? (?:experience|standing|service)|words))", re.I), 0),
)
AGE_BOUND_PATTERNS = (
    # "I'm past sixty now", "I'm well over 70", "on the wrong side of fifty": N or more
    (re.compile(rf"\bI am {ADV}(?:well |long |way |a bit |a little |just |slightly )?(?:past|over|north of|beyond|(?:on )?the (?:wrong|far|other) side of) {NUM}{AGE_NEXT}", re.I), 0, 19, "{n} or more"),
    # "I'm pushing seventy", "going on seventy", "getting on for sixty": nearly N
    (re.compile(rf"\bI am {ADV}(?:pushing|going on|getting on for|coming up (?:on|to)|knocking on|approaching|nearing) {NUM}{AGE_NEXT}", re.I), -3, 0, "nearly {n}"),
    # "I hit seventy last year" (not "when I hit 30")
    (re.compile(rf"(?<!when )(?<!since )(?<!after )(?<!before )(?<!once )(?<!until )(?<!till )\bI (?:just |finally |recently )?hit {NUM}(?=\s+(?:last|this|in|on|back|years?)\b|\s*[,.!?;:…—–]|\s*$)", re.I), 0, 1, "{n}"),
    # "not bad for a woman of seventy" (the speaker, unless the sentence is about someone else)
    (re.compile(rf"\bfor an? (?:(?:old|grown|young)\s+)?(?:woman|man|lady|girl|lad|lass|fellow|fella|gal|guy|bloke|chap|gentleman) of {NUM}\b(?!\s*(?:years? (?:experience|standing|service)|words|pounds|stone|kilos))", re.I), 0, 0, "{n}"),
    # "seventy years on this earth", "I've been on this earth seventy years"
    (re.compile(rf"\b{NUM} years? (?:I have been |now )?on this (?:earth|planet)\b", re.I), 0, 0, "{n}"),
    (re.compile(rf"\bI have been on this (?:earth|planet) (?:for )?{NUM} years\b", re.I), 0, 0, "{n}"),
)
"""Ages said as a bound or in passing: (pattern, low offset, high offset, how the claim reads); group 1 is the number."""
DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70, "eighties": 80, "nineties": 90}
DECADE_RE = re.compile(r"\bI am {adv}in my (?:(early|mid|late)[\s-]*)?(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b".format(adv=ADV), re.I)

WORD = r"[A-Za-zÀ-ÿ][\w'’-]*"
PLACE = rf"(?P<place>{WORD}(?:\s+{WORD}){{0,3}})"
CITY_PATTERNS = (
    re.compile(rf"\b(?:I|we) {ADV}(?:live|am living|are living|are based|am based|reside|am settled|am staying|have lived|have been living|live and work|work and live)\b(?:\s+(?:with|near|right|here|over|out|down|up|just|together)\b[^.,;!?]{{0,40}}?)?\s+in\s+{PLACE}", re.I),
    re.compile(rf"\bI {ADV}moved (?:here |over |down |up |back |out )?to {PLACE}", re.I),
    re.compile(rf"\b(?:right )?here in {PLACE}", re.I),
    re.compile(rf"\bmy (?:little |tiny |small |new )?(?:flat|apartment|house|home|place|condo|studio) (?:is )?(?:right )?in {PLACE}", re.I),
    re.compile(rf"\bhome is {PLACE}", re.I),
    re.compile(rf"\b(?:visit|see) (?:me|us) (?:(?:down|up|over|out|back) )?(?:in|at) {PLACE}", re.I),  # "come visit me in Bristol"
    # "Bristol's been home for twenty years", "Leeds is home now" (not "home to", "home for Christmas")
    re.compile(r"(?-i:(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}))(?:['’]s been|['’]s| is| has been| is still) (?:my |our )?home\b(?!\s+(?:to|of|for (?:the|christmas|easter|holidays?|the holidays))\b)", re.I),
)
HOMETOWN_PATTERNS = (
    re.compile(rf"\bI am {ADV}(?:originally |actually |really )?from {PLACE}", re.I),
    re.compile(rf"\bI {ADV}(?:grew up|was born|was raised|was brought up|come from)(?: and (?:raised|reared|bred|grew up))?(?: right here)? in {PLACE}", re.I),
    re.compile(rf"\bI {ADV}come from {PLACE}", re.I),
    re.compile(rf"(?:^|[,—–-]\s*)(?:I was )?born (?:and (?:raised|reared|bred) )?(?:right here )?in {PLACE}", re.I),
    re.compile(rf"\bI have {ADV}lived (?:right )?in {PLACE} (?:all my life|my whole life|since I was born|since birth)\b", re.I),
)

OCC_PHRASE = r"(?P<occ>[\w'’-]+(?:\s+[\w'’-]+){0,3})"
JOB_PATTERNS = (
    (re.compile(rf"\bI am {ADV}(?:a|an) {OCC_PHRASE}", re.I), 1.0),
    (re.compile(rf"\bI {ADV}work (?:as|like) (?:a|an) {OCC_PHRASE}", re.I), 1.0),
    (re.compile(rf"\bmy (?:job|work|day job) as (?:a|an) {OCC_PHRASE}", re.I), 0.9),
    (re.compile(rf"\bI am {ADV}(?:a|an) {OCC_PHRASE} by (?:trade|profession)", re.I), 1.0),
    # "I've been a nurse for twenty years", "I have worked as a welder since 1990": the job now
    (re.compile(rf"\bI have {ADV}(?:been|worked as|been working as) (?:a|an) (?P<occ>[\w'’-]+(?:\s+[\w'’-]+){{0,2}}?) (?:for|since)\b", re.I), 0.9),
)
NO_JOB_RE = re.compile(
    rf"\bI am {ADV}(?:currently |now )?(?:unemployed|out of work|jobless|between jobs|on the dole|a stay-at-home (?:mum|mom|dad|parent|mother|father)|a (?:housewife|homemaker|house husband|househusband))\b"
    rf"|\bI have {ADV}never (?:worked|had a job)\b",
    re.I,
)
"""No job now: "I'm between jobs", "I'm a stay-at-home mum", "I've never worked a day in my life"."""
RETIRED_RE = re.compile(rf"\bI am {ADV}(?:retired|semi-retired)\b", re.I)
QUIT_RE = re.compile(
    rf"\bI {ADV}(?:left|quit|gave up|stopped|retired from|walked away from|dropped out of|got fired from|lost) (?P<obj>(?:my |the |a )?[\w'’-]+(?:\s+[\w'’-]+)?)",
    re.I,
)
JOB_DOMAINS: dict[str, tuple[str, ...]] = {
    "dentist": ("dentistry", "dental", "practice", "clinic"),
    "doctor": ("medicine", "hospital", "practice", "clinic"),
    "nurse": ("nursing", "hospital", "ward"),
    "professor": ("university", "academia", "teaching", "faculty", "department", "lecturing"),
    "lecturer": ("university", "academia", "teaching", "faculty", "department"),
    "teacher": ("teaching", "school", "classroom"),
    "student": ("school", "university", "college", "uni", "class", "classes", "studies", "degree"),
    "chef": ("kitchen", "restaurant", "cooking", "baking", "bakery", "pastry"),
    "baker": ("bakery", "baking", "kitchen"),
    "farmer": ("farming", "farm", "flock", "sheep"),
    "captain": ("sea", "ferry", "ship", "boat", "boats"),
    "engineer": ("engineering", "tech", "software", "coding", "programming"),
    "lawyer": ("law", "firm", "practice"),
    "dancer": ("dance", "dancing", "stage"),
    "pharmacist": ("pharmacy",),
    "nun": ("order", "convent", "church"),
}
JOB_WORDS = frozenset({"job", "work", "career", "profession", "post", "position"})

SPECIES_ALT = "|".join(sorted((re.escape(s) for s in SPECIES), key=len, reverse=True))
PETWORD = rf"(?P<species>{SPECIES_ALT})"
ADJS = r"(?:(?:[\w'’-]+)[ ,]+){0,3}?"
NAME = r"(?P<name>[A-Za-z][a-zà-ÿ'’-]+)"
PNAME = r"(?P<pname>(?-i:[A-Z][a-zà-ÿ'’-]+))"
PET_PATTERNS = (
    re.compile(rf"\b(?P<excl>just |only )?my {ADJS}{PETWORD}\b(?:,? (?:named|called) |['’]s name is |(?P<verb>(?:,? (?:is|was|are|were)|'s) )(?P<vcalled>(?:named|called) )?|, | )?{PNAME}?", re.I),
    re.compile(rf"\bI {ADV}(?:have|have got|got|own|keep|adopted|rescued|had)\s+(?:a |an |one |two |three |four |\d+ |some |any )?{ADJS}{PETWORD}\b(?:,? (?:named|called) {PNAME})?", re.I),
    re.compile(rf"\b(?:our|the) (?:family |old |little )?{PETWORD},? (?:named |called )?{PNAME}", re.I),
)
NO_PETS_RE = re.compile(rf"(?:^|\bI {ADV}(?:have|have got|own|owned|keep|kept|had)\s+)(?:any |no |a |an )?(?:pets?|animals)\b(?!\s+(?:{SPECIES_ALT})\b)|\bno (?:pets?|animals)\b", re.I)
NO_SPECIES_RE = re.compile(rf"(?:\bno|(?:^|[,;—–]\s*|\b(?:I|I have) {ADV})never (?:had|owned|kept) (?:a|an|any)) {PETWORD}\b(?!\s+(?:before|until|till|like)\b)", re.I)
NAMED_PET_RE = re.compile(rf"(?P<pname>(?!(?:Oh|Well|Yes|No|Yeah|Ah|Aye|So|And|But)\b)[A-Z][a-zà-ÿ'’-]+)\??,? (?i:(?:oh|well|ah|yes|yeah|aye)[,!]? )?(?i:he|she|it) is (?i:a|an|the|my) {ADJS}(?i:{PETWORD})\b")
SPECIES_RE = re.compile(rf"\bI am (?P<adv>{ADV})(?:a|an|one) (?P<np>[\w'’ -]{{1,60}})", re.I)
""""I'm a cat with a tail": what the speaker says it is (the head of ``np``)."""
NP_STOP = re.compile(r"\s+(?:who|that|which|with|and|or|but|from|in|on|of|at|for|to|by|like|than|as|so|because|when|if|named|called)\b.*$", re.I)
"""Where a noun phrase's head ends."""
FIGURE_RE = re.compile(r"\b(?:at heart|in spirit|of sorts|in a past life|inside)\b", re.I)
DESCRIBES_RE = re.compile(r"[\w'’ -]*?\s+(?:who|that|which|of)\b", re.I)
"""A noun phrase that describes a kind of person rather than naming a species."""
NOT_PET_NAMES = frozenset(
    """spanish english french portuguese british american italian german irish scottish welsh russian chinese
    japanese siamese persian bengal burmese maine sphynx ragdoll abyssinian himalayan norwegian siberian
    egyptian turkish manx labrador golden lisbon porto""".split()
)
"""Capitalised words after "my cat is …" that describe the pet rather than name it (nationalities, breeds)."""
PRONOUN_PET_RE = re.compile(rf"^(?:\w+[,!]?\s+)?(?:he|she|it) is (?:a|an|the|my) {ADJS}{PETWORD}\b", re.I)

KIN_CHILD_ALT = "|".join(sorted(KIN_CHILD, key=len, reverse=True))
KIN_SIB_ALT = "|".join(sorted((re.escape(k) for k in KIN_SIBLING), key=len, reverse=True))
KIN_PARTNER_ALT = "|".join(sorted((re.escape(k) for k in KIN_PARTNER), key=len, reverse=True))
COUNT = r"(?P<count>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}|both|no|any)"
FAMILY_ADJ = r"(?:(?:little|younger|older|big|baby|eldest|oldest|youngest|elder|twin|only|grown|teenage|lovely|wee|late|step|half|kid)[\s-]+){0,2}"
CHILD_MY_RE = re.compile(rf"(?<!\bwas )(?<!\bwere )(?<!\bbe )\b(?:my|our) {FAMILY_ADJ}(?P<kin>{KIN_CHILD_ALT})\b(?!-in-law)(?:,? {PNAME})?", re.I)
CHILD_COUNT_RE = re.compile(rf"\b(?:I|we) {ADV}(?:have|have got|got|had|raised)\s+{COUNT} {FAMILY_ADJ}(?P<kin>{KIN_CHILD_ALT})\b(?![-\s]in[-\s]law)", re.I)
CHILD_HOUSE_RE = re.compile(rf"\bwith {COUNT} (?:little |young |small |teenage )?(?P<kin>kids|children|boys|girls|sons|daughters) (?:in the house|at home|under (?:my|our) feet|to (?:feed|raise|clothe))\b", re.I)
"""Children counted in passing: "With three boys in the house, who has time?"."""
ONLY_ONE_RE = re.compile(r"\b(?:my|our) only (?P<kin>son|daughter|child|kid|boy|girl|brother|sister)\b(?![-\s]in[-\s]law)", re.I)
"""One of a kind: "He is my only son", "my only sister"."""
NO_CHILD_RE = re.compile(r"\b(?:(?:I|we) (?:do not|did not|never) (?:have|had)(?: any)? (?:kids|children)(?!\s+(?:until|till)\b)|no (?:kids|children)|never (?:had|wanted|have had) (?:any )?(?:kids|children)|childless|child-free|childfree)\b", re.I)
SIB_MY_RE = re.compile(rf"(?<!\bwas )(?<!\bwere )(?<!\bare )(?<!\bis )(?<!\bbe )\bmy {FAMILY_ADJ}(?P<kin>{KIN_SIB_ALT})\b(?![-\s]in[-\s]law)(?:,? {PNAME})?", re.I)
SIB_COUNT_RE = re.compile(rf"\bI {ADV}(?:have|have got|got|had|grew up with)\s+{COUNT} {FAMILY_ADJ}(?P<kin>{KIN_SIB_ALT})\b(?![-\s]in[-\s]law)", re.I)
ONLY_CHILD_RE = re.compile(rf"\bI (?:am|was) {ADV}(?:an |the )?only child\b|^\W*(?:an |the )?only child\b|\bno (?:brothers|sisters|siblings)\b", re.I)
PARTNER_MY_RE = re.compile(rf"\bmy (?P<mod>late |ex-?|former |dear |lovely |beloved |darling |future )?(?P<kin>{KIN_PARTNER_ALT})\b(?:,? {PNAME})?", re.I)
STATUS_RE = re.compile(
    rf"\bI am {ADV}(?:happily |recently |newly |very )?(?P<status>single|unmarried|married|divorced|separated|widowed|engaged|a widow|a widower)\b(?! to (?:the|my|this|his|her) (?:job|work|practice|craft|sea|farm|kitchen|university|church|game))",
    re.I,
)
NEVER_MARRIED_RE = re.compile(rf"\bI {ADV}(?:have )?never (?:been |got |gotten )?married\b", re.I)

LIKE_VERBS = {
    "love": 1, "adore": 1, "like": 1, "enjoy": 1, "am into": 1, "am obsessed with": 1, "am crazy about": 1,
    "am a fan of": 1, "am a big fan of": 1, "am a huge fan of": 1, "live for": 1, "prefer": 1,
    "hate": -1, "dislike": -1, "detest": -1, "loathe": -1, "despise": -1, "can not stand": -1, "can not bear": -1,
    "can not live without": 1, "could not live without": 1, "can not do without": 1, "can not get enough of": 1,
    "am not a fan of": -1, "abhor": -1, "am sick of": -1, "am tired of": -1,
}  # fmt: skip
LIKE_ALT = "|".join(sorted((re.escape(v) for v in LIKE_VERBS), key=len, reverse=True))
OBJ = r"(?P<obj>[\w'’-]+(?:\s+[\w'’-]+){0,4})"
LIKE_RE = re.compile(rf"\bI {ADV}(?P<verb>{LIKE_ALT}) {OBJ}", re.I)
FAVOURITE_RE = re.compile(rf"\bmy (?:absolute |all-time )?favou?rite (?:\w+ ){{0,2}}(?:is|are) {OBJ}", re.I)
OBJ_STOP = re.compile(
    r"\b(?:when|because|but|if|that|so|since|while|although|though|and then|which|who|where|to be|more than|than|"
    r"as well|too|very much|so much|a lot|every|each|at|on|in|for|from|about|with|after|before|during|or)\b.*$",
    re.I,
)
SKIP_OBJ = re.compile(r"^(?:to\b|it\b|that\b|this\b|these\b|those\b|them\b|you\b|him\b|her\b|being\b|how\b|what\b|the way\b|when\b|myself\b|everything\b|anything\b|nothing\b|one\b|people\b|most\b)", re.I)

AI_SELF = re.compile(
    r"\b(?:as an ai\b|an ai\b|ai (?:language )?model|language model|ai assistant|virtual assistant|chatbot|"
    r"I am (?:just |only )?(?:a|an) (?:computer )?program|I am not (?:a )?(?:real|human)|not a real person|"
    r"do not have (?:a )?(?:personal|physical|real) (?:experiences?|life|body|history|location|feelings|opinions))",
    re.I,
)
"""Sentences where the model talks about being an AI: global drift, not facts about the persona."""

HOME_WORDS = re.compile(
    r"\b(?:my|our) (?:\w+ )?(?:flat|apartment|house|home|place|condo|neighbou?rhood)\b|\b(?:I|we) (?:\w+ )?(?:live|moved|rent|commute)\b|"
    r"\b(?:I|we) (?:have )?got a (?:[\w'-]+ ){0,2}(?:flat|apartment|house|place|condo|studio)\b",
    re.I,
)
"""The speaker's own home: "my flat", "I live", "I've got a tiny flat"."""

HYPOTHETICAL = re.compile(
    r"\b(?:if|would|could(?!\s+(?:not|never|hardly|barely)\b)|should|might|wish|imagine|pretend|suppose|supposing|as if|as though|unless|(?:maybe|perhaps)(?!\s+(?:once|twice|thrice|two|three|four|five|six|\d+|a (?:few|couple|dozen)|every|half|one or two)\b)|someday|one day|dream|dreams)\b",
    re.I,
)
REPORTED = re.compile(
    r"\b(?:says?|said|thinks?(?!\s+(?:of|about|back|on)\b)|thought(?!\s+(?:of|about|back|on)\b)|tells?|told|assumes?|assumed|insists?|insisted|claims?|claimed|reckons?|believes?|believed|calls? me|called me|joke|joked|jokes)\b",
    re.I,
)
PAST = re.compile(r"\b(?:when I was|used to|back then|as a (?:kid|child|girl|boy|teenager)|once upon|in those days|at the time)\b", re.I)

# questions whose answers carry a claim even without "I am"
Q_AGE = re.compile(r"\bhow old (?:are|r) (?:you|u)\b|\byour age\b|\bwhat age are you\b|\bhow old are you both\b", re.I)
Q_NAME = re.compile(r"\bwhat(?:'s| is|s) (?:your|ur) (?:real |full |first |actual |proper )?name\b", re.I)
Q_CITY = re.compile(r"\bwhere (?:do|d'?) ?(?:you|u) (?:live|stay)\b|\bwhere are (?:you|u) (?:based|living|staying|working from)\b|\bwhere(?:'s| is) (?:your )?(?:place|flat|apartment|house)\b", re.I)
Q_HOME = re.compile(r"\bwhere (?:are|r) (?:you|u) from\b|\bwhere did (?:you|u) grow up\b|\bwhere (?:were|was) (?:you|u) born\b|\bwhere(?:'s| is) home\b|\b(?:did|do) (?:you|u) grow up\b|\bwhere\S* .{0,20}\bgr[eo]w up\b|\boriginally from\b|\bwhere (?:did|were) (?:you|u) (?:hatch|hatched)\b", re.I)
Q_JOB = re.compile(r"\bwhat do (?:you|u) do(?: for (?:a living|work))?\??$|\bwhat(?:'s| is) (?:your|ur) (?:job|line of work|profession|occupation)\b|\bwhat do (?:you|u) do for (?:a living|work)\b", re.I)

"""Places a home mention may name (cities, not regions or countries)."""
