"""Message headings: what a theme's recommendations ask, as a short Dutch imperative.

The NJi heads its sections with the advice itself ("Focus meer op cliëntervaringen", "Verlaag de
(administratieve) lasten"), and such a heading names what the section's recommendations share.
`theme_heading` chooses a theme's heading among two kinds of candidate:

- the clauses its members give: every sentence of every member of the theme's own (majority)
  category is turned into an imperative main clause when its form allows it (an imperative already;
  "De raad moet … formuleren" → "Formuleer als raad …"; "Professionals moeten … opschrijven" →
  "Laat professionals … opschrijven"; "X moet … zijn" → "Zorg dat X … is"; "Het is belangrijk dat …"
  → "Zorg dat …"; an infinitive clause "De informatievoorziening verbeteren" → "Verbeter de
  informatievoorziening"), cut after its main clause (before "om", "zodat", a comma …) and shortened
  to at most eight words; and the aim the sentence states ("… om de administratieve lastendruk weg
  te nemen" → "Neem de administratieve lastendruk weg"). Forms that read badly are no candidate: a
  clause cut before what its noun needs ("Besteed … aandacht", "Laat de behoefte onderzoeken"), a
  word twice, a report's section title ("… versus …");
- its category's own headings (`CATEGORY_HEADINGS`), written from the taxonomy.

Each scores by how much of what the members share it names: the category's subject
(`CATEGORY_SUBJECTS`), the theme's distinctive terms and, above all, as the object of its verb
(`object_words`); then by its closeness in meaning to the theme. A clause whose words only its own
member uses loses to one that names the shared subject, and a member's clause is preferred to the
category's general phrasing when both name it. A heading another theme of the synthesis took is
never chosen again.

The pipeline models.py loads may have no parser (the blank Dutch pipeline with the lookup
lemmatiser), so the clause is found by the word-order rules of Dutch advice rather than a
dependency parse; the lemma lookup table tells verbs and their imperative apart.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

MIN_WORDS = 3
MAX_WORDS = 8

# Imperatives the lookup table does not lead back to their infinitive.
_IRREGULAR = {"ga": "gaan", "sta": "staan", "doe": "doen", "zie": "zien", "sla": "slaan", "wees": "zijn",
              "blijf": "blijven", "heb": "hebben", "kijk": "kijken", "zet": "zetten", "stel": "stellen",
              "leg": "leggen", "zeg": "zeggen", "geef": "geven", "neem": "nemen", "houd": "houden",
              "breng": "brengen", "ontschot": "ontschotten", "benut": "benutten", "zorg": "zorgen",
              "meet": "meten", "gebruik": "gebruiken", "beheers": "beheersen", "pak": "pakken"}
_IMPERATIVE_OF = {inf: imp for imp, inf in _IRREGULAR.items()}
_NOT_IMPERATIVE = frozenset({"de", "het", "een", "er", "in", "op", "bij", "voor", "van", "met", "als", "dat", "dit",
                             "deze", "die", "ook", "meer", "alle", "veel", "niet", "wel", "zo", "om", "aan", "uit",
                             "door", "naar", "over", "tot", "te", "per", "na", "hun", "zijn", "haar", "onze",
                             "volgens", "tevens", "daarnaast", "verder", "ten", "binnen", "vanuit", "zowel", "both"})
_PARTICLES = ("samen", "terug", "vast", "voor", "over", "door", "mee", "aan", "uit", "bij", "toe", "op", "in",
              "af", "na", "vrij", "in", "neer", "weg")
_ADDRESSEES = re.compile(r"^(?:de |het )?(?:gemeente(?:n|s)?|colleges?|college van b(?:&|en )w|gemeenteraad|"
                         r"raad|wethouders?|ambtelijke organisatie)$", re.I)
_LONG_SOUNDS = frozenset({"ie", "oe", "eu", "ei", "ui", "ou", "au", "ij", "aa", "ee", "oo", "uu"})
_MODAL = re.compile(r"^(?P<subject>.{1,80}?)\s+(?P<modal>moet|moeten|dient|dienen|kan|kunnen|zou|zouden)\s+"
                    r"(?P<rest>.+)$", re.I)
_LEAD_INS = (
    (re.compile(r"^(?:het is (?:(?:dus|daarbij|hierbij|ook) )?(?:van )?(?:belang(?:rijk)?|wenselijk|nodig|"
                r"aan te bevelen|raadzaam|zaak) dat|zorg (?:er )?(?:voor|ervoor) dat)\s+", re.I), "Zorg dat "),
    (re.compile(r"^(?:rekenkamers? (?:raadt|raden|adviseert|adviseren|beveelt|bevelen) (?:de |het )?"
                r"(?:gemeenten?|college|raad) aan (?:om )?)", re.I), ""),
)
_CUT = re.compile(
    r"\s+(?:om|zodat|opdat|waarbij|waardoor|waarmee|waarin|zoals|bijvoorbeeld|door\s+(?=\w+en\b|te\b|het\s+\w+en\b)|"
    r"omdat|terwijl|maar|want|alvorens|voordat|nadat|zodra|in plaats van|onder andere|met het oog op|met betrekking tot|ten behoeve van)\b.*$"
    r"|\s*[,;:(–—].*$",
    re.I,
)
_RELATIVE = re.compile(r"\s+(?:die|dat|wat|welke)\s+(?!\w+\s+(?:is|zijn)\b).*$", re.I)
_PREPOSITIONS = frozenset({"met", "voor", "op", "in", "bij", "van", "binnen", "over", "aan", "naar", "tussen", "rond", "door",
                           "rondom", "betreffende", "uit", "tot", "via", "per", "zonder", "tegen", "onder"})


@dataclass(frozen=True)
class Heading:
    """A heading and the member (index into the texts given) it was drawn from; None when it is
    its category's own phrasing."""

    text: str
    member: int | None


def _lemma_table() -> Any:
    """spaCy's Dutch lemma lookup table, or {} without it: the rules below still cover regular verbs."""
    from .models import dutch_lemma_table

    return dutch_lemma_table()


def infinitive_of_imperative(word: str) -> str | None:
    """The infinitive a word is the imperative (stem) of ("Formuleer" → "formuleren"), else None."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if lower in _NOT_IMPERATIVE or len(lower) < 3:
        return None
    table = _lemma_table()
    for form in (lower + "t", lower):
        lemma = table.get(form)
        if lemma and lemma.endswith("en") and lemma != lower and (form != lower or lower.endswith(("t", "d"))):
            if lower in (imperative_of(lemma), imperative_of(lemma, particles=False)):
                return lemma  # without particles: "informeer" is informeren, not in + formeren
    return None


def imperative_of(infinitive: str, particles: bool = True) -> str:
    """Dutch imperative of an infinitive: its stem ("maken" → "maak", "stellen" → "stel",
    "verbeteren" → "verbeter", "geven" → "geef"); checked against the lookup table where it can be.
    A separable particle is left off ("opstellen" → "stel") unless `particles` is False."""
    inf = infinitive.lower()
    if inf in _IMPERATIVE_OF:
        return _IMPERATIVE_OF[inf]
    for particle in _PARTICLES if particles else ():
        if inf.startswith(particle) and len(inf) > len(particle) + 3 and _is_verb(inf[len(particle):]):
            return imperative_of(inf[len(particle):])
    if not inf.endswith("en"):
        return inf
    stem = inf[:-2]
    if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        stem = stem[:-1]
    candidates = []
    if re.search(r"[aeiou][^aeiouwj]$", stem) and stem[-3:-1] not in _LONG_SOUNDS:
        candidates.append(re.sub(r"([aeiou])([^aeiou])$", r"\1\1\2", stem))
    candidates.append(stem)
    candidates = [c[:-1] + {"v": "f", "z": "s"}.get(c[-1], c[-1]) for c in candidates]
    table = _lemma_table()
    for candidate in candidates:
        if table.get(candidate + "t") == inf or table.get(candidate) == inf:
            return candidate
    # no table: a final -elen/-eren/-enen is unstressed ("ontwikkelen", "verbeteren"), others lengthen
    return candidates[-1] if re.search(r"e[lrn]en$", inf) else candidates[0]


def _is_verb(word: str) -> bool:
    table = _lemma_table()
    return word in _IMPERATIVE_OF or table.get(word + "d") == word or table.get(word[:-2] + "t") == word or (
        word.endswith("en") and any(table.get(f) == word for f in (word[:-2] + "t", word[:-3] + "t")))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(text: str) -> list[str]:
    return text.split()


def _main_clause(text: str) -> str:
    """The text up to the first subordinate clause, comma or parenthesis."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(".!?")
    text = _CUT.sub("", text)
    return text.strip()


def _drop_possessives(text: str) -> str:
    return re.sub(r"\b(?:zijn|haar|hun)\b(?=\s+\w)", "de", text)


def imperative_clause(sentence: str) -> str | None:
    """The sentence's advice as an imperative main clause, or None when its form gives none."""
    text = re.sub(r"\s+", " ", sentence).strip()
    text = re.sub(r"^(?:•|-|\d+[.)]|(?:aanbeveling|advies)\s*\d*\s*:)\s*", "", text, flags=re.I)  # "Aanbeveling 1: Stel …"
    for pattern, replacement in _LEAD_INS:
        text = pattern.sub(replacement, text)
    text = _capital(text)
    first = _words(text)[0] if text else ""
    first = re.sub(r"\W+$", "", first)
    causative = re.match(r"^Laat\s+(?:als\s+(?:college|raad|gemeente)\s+)?(.+\s(\w+en))$", _main_clause(text))
    if causative and _is_verb(causative.group(2).lower()):
        # "Laat als college de behoefte … onderzoeken": what is to be done, never "Onderzoek laat …"
        shortened = _shorten(f"Laat {causative.group(1)}")
        return shortened if shortened and shortened.endswith(causative.group(2)) else None
    if infinitive_of_imperative(first):
        if first.lower() == "vraag" and " om " in text:  # "Vraag het college om een nulmeting": om belongs to it
            head, _, rest = text.partition(" om ")
            if re.search(r"\bte\s+\w+en\b", _main_clause(rest)):
                return None  # "Vraag het college om het CJG aandacht te laten besteden …": no short form
            clause = f"{head} om {_main_clause(rest)}"
        else:
            clause = _main_clause(text)
        if first.lower() != "zorg":
            clause = _RELATIVE.sub("", clause)
        return _shorten(clause)
    match = _MODAL.match(_main_clause(text))
    if match:
        return _from_modal(match.group("subject"), match.group("modal").lower(), match.group("rest"))
    # an infinitive clause: "De informatievoorziening binnen het netwerk verbeteren"
    words = _words(_RELATIVE.sub("", _main_clause(text)))
    if 2 <= len(words) <= 14 and words[-1].endswith("en") and _is_verb(words[-1].lower()):
        verb = words[-1].lower()
        return _shorten(_imperative_with(verb, " ".join(words[:-1])))
    for n, word in enumerate(words[:4]):
        if n and word.endswith("en") and _is_verb(word.lower()) and words[0].lower() in ("een", "meer", "de", "het"):
            return _shorten(_imperative_with(word.lower(), " ".join(words[:n]), " ".join(words[n + 1:])))
    return None


def _imperative_with(verb: str, middle: str, tail: str = "") -> str:
    """'opstellen', 'een organogram' → 'Stel een organogram op' (a separable particle goes last)."""
    particle = ""
    for candidate in _PARTICLES:
        if verb.startswith(candidate) and _is_verb(verb[len(candidate):]) and len(verb) > len(candidate) + 3:
            particle, verb = candidate, verb[len(candidate):]
            break
    middle = _lower_first(middle)
    parts = [_capital(imperative_of(verb)), middle, particle, tail]
    return " ".join(p for p in parts if p)


def _lower_first(text: str) -> str:
    words = _words(text)
    if words and words[0][:1].isupper() and words[0][1:].islower():
        words[0] = words[0].lower()
    return " ".join(words)


def _from_modal(subject: str, modal: str, rest: str) -> str | None:
    if _words(subject)[0].lower() in _NOT_IMPERATIVE - {"de", "het", "een", "alle", "deze", "er"}:
        return None
    words = _words(_RELATIVE.sub("", rest))
    if not words:
        return None
    plural = modal in ("moeten", "dienen", "kunnen", "zouden")
    last = words[-1].lower()
    if last == "worden" and len(words) >= 2:  # passive: "… moeten worden gedeeld" / "… gedeeld worden"
        return _shorten(f"Zorg dat {_lower_first(subject)} {' '.join(words[:-1])} {'worden' if plural else 'wordt'}")
    if words[0].lower() == "worden":
        return _shorten(f"Zorg dat {_lower_first(subject)} {' '.join(words[1:])} {'worden' if plural else 'wordt'}")
    if last in ("zijn", "blijven"):
        finite = last if plural else {"zijn": "is", "blijven": "blijft"}[last]
        return _shorten(f"Zorg dat {_lower_first(subject)} {' '.join(words[:-1])} {finite}")
    if not (last.endswith("en") and _is_verb(last)):
        return None
    middle = " ".join(words[:-1])
    if _ADDRESSEES.match(subject.strip()):
        role = " als raad" if re.search(r"raad$", subject.strip(), re.I) else ""
        clause = _imperative_with(last, _drop_possessives(middle))
        head, _, tail = clause.partition(" ")
        return _shorten(f"{head}{role} {tail}".strip())
    if len(_words(subject)) > 5 or _words(subject)[0].lower() in _NOT_IMPERATIVE - {"de", "het", "een", "alle", "deze"}:
        return None
    return _shorten(f"Laat {_lower_first(subject)} {middle} {last}")


_SENTENCE_ADVERBS = frozenset({"verder", "daarnaast", "tevens", "bovendien", "voorts", "eveneens", "dus", "dan",
                               "vervolgens", "daarom", "hierbij", "daarbij"})
"""Words right after the verb that tie the sentence to the one before; a heading stands alone."""
_NEEDS_COMPLEMENT = frozenset({"aandacht", "gebruik", "nadruk", "zicht", "invulling", "werk"})
"""Nouns a heading cannot end on: their 'aan …', 'van …', 'op …' was cut ("Maak meer gebruik")."""
_NEEDS_OF = frozenset({"behoefte", "oorzaak", "oorzaken", "mate", "versterking", "verbetering", "uitbreiding"})
"""Nouns that say little without their 'van …' or 'aan …' ("Organiseer structurele versterking")."""
_MULTIWORD = re.compile(r"\b(op basis|met behulp|aan de hand|in verband|bij toepassing|in plaats|ten aanzien|"
                        r"met betrekking|in het kader|op het gebied) (van|met|tot)\b", re.I)
_FINITE = frozenset({"is", "zijn", "wordt", "worden", "blijft", "blijven", "komt", "komen"})


def _keeps_last(words: Sequence[str]) -> int:
    """How many closing words a shortened clause must keep: a finite verb (with its participle)
    of a "Zorg dat …" clause, or the separable particle of the opening verb ("Stel … op")."""
    last = words[-1].lower()
    if words[0].lower() == "zorg" and len(words) > 1 and words[1].lower() == "dat":
        return 2 if len(words) >= 4 and words[-2].lower() in _FINITE else int(last in _FINITE)
    if words[0].lower() == "laat" and last.endswith("en"):
        return 1
    verb = infinitive_of_imperative(words[0])
    if last in _PARTICLES and verb and verb != "vragen" and _is_verb(last + verb):
        return 1
    return 0


def _shorten(clause: str) -> str | None:
    """At most MAX_WORDS words: drop a second coordinated order, then prepositional phrases from
    the end (before a closing verb or particle, which stays)."""
    clause = re.sub(r"\s+", " ", clause).strip(" .")
    clause = _MULTIWORD.sub(lambda m: m.group(0).replace(" ", "\u2060"), clause)
    words = _words(clause)
    if len(words) > 1 and words[1].lower() in _SENTENCE_ADVERBS:
        words = [words[0], *words[2:]]  # "Besteed verder bij … aandacht aan": 'verder' links to the text before
    if not words:
        return None
    if len(words) > MAX_WORDS:
        for n in range(2, len(words) - 1):
            if words[n].lower() == "en" and infinitive_of_imperative(words[n + 1]) and n >= MIN_WORDS:
                words = words[:n]
                break
    keep = _keeps_last(words)
    body, tail = (words[:-keep], words[-keep:]) if keep else (words, [])
    while sum(len(w.split("\u2060")) for w in body + tail) > MAX_WORDS:  # "met behulp van" is three words
        starts = [n for n, w in enumerate(body) if n >= 2 and (w.lower() in _PREPOSITIONS or "\u2060" in w)]
        if not starts:
            return None
        body = body[:starts[-1]]
    while body and body[-1].lower() in (_PREPOSITIONS | {"en", "of", "de", "het", "een", "te", "dat", "door"}):
        body.pop()
    words = [w.replace("\u2060", " ") for w in body + tail]
    if not MIN_WORDS <= sum(len(w.split()) for w in words) <= MAX_WORDS or not body:
        return None
    text = " ".join(words)
    if text.count("(") != text.count(")") or text.count("‘") != text.count("’"):
        return None
    if re.match(r"^(?:Zorg dat|Laat) ", text) and not keep:
        return None  # cut before its verb: "Zorg dat informatie over beleid"
    if re.search(r"\bhet mogelijk\b", text):
        return None  # "Laat de ICT-systemen het mogelijk maken": the advice is in what was cut
    if body[-1].lower() in _NEEDS_COMPLEMENT | _NEEDS_OF:
        return None  # "Besteed bij … aandacht", "Laat de behoefte onderzoeken": cut before what it is for
    if re.search(r"\bzowel\b", text, re.I) and not re.search(r"\bals\b", text, re.I):
        return None  # "… aandacht aan zowel het ophalen": the 'als …' half was cut
    content = [w.lower().strip("‘’'\"()") for w in text.split() if len(w) >= 5]
    if len(set(content)) < len(content):
        return None  # "Vergelijk eigen indicatoren met verplichte jeugdhulpdata en indicatoren": a word twice
    if re.search(r"\b(?:versus|vs)\b", text, re.I):
        return None  # "Focus op laagdrempelig versus focus op eigen kracht": a report's section title, no advice
    if not keep and re.search(r"\s(?:hoe|of|wat|waar|welke|wie|dat|die|waarop)\s", text, re.I):
        return None  # an embedded question or clause cut before its verb
    return _capital(text)


_PURPOSE = re.compile(r"\bom\s+(?P<middle>(?:(?!\b(?:om|te)\b)[^,;:()])+?)\s+te\s+(?P<verb>[^\W\d_]+en)\b(?P<tail>.*)$", re.I)
_PURPOSE_SKIP = frozenset({"kunnen", "krijgen", "verkrijgen", "zijn", "worden", "hebben", "komen", "gaan", "laten",
                           "blijven", "zorgen", "doen", "zien", "nemen", "geven"})
"""Purpose verbs that say nothing without the rest ("om inzicht te krijgen", "om … te kunnen monitoren")."""
_ADVISES = re.compile(r"^(?:wij|we|de rekenkamer(?:commissie)?|rekenkamers?)\s+(?:adviseren|adviseert|raden|raadt|"
                      r"bevelen|beveelt)\b", re.I)
_REFERRING = re.compile(r"\b(?:deze|dit|die|dat|daar\w*|hier\w*|hun|zijn|haar|je|jouw|zij|ze|zich)\b", re.I)


def purpose_clause(sentence: str) -> str | None:
    """The aim of a piece of advice as an imperative: "Richt een taskforce in om de administratieve
    lastendruk bij professionals weg te nemen" → "Neem de administratieve lastendruk bij
    professionals weg". The aim often names what the advice is about where its means does not."""
    text = re.sub(r"\s+", " ", sentence).strip().rstrip(".!?")
    match = _PURPOSE.search(text)
    if not match or not (_ADVISES.match(text) or imperative_clause(text[:match.start()])):
        return None  # only the aim of advice: "Het zijn thema's die interessant zijn om … te onderzoeken" is none
    verb, middle = match.group("verb").lower(), _words(match.group("middle"))
    tail = _main_clause(match.group("tail"))
    if not 1 <= len(middle) <= 7 or _REFERRING.search(" ".join([*middle, tail])):
        return None
    if middle[-1].lower() in _PARTICLES and _is_verb(middle[-1].lower() + verb):
        verb, middle = middle[-1].lower() + verb, middle[:-1]  # "om de lasten weg te nemen": wegnemen
    if verb in _PURPOSE_SKIP or not _is_verb(verb) or not middle or middle[0].lower() in ("zo", "goed", "beter", "ook", "meer", "niet", "wel"):
        return None
    return _shorten(_imperative_with(verb, " ".join(middle), tail))


def candidates(text: str) -> list[str]:
    """Every imperative heading the sentences of one text give, first sentence first; after each
    sentence's own advice, the aim it states ("om … te …", see `purpose_clause`)."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z‘'\"(])", " ".join(text.split())):
        for clause in (imperative_clause(sentence), purpose_clause(sentence)):
            if clause and clause not in out:
                out.append(clause)
    return out


CATEGORY_HEADINGS: dict[str, tuple[str, ...]] = {
    "visie_en_doelen": ("Maak visie en doelen concreet", "Vertaal de visie in concrete doelen",
                        "Stel heldere beleidsdoelen en prioriteiten", "Houd visie en doelen actueel"),
    "indicatoren_en_monitoring": ("Volg de resultaten met heldere indicatoren", "Meet en volg de resultaten",
                                  "Verbeter de sturingsinformatie", "Monitor de voortgang structureel"),
    "informatievoorziening_raad": ("Informeer de raad gericht", "Geef de raad bruikbare informatie",
                                   "Maak afspraken over de informatie aan de raad"),
    "evaluatie_en_leren": ("Evalueer en leer van de uitkomsten", "Evalueer of het beleid werkt",
                           "Breng de effecten van de hulp in beeld", "Leer van wat werkt"),
    "rol_gemeenteraad": ("Neem als raad een actieve rol", "Vul als raad de kaderstellende rol in",
                         "Stel als raad prioriteiten"),
    "financien_en_budget": ("Houd zicht op de kosten", "Breng de oorzaken van de kosten in beeld",
                            "Beheers de uitgaven aan jeugdhulp"),
    "inkoop_en_contractering": ("Maak heldere afspraken met aanbieders", "Stuur via contracten op resultaat",
                                "Stuur bij de inkoop op kwaliteit"),
    "toegang": ("Maak de toegang eenvoudiger", "Maak de hulp laagdrempelig vindbaar",
                "Stroomlijn de routes naar jeugdhulp"),
    "samenwerking_en_netwerk": ("Versterk de samenwerking in het netwerk", "Breng de partners in het jeugdveld samen",
                                "Organiseer structureel overleg met partners"),
    "preventie_en_vroegsignalering": ("Zet meer in op preventie", "Versterk preventie en vroegsignalering",
                                      "Signaleer problemen eerder"),
    "aanbod_en_wachtlijsten": ("Sluit het aanbod aan op de vraag", "Houd zicht op aanbod en wachtlijsten",
                               "Pak de wachtlijsten aan"),
    "clientervaring_en_participatie": ("Betrek cliënten en hun ervaringen",
                                       "Gebruik de ervaringen van ouders en jongeren",
                                       "Geef inwoners een stem in het beleid"),
    "professionals_en_regeldruk": ("Geef professionals meer ruimte", "Verminder de regeldruk voor professionals",
                                   "Geef professionals vertrouwen en tijd"),
}
"""Each category's own headings, written from its name and definition in annotations/taxonomy.yaml
(never from a section title of the NJi): they compete with the members' clauses (see
`theme_heading`), and a synthesis that has used one takes the next."""

CATEGORY_SUBJECTS: dict[str, tuple[str, ...]] = {
    "visie_en_doelen": (r"visie", r"doel(?!matig|treffend|groep|bereik)", r"ambitie", r"prioriteit|prioriteer",
                        r"beleidsplan|beleidskader|kadernota"),
    "indicatoren_en_monitoring": (r"indicator", r"monitor", r"dashboard", r"informatievoorziening",
                                  r"meetba|\bmeet\b|\bmeten\b|meting|meetwaarde", r"registr",
                                  r"\bdata\b|gegevens|cijfers", r"beleidsinformatie|sturingsinformatie|managementinformatie"),
    "informatievoorziening_raad": (r"\b(?:gemeente)?raad\b|\braads\w+", r"informatie(?!voorziening)|informeer|informeren",
                                   r"rapportage|verantwoording"),
    "evaluatie_en_leren": (r"evalu", r"\bleer\b|\bleren\b|lerend", r"kennis", r"effectiv|doeltreffend|\beffect",
                           r"terugblik|reflect", r"uitkomst|outcome"),
    "rol_gemeenteraad": (r"\b(?:gemeente)?raad\b|\braads\w+", r"kaderstel|controler", r"prioriteit"),
    "financien_en_budget": (r"kosten|uitgave", r"budget|begrot", r"financ|middelen", r"tekort|overschrijding|bezuinig"),
    "inkoop_en_contractering": (r"inkoop|inkopen|ingekocht|aanbested", r"contract|overeenkomst", r"aanbieder",
                                r"afspraken|prestatieafspra", r"bekostig|tarie"),
    "toegang": (r"toegang", r"loket|route", r"laagdrempelig|drempel|vindba", r"verwij[sz]",
                r"wijkteam|gebiedsteam|toegangsteam", r"beschikking|indicatiestel"),
    "samenwerking_en_netwerk": (r"samenwerk|samen\s+werken", r"netwerk", r"partner|partijen", r"overleg",
                                r"\bregie|regisseur", r"ontschot|verbind|verbinding", r"afstem"),
    "preventie_en_vroegsignalering": (r"preventie|preventief|preventiev", r"signal",
                                      r"voorveld|nuldelijn|sociale basis|civil society", r"opvoed"),
    "aanbod_en_wachtlijsten": (r"aanbod", r"wachtlijst|wachttijd", r"zorgvorm|voorziening", r"passend|dekkend",
                               r"maatwerk"),
    "clientervaring_en_participatie": (r"ervaring", r"cliënt|client|klant", r"participatie|panel|jongerenraad",
                                       r"\bstem\b|inspraak", r"tevreden", r"gesprek"),
    "professionals_en_regeldruk": (r"professional|medewerker", r"regeldruk|\bregel(?:s|geving|luwte)?\b|regelluw",
                                   r"administra|lasten|bureaucrat", r"ruimte|vrijheid|vertrouwen",
                                   r"werkdruk|werklast|caseload|capaciteit|\btijd\b", r"privacy"),
}
"""What each category is about, as word parts (regular expressions on lower-case text), from its name
and definition in annotations/taxonomy.yaml. A heading names its theme's subject when it names what
most of the theme's members mention of these (see `theme_heading`)."""

SUBJECT_WEIGHT = 0.5
"""Score for the share of members that mention a subject of the category the heading names (a heading
whose subject every member mentions gains 0.5; the cosine to the theme's centre counts once)."""
TERM_WEIGHT = 0.25
"""Score for the share of members that use one of the theme's distinctive terms the heading names."""
OBJECT_WEIGHT = 0.3
"""Score for the share of members that use a word of the heading's object (`object_words`; its verb
when it has none): the heading's object should be what the members share, not what one adds."""
ONE_MEMBER_PENALTY = 0.25
"""Score off, in a theme with two or more members of its own category (something to share), for a
member clause whose content words no other member uses ("Leer van lokale diversiteit" says what one
report's section is about); nothing while at least half of them are shared, in proportion beyond."""
CATEGORY_PHRASING_PENALTY = 0.1
"""A category's own heading is general; a member's clause is preferred unless it names clearly less
of what the members share."""
_ADJECTIVE_END = re.compile(r"(?:ige|ieve|ale|ele|ische|lijke|bare|ende|ste|ere)$")


def _member_share(pattern: str, lowered: Sequence[str]) -> float:
    return sum(bool(re.search(pattern, text)) for text in lowered) / len(lowered) if lowered else 0.0


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.nl.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | _NOT_IMPERATIVE | {"elkaar", "zowel", "beter", "goed", "eigen", "andere", "nieuwe"}


def _word_parts(word: str) -> list[str]:
    """What a member may write for a word: its first letters (all but its last three: inflections,
    "indicatoren" ~ "indicator") or, for a compound, a tail of six letters or more without its
    plural ending ("cliëntenervaringen" ~ "ervaringen")."""
    base = re.sub(r"(?:en|s)$", "", word) if len(word) > 7 else word
    return [word[:max(4, len(word) - 3)], *(base[i:] for i in range(1, len(base) - 5))]


_LIGHT_NOUNS = _NEEDS_COMPLEMENT | {"focus", "meer", "extra", "zorg", "overzicht", "inzicht", "beeld",
                                    # the nouns of 'met behulp van', 'aan de hand van', 'op basis van' …
                                    "behulp", "hand", "basis", "kader", "gebied", "plaats",
                                    # adverbs before the object's preposition
                                    "vaker", "actief", "eerder", "sneller", "structureel", "periodiek", "samen"}


def object_words(clause: str) -> list[str]:
    """The content words of what a heading's verb acts on ("Versterk de samenwerking in het netwerk" →
    samenwerking; "Maak meer gebruik van cliëntenervaringen bij …" → cliëntenervaringen; "Leer van
    lokale diversiteit" → lokale, diversiteit): after the verb (and 'als raad', 'dat', 'voor'), up to
    the first preposition that follows a word of substance; a light noun ('gebruik', 'aandacht',
    'focus') passes the object on to the phrase after it."""
    words = [w.strip("‘’'\"()") for w in clause.lower().split()[1:]]
    if words[:1] == ["als"]:
        words = words[2:]
    if words[:1] and words[0] in ("dat", "voor", "op", "ervoor"):
        words = words[1:]
    found: list[str] = []
    for word in words:
        if word in _PREPOSITIONS:
            if found:
                break
            continue
        if len(word) >= 4 and word not in _stop_words() and word not in _LIGHT_NOUNS:
            found.append(word)
    return found


def _object_share(clause: str, lowered: Sequence[str]) -> float:
    """The share of members that use a word of the clause's object; for a clause without one
    ("Leer van elkaar"), that use its verb (as imperative or infinitive)."""
    words = object_words(clause)
    if words:
        return max(_used_by(w, lowered) for w in words) / len(lowered)
    verb = clause.split()[0].lower()
    infinitive = infinitive_of_imperative(verb) or verb
    pattern = rf"\b(?:{re.escape(verb)}|{re.escape(infinitive)})\b"
    return _member_share(pattern, lowered)


def _used_by(word: str, lowered: Sequence[str]) -> int:
    return sum(any(part in text for part in _word_parts(word)) for text in lowered)


def _one_member_share(clause: str, lowered: Sequence[str]) -> float:
    """Of the clause's content words (after its verb), the share that at most one member uses."""
    words = [w for w in re.findall(r"[^\W\d_]+", clause.lower())[1:] if len(w) >= 4 and w not in _stop_words()]
    if not words:
        return 0.0
    return sum(_used_by(w, lowered) <= 1 for w in words) / len(words)


def theme_heading(
    texts: Sequence[str],
    eligible: Sequence[bool],
    relevance: Callable[[Sequence[str]], Sequence[float]],
    terms: Sequence[str] = (),
    taken: frozenset[str] = frozenset(),
    categorie: str = "",
) -> Heading | None:
    """The heading of a theme, chosen among the imperative clauses its eligible members give (see
    the module docstring) and its category's own headings (`CATEGORY_HEADINGS`), never one in
    `taken` (lower case), never one that ends in a dangling adjective.

    A candidate scores by what it names of what the members share: the share of all members that
    mention a subject of the category it names (`CATEGORY_SUBJECTS`, × SUBJECT_WEIGHT), that use one
    of the theme's distinctive `terms` it names (× TERM_WEIGHT) and that use a word of its object
    (× OBJECT_WEIGHT); plus its closeness in meaning to the theme (`relevance`: candidates → cosine
    to the theme's centre); less a little for a later sentence and a length far from five words,
    ONE_MEMBER_PENALTY for words only its own member uses, CATEGORY_PHRASING_PENALTY for a category's
    general phrasing. So a heading is one member's advice when that advice names the theme's shared
    subject, and its category's phrasing when no member's does. `Heading.member` is None for a
    category phrasing."""
    pool: list[tuple[str, int | None, int]] = []
    for index, (text, ok) in enumerate(zip(texts, eligible)):
        if not ok:
            continue
        for rank, clause in enumerate(candidates(text)):
            last = clause.split()[-1].lower()
            if clause.lower() in taken or _ADJECTIVE_END.search(last):
                continue
            pool.append((clause, index, rank))
    pool += [(phrase, None, 0) for phrase in CATEGORY_HEADINGS.get(categorie, ()) if phrase.lower() not in taken]
    if not pool:
        return None
    lowered = [" ".join(t.lower().split()) for t in texts]
    subjects = CATEGORY_SUBJECTS.get(categorie, ())
    stems = [re.escape(stem) for stem in dict.fromkeys(t.lower().split()[-1][:6] for t in terms[:6]) if len(stem) >= 4]
    closeness = relevance([c for c, _, _ in pool])
    best: tuple[float, str, int | None] | None = None
    for (clause, member, rank), close in zip(pool, closeness):
        text = clause.lower()
        named = _member_share("|".join(f"(?:{p})" for p in subjects if re.search(p, text)) or "(?!)", lowered)
        covered = _member_share("|".join(p for p in stems if re.search(p, text)) or "(?!)", lowered)
        if member is None:
            penalty = CATEGORY_PHRASING_PENALTY
        else:
            lonely = _one_member_share(clause, lowered) if sum(map(bool, eligible)) >= 2 else 0.0
            penalty = ONE_MEMBER_PENALTY * max(0.0, 2 * lonely - 1)  # none while half its words are shared
        target = _object_share(clause, lowered)
        score = (float(close) + SUBJECT_WEIGHT * named + TERM_WEIGHT * covered + OBJECT_WEIGHT * target
                 - 0.03 * rank - 0.01 * abs(len(_words(clause)) - 5) - penalty)
        if best is None or (score, clause) > (best[0], best[1]):
            best = (score, clause, member)
    assert best is not None
    return Heading(best[1], best[2])
