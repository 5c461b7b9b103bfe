"""Message headings: what a theme's recommendations ask, as a short Dutch imperative.

The NJi heads its sections with the advice itself ("Focus meer op cliëntervaringen", "Verlaag de
(administratieve) lasten"), not with a topic. `message_heading` draws such a heading from a
theme's members: every sentence of every member is turned into an imperative main clause when
its form allows it (an imperative already; "De raad moet … formuleren" → "Formuleer als raad …";
"Professionals moeten … opschrijven" → "Laat professionals … opschrijven"; "X moet … zijn" →
"Zorg dat X … is"; "Het is belangrijk dat …" → "Zorg dat …"; an infinitive clause "De
informatievoorziening verbeteren" → "Verbeter de informatievoorziening"), cut after its main
clause (before "om", "zodat", a comma …) and shortened to at most eight words. Of these, the
heading is the one of a member in the theme's own category that is closest to the theme's centre
and shares most of its distinctive terms.

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


@functools.lru_cache(maxsize=1)
def _lemma_table() -> Any:
    """spaCy's Dutch lemma lookup table (form → lemma; `.get` hashes the form), or {} without it."""
    try:
        from spacy.lookups import load_lookups

        return load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")
    except Exception:  # noqa: BLE001 - no spacy-lookups-data: the rules below still cover regular verbs
        return {}


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


CATEGORY_HEADINGS: dict[str, str] = {
    "visie_en_doelen": "Maak visie en doelen concreet",
    "indicatoren_en_monitoring": "Meet en volg de resultaten",
    "informatievoorziening_raad": "Informeer de raad gericht",
    "evaluatie_en_leren": "Evalueer en leer van de uitkomsten",
    "rol_gemeenteraad": "Neem als raad een actieve rol",
    "financien_en_budget": "Houd zicht op de kosten",
    "inkoop_en_contractering": "Maak heldere afspraken met aanbieders",
    "toegang": "Maak de toegang eenvoudiger",
    "samenwerking_en_netwerk": "Versterk de samenwerking in het netwerk",
    "preventie_en_vroegsignalering": "Zet meer in op preventie",
    "aanbod_en_wachtlijsten": "Zorg voor passend en dekkend aanbod",
    "clientervaring_en_participatie": "Betrek cliënten en hun ervaringen",
    "professionals_en_regeldruk": "Geef professionals meer ruimte",
}
"""A heading in the theme's own category when no member gives one (every item's form resists)."""
_ADJECTIVE_END = re.compile(r"(?:ige|ieve|ale|ele|ische|lijke|bare|ende|ste|ere)$")


def message_heading(
    texts: Sequence[str],
    eligible: Sequence[bool],
    relevance: Callable[[Sequence[str]], Sequence[float]],
    terms: Sequence[str] = (),
    taken: frozenset[str] = frozenset(),
) -> Heading | None:
    """The heading of a theme: of the imperative clauses its eligible members give (see module
    docstring), the one closest in meaning to the theme (`relevance`: clauses → cosine to the
    theme's centre) plus a bonus for each of the theme's distinctive `terms` it names; never
    one in `taken`, never one that ends in a dangling adjective."""
    pool: list[tuple[str, int, int]] = []
    for index, (text, ok) in enumerate(zip(texts, eligible)):
        if not ok:
            continue
        for rank, clause in enumerate(candidates(text)):
            last = clause.split()[-1].lower()
            if clause.lower() in taken or _ADJECTIVE_END.search(last):
                continue
            pool.append((clause, index, rank))
    if not pool:
        return None
    closeness = relevance([c for c, _, _ in pool])
    stems = [t.lower().split()[-1][:6] for t in terms[:6]]
    best: tuple[float, str, int] | None = None
    for (clause, index, rank), close in zip(pool, closeness):
        covered = sum(1 for stem in stems if stem and stem in clause.lower())
        score = float(close) + 0.05 * covered - 0.03 * rank - 0.01 * abs(len(_words(clause)) - 5)
        if best is None or (score, clause) > (best[0], best[1]):
            best = (score, clause, index)
    assert best is not None
    return Heading(best[1], best[2])
