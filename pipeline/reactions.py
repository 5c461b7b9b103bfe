"""Reactions: every aanbeveling linked to the part of the bestuurlijke reactie that answers it.

A college answers in a letter ("Aanbeveling 3 nemen wij over", "Ad 2", "De derde aanbeveling
nemen wij ter harte"), in a table (Aanbeveling | Reactie college | Nawoord), or with one
blanket sentence ("Het college neemt alle aanbevelingen over"); the rekenkamer's nawoord may
correct the stance ("beschouwt aanbeveling 4 als gedeeltelijk overgenomen"). The stance comes
from the linked passage by the rules in annotations/GUIDELINES.md (section "Standpunt van het
college"), and the sentence it rests on is kept as evidence. What answers no recommendation
(the conclusions, the process) is the report's general reaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .records import Item, Paragraph, Reaction
from .structure import INLINE_NAWOORD_RE, INLINE_REACTION_RE, Placement, Role

# --------------------------------------------------------------------------------------
# Stance from wording

_NEGATIVE = re.compile(
    r"\bniet\s+(over(nemen|genomen|neemt|te\s+nemen)?|opportuun|wenselijk|nodig|noodzakelijk|haalbaar|uitvoerbaar)\b|"
    r"\bnemen\b[^.;]{0,60}\bniet\s+over\b|\bneemt\b[^.;]{0,60}\bniet\s+over\b|\bzien\b[^.;]{0,40}\bgeen\s+(aanleiding|noodzaak|reden|meerwaarde)\b|"
    r"\bwijzen\b[^.;]{0,40}\baf\b|\bonderschrijven\b[^.;]{0,40}\bniet\b|\bherkennen\s+ons\s+niet\b|\bniet\s+eens\b|"
    r"\bgeen\s+voorstander\b|\bgeen\s+gevolg\s+(geven|aan)\b|\bniet\s+(uit\s+te\s+voeren|uitvoeren)\b|"
    r"\bgaat\s+ons\s+te\s+ver\b|\bniet\s+(volgen|doen)\b|\b(volgen|volgt)\b[^.;]{0,60}\bniet\s+op\b|\bniet\s+op\s+te\s+volgen\b|"
    r"\bzien\b[^.;]{0,30}\b(de|het)\s+(meerwaarde|nut|noodzaak)\b[^.;]{0,40}\bniet\b|"
    r"\b(zien|achten|vinden)\s+(wij|we)\s+niet\s+(als\s+)?(haalbaar|wenselijk|uitvoerbaar|zinvol|nodig)\b",
    re.I,
)
_PARTLY = re.compile(
    r"\b(gedeeltelijk|deels|ten\s+dele|voor\s+een\s+deel|in\s+aangepaste\s+vorm|met\s+uitzondering\s+van)\b[^.;]{0,40}"
    r"\b(over|overgenomen|overnemen|onderschrijv\w*|uitvoeren|eens)\b|"
    r"\b(over|overgenomen|overnemen)\s*,?\s*(zij\s+het\s+|maar\s+|echter\s+)?(slechts\s+)?(gedeeltelijk|deels|ten\s+dele)\b|"
    r"\b(over|overgenomen|overnemen|onderschrijven)\s*,?\s*met\s+uitzondering\s+van\b|\bten\s+dele\b",
    re.I,
)
_WE_WILL = r"\b(?:(?:gaan|zullen|zal|gaat)\s+(?:wij|we|het\s+college)|(?:wij|we|het\s+college)\s+(?:gaan|zullen|zal|gaat))\b"
"""A commitment: "zullen wij", "wij zullen", "het college zal"."""
_POSITIVE = re.compile(
    r"\bnemen\b[^.;]{0,60}\bover\b|\bneemt\b[^.;]{0,60}\bover\b|\bover\s*te\s*nemen\b|\bovergenomen\b|"
    r"\bonderschr(ijv|ijft|eef|even|even)\w*\b(?!\s+(het\s+belang|de\s+analyse|de\s+conclusie|het\s+beeld|uw\s+analyse))|"
    r"\bkunnen\s+ons\s+(goed\s+)?vinden\s+in\s+(de|deze|uw)\s+aanbeveling|\bter\s+harte\b|\b(al|reeds)\s+in\s+gang\s+gezet\b|"
    r"\b(wordt|worden|is|zijn)\s+(al|reeds)\s+(uitgevoerd|opgepakt|gerealiseerd|ingevoerd)\b|\bomarm\w*|"
    r"\b(is|zijn|wordt|worden)\s+(al|reeds|inmiddels)\s+in\s+(uitvoering|gang|voorbereiding)\b|"
    rf"{_WE_WILL}[^.;]{{0,40}}\b(de|deze|die|uw)\s+aanbeveling\w*\s+((op)?volgen|uitvoeren|invoeren|overnemen)\b|"
    r"\bvolgen\s+(wij|we)\b[^.;]{0,40}\bop\b(?![^.;]{0,20}\bniet\b)|"
    r"\b(geven|gaan\s+geven)\b[^.;]{0,30}\binvulling\s+aan\b|^\s*akkoord\s*[.!]?\s*$|"
    r"\b(zijn|is)\s+(het\s+)?(wij|we|het\s+college)\s+eens\b|\beens\s+met\b|\bherkennen\s+ons\s+(wel\s+)?in\b|"
    r"\b(zijn|is)\s+(wij|we|het\s+college)\s+het\b(?![^.;]{0,60}\bniet\b)[^.;]{0,60}\beens\b|"
    r"\b(gaan|zullen)\s+(wij|we)\b(?![^.;]{0,60}\bbezien\b)[^.;]{0,60}\b(uitvoeren|oppakken|doen|invoeren|opnemen|"
    r"realiseren|aanpassen|uitwerken|vastleggen|informeren|rapporteren)\b|"
    r"\b(van\s+mening|vinden)\b[^.;]{0,90}\b(noodzakelijk|belangrijk|terecht)\b|"
    r"\bdelen\s+(uw|de)\s+(opvatting|mening|zorg|conclusie)\b|\b(zijn|is)\s+(wij|we)?\s*(al\s+)?(volop\s+)?mee\s+bezig\b|"
    r"\bal\s+(volop\s+)?mee\s+bezig\b|\bvolmondig\s+ja\b|\b((zullen|gaan)\s+(wij|we)|(wij|we)\s+(zullen|gaan))\s+ons\b[^.;]{0,40}\binzetten\b",
    re.I,
)
_UNDECIDED = re.compile(
    r"\bbezien\b|\bnemen\s+(wij\s+|we\s+)?kennis\b|\bniet\s+aan\s+ons\b|\b(past|is)\s+(het\s+)?ons\s+niet\b|\bkomen\s+(wij|we)\b[^.;]{0,40}\bterug\b|\blaten\b[^.;]{0,60}\baan\s+(uw|de)\s+raad\b|"
    r"\b(is|ligt)\s+(het\s+)?aan\s+(uw|de)\s+raad\b|\baan\s+(uw|de)\s+raad\s+om\b|\boverwegen\b|\bin\s+overweging\b",
    re.I,
)
_FOR_THE_RAAD = re.compile(
    r"\b(gericht|bestemd)\s+(aan|tot|voor)\s+(uw|de)\s+(gemeente)?(raad|raden)\b|\baan\s+(uw|de)\s+(raad|raden)\s+gericht\b|"
    r"\bricht(en)?\s+zich\s+(tot|aan)\s+(uw|de)\s+(gemeente)?(raad|raden)\b",
    re.I,
)
"""A recommendation addressed to the raad, which the college leaves alone: no stance, and this
sentence says why ("Deze aanbeveling is gericht aan de raad.")."""
_TO_US_RE = re.compile(
    r"\baan\s+(ons|het\s+college)\s+(zijn\s+|is\s+)?gericht|\baan\s+(ons|het\s+college)\s+gerichte\b|"
    r"\b(ons|het\s+college)\s+betreffen\b|\bvoor\s+(ons|het\s+college)\s+bestemd",
    re.I,
)
"""A blanket answer that covers only the recommendations addressed to the college."""


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?;])\s+(?=[A-Z“\"(‘'])", text) if s.strip()]


def stance_of(text: str) -> tuple[str, str]:
    """(stance, the sentence it rests on) from a passage of the college's reaction.

    Partly adopting, or adopting in one sentence and rejecting in another, is "deels"; a clear
    refusal is "niet overgenomen"; adopting, endorsing, or "already under way" is "overgenomen";
    a college that will "bezien" or leaves it to the raad has taken no stance ("onbekend")."""
    sentences = _sentences(text)
    opening = cell_verdict(sentences[0]) if sentences else ""
    if opening and opening != "onbekend":
        return opening, sentences[0]  # the stance in a word or two at the start ("Deels overnemen. Wij …")
    partly = next((s for s in sentences if _PARTLY.search(s)
                   or _POSITIVE.search(s) and _NEGATIVE.search(s) and re.search(r"\bmaar\b|\bechter\b", s)), "")
    negative = next((s for s in sentences if _NEGATIVE.search(s)), "")
    positive = next((s for s in sentences if _POSITIVE.search(s) and not _NEGATIVE.search(s)), "")
    undecided = next((s for s in sentences if _UNDECIDED.search(s)), "")
    if partly:
        return "deels", partly
    if negative and positive:
        return "deels", negative
    if negative:
        return "niet overgenomen", negative
    if positive:
        return "overgenomen", positive
    if undecided:
        return "onbekend", undecided
    return "onbekend", next((s for s in sentences if _FOR_THE_RAAD.search(s)), "")


# --------------------------------------------------------------------------------------
# Which recommendation a passage answers

_ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7, "achtste": 8,
             "negende": 9, "tiende": 10}
_WORDS = {"één": 1, "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8}
_NUMBER = r"\d{1,2}(?:\.\d{1,2})?"
"""A recommendation's number in a reply: "3", or per chapter "2.1"."""
_LIST_RE = re.compile(
    rf"\baanbeveling(?:en)?\s+((?:{_NUMBER}|één|twee|drie|vier|vijf|zes|zeven|acht)"
    rf"(?:\s*(?:,|en|&|t/m|tot\s+en\s+met)\s*(?:{_NUMBER}|één|twee|drie|vier|vijf|zes|zeven|acht))*)\b",
    re.I,
)
_ORDINAL_RE = re.compile(r"\b(eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende)\s+aanbeveling\b", re.I)
_MARKER_RE = re.compile(rf"^\s*(?:ad\s+({_NUMBER}(?:\s*(?:,|en|&)\s*{_NUMBER})*)\b|"
                        rf"aanbeveling\s+({_NUMBER})\s*(?:\([^)]{{1,80}}\)\s*)?(?:[:\-–)]|\.(?!\d))|"
                        rf"({_NUMBER}(?:\s*(?:,|en|&)\s*{_NUMBER})*)\s*[.)]\s+(?=[A-Z])|"
                        r"(?:ad\s+|aanbeveling\s+)?\(?([a-h])\s*[.):]\s+(?=[A-Z])|"
                        r"(\d{1,2}\.\d{1,2})\s+(?=[A-Z])|"
                        r"(?-i:R)(\d{1,2})\s*[:.)]\s+)", re.I)
"""Where a reply to one recommendation starts: "Ad 2", "Aanbeveling 3:", "3. Overgenomen", "2.1. Overgenomen",
per chapter also without a full stop ("2.1 Overgenomen", only for a number the report's recommendations have),
and for recommendations lettered a, b, c: "a. Overgenomen", "Ad b"."""
_ALL_RE = re.compile(r"\b(alle|de|uw|deze)\s+(?!meeste|enkele|sommige|overige|twee|drie|vier|andere)(\w+\s+)?aanbevelingen\b(?!\s+\d)",
                     re.I)


def chapter_number_key(number: str) -> int | None:
    """Recommendations numbered per chapter ("2.1", "3.2") as one integer that no plain "aanbeveling 2"
    names: 1000 + 100 × chapter + place."""
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", number)
    return 1000 + 100 * int(match.group(1)) + int(match.group(2)) if match else None


def _number_words(span: str) -> list[int]:
    out: list[int] = []
    for match in re.finditer(rf"({_NUMBER}|één|twee|drie|vier|vijf|zes|zeven|acht)\s*(?:t/m|tot\s+en\s+met)\s*({_NUMBER})|"
                             rf"({_NUMBER}|één|twee|drie|vier|vijf|zes|zeven|acht)", span, re.I):
        if match.group(1):
            first, last = (chapter_number_key(g) for g in match.group(1, 2))
            if first is not None and last is not None:  # "2.1 t/m 2.3"
                out.extend(range(first, last + 1) if last - first < 20 else (first, last))
                continue
            start = _WORDS.get(match.group(1).lower()) or (int(match.group(1)) if match.group(1).isdigit() else None)
            if start is not None and match.group(2).isdigit():
                out.extend(range(start, int(match.group(2)) + 1))
        else:
            word = match.group(3).lower()
            key = chapter_number_key(word)
            out.append(_WORDS[word] if word in _WORDS else key if key is not None else int(word))
    return out


_OLD_REPORT_RE = re.compile(r"\s*(uit\s+(het\s+rapport\s+)?(van\s+)?[‘'\"]?(19|20)\d\d\b|\((19|20)\d\d\)|van\s+(19|20)\d\d\b|"
                            r"uit\s+het\s+(eerdere|vorige)\b)", re.I)
"""After a recommendation's number: it is an earlier report's ("aanbeveling 5 uit 2018"), not this report's."""


_CODE_RE = re.compile(r"(?<![\w-])R(\d{1,2})(?![\w-])")
"""Recommendations coded "R1", "R2" (beside conclusions "C1", "C2")."""


def referenced_numbers(sentence: str) -> list[int]:
    """Recommendation numbers a sentence names: "aanbeveling 3", "aanbevelingen 1 en 2", "de derde aanbeveling"."""
    ad = re.match(rf"^\s*ad\s+({_NUMBER})\s*(?:[:)]|\.(?!\d))", sentence, re.I)
    numbers = _number_words(ad.group(1)) if ad else []
    numbers += [n for m in _LIST_RE.finditer(sentence) if not _OLD_REPORT_RE.match(sentence, m.end())
                for n in _number_words(m.group(1))]
    numbers += [_ORDINALS[m.group(1).lower()] for m in _ORDINAL_RE.finditer(sentence)]
    numbers += [int(m.group(1)) for m in _CODE_RE.finditer(sentence)]
    numbers += [n for m in _LETTER_LIST_RE.finditer(sentence) for n in _letter_numbers(m.group(1))]
    return list(dict.fromkeys(numbers))


_LETTER_LIST_RE = re.compile(
    r"\b[Aa]anbeveling(?:en)?\s+([a-hA-H](?:\s*(?:,|en|&|t/m|tot\s+en\s+met)\s*[a-hA-H])*)\b(?![.\w]\w)")
"""Recommendations lettered a, b, c: "aanbeveling e", "de aanbevelingen a tot en met d"."""


def _letter_number(letter: str) -> int:
    """A lettered recommendation's place: a → 1, b → 2, …"""
    return ord(letter.lower()) - ord("a") + 1


def _letter_numbers(span: str) -> list[int]:
    """"a tot en met d" → 1, 2, 3, 4; "b en c" → 2, 3."""
    out: list[int] = []
    for match in re.finditer(r"\b([a-hA-H])\s*(?:t/m|tot\s+en\s+met)\s*([a-hA-H])\b|\b([a-hA-H])\b", span):
        if match.group(1):
            out.extend(range(_letter_number(match.group(1)), _letter_number(match.group(2)) + 1))
        else:
            out.append(_letter_number(match.group(3)))
    return out


def _tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


def _quoted(text: str, leads: dict[int, str]) -> int | None:
    """The recommendation a paragraph quotes (the reaction repeats it before answering); a
    paragraph that itself takes a stance is an answer, not a quote."""
    if _POSITIVE.search(text) or _NEGATIVE.search(text) or _PARTLY.search(text):
        return None
    words = _tokens(text)
    best, best_share = None, 0.0
    for number, lead in leads.items():
        lead_words = _tokens(lead)
        if len(lead_words) < 4:
            continue
        share = len(words & lead_words) / len(lead_words)
        if share > best_share:
            best, best_share = number, share
    return best if best_share >= 0.75 else None


@dataclass
class _Passage:
    numbers: list[int]
    parts: list[str]
    page_start: int
    page_end: int
    nawoord: str = ""
    verdict: str = ""
    """The stance a one-word cell of a reaction table gives ("Overnemen", "Deels", "Nee"), with parts[0] the cell."""
    explanation: str = ""
    """A reaction table's "Toelichting" cell: shown with the reaction, read for a stance only when the reaction
    cell gives none."""

    @property
    def text(self) -> str:
        return " ".join(self.parts).strip()


_VERDICT_CELLS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("deels", re.compile(r"(deels|gedeeltelijk|ten\s+dele)(\s+(over(nemen|genomen)|akkoord|eens|ja))?", re.I)),
    ("niet overgenomen", re.compile(r"niet(\s+over(nemen|genomen)|\s+akkoord|\s+eens)?|nee|oneens|afwijzen|afgewezen", re.I)),
    ("overgenomen", re.compile(r"(wordt\s+)?(over(nemen|genomen)|akkoord|eens|ja|onderschreven|onderschrijven)", re.I)),
    ("onbekend", re.compile(r"n\.?\s?v\.?\s?t\.?|niet\s+van\s+toepassing|-|–|—", re.I)),
)
"""The answers a "Standpunt college" column gives in a word or two, and the stance each is."""


def cell_verdict(cell: str) -> str:
    """The stance a short verdict cell gives ("Overnemen" → overgenomen, "Deels overnemen" → deels), "" for text."""
    text = cell.strip().rstrip(".!")
    for stance, pattern in _VERDICT_CELLS:
        if pattern.fullmatch(text):
            return stance
    return ""


_SYMBOL_VERDICTS = {"✔": "overgenomen", "✓": "overgenomen", "☑": "overgenomen", "✘": "niet overgenomen",
                    "✗": "niet overgenomen", "☒": "niet overgenomen"}
"""What a tick or a cross in a Standpunt column says where no legend says otherwise."""
_LEGEND_ENTRY_RE = re.compile(r"(?:^|(?<=\s))([^\w\s=])\s*=\s*(.+?)(?=\s+[^\w\s=]\s*=|$)")


def symbol_legend(paragraphs: Sequence[Paragraph]) -> dict[str, str]:
    """The stance each symbol of a reaction table stands for, from the legend under it ("✔ = overgenomen
    ◐ = gedeeltelijk overgenomen ✘ = niet overgenomen ? = nog geen standpunt"); a legend set as a list
    has its first symbol taken for the bullet, so the bullet is read back in front of the text."""
    legend: dict[str, str] = {}
    for para in paragraphs:
        if para.kind in ("table_row", "heading"):
            continue
        text = f"{para.bullet} {para.text}" if para.bullet else para.text
        if "=" not in text:
            continue
        for symbol, meaning in _LEGEND_ENTRY_RE.findall(text):
            meaning = meaning.strip().rstrip(";,.")
            legend[symbol] = cell_verdict(meaning) or stance_of(meaning)[0] or "onbekend"
    return legend


# --------------------------------------------------------------------------------------
# Tables: Aanbeveling | Reactie college | Nawoord


def _table_passages(rows: Sequence[Paragraph], leads: dict[int, str], symbols: dict[str, str] | None = None) -> list[_Passage]:
    """One passage per row of a reaction table (Nr. | Aanbeveling | Reactie/Standpunt college | Toelichting |
    Nawoord). A "Toelichting" column joins the reaction; an empty first column that one page's table has and
    its header not (a ruling drawn differently) is dropped."""
    out: list[_Passage] = []
    header: list[str] = []
    for row in rows:
        cells = [c.strip() for c in row.cells]
        lowered = [c.lower() for c in cells]
        if any(re.match(r"^(reactie|standpunt|nawoord)", c) for c in lowered) and all(len(c) < 40 for c in cells):
            header = lowered[1:] if len(lowered) > 2 and not lowered[0] else lowered
            continue
        if not header:
            continue
        if len(cells) > len(header) and not cells[0]:
            cells = cells[1:]
        reaction_col = next((i for i, h in enumerate(header) if re.match(r"^(reactie|standpunt)", h)), None)
        if reaction_col is None or reaction_col >= len(cells):
            continue
        nawoord_col = next((i for i, h in enumerate(header) if h.startswith("nawoord")), None)
        explained = [i for i, h in enumerate(header) if h.startswith("toelichting") and i < len(cells) and i != reaction_col]
        subject = " ".join(c for i, c in enumerate(cells) if i not in (reaction_col, nawoord_col, *explained))
        number_match = re.match(rf"^\s*(?:aanbeveling\s+)?({_NUMBER})\b", subject, re.I)
        number = _number_words(number_match.group(1))[0] if number_match else _quoted(subject, leads)
        explanation = " ".join(cells[i] for i in explained if cells[i])
        if number is None:
            if out and not subject.strip():  # a row continued over a page break
                out[-1].parts.append(cells[reaction_col])
                out[-1].explanation = f"{out[-1].explanation} {explanation}".strip()
            continue
        nawoord = cells[nawoord_col] if nawoord_col is not None and nawoord_col < len(cells) else ""
        # "Reactie college | Standpunt": the answer in words, and the stance in a word in a column of its own
        stance_col = next((i for i, h in enumerate(header) if h.startswith("standpunt") and i != reaction_col
                           and i < len(cells) and cells[i]), reaction_col)
        verdict = (cell_verdict(cells[stance_col]) or (symbols or {}).get(cells[stance_col])
                   or _SYMBOL_VERDICTS.get(cells[stance_col], ""))
        parts = [cells[stance_col], cells[reaction_col]] if stance_col != reaction_col else [cells[reaction_col]]
        out.append(_Passage([number], parts, row.page_start, row.page_end, nawoord,
                            verdict=verdict, explanation=explanation))
    return out


# --------------------------------------------------------------------------------------
# Letters


_OPENING_QUOTE_RE = re.compile(r"^\s*[‘“\"'„]([^’”\"]{15,}?)[’”\"']\s*")


def _quote_of(quote: str, leads: dict[int, str]) -> int | None:
    """The recommendation a quotation repeats, also shortened: most of the quote's words are in it."""
    words = _tokens(quote)
    if len(words) < 4:
        return None
    scored = sorted(((len(words & _tokens(lead)) / len(words), number) for number, lead in leads.items()), reverse=True)
    return scored[0][1] if scored and scored[0][0] >= 0.8 else None


_THEME_OPENING_RE = re.compile(r"^(?:wat\s+betreft|over|ten\s+aanzien\s+van|met\s+betrekking\s+tot|tot\s+slot|dan)\s+"
                               r"(?:het\s+thema\s+)?(?:de|het)?\s*([^,.;:]{3,60})", re.I)
"""How a letter that answers per theme opens a theme's paragraph: "Wat betreft de toegang …", "Over de wachttijden …"."""
_GENERIC_THEME_WORDS = frozenset({"aanbeveling", "aanbevelingen", "conclusie", "conclusies", "thema", "hoofdstuk",
                                  "bevindingen", "reactie", "college"})


def _theme_passages(text: str, themes: dict[int, set[str]], leads: dict[int, str], page: tuple[int, int]) -> list[_Passage]:
    """A paragraph that answers the recommendations of one theme of the report (its opening names the theme:
    "Wat betreft de toegang", "Over de wachttijden") and names none by number: the theme's one
    recommendation answered by the whole paragraph, or, with several, each by the sentences that share its lead's
    words (at least two, and clearly more than another's)."""
    opening = _THEME_OPENING_RE.match(text)
    if not opening:
        return []
    words = {w[:5] for w in _tokens(opening.group(1))}
    named = [n for n, theme in themes.items() if words & {w[:5] for w in theme}]
    if not named or len(named) > 3:
        return []
    if len(named) == 1:
        return [_Passage(named, _sentences(text), *page)]
    out: list[_Passage] = []
    common = set().union(*(themes[n] for n in named))  # the theme's own words name all of its recommendations
    for sentence in _sentences(text):
        words = _tokens(sentence) - common
        shared = sorted(((len(words & _tokens(leads[n])), n) for n in named), reverse=True)
        subject = _BY_SUBJECT_RE.search(sentence)  # "de aanbeveling over overbruggingshulp"
        subject_word = next(iter(sorted(_tokens(subject.group(1).split()[0]))), "") if subject else ""
        by_subject = [n for n in named if subject_word and subject_word in _tokens(leads[n])]
        if shared[0][0] >= 2 and shared[0][0] > shared[1][0]:
            out.append(_Passage([shared[0][1]], [sentence], *page))
        elif len(by_subject) == 1:
            out.append(_Passage(by_subject, [sentence], *page))
    return out


_LETTER_WORDS = frozenset({"aanbeveling", "aanbevelingen", "college", "rekenkamer", "rekenkamercommissie", "nemen",
                           "gemeente", "rapport", "conceptrapport", "onderzoek", "jeugdhulp", "burgemeester",
                           "wethouders", "geachte", "leden", "danken"})
"""Words every paragraph of a reaction letter may use, whatever it answers."""


def _alike(word: str, other: str) -> bool:
    """The same word, the same stem (its first five letters), or one a part of the other's compound
    ("resultaatafspraken" and "afspraken")."""
    return word == other or word[:5] == other[:5] or min(len(word), len(other)) >= 6 and (word in other or other in word)


def _named_by_content(sentence: str, texts: dict[int, str]) -> list[int]:
    """The recommendation an answer's opening sentence is about, in a letter that names none by number: the one
    sharing clearly most of the sentence's words ("Eigen resultaatafspraken met de aanbieders … zien wij niet als
    haalbaar" answers "Maak met de grootste aanbieders afspraken over de resultaten …")."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    words = {w for w in _tokens(sentence) - _LETTER_WORDS if w not in STOP_WORDS and not w.isdigit()}
    if len(words) < 2:
        return []
    scored = sorted(((sum(any(_alike(w, o) for o in _tokens(text)) for w in words), number)
                     for number, text in texts.items()), reverse=True)
    best, second = scored[0][0], scored[1][0] if len(scored) > 1 else 0
    if best >= 2 and best > second and best >= 1.5 * second:
        return [scored[0][1]]
    return []


def _letter_passages(paragraphs: Sequence[Paragraph], leads: dict[int, str],
                     themes: dict[int, set[str]] | None = None,
                     texts: dict[int, str] | None = None) -> tuple[list[_Passage], list[str]]:
    """Passages per recommendation, and the sentences that answer none (the general reaction). `themes` (the words
    of the headings each recommendation stands under) lets a paragraph that answers per theme name them; `texts`
    (the recommendations' whole texts, given when the letter names none by number) lets a paragraph be linked by
    what its opening sentence is about."""
    passages: list[_Passage] = []
    general: list[str] = []
    current: _Passage | None = None
    for para in paragraphs:
        if para.kind in ("footnote", "table_row"):
            continue
        text = para.text.strip()
        marker = _MARKER_RE.match(text)
        by_theme = _theme_passages(text, themes, leads, (para.page_start, para.page_end)) \
            if themes and not marker and not referenced_numbers(text) else []
        if by_theme:
            passages += by_theme
            current = None
            continue
        quoted = _quoted(para.bold_lead or text, leads) if para.kind == "heading" or len(text.split()) < 60 else None
        if not marker and quoted is None and para.kind != "heading":
            # "Uw voorstel om met de regio afspraken te maken over …", "Wat de achterstand … betreft, …": a
            # recommendation named by what it asks, at the start of the paragraph that answers it.
            by_subject = _named_by_subject(text[:200], leads, _OPENING_SUBJECT_RE)
            if not by_subject and texts:
                opening = next(iter(_sentences(text)), text)
                by_subject = _named_by_subject(text[:200], texts, _OPENING_SUBJECT_RE) or _named_by_content(opening, texts)
                if any(number in passage.numbers for passage in passages for number in by_subject):
                    by_subject = []  # one answer per recommendation: a second paragraph about it goes on the first
            if by_subject:
                current = _Passage(by_subject, [], para.page_start, para.page_end)
                passages.append(current)
        opening_quote = _OPENING_QUOTE_RE.match(text) if not marker and quoted is None else None
        named = _quote_of(opening_quote.group(1), leads) if opening_quote else None
        if opening_quote and named is not None:
            # "‘Geef elk doel … een streefwaarde.’ Deze aanbeveling nemen wij over": the quote names
            # the recommendation, the rest answers it.
            current = _Passage([named], _sentences(text[opening_quote.end():]), para.page_start, para.page_end)
            passages.append(current)
            continue
        if para.kind == "heading" and not marker and quoted is None:
            current = None  # "Conclusies in het rapport", "Tenslotte": a new subject
            continue
        if marker and marker.group(4) and _letter_number(marker.group(4)) not in leads:
            marker = None  # a letter beyond the recommendations: an initial ("H. Jansen"), not a reply
        if marker and marker.group(5) and chapter_number_key(marker.group(5)) not in leads:
            marker = None  # "5.2 Nawoord": a section number, not a recommendation's
        if marker or quoted is not None:
            if marker and marker.group(4):
                numbers = [_letter_number(marker.group(4))]
            elif marker:
                numbers = _number_words(next(g for g in marker.groups() if g))  # "Ad 5 en 6."
            else:
                numbers = [quoted] if quoted is not None else []
            current = _Passage(numbers, [], para.page_start, para.page_end)
            passages.append(current)
            rest = text[marker.end():] if marker else ""
            if quoted is not None and not marker:
                continue  # the recommendation quoted again; the answer follows
            if marker and _quoted(rest, leads) == current.numbers[0] and len(rest.split()) < 40:
                continue
            if marker and (marker.group(2) or marker.group(3) or marker.group(5) or marker.group(6)):
                text = rest.lstrip(" :.-–")  # "Aanbeveling 3: <answer>", "2.1 <answer>": the label is not the answer
            if not text:
                continue
        for sentence in _sentences(text):
            numbers = referenced_numbers(sentence)
            each = verdicts_per_reference(sentence) if len(numbers) > 1 else None
            if each:  # "Aanbeveling 1 en 2 nemen wij over, aanbeveling 3 niet": a verdict per recommendation
                passages += [_Passage([number], [sentence], para.page_start, para.page_end, verdict=stance)
                             for number, stance in each.items()]
                current = None
                continue
            if numbers and (current is None or numbers != current.numbers):
                current = _Passage(numbers, [sentence], para.page_start, para.page_end)
                passages.append(current)
            elif current is not None:
                current.parts.append(sentence)
                current.page_end = para.page_end
            else:
                general.append(sentence)
    return passages, general


# --------------------------------------------------------------------------------------
# Nawoord


def _judged_partly(sentence: str) -> bool:
    """The rekenkamer calls the answer partial ("slechts gedeeltelijk overgenomen")."""
    return bool(_PARTLY.search(sentence) or re.search(r"\b(slechts|maar)\s+(ten\s+dele|gedeeltelijk|deels)\b", sentence, re.I))


_REQUEST_RE = re.compile(r"\b(vragen|verzoeken|vraagt|verzoekt|roept|roepen|adviseren|adviseert)\b[^.;]{0,80}\bover\s+te\s+nemen\b", re.I)


_BY_SUBJECT_RE = re.compile(r"\baanbeveling\s+(?:over|om|voor|inzake|ten\s+aanzien\s+van)\s+([^.,;]{6,120})", re.I)


_OPENING_SUBJECT_RE = re.compile(
    r"^(?:ook\s+)?(?:uw|het|de|dit|deze)\s+(?:voorstel|verzoek|advies|aanbeveling)\s+(?:om|over|tot|voor|inzake)\s+([^.,;:]{6,120})|"
    r"^wat\s+([^.,;:]{6,100}?)\s+betreft\b", re.I)
"""How a letter that answers by subject opens its answer to one recommendation."""


def _named_by_subject(sentence: str, leads: dict[int, str], pattern: re.Pattern[str] = _BY_SUBJECT_RE) -> list[int]:
    """A recommendation named by what it asks ("de aanbeveling over het overzicht van wachtende jeugdigen"): the one
    whose lead has most of the subject's words, when one clearly does."""
    found = pattern.search(sentence)
    named = next((group for group in found.groups() if group), "") if found else ""
    # the subject ends where the sentence goes on about it ("… daarom als deels overgenomen")
    subject = re.split(r"\s+(?:daarom|dan\s+ook|als|niet|wel|over\s+te|te|is|wordt|heeft|zijn|nemen|neemt)\b",
                       named, maxsplit=1, flags=re.I)[0]
    words = _tokens(subject)
    if len(words) < 2 and not any(len(word) >= 8 for word in words):  # one long word ("wachtlijsten") names it too
        return []

    def share(lead: str) -> float:
        """Words of the subject in the lead, a word only alike in its first five letters counting half."""
        lead_words = _tokens(lead)
        stems = {w[:5] for w in lead_words}
        return sum(1.0 if w in lead_words else 0.5 if w[:5] in stems else 0.0 for w in words) / len(words)

    scored = sorted(((share(lead), number) for number, lead in leads.items()), reverse=True)
    if scored and scored[0][0] >= 0.6 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return [scored[0][1]]
    return []


_REFERENCE_RE = re.compile(rf"\baanbeveling(?:en)?\s+({_NUMBER}(?:\s*(?:,|en|&)\s*{_NUMBER})*)\b", re.I)


def verdicts_per_reference(sentence: str) -> dict[int, str] | None:
    """Stances of one sentence that gives each recommendation it names its own verdict, the verb said
    once: "… dat het college aanbeveling 1 overneemt, aanbeveling 2 gedeeltelijk en aanbeveling 3
    niet", "Aanbeveling 1 en 2 nemen wij over, aanbeveling 3 niet". None when it names fewer than two
    or gives them all one verdict (read as a whole then)."""
    mentions = list(_REFERENCE_RE.finditer(sentence))
    if len(mentions) < 2:
        return None
    out: dict[int, str] = {}
    for mention, following in zip(mentions, [*mentions[1:], None]):
        part = sentence[mention.end():following.start() if following else len(sentence)]
        if _judged_partly(part) or re.search(r"\b(?:ten\s+dele|gedeeltelijk|deels)\b", part, re.I):
            stance = "deels"
        elif re.search(r"\bniet\b", part, re.I):
            stance = "niet overgenomen"
        elif re.search(r"\bover(?:neemt|nemen|genomen)?\b|\bonderschrij\w*|\bwel\b", part, re.I):
            stance = "overgenomen"
        else:
            return None
        for number in _number_words(mention.group(1)):
            out[number] = stance
    return out if len(set(out.values())) > 1 else None


def nawoord_verdicts(text: str, leads: dict[int, str] | None = None) -> tuple[dict[int, tuple[str, str]], set[int]]:
    """Stances the rekenkamer states in its nawoord: {number: (stance, sentence)}, 0 for all; and
    the numbers whose verdict corrects the college — a sentence about that one recommendation, or
    a downgrade. One that sums up several ("verheugd dat het college de aanbevelingen 1, 2 en 4
    overneemt") only fills gaps."""
    verdicts: dict[int, tuple[str, str]] = {}
    corrections: set[int] = set()
    previous: list[int] = []
    for sentence in _sentences(text):
        lowered = sentence.lower()
        named = referenced_numbers(sentence) or _named_by_subject(sentence, leads or {})
        # "… schrijft het college aanbeveling 3 over te nemen. … De rekenkamer beschouwt de
        # aanbeveling daarom als deels overgenomen.": the aanbeveling of the sentence before.
        if not named and previous and re.search(r"\b(de|deze)\s+aanbeveling\b", lowered):
            named = previous
        previous = named
        if ("aanbeveling" not in lowered and not _CODE_RE.search(sentence)) or _REQUEST_RE.search(sentence):
            continue  # no verdict, or a request ("Wij vragen de raad aanbeveling 5 over te nemen")
        each = verdicts_per_reference(sentence)
        if each:
            for number, stance in each.items():
                verdicts[number] = (stance, sentence)
                corrections.add(number)
            continue
        if _judged_partly(sentence):
            stance = "deels"
        elif _NEGATIVE.search(sentence) or re.search(r"niet\s+(worden\s+)?overgenomen|\bbetreur\w*", lowered):
            stance = "niet overgenomen"
        elif re.search(r"overgenomen|overneemt|overnemen|neemt\s+.*\bover\b|onderschrijft", lowered):
            stance = "overgenomen"
        else:
            continue
        numbers = named
        if not numbers and _ALL_RE.search(sentence):
            verdicts.setdefault(0, (stance, sentence))
        for number in numbers:
            verdicts[number] = (stance, sentence)
            if len(numbers) == 1 or stance != "overgenomen":
                corrections.add(number)
    return verdicts, corrections


# --------------------------------------------------------------------------------------
# The stage


def _number_of(item: Item, position: int) -> int:
    """The number a reaction refers to an item by: its printed number (per chapter, "2.1", as its key); a
    sub-numbered one ("1a", "3b", referred to by quoting it) gets a number of its own that no printed
    "aanbeveling 2" hits."""
    if item.number.isdigit() and 0 < int(item.number) < 50:
        return int(item.number)
    key = chapter_number_key(item.number)
    if key is not None:
        return key
    if re.fullmatch(r"\d{1,2}[a-z]", item.number):
        return 100 + position
    return position


_LABELLED_RECOMMENDATION_RE = re.compile(rf"^\s*(?:aanbeveling\s+({_NUMBER}|[a-h])\b|({_NUMBER})[.)]\s)", re.I)


def _inline_answers(paragraphs: Sequence[Paragraph], places: Sequence[Placement]) -> tuple[list[Paragraph], list[Paragraph]]:
    """Answers set under each recommendation in an item section ("Aanbeveling 2: …" then "Reactie van het college:
    …", "Nawoord: …"), as reaction and nawoord paragraphs that name the recommendation above them."""
    reaction: list[Paragraph] = []
    nawoord: list[Paragraph] = []
    current = ""
    for para, place in zip(paragraphs, places):
        if place.role not in (Role.AANBEVELING, Role.MIXED, Role.SAMENVATTING) or para.kind in ("heading", "footnote"):
            continue
        label = _LABELLED_RECOMMENDATION_RE.match(para.text)
        if label:
            current = label.group(1) or label.group(2)
            continue
        for pattern, into in ((INLINE_REACTION_RE, reaction), (INLINE_NAWOORD_RE, nawoord)):
            match = pattern.match(para.text)
            if match and current:
                body = para.text[match.end():].strip()
                into.append(replace(para, text=f"Aanbeveling {current}: {body}" if into is reaction else body))
    return reaction, nawoord


def link_reactions(items: Sequence[Item], paragraphs: Sequence[Paragraph], places: Sequence[Placement]) -> list[Item]:
    """Attach the college's reaction, its stance and the sentence it rests on to every aanbeveling."""
    recommendations = [it for it in items if it.type == "aanbeveling"]
    if not recommendations:
        return list(items)
    numbers = {it.item_id: _number_of(it, i) for i, it in enumerate(recommendations, start=1)}
    if len(set(numbers.values())) != len(numbers):  # printed numbers repeat (per chapter): count instead
        numbers = {it.item_id: i for i, it in enumerate(recommendations, start=1)}
    leads = {numbers[it.item_id]: it.lead or it.text for it in recommendations}
    reaction = [p for p, pl in zip(paragraphs, places) if pl.role is Role.REACTIE and p.index != pl.anchor]
    nawoord = [p for p, pl in zip(paragraphs, places) if pl.role is Role.NAWOORD and p.kind not in ("heading", "footnote")]
    inline_reaction, inline_nawoord = _inline_answers(paragraphs, places)
    reaction += inline_reaction
    nawoord += inline_nawoord
    # A reaction table, or the table of recommendations itself with a "Reactie college" column beside them.
    answered_in_place = [p for p, pl in zip(paragraphs, places) if p.kind == "table_row"
                         and pl.role in (Role.AANBEVELING, Role.MIXED)]
    symbols = symbol_legend(reaction)
    passages = (_table_passages([p for p in reaction if p.kind == "table_row"], leads, symbols)
                + _table_passages(answered_in_place, leads, symbols))
    # Unnumbered recommendations may be answered per theme of the report: the words of the headings they stand under.
    themes = {numbers[it.item_id]: {w for heading in it.section_path for w in _tokens(heading)} - _GENERIC_THEME_WORDS
              for it in recommendations}
    # A letter that names no recommendation by number may answer each by what it is about.
    # (Not where it answers them all at once: "Het college neemt alle aanbevelingen over.")
    by_number_anywhere = any(referenced_numbers(p.text) or _MARKER_RE.match(p.text.strip()) for p in reaction)
    answers_all = any(_ALL_RE.search(s) and stance_of(s)[0] != "onbekend" for p in reaction for s in _sentences(p.text))
    texts = None if by_number_anywhere or answers_all else {numbers[it.item_id]: it.text for it in recommendations}
    letter, general = _letter_passages(reaction, leads, themes, texts)
    passages += letter
    verdicts, corrections = nawoord_verdicts(" ".join(p.text for p in nawoord), leads)
    blanket = [s for s in general if _ALL_RE.search(s) and stance_of(s)[0] != "onbekend"]
    by_number: dict[int, list[_Passage]] = {}
    for passage in passages:
        for number in passage.numbers:
            by_number.setdefault(number, []).append(passage)
    linked: list[Item] = []
    for item in items:
        if item.type != "aanbeveling":
            linked.append(item)
            continue
        number = numbers[item.item_id]
        own = by_number.get(number, [])
        text = " ".join(p.text for p in own).strip()
        pages = (own[0].page_start, own[-1].page_end) if own else (item.page_start, item.page_end)
        stance, evidence = stance_of(text) if text else ("onbekend", "")
        explanation = " ".join(p.explanation for p in own if p.explanation)
        if explanation and stance == "onbekend" and not evidence:
            stance, evidence = stance_of(explanation)
        text = f"{text} {explanation}".strip()
        in_a_word = next((p for p in own if p.verdict), None)
        if in_a_word is not None:  # the table's "Standpunt college" cell says it in a word
            stance, evidence = in_a_word.verdict, in_a_word.parts[0] if in_a_word.verdict != "onbekend" else ""
        # "… nemen de aanbevelingen die aan ons zijn gericht over" leaves those for the raad alone.
        covers = bool(blanket) and not (item.addressee == "raad" and _TO_US_RE.search(blanket[0]))
        if covers and (not own or stance == "onbekend" and not evidence):
            # No answer of its own, or one that only describes what will happen: the blanket
            # statement ("Het college neemt alle aanbevelingen over") decides.
            stance, evidence = stance_of(blanket[0])
            text = text or blanket[0]
        table_nawoord = " ".join(p.nawoord for p in own if p.nawoord)
        verdict = _nawoord_cell(table_nawoord) if table_nawoord else None
        if verdict and (verdict[0] != stance or not evidence):
            stance, evidence = verdict  # the rekenkamer's column corrects the college's answer
        # The nawoord corrects the college's stance; where it only agrees, the college's own
        # sentence stays the evidence.
        correction = verdicts.get(number)
        if correction and (not evidence or stance == "onbekend" or correction[0] != stance and number in corrections):
            stance, evidence = correction
        elif 0 in verdicts and not own and not blanket:
            stance, evidence = verdicts[0]
        if not text and stance == "onbekend":
            linked.append(item)
            continue
        linked.append(replace(item, reaction=Reaction(text=text, stance=stance, page_start=pages[0],
                                                      page_end=pages[1], evidence=evidence)))
    return linked


def _nawoord_cell(text: str) -> tuple[str, str] | None:
    """The verdict of a nawoord cell, which judges without naming the number ("De rekenkamer
    beschouwt deze aanbeveling als gedeeltelijk overgenomen", "betreurt dit")."""
    for sentence in _sentences(text):
        if _judged_partly(sentence):
            return "deels", sentence
        if re.search(r"niet\s+(worden\s+)?overgenomen|niet\s+over(genomen|nemen|neemt)|\bbetreurt\b", sentence, re.I):
            return "niet overgenomen", sentence
    return None
