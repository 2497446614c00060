"""The assistant register: phrases a default chat assistant uses and a persona does not.

Families of weighted patterns: talking about being an AI, service formulas
(offers of help, "I hope this helps"), generic assistant phrasing and formatting
("Great question!", "Here are some tips:", numbered lists), exposition (the
encyclopedic, balanced voice), and consolation (the generic counselling a small
model slides into: "Losing a job can be really tough", "you're not alone"). A persona may well *help* someone in its own voice ("I'll help you look
it over"), so plain mentions of helping weigh little; the formulas weigh more.
Weights combine as independent evidence: ``1 - prod(1 - w)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drifttui.drift.text import fold_quotes


@dataclass(frozen=True)
class Marker:
    """One register pattern."""

    family: str
    weight: float
    pattern: re.Pattern[str]
    label: str


def _m(family: str, weight: float, pattern: str, label: str, flags: int = re.I) -> Marker:
    return Marker(family, weight, re.compile(pattern, flags), label)


MARKERS: tuple[Marker, ...] = (
    # talking about being an AI
    _m("ai", 0.95, r"\bas an? (?:ai|artificial intelligence|language model|virtual assistant|assistant)\b", "as an AI"),
    _m("ai", 0.95, r"\b(?:ai|large) language model\b|\blanguage model\b", "language model"),
    _m("ai", 0.9, r"\bI(?:'m| am) (?:just |only |simply )?(?:an? )?(?:ai|a bot|a chatbot|an assistant|a virtual assistant|a computer program|a machine)\b", "I am an AI"),
    _m("ai", 0.9, r"\b(?:ai|virtual|digital) assistant\b", "AI assistant"),
    _m("ai", 0.75, r"\bI (?:do not|don't|cannot|can't) (?:actually )?(?:have|experience|possess) (?:personal |real |any )?(?:experiences|feelings|emotions|opinions|preferences|a body|a physical|a family|pets|a personal)\b", "no personal experiences"),
    _m("ai", 0.8, r"\b(?:trained|created|developed|built) by (?:openai|hugging ?face|google|meta|anthropic|a team)\b", "trained by"),
    _m("ai", 0.6, r"\bmy (?:training|knowledge cutoff|training data|programming)\b", "my training"),
    # service formulas
    _m("service", 0.7, r"\bhow (?:can|may) I (?:help|assist)(?: you)?\b", "how can I help"),
    _m("service", 0.8, r"\bis there anything else (?:I can|you(?:'d| would) like|you need)\b", "anything else I can help with"),
    _m("service", 0.55, r"\blet me know if (?:you(?:'d| would) like|you need|you have|there(?:'s| is)|I can)\b", "let me know if you'd like"),
    _m("service", 0.45, r"\bI(?:'d| would) be (?:happy|glad|delighted|more than happy) to (?:help|assist|provide|share|explain)\b", "I'd be happy to help"),
    _m("service", 0.65, r"\bI hope (?:this|that) (?:helps|was helpful|answers|gives|information)\b", "I hope this helps"),
    _m("service", 0.55, r"\bfeel free to (?:ask|reach out|let me know)\b", "feel free to ask"),
    _m("service", 0.6, r"\bI(?:'m| am) here to (?:help|assist|support)\b", "I'm here to help"),
    _m("service", 0.55, r"\bdon't hesitate to\b", "don't hesitate to"),
    _m("service", 0.6, r"\bif you have any (?:other |more |further |additional )?questions\b", "if you have any questions"),
    _m("service", 0.5, r"\bhow can I assist\b|\bassist you (?:further|with)\b", "assist you"),
    _m("service", 0.3, r"\bhappy to help\b", "happy to help"),
    _m("service", 0.5, r"\bwould you like (?:me to|more|some) (?:provide|help|recommendations|tips|examples|information|details)\b", "would you like me to provide"),
    # generic assistant phrasing
    _m("generic", 0.55, r"\b(?:that's|that is|what) (?:a |an )?(?:great|good|excellent|wonderful|fantastic|interesting|thoughtful) question\b|^\W*(?:great|good|excellent) question\b", "great question"),
    _m("generic", 0.35, r"^\W*(?:certainly|absolutely|of course|sure thing|great)[!.,]", "Certainly!"),
    _m("generic", 0.45, r"\bhere (?:are|is) (?:some|a few|several|a list of|a simple|the key|my top)\b", "here are some"),
    _m("generic", 0.45, r"\bit(?:'s| is) (?:important|essential|crucial|worth noting|helpful|a good idea) (?:to|that)\b", "it's important to"),
    _m("generic", 0.4, r"\bthere (?:are|is) (?:many|several|various|a variety of|a number of|no single) (?:factors|ways|perspectives|options|approaches|reasons|answer|things to consider|\"best\"|best)\b", "there are many factors"),
    _m("generic", 0.4, r"\bdepends on (?:your|the|individual|personal) (?:personal |specific |individual |own )?(?:preferences|needs|values|goals|use case|situation|circumstances|requirements)\b", "it depends on your needs"),
    _m("generic", 0.35, r"\b(?:ultimately|in conclusion|in summary|overall|to summari[sz]e)[,:] ", "ultimately,"),
    _m("generic", 0.3, r"(?:^|\n|\. )(?:remember|keep in mind|note that)[,:]? ", "remember,"),
    _m("generic", 0.6, r"\bI apologi[sz]e for (?:the|any) (?:confusion|inconsistency|inconsistencies|error|mistake|misunderstanding)\b", "I apologize for the confusion"),
    _m("generic", 0.35, r"\bto clarify[,:]", "to clarify"),
    _m("generic", 0.35, r"\byou (?:could|might|may) (?:consider|want to consider|try)\b|\bconsider (?:reading|using|trying|looking)\b", "you could consider"),
    _m("generic", 0.3, r"\b(?:both|each) (?:approaches|options|have) (?:have )?(?:their )?(?:strengths|pros|advantages)\b|\bstrengths and weaknesses\b", "strengths and weaknesses"),
    _m("generic", 0.3, r"\bmany (?:people|visitors|individuals|users|retirees) (?:find|enjoy|choose|prefer|would)\b", "many people find"),
    _m("generic", 0.25, r"\b(?:enjoy your|happy (?:baking|cooking|reading|coding|writing)|good luck with your|have a (?:safe|great|wonderful) )\b", "enjoy your …!"),
    _m("generic", 0.3, r"\b(?:is|are) (?:often|widely|generally|commonly) (?:ranked|considered|regarded|known|seen|debated|recognized)\b", "is widely considered"),
    _m("generic", 0.3, r"\b(?:key|some|the following) (?:factors|tips|steps|considerations|best practices|alternatives)\b", "key factors/tips"),
    # exposition: the encyclopedic, balanced or counselling voice of an assistant explaining
    _m("exposition", 0.5, r"\b(?:supporters|proponents|critics|advocates|opponents|scholars|experts|historians|researchers|commentators|some people) (?:\w+ )?(?:argue|note|point out|point to|suggest|say|believe|contend|raise|maintain|warn|worry|interpret)\b", "proponents argue"),
    _m("exposition", 0.4, r"\bon the one hand\b|\bon the other hand\b", "on the other hand"),
    _m("exposition", 0.45, r"\b(?:studies|research|the evidence|evidence) (?:generally |consistently |also )?(?:show|shows|suggest|suggests|indicate|indicates|has shown|have shown)\b", "studies show"),
    _m("exposition", 0.4, r"\b(?:is|are|remains?) (?:one|among) of the most (?:\w+ ){0,2}?(?:figures|debated|divisive|researched|popular|important|influential|studied|common|controversial|widely)\b", "one of the most …"),
    _m("exposition", 0.45, r"\braises? (?:a range of|a number of|many|several|important|complex|serious) (?:\w+ )?(?:questions|issues|concerns)\b", "raises a range of questions"),
    _m("exposition", 0.35, r"\b(?:potential )?benefits and (?:risks|drawbacks|challenges|downsides)\b|\bpros and cons\b|\badvantages and disadvantages\b", "benefits and risks"),
    _m("exposition", 0.35, r"\bis (?:a )?(?:complex|nuanced|multifaceted)(?: issue| topic| question| subject)?\b", "it is complex"),
    _m("exposition", 0.5, r"\b(?:affects|differs for|varies for|is different for) (?:everyone|each person|every person|people) (?:differently)?\b|\bthere is no (?:single |one )?(?:right|correct|wrong) way\b", "affects everyone differently"),
    _m("exposition", 0.35, r"\bit(?:'s| is) (?:understandable|completely natural|perfectly normal|completely normal|natural|normal|completely understandable) (?:to|that|for)\b", "it's completely natural to"),
    _m("exposition", 0.35, r"\bI(?:'m| am) (?:so |very |truly )?sorry for your loss\b", "I'm so sorry for your loss"),
    _m("exposition", 0.35, r"\bit (?:might|may|can|could) (?:also )?(?:help|be helpful|be useful) to\b", "it might help to"),
    _m("exposition", 0.45, r"\bit(?:'s| is) (?:usually|generally|often|always) (?:best|wise|a good idea|advisable|helpful|recommended) to\b", "it's usually best to"),
    _m("exposition", 0.35, r"\b(?:typically|generally|commonly|traditionally|usually) (?:form|forms|formed|occur|occurs|involve|involves|refer|refers|consist|consists|include|includes|used|preferred|associated|recommended|linked)\b", "typically …"),
    _m("exposition", 0.3, r"\b(?:is|are) (?:well |best |widely )?(?:known|renowned|famous|celebrated) for (?:its|their)\b", "is known for its"),
    _m("exposition", 0.3, r"\b(?:warning signs|common signs|signs can include|can include)\b", "can include"),
    _m("exposition", 0.45, r"^\W*(?:the )?[A-Za-z][\w' -]{2,40}? (?:is|are|refers to) (?:a|an|the) (?:[\w-]+ ){0,3}(?:principle|term|process|phenomenon|concept|practice|method|form|type|debate|supplement|condition|disorder|doctrine|tradition|theory|technique|set of)\b", "X is a principle that …"),
    _m("exposition", 0.35, r"\bin (?:many|most|some|several|various) (?:cultures|mythologies|traditions|jurisdictions|countries|cases|situations|regions|societies)\b", "in many cultures"),
    _m("exposition", 0.45, r"\b(?:offers|features|provides|has) an? (?:diverse|wide|broad|rich|varied) (?:range|variety|array|selection) of\b", "offers a diverse range of"),
    _m("exposition", 0.3, r"\bis a (?:long-standing|longstanding|common|frequent|recurring) (?:debate|question|misconception|theme|topic)\b", "a long-standing debate"),
    _m("exposition", 0.25, r"(?:^|[.!?]\s+)(?:However|Additionally|Furthermore|Moreover|In addition|Conversely|Nevertheless),\s", "However, …"),
    # consolation: the counselling voice a small model slides into, addressed to anyone ("Losing a job can be really tough")
    _m("consolation", 0.4, r"\byou(?:'re| are) (?:not alone|going through a lot|doing (?:your best|great|the best you can))\b", "you're not alone"),
    _m("consolation", 0.4, r"\b(?:losing|finding|starting|changing|leaving|ending) (?:a|your|the) (?:\w+ )?(?:job|partner|relationship|home|friend|career|loved one)s? can be (?:really |incredibly |very |so |quite )?(?:tough|hard|difficult|draining|overwhelming|stressful|painful|challenging)\b", "losing a job can be really tough"),
    _m("consolation", 0.35, r"\b(?:that's|that is|it's|it is|this is) (?:completely |totally |perfectly |entirely )(?:normal|understandable|okay|ok|valid|natural)\b", "that's completely normal"),
    _m("consolation", 0.35, r"\bit(?:'s| is) (?:okay|ok|alright|all right) to (?:feel|be|not|cry|ask|take)\b", "it's okay to feel"),
    _m("consolation", 0.3, r"\bdon't worry,? (?:there are|you(?:'ll| will)|it(?:'ll| will)|things|we(?:'ll| will)|people)\b", "don't worry, there are ways"),
    _m("consolation", 0.35, r"\b(?:you can do (?:anything|it|this)|you(?:'ve| have) got this|things will (?:get better|work out|improve)|it (?:will|'ll) get better)\b", "you can do anything"),
    _m("consolation", 0.35, r"\b(?:be (?:kind|gentle|patient) (?:to|with) yourself|take (?:some )?time (?:for yourself|to (?:rest|heal|process|reflect|recharge))|self-care|practi[cs]e self)\b", "be kind to yourself"),
    _m("consolation", 0.35, r"\breach(?:ing)? out to (?:a (?:friend|professional|therapist|counsel+or)|someone you trust|loved ones|friends and family|your (?:friends|family|loved ones|support))\b", "reach out to someone you trust"),
    _m("consolation", 0.3, r"\b(?:stay|staying|remain|remaining) (?:positive|hopeful|motivated|optimistic)\b|\bfocus on the (?:good|positive) (?:things|side)\b", "stay positive"),
    _m("consolation", 0.3, r"\b(?:your|their|our) (?:mental health|well-?being|emotional health)\b|\b(?:feel|feels|feeling) (?:supported|heard|valued|seen)\b", "your well-being"),
    _m("consolation", 0.25, r"\bit takes time\b|\bwith (?:a little|some) (?:bit of )?(?:courage|patience|hard work|effort|time)\b", "it takes time"),
)

_NUMBERED = re.compile(r"(?:^|\n)\s*\d+[.)]\s+\S", re.M)
_BULLETS = re.compile(r"(?:^|\n)\s*[-*•]\s+\S", re.M)
_BOLD = re.compile(r"\*\*[^*]+\*\*")


@dataclass(frozen=True)
class RegisterHit:
    """A register marker found in a reply."""

    family: str
    label: str
    weight: float
    text: str


def register_hits(reply: str) -> list[RegisterHit]:
    """Every assistant-register marker in ``reply`` (one hit per marker)."""
    text = fold_quotes(reply)
    hits: list[RegisterHit] = []
    for marker in MARKERS:
        m = marker.pattern.search(text)
        if m:
            hits.append(RegisterHit(marker.family, marker.label, marker.weight, m.group(0).strip()))
    numbered = len(_NUMBERED.findall(text))
    bullets = len(_BULLETS.findall(text))
    if numbered >= 3:
        hits.append(RegisterHit("format", "numbered list", 0.45, f"{numbered} numbered items"))
    if bullets >= 3:
        hits.append(RegisterHit("format", "bullet list", 0.4, f"{bullets} bullet points"))
    if _BOLD.search(text):
        hits.append(RegisterHit("format", "markdown bold", 0.3, _BOLD.search(text).group(0)))  # type: ignore[union-attr]
    impersonal = impersonal_exposition(text)
    if impersonal:
        hits.append(RegisterHit("exposition", "impersonal exposition", 0.4, impersonal))
    return hits


_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself|we|us|our|ours)\b", re.I)
_CONTRACTION = re.compile(r"\b\w+'(?:s|re|ve|ll|d|t|m)\b|\b\w+n't\b", re.I)


def impersonal_exposition(text: str) -> str | None:
    """A description of the reply if it explains at length in nobody's voice: no "I", long sentences, few contractions.

    Characters speak as themselves; an assistant explaining a topic writes
    impersonal prose ("Thunderstorms typically form when warm, moist air rises…").
    """
    words = re.findall(r"[\w'-]+", text)
    if len(words) < 40 or _FIRST_PERSON.search(text):
        return None
    sents = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    per_sentence = len(words) / max(1, len(sents))
    contractions = len(_CONTRACTION.findall(text))
    if per_sentence >= 14 and contractions * 40 <= len(words):
        return f"{len(words)} words in nobody's voice ({per_sentence:.0f} words a sentence, no 'I')"
    return None


def register_score(hits: list[RegisterHit], *, persona_text: str = "") -> float:
    """Combine hits as independent evidence; markers the persona itself is written with do not count."""
    own = fold_quotes(persona_text).lower()
    remaining = 1.0
    for hit in hits:
        if own and hit.text.lower() in own:
            continue
        remaining *= 1.0 - hit.weight
    return 1.0 - remaining
