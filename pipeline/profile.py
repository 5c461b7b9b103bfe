"""Report profiles: the research design of a report — questions, norms, methods and scope.

The NVRR metadossier records for every report its central question and sub-questions, its
normenkader, its research approach, and the period and gemeenten it covers. These are read
from the extracted paragraphs by pure functions. Only what the document states is kept: a
field the document lacks stays None or empty, and every question, norm and method carries
the page and heading path of the paragraph it came from.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from .display import method_name
from .records import BBox, Item, Paragraph, ReportMeta

METHODS: tuple[str, ...] = (
    "documentonderzoek", "interviews", "dossieronderzoek", "casusonderzoek", "financiele_analyse",
    "analyse_bestaande_gegevens", "enquete", "bijeenkomsten", "overig",
)


@dataclass(frozen=True)
class Source:
    """Where a profile field was read: the pages, box and heading path of its paragraph."""

    page_start: int
    page_end: int
    bbox: BBox | None = None
    section_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """A research question as printed; `number` is the printed number, else its position."""

    number: str
    text: str
    group: str | None
    source: Source


@dataclass(frozen=True)
class Norm:
    """One norm of the normenkader, with the deelvraag and theme the report files it under."""

    text: str
    sub_question: str | None
    theme: str | None
    label: str | None
    source: Source


@dataclass(frozen=True)
class MethodUse:
    """A research method (one of METHODS) and the sentence that shows the report used it."""

    method: str
    evidence: str
    source: Source


@dataclass(frozen=True)
class ConclusionLink:
    """A conclusion the report itself ties to a deelvraag (by number)."""

    sub_question: str
    conclusion: str
    source: Source


@dataclass(frozen=True)
class Profile:
    """The research design of one report."""

    report_id: str
    title: str | None = None
    rekenkamer: str | None = None
    gemeenten: tuple[str, ...] = ()
    year: int | None = None
    period: str | None = None
    doelstelling: str | None = None
    central_question: Question | None = None
    sub_questions: tuple[Question, ...] = ()
    norms: tuple[Norm, ...] = ()
    methods: tuple[MethodUse, ...] = ()
    interviewed: tuple[str, ...] = ()
    conclusion_links: tuple[ConclusionLink, ...] = ()

    @property
    def method_names(self) -> tuple[str, ...]:
        """The distinct methods used, in the order of METHODS."""
        found = {m.method for m in self.methods}
        return tuple(m for m in METHODS if m in found)


# --------------------------------------------------------------------------------------
# Reading the document: clean paragraphs with their heading paths


@dataclass(frozen=True)
class _Para:
    para: Paragraph
    path: tuple[str, ...]
    pseudo_heading: bool
    excluded: bool
    """Inside a bijlage, bronnenlijst, inhoudsopgave, voorwoord, reactie or nawoord."""

    @property
    def text(self) -> str:
        return self.para.text

    def source(self) -> Source:
        p = self.para
        return Source(p.page_start, p.page_end, p.bbox, self.path)


_TERMINAL = ".?!:;"
_EXCLUDED_HEADING = re.compile(
    r"^(bijlagen?|bronvermelding|bronnen|literatuur\w*|inhoudsopgave|inhoud|(lijst\s+(met|van)\s+)?afkortingen|"
    r"colofon|voorwoord|dankwoord|nawoord|naschrift|bestuurlijke\s+reactie|reactie\s+van)\b",
    re.I,
)


def _strip_number(heading: str) -> str:
    return re.sub(r"^(\d+(\.\d+)*|[A-Z])[.:)]?\s+", "", heading.strip()) or heading


def _is_furniture(p: Paragraph, body: float) -> bool:
    """Running headers, footnote markers, page numbers and table-of-contents lines."""
    text = p.text.strip()
    if not text or re.fullmatch(r"[\d\s*]{1,4}", text):
        return True
    if re.search(r"(\.\s){4,}", text):
        return True
    return p.kind == "text" and p.size < body * 0.95 and p.bbox[1] < 60


def _join(a: str, b: str) -> str:
    if re.search(r"[a-zà-ÿ]-$", a):
        return a[:-1] + b
    return re.sub(r"\s+([,;])", r"\1", f"{a} {b}")


def _clean(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """Drop page furniture and glue paragraphs that a page break or footnote marker split."""
    sizes = [p.size for p in paragraphs if p.kind in ("text", "list_item")]
    body = statistics.median(sizes) if sizes else 10.0
    out: list[Paragraph] = []
    for p in paragraphs:
        if p.kind == "footnote" or _is_furniture(p, body):
            continue
        prev = out[-1] if out else None
        if (
            prev is not None
            and p.kind == "text"
            and prev.kind in ("text", "list_item")
            and prev.text.rstrip()[-1:] not in _TERMINAL
            and re.match(r"[a-zà-ÿ]", p.text)
            and p.page_start - prev.page_end <= 1
        ):
            out[-1] = replace(prev, text=_join(prev.text.rstrip(), p.text.strip()), page_end=p.page_end)
            continue
        out.append(p)
    return out


def _is_label(text: str, max_words: int = 5) -> bool:
    """A short title-like line: a pseudo-heading, a table group row, a theme label."""
    text = text.strip()
    words = text.split()
    return (
        0 < len(words) <= max_words
        and text[-1] not in _TERMINAL + ","
        and text[0].isupper()
        and not re.match(r"^\d", text)
    )


def _read(paragraphs: Sequence[Paragraph]) -> list[_Para]:
    """Clean paragraphs with their heading path; short title lines count as sub-headings."""
    cleaned = _clean(paragraphs)
    stack: list[tuple[int, str]] = []
    out: list[_Para] = []
    for i, p in enumerate(cleaned):
        nxt = cleaned[i + 1] if i + 1 < len(cleaned) else None
        pseudo = (
            p.kind == "text"
            and _is_label(p.text, 4)
            and nxt is not None
            and len(nxt.text.split()) > 8
            and (not out or out[-1].text.rstrip()[-1:] in _TERMINAL or out[-1].para.kind == "heading")
        )
        if p.kind == "heading":
            while stack and stack[-1][0] >= p.level:
                stack.pop()
            stack.append((p.level, p.text))
        elif pseudo:
            while stack and stack[-1][0] >= 99:
                stack.pop()
            stack.append((99, p.text))
        path = tuple(h for _, h in stack)
        excluded = any(_EXCLUDED_HEADING.match(_strip_number(h)) for h in path)
        out.append(_Para(p, path, pseudo, excluded))
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"‘(])", text) if s.strip()]


def _unquote(text: str) -> str:
    return text.strip().strip("“”\"'‘’").strip()


# --------------------------------------------------------------------------------------
# Central question, doelstelling, sub-questions


_CENTRAL_RE = re.compile(
    r"\b(hoofdvraag|hoofdonderzoeksvraag|centrale\s+(onderzoeks)?vraag(stelling)?|algemene\s+vraagstelling|"
    r"probleemstelling|onderzoeksvraag\s+luidt|vraagstelling\s+luidt)\b[^.?!]*?:",
    re.I,
)
_AIM_RE = re.compile(r"\b(doelstelling|doel\s+van\s+(het|dit)\s+onderzoek|onderzoeksdoel)\b[^.?!]*?:\s*$", re.I)
_BLOCK_RE = re.compile(r"\b(deelvragen|onderzoeksvragen|subvragen|(volgende|onderstaande)\s+vragen)\b[^.?!]*:\s*$", re.I)
_NUMBERED_RE = re.compile(r"^(?:(?P<group>[A-Z][^\d?:.]{0,40}?)\s+)?(?P<num>\d{1,2})\s*[.)]\s+(?P<text>.+)$", re.S)


def _first_question(text: str) -> str | None:
    """The question that opens `text`, or None when a sentence ends before any question mark."""
    text = _unquote(text)
    end = text.find("?")
    if end <= 0 or re.search(r"[.!]\s+[A-Z“\"]", text[:end]):
        return None
    return _unquote(text[: end + 1])


def _central_question(paras: Sequence[_Para]) -> Question | None:
    """The question after "de volgende hoofdvraag:" (same or next paragraph), first occurrence."""
    for i, p in enumerate(paras):
        if p.excluded:
            continue
        match = _CENTRAL_RE.search(p.text)
        if not match:
            continue
        inline = _first_question(p.text[match.end():])
        if inline:
            return Question("0", inline, None, p.source())
        if i + 1 < len(paras) and not p.text[match.end():].strip():
            nxt = _first_question(paras[i + 1].text)
            if nxt:
                return Question("0", nxt, None, paras[i + 1].source())
    return None


def _doelstelling(paras: Sequence[_Para]) -> str | None:
    """The stated aim after "de volgende doelstelling:"; list items are joined with " - "."""
    for i, p in enumerate(paras):
        if p.excluded or not _AIM_RE.search(p.text):
            continue
        items = []
        for q in paras[i + 1:]:
            if q.para.kind == "list_item":
                items.append(q.text.strip())
            elif not items and q.para.kind == "text":
                return q.text.strip()
            else:
                break
        if items:
            return " - ".join(items)
    return None


def _split_run(text: str) -> list[str]:
    """Split "2. a, 3. b, 4. c" (list items the extractor glued) at consecutive numbers."""
    marks = list(re.finditer(r"(?:^|(?<=\s))(\d{1,2})\s*[.)]\s", text))
    keep = [marks[0]] if marks and marks[0].start() == 0 else []
    for m in marks[1:]:
        if keep and int(m.group(1)) == int(keep[-1].group(1)) + 1:
            keep.append(m)
    if len(keep) < 2:
        return [text]
    bounds = [m.start() for m in keep] + [len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:])]


def _trim_tail(text: str) -> str:
    """Cut a heading the extractor glued after the last question mark ("…doelstellingen? Maatschappelijke relevantie")."""
    end = text.rfind("?")
    if 0 < end < len(text) - 1 and _is_label(text[end + 1:], 4):
        return text[: end + 1]
    return text.strip()


def _sub_questions(paras: Sequence[_Para]) -> tuple[Question, ...]:
    """Every list of questions introduced by "… de volgende deelvragen/onderzoeksvragen:"."""
    out: list[Question] = []
    seen: set[str] = set()
    for i, p in enumerate(paras):
        if p.excluded or not _BLOCK_RE.search(p.text):
            continue
        group: str | None = None
        stem = ""
        for q in paras[i + 1:]:
            if q.para.kind == "heading" or q.excluded:
                break
            if q.para.kind == "text" and q.text.rstrip().endswith(":") and "?" not in q.text:
                stem = q.text.rstrip()[:-1].strip()
                continue
            if q.para.kind == "text" and _is_label(q.text, 4):
                group = q.text.strip()
                continue
            pieces = _split_run(q.text)
            numbered = any(_NUMBERED_RE.match(piece) for piece in pieces)
            if q.para.kind != "list_item" and not numbered and not q.text.rstrip().endswith("?"):
                break
            for piece in pieces:
                number, text = "", piece
                match = _NUMBERED_RE.match(piece)
                if match:
                    number, text = match.group("num"), match.group("text")
                    if match.group("group") and len(match.group("group").split()) <= 4:
                        group = match.group("group").strip()
                text = _trim_tail(text)
                if stem and re.match(r"[a-zà-ÿ]", text):
                    text = f"{stem} {text.rstrip(',;.')}"
                elif "?" not in text:
                    continue
                key = re.sub(r"\W+", " ", text.lower()).strip()
                if key in seen:
                    continue
                seen.add(key)
                out.append(Question(number or str(len(out) + 1), text, group, q.source()))
    return tuple(out)


# --------------------------------------------------------------------------------------
# Norms


_NORM_SECTION_RE = re.compile(
    r"^(bijlage\s+\w+\s*[:.-]?\s*)?(het\s+)?(gehanteerde\s+)?(normenkader|toetsingskader|beoordelingskader|normen)\b", re.I
)
_TABLE_HEADER_RE = re.compile(
    r"^((deel|sub|onderzoeks)?vraag|thema|norm(en)?|criteri(um|a)|toelichting|nr\.?)(\s+|\s*\|\s*|$)+"
    r"((deel|sub|onderzoeks)?vraag|thema|norm(en)?|criteri(um|a)|toelichting)?\s*$",
    re.I,
)
_NOT_A_LABEL = {"de", "het", "een", "er", "alle", "elke", "bij", "in", "op", "voor", "met", "indien", "wanneer"}
_INLINE_NORM_RE = re.compile(r"^norm(\s+\d+)?\s*:\s*", re.I)


def _split_label(text: str) -> tuple[str | None, str]:
    """"Kaders De raad heeft …" → ("Kaders", "De raad heeft …"); the label column comes first."""
    words = text.split()
    if not words or words[0].lower() in _NOT_A_LABEL:
        return None, text
    for i, word in enumerate(words[1:9], start=1):
        if word[0].isupper():
            return " ".join(words[:i]), " ".join(words[i:])
    if len(words) <= 6 and text[-1] not in _TERMINAL:
        return text, ""
    return None, text


def _norm_sections(paras: Sequence[_Para]) -> list[list[_Para]]:
    """The paragraphs under every normenkader heading, up to the next heading of its level."""
    sections = []
    for i, p in enumerate(paras):
        if p.para.kind != "heading" or not _NORM_SECTION_RE.match(_strip_number(p.text)):
            continue
        body = []
        for q in paras[i + 1:]:
            if q.para.kind == "heading" and q.para.level <= p.para.level:
                break
            body.append(q)
        sections.append(body)
    return sections


@dataclass
class _Row:
    """A normenkader table row being read: its number, its label cell and how many norms it has."""

    number: str | None
    label: str | None
    norms: int = 0


def _row_norm(row: _Row, text: str) -> str:
    """The norm text of a cell, moving a wrapped label glued to it ("… jeugdhulp. resultaten") back to the label."""
    match = re.match(r"^(.*[.;])\s+([a-zà-ÿ][\w\s-]*)$", text.strip())
    unfinished = bool(row.label and re.search(r"\b(en|of|op|van|voor|in|met|tot|de|het)$", row.label))
    if unfinished and match and len(match.group(2).split()) <= 3:
        row.label = f"{row.label} {match.group(2)}"
        return match.group(1)
    return text.strip()


def _table_norms(section: Sequence[_Para]) -> list[Norm]:
    """Rows "N. Label | Norm", theme rows and bullet norms of a normenkader table."""
    norms: list[Norm] = []
    theme: str | None = None
    row: _Row | None = None
    by_question = False

    def add(row: _Row, text: str, q: _Para) -> None:
        text = _row_norm(row, text)
        if text:
            norms.append(Norm(text, row.number if by_question else None, theme, row.label, q.source()))
            row.norms += 1

    for q in section:
        text = q.text.strip()
        if _TABLE_HEADER_RE.match(text):
            by_question = by_question or bool(re.search(r"vraag", text, re.I))
            continue
        if q.para.kind == "table_row" and q.para.cells:
            row, theme = _table_row_norms(q, row, theme, add)
            continue
        match = re.match(r"^(\d{1,2}(?:\.\d{1,2})?)\s*[.)]?\s+(.+)$", text)
        if match and (q.para.kind in ("list_item", "table_row") or q.para.number):
            label, norm = _split_label(match.group(2))
            row = _Row(match.group(1), label)
            if norm:
                add(row, norm, q)
        elif q.para.kind in ("text", "heading") and _is_label(text, 4):
            theme, row = text, None
        elif q.para.kind == "list_item" and q.para.bullet:
            row = row or _Row(None, None)
            add(row, text, q)
        elif row is not None and q.para.kind == "text":
            if row.norms == 0:
                add(row, text, q)
            elif re.match(r"[a-zà-ÿ]", text) and norms:
                norms[-1] = replace(norms[-1], text=f"{norms[-1].text} {text}")
            else:
                row = None
    return norms


def _table_row_norms(q: _Para, row: _Row | None, theme: str | None,
                     add: Callable[[_Row, str, _Para], None]) -> tuple[_Row | None, str | None]:
    """A row read from a ruled table: "N. Label" | norm(s); a row with one short cell is a theme."""
    cells = [c.strip() for c in q.para.cells]
    filled = [c for c in cells if c]
    if len(filled) == 1 and cells[0] and _is_label(cells[0], 4):
        return None, cells[0]
    match = re.match(r"^(\d{1,2}(?:\.\d{1,2})?)\s*[.)]?\s+(.+)$", cells[0])
    if match:
        row = _Row(match.group(1), match.group(2))
    elif cells[0]:
        row = _Row(None, cells[0])
    elif row is None:
        row = _Row(None, None)
    norm_text = " ".join(c for c in cells[1:] if c)
    for part in re.split(r"(?:^|\s)[-•▪]\s+", norm_text):
        if part.strip():
            add(row, part.strip(), q)
    return row, theme


def _norms(paras: Sequence[_Para]) -> tuple[Norm, ...]:
    """Norms of the normenkader table; failing that, the "Norm: …" lines in the chapters."""
    for section in _norm_sections(paras):
        norms = _table_norms(section)
        if norms:
            return tuple(norms)
    inline: list[Norm] = []
    for p in paras:
        sentences = _sentences(_INLINE_NORM_RE.sub("", p.text)) if _INLINE_NORM_RE.match(p.text) else []
        if sentences and sentences[0] not in {n.text for n in inline}:
            inline.append(Norm(sentences[0], None, None, None, p.source()))
    return tuple(inline)


# --------------------------------------------------------------------------------------
# Methods


_METHOD_SECTION_RE = re.compile(
    r"\b(onderzoeks\s*verantwoording|verantwoording|onderzoeksaanpak|aanpak|werkwijze|methode\w*|methodolog\w*|"
    r"onderzoeksopzet|opzet|dataverzameling|zoekstrategie|interviews|uitvoering\s+van\s+het\s+onderzoek)\b",
    re.I,
)
_METHOD_STEPS_RE = re.compile(r"\b(bestaat\s+uit|volgende\s+(onderdelen|stappen|methoden|bronnen))\b[^.]*:\s*$", re.I)
_HYPOTHETICAL_RE = re.compile(r"\b(hadden|had|zouden|zou)\b.*\bkunnen\b|\bvervolgonderzoek\b|\bin\s+plaats\s+van\b", re.I)

# Cues inside the research-design sections (anything that names the method).
_SECTION_CUES: dict[str, re.Pattern[str]] = {
    "documentonderzoek": re.compile(
        r"document(en)?analyse|documentonderzoek|documentstudie|(beleids|interne\s+)?document\w*\b.{0,80}\b"
        r"(bestudeerd|geanalyseerd|geraadpleegd|opgevraagd|gebaseerd)|gebaseerd\s+op\s+(interne\s+)?documenten",
        re.I,
    ),
    "interviews": re.compile(r"\binterviews?\b|geïnterviewd|\bgesprekken\s+gevoerd", re.I),
    "dossieronderzoek": re.compile(r"dossieronderzoek|dossieranalyse|dossierstudie|dossiers\s+\w*\s*(bestudeerd|geanalyseerd|onderzocht)", re.I),
    "casusonderzoek": re.compile(r"\bcasus(sen|onderzoek)?\b|\bcase\s*stud(y|ies)\b|\bcasestud(y|ies)\b", re.I),
    "financiele_analyse": re.compile(
        r"financiële\s+analyse|analyse\s+van\s+de\s+(begroting\w*|jaarrekening\w*|kosten|uitgaven|lasten)", re.I
    ),
    "analyse_bestaande_gegevens": re.compile(
        r"verschillenanalyse|analyse\s+van\s+(de\s+)?(cijfers|gegevens|data)|(cijfers|gegevens|data)\s+(van|uit)\s+"
        r"(het\s+)?CBS|CBS[-\s](cijfers|gegevens|data)|bestaande\s+(gegevens|data|cijfers)|statistische\s+analyse|"
        r"(cijfers|gegevens)\s+(\w+\s+){0,3}(geanalyseerd|vergeleken)|managementrapportage",
        re.I,
    ),
    "enquete": re.compile(r"\benquêtes?\b|\bvragenlijst(en)?\b", re.I),
    "bijeenkomsten": re.compile(
        r"focusgroep\w*|groepsgesprek\w*|groepsinterview\w*|expertmeeting\w*|expertbijeenkomst\w*|werksessie\w*|"
        r"\bbijeenkomst(en)?\s+(met|georganiseerd|gehouden)",
        re.I,
    ),
    "overig": re.compile(
        r"literatuurstudie|literatuuronderzoek|\bliteratuur\w*\s+(\w+\s+){0,6}geraadpleegd|gereageerd\s+op\s+(een|de)\s+"
        r"(\w+\s+)?concept|in\s+eigen\s+woorden|schriftelijke\s+(input|reactie)",
        re.I,
    ),
}
# Cues strong enough to count anywhere in the body (a report often shows a method outside its
# verantwoording: a comparison with national figures, "in twee casestudies").
_BODY_CUES: dict[str, re.Pattern[str]] = {
    "documentonderzoek": re.compile(r"document(en)?analyse|documentonderzoek", re.I),
    "interviews": re.compile(r"interviews?\s+(gehouden|afgenomen|gevoerd)|\bzijn\s+(\w+\s+)?geïnterviewd", re.I),
    "dossieronderzoek": re.compile(r"dossieronderzoek|dossieranalyse", re.I),
    "casusonderzoek": re.compile(r"\bcase\s*stud(y|ies)\b|\bcasestud(y|ies)\b|casusonderzoek|onderzoekscasussen", re.I),
    "analyse_bestaande_gegevens": re.compile(
        r"verschillenanalyse|\bvergelijk\w*\s+(figuur|tabel)\b.*\b(regionaal|landelijk|benchmark)", re.I
    ),
    "overig": re.compile(r"literatuurstudie\s+uitgevoerd|een\s+literatuurstudie", re.I),
}
_MAX_EVIDENCE = 3
_REFERENCE_BEFORE = re.compile(r"\b(tijdens|uit|na|bij|voor|in)\s+de\s+([\w-]+\s+(en|of)\s+de\s+)?$", re.I)


def _names_method(cue: re.Pattern[str], unit: str) -> bool:
    """The cue names the method as used, not in passing ("vragen die tijdens de interviews rezen")."""
    return any(not _REFERENCE_BEFORE.search(unit[: m.start()]) for m in cue.finditer(unit))


def _in_method_section(p: _Para) -> bool:
    return any(_METHOD_SECTION_RE.search(_strip_number(h)) for h in p.path)


def _method_paras(paras: Sequence[_Para]) -> list[_Para]:
    """Paragraphs of the research-design sections plus the list after "het onderzoek bestaat uit:"."""
    picked: list[_Para] = []
    steps = False
    for p in paras:
        if p.excluded or p.para.kind in ("heading", "footnote") or p.pseudo_heading:
            steps = False
            continue
        if steps and p.para.kind == "list_item":
            picked.append(p)
            continue
        steps = bool(_METHOD_STEPS_RE.search(p.text))
        if _in_method_section(p):
            picked.append(p)
    return picked


def _units(p: _Para) -> list[tuple[str, str]]:
    """(text to match, evidence to show) per sentence; a numbered step's title ("2. Documentanalyse …")
    counts for the step's first sentence but is not part of the evidence."""
    text, title = p.text.strip(), ""
    step = re.match(r"^\d{1,2}[.)]\s+(.+)$", text, re.S)
    if step and p.para.kind == "list_item":
        label, body = _split_label(step.group(1))
        title, text = (label, body) if label and body else ("", step.group(1))
    sentences = [text] if p.para.kind == "list_item" and not title and len(text) < 400 else _sentences(text)
    return [(f"{title} {s}" if title and i == 0 else s, s) for i, s in enumerate(sentences)]


def _methods(paras: Sequence[_Para]) -> tuple[MethodUse, ...]:
    """Methods named in the research-design sections; strong cues elsewhere fill the gaps."""
    found: list[MethodUse] = []
    counts: dict[str, int] = {}
    for p in _method_paras(paras):
        for unit, evidence in _units(p):
            if _HYPOTHETICAL_RE.search(unit):
                continue
            for method, cue in _SECTION_CUES.items():
                if counts.get(method, 0) < _MAX_EVIDENCE and _names_method(cue, unit):
                    counts[method] = counts.get(method, 0) + 1
                    found.append(MethodUse(method, evidence, p.source()))
    for p in paras:
        if p.excluded or p.para.kind in ("heading", "footnote"):
            continue
        for unit in _sentences(p.text):
            for method, cue in _BODY_CUES.items():
                if method not in counts and not _HYPOTHETICAL_RE.search(unit) and cue.search(unit):
                    counts[method] = 1
                    found.append(MethodUse(method, unit, p.source()))
    order = {m: i for i, m in enumerate(METHODS)}
    return tuple(sorted(found, key=lambda m: order[m.method]))


# --------------------------------------------------------------------------------------
# Interviewees (roles only), period, gemeenten, rekenkamer, conclusion links


_INTERVIEWEE_SECTION_RE = re.compile(
    r"geïnterviewd|geinterviewd|gesprekspartners|respondenten|gesproken\s+personen|interviewlijst", re.I
)
_PARTICLES = {"de", "van", "der", "den", "ter", "ten", "te", "het", "'t", "la", "le", "du", "da", "el", "op"}
_TITLES = re.compile(r"^(mevrouw|mevr\.?|meneer|dhr\.?|de\s+heer|drs\.?|dr\.?|mr\.?|ir\.?|prof\.?)\s+", re.I)


_ROLE_WORD = re.compile(
    r"(medewerker|houder|adviseur|manager|arts|co[öo]rdinator|leider|leden|lid|voorzitter|directeur|werker|"
    r"ondersteuner|consulent|regisseur|functionaris|ambtena(a)?r|wethouder|bestuurder|controller|specialist|"
    r"secretaris|griffier|deskundige|ouders?|kinderen|jongeren|gemeente|team|raad|college|commissie|CJG|GGD)",
    re.I,
)


def _looks_like_name(text: str) -> bool:
    """"Gerria Toeter", "mevrouw M. de Jong": capitalised words, initials and particles, no role words."""
    text = _TITLES.sub("", text.strip())
    words = text.split()
    if not 1 <= len(words) <= 5 or not any(w[0].isupper() for w in words) or _ROLE_WORD.search(text):
        return False
    for word in words:
        if word.lower() in _PARTICLES or re.fullmatch(r"([A-Z]\.)+", word):
            continue
        if not re.fullmatch(r"[A-Z][a-zà-ÿ'’-]+", word):
            return False
    return len(words) >= 2 or bool(_TITLES.match(text))


def _role_only(entry: str) -> str | None:
    """"Wethouder gemeente Raalte/ Portefeuillehouder: Gerria Toeter" → the role, no name."""
    entry = re.sub(r"\s*/\s*", " / ", entry.strip().rstrip(";,."))
    parts = re.split(r"\s*(?::|–|—|\s-\s)\s*", entry)
    roles = [part for part in parts if part and not _looks_like_name(part)]
    if not roles or _looks_like_name(entry):
        return None
    return " ".join(roles[:1]) if len(roles) == 1 else ": ".join(roles)


def _split_enumeration(text: str) -> list[str]:
    """Split "a, b, de c en d" into roles; keeps "Jeugd en Gezin"-style names whole."""
    parts = re.split(r",\s*|\s+en\s+(?:met\s+)?(?![A-Z])", text)
    roles = []
    for part in parts:
        part = re.sub(r"^(met\s+)?(een|de|het)\s+", "", part.strip(), flags=re.I).strip(" .;")
        if part and not _looks_like_name(part) and not re.match(r"^\d", part):
            roles.append(part)
    return roles


_PROSE_WHO = [
    re.compile(r"\b(?:interviews?\s+(?:gehouden|gevoerd|afgenomen)\s+met|gesproken\s+met|gesprekken\s+gevoerd\s+met)"
               r"\s+(?P<who>[^.;]+)", re.I),
    re.compile(r"^(?:[\w-]+\s+){0,2}interviews?\s+met\s+(?P<who>[^.;]+)", re.I),
    re.compile(r"^(?P<who>[A-Z].+?)\s+(?:zijn|is|werden|werd)\s+(?:\w+\s+)?geïnterviewd"),
]


def _interviewed(paras: Sequence[_Para]) -> tuple[str, ...]:
    """Roles from a list of interviewees where the report has one, else from the verantwoording."""
    listed: list[str] = []
    for p in paras:
        if p.para.kind == "list_item" and any(_INTERVIEWEE_SECTION_RE.search(h) for h in p.path):
            role = _role_only(p.text)
            if role and role not in listed:
                listed.append(role)
    if listed:
        return tuple(listed)
    roles: list[str] = []
    for p in _method_paras(paras):
        for _, sentence in _units(p):
            place = re.match(r"^In\s+([A-Z][\w-]+)\s+(?:hebben|is|zijn|werd|werden)\b", sentence)
            for pattern in _PROSE_WHO:
                match = pattern.search(sentence)
                if not match:
                    continue
                for role in _split_enumeration(match.group("who")):
                    role = f"{place.group(1)}: {role}" if place else role
                    if role not in roles:
                        roles.append(role)
                break
    return tuple(roles)


_SCOPE_RE = re.compile(
    r"\b(richt\s+zich\s+op|heeft\s+betrekking\s+op|betreft|onderzoeksperiode|onderzochte\s+periode|beslaat|"
    r"kijken\s+(we|wij)\s+naar)\b",
    re.I,
)
_PERIOD_RE = re.compile(
    r"\b((?:eerste|tweede|derde|vierde|laatste)\s+(?:kwartaal|halfjaar|helft)\s+(?:van\s+)?(?:19|20)\d\d|"
    r"(?:19|20)\d\d\s*(?:[-–]|t/m|tot\s+en\s+met|tot)\s*(?:19|20)\d\d)\b",
    re.I,
)


def _period(paras: Sequence[_Para]) -> str | None:
    """The period studied, from a scope sentence in the first part of the report."""
    front = [p for p in paras[: max(40, len(paras) // 3)] if not p.excluded and p.para.kind != "heading"]
    for p in front:
        for sentence in _sentences(p.text):
            if not _SCOPE_RE.search(sentence) or re.search(r"\buitgevoerd\b", sentence, re.I):
                continue
            match = _PERIOD_RE.search(sentence)
            if match:
                return re.sub(r"\s*[-–]\s*", "-", re.sub(r"\s+van\s+", " ", match.group(1)))
    return None


def _gemeenten(meta: ReportMeta, central: Question | None) -> tuple[str, ...]:
    """From the manifest; otherwise the names the central question gives ("de gemeente X en Y")."""
    if meta.gemeente.strip():
        return tuple(g.strip() for g in re.split(r"[;,/]|\s+en\s+", meta.gemeente) if g.strip())
    if central is None:
        return ()
    names: list[str] = []
    for match in re.finditer(r"\bgemeenten?\s+([A-Z][\w'-]{2,}(?:\s+(?:en|,)\s+[A-Z][\w'-]{2,})*)", central.text):
        names.extend(n for n in re.split(r"\s+en\s+|\s*,\s*", match.group(1)) if n not in names)
    return tuple(names)


def _rekenkamer(meta: ReportMeta, paras: Sequence[_Para]) -> str | None:
    if meta.rekenkamer.strip():
        return meta.rekenkamer.strip()
    for p in paras[:15]:
        match = re.search(r"\b(Rekenkamer(?:commissie)?\s+(?:van\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)", p.text)
        if match:
            return match.group(1)
    return None


_CONCLUSION_HEADING = re.compile(r"\b(eind|hoofd|slot|deel)?conclusies?\b", re.I)
_QUESTION_REF = re.compile(r"^(?:antwoord\s+op\s+)?(?:deelvraag|onderzoeksvraag|subvraag)\s+(\d{1,2})\s*[:.)-]?\s*", re.I)


def _conclusion_links(paras: Sequence[_Para]) -> tuple[ConclusionLink, ...]:
    """Conclusions headed by the deelvraag they answer ("Deelvraag 3: …") — only explicit links."""
    links: list[ConclusionLink] = []
    for i, p in enumerate(paras):
        if p.excluded or not any(_CONCLUSION_HEADING.search(_strip_number(h)) for h in p.path):
            continue
        match = _QUESTION_REF.match(p.text)
        if not match:
            continue
        rest = p.text[match.end():].strip()
        if (not rest or p.para.kind == "heading") and i + 1 < len(paras):
            rest, p = paras[i + 1].text.strip(), paras[i + 1]
        if rest:
            links.append(ConclusionLink(match.group(1), rest, p.source()))
    return tuple(links)


# --------------------------------------------------------------------------------------
# The profile


def build_profile(paragraphs: Sequence[Paragraph], meta: ReportMeta) -> Profile:
    """Read the research design of one report from its paragraphs (as extracted or as stored)."""
    paras = _read(paragraphs)
    central = _central_question(paras)
    return Profile(
        report_id=meta.report_id,
        title=meta.title.strip() or None,
        rekenkamer=_rekenkamer(meta, paras),
        gemeenten=_gemeenten(meta, central),
        year=meta.year,
        period=_period(paras),
        doelstelling=_doelstelling(paras),
        central_question=central,
        sub_questions=_sub_questions(paras),
        norms=_norms(paras),
        methods=_methods(paras),
        interviewed=_interviewed(paras),
        conclusion_links=_conclusion_links(paras),
    )


def paragraph_from_row(row: Mapping[str, Any]) -> Paragraph:
    """A stored paragraph row (Store.paragraphs) back as a Paragraph record."""
    return Paragraph(
        index=int(row["idx"]),
        kind=row["kind"],
        text=row["text"],
        page_start=int(row["page_start"]),
        page_end=int(row["page_end"]),
        bbox=(row["x0"] or 0.0, row["top"] or 0.0, row["x1"] or 0.0, row["bottom"] or 0.0),
        size=float(row["size"]),
        bold=bool(row["bold"]),
        bold_lead=row["bold_lead"],
        bullet=row["bullet"],
        level=int(row["level"]),
        number=row["number"],
        cells=tuple(json.loads(row["cells"])) if row.get("cells") else (),
        table=int(row.get("table_id", -1)),
        box=int(row.get("box", -1)),
    )


def meta_from_row(row: Mapping[str, Any]) -> ReportMeta:
    """A stored report row (Store.report) as ReportMeta."""
    return ReportMeta(
        report_id=row["id"], title=row["title"] or "", gemeente=row["gemeente"] or "",
        rekenkamer=row["rekenkamer"] or "", year=row["year"], doc_type=row["doc_type"], file_name=row["file_name"],
    )


def profile_items(profile: Profile, report_id: str, start: int = 0) -> list[Item]:
    """Research questions (Q0 = central question, Q1… sub-questions) and norms (N1…) as Items.

    `start` is the order of the first item, so they can follow the report's other items.
    """
    items: list[Item] = []

    def item(suffix: str, kind: str, text: str, number: str, source: Source, extra: dict[str, str]) -> None:
        items.append(Item(
            item_id=f"{report_id}:{suffix}", report_id=report_id, type=kind, lead=text, text=text,
            section_path=source.section_path, page_start=source.page_start, page_end=source.page_end,
            order=start + len(items), bbox=source.bbox, number=number,
            extra={k: v for k, v in extra.items() if v},
        ))

    if profile.central_question:
        q = profile.central_question
        item("Q0", "onderzoeksvraag", q.text, "", q.source, {"role": "hoofdvraag"})
    for n, q in enumerate(profile.sub_questions, start=1):
        item(f"Q{n}", "onderzoeksvraag", q.text, q.number, q.source,
             {"role": "deelvraag", "group": q.group or "", "sub_question": q.number})
    for n, norm in enumerate(profile.norms, start=1):
        item(f"N{n}", "norm", norm.text, str(n), norm.source,
             {"group": norm.theme or "", "sub_question": norm.sub_question or "", "label": norm.label or ""})
    return items


# --------------------------------------------------------------------------------------
# Exports


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    """Plain JSON-ready dict; the shape of `metadossier profile --format json`."""
    data = asdict(profile)
    data["method_names"] = list(profile.method_names)
    return data


def _pages(source: Source) -> str:
    if source.page_end != source.page_start:
        return f"p. {source.page_start}-{source.page_end}"
    return f"p. {source.page_start}"


def profile_markdown(profile: Profile, *, heading: bool = True) -> str:
    """A readable one-page summary, with pages, for reviewers. Without `heading` (the explorer,
    which shows the report's title and sources itself) it leaves out the title and the report id."""
    none = "_niet vermeld_"
    lines = [f"# {profile.title or profile.report_id}", ""] if heading else []
    for label, value in (
        *((("Rapport", profile.report_id), ("Rekenkamer", profile.rekenkamer),
           ("Gemeenten", ", ".join(profile.gemeenten)), ("Jaar", profile.year)) if heading else ()),
        ("Periode", profile.period), ("Doelstelling", profile.doelstelling),
    ):
        lines.append(f"- **{label}:** {value if value not in (None, '') else none}")
    cq = profile.central_question
    lines += ["", "## Centrale vraag", "", f"{cq.text} ({_pages(cq.source)})" if cq else none, "", "## Deelvragen", ""]
    group: str | None = None
    for q in profile.sub_questions:
        if q.group and q.group != group:
            group = q.group
            lines.append(f"**{group}**")
        lines.append(f"{q.number}. {q.text} ({_pages(q.source)})")
    if not profile.sub_questions:
        lines.append(none)
    lines += ["", "## Normenkader", ""]
    for n in profile.norms:
        where = " / ".join(x for x in (n.theme, f"deelvraag {n.sub_question}" if n.sub_question else "", n.label) if x)
        lines.append(f"- {n.text}" + (f" [{where}]" if where else "") + f" ({_pages(n.source)})")
    if not profile.norms:
        lines.append(none)
    lines += ["", "## Methoden", ""]
    for m in profile.methods:
        lines.append(f"- **{method_name(m.method)}**: “{m.evidence}” ({_pages(m.source)})")
    if not profile.methods:
        lines.append(none)
    lines += ["", "## Geïnterviewd", ""]
    lines += [f"- {role}" for role in profile.interviewed] or [none]
    if profile.conclusion_links:
        lines += ["", "## Conclusies per deelvraag", ""]
        lines += [f"- deelvraag {c.sub_question}: {c.conclusion} ({_pages(c.source)})" for c in profile.conclusion_links]
    return "\n".join(lines) + "\n"


CSV_COLUMNS = (
    "report_id", "title", "gemeenten", "rekenkamer", "year", "period", "doelstelling", "central_question",
    "n_sub_questions", "sub_questions", "n_norms", "norms", "methods", "method_evidence", "interviewed",
    "conclusion_links",
)


def profiles_csv_rows(profiles: Iterable[Profile]) -> list[dict[str, Any]]:
    """One row per report, columns as in the NVRR metadossier (lists joined with " | ")."""
    rows = []
    for p in profiles:
        rows.append({
            "report_id": p.report_id,
            "title": p.title or "",
            "gemeenten": " | ".join(p.gemeenten),
            "rekenkamer": p.rekenkamer or "",
            "year": p.year if p.year is not None else "",
            "period": p.period or "",
            "doelstelling": p.doelstelling or "",
            "central_question": p.central_question.text if p.central_question else "",
            "n_sub_questions": len(p.sub_questions),
            "sub_questions": " | ".join(f"{q.number}. {q.text}" for q in p.sub_questions),
            "n_norms": len(p.norms),
            "norms": " | ".join(
                (f"[{n.sub_question}] " if n.sub_question else "") + n.text for n in p.norms
            ),
            "methods": " | ".join(p.method_names),
            "method_evidence": " | ".join(f"{m.method}: {m.evidence}" for m in p.methods),
            "interviewed": " | ".join(p.interviewed),
            "conclusion_links": " | ".join(f"{c.sub_question}: {c.conclusion}" for c in p.conclusion_links),
        })
    return rows
