"""Structure: the report as a tree of sections, each with a role, built once after extraction.

Segmentation asks this tree "which sections are the aanbevelingen, which is the bestuurlijke
reactie?" instead of scanning a flat list. Headings come from the best source the PDF has:
its outline (bookmarks), else its inhoudsopgave (titles with page numbers), else typography
and numbering. Outline and inhoudsopgave also correct what typography gets wrong — a chapter
heading set like body text, a bold lead taken for a heading, a heading run into its paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Literal

from .records import ExtractedDocument, OutlineEntry, Paragraph


class Role(str, Enum):
    NONE = "none"
    CONCLUSIE = "conclusie"
    BEVINDING = "bevinding"
    AANBEVELING = "aanbeveling"
    MIXED = "mixed"
    MIXED_BEVINDING = "mixed_bevinding"
    SAMENVATTING = "samenvatting"
    INLEIDING = "inleiding"
    REACTIE = "reactie"
    NAWOORD = "nawoord"
    EXCLUDED = "excluded"


INLINE_REACTION_RE = re.compile(r"^(bestuurlijke\s+)?(reactie|standpunt)(\s+van)?(\s+het)?\s+(college|b\s*(&|en)\s*w)\s*:", re.I)
INLINE_NAWOORD_RE = re.compile(r"^(nawoord|naschrift)(\s+(van\s+)?de\s+rekenkamer\w*)?\s*:", re.I)
"""The college's answer and the rekenkamer's nawoord set directly under each recommendation, run in with a label."""

STICKY_ROLES = frozenset({Role.REACTIE, Role.NAWOORD, Role.EXCLUDED})
"""Roles that hold for a whole sub-tree: nothing under a reaction or an annex is an item."""

_REACTIE_HEADING_RE = re.compile(r"\b(bestuurlijke\s+reacties?|reacties?\s+(van\s+)?(het\s+|de\s+)?colleges?|wederhoor|"
                                 r"collegereacties?|reacties?\s+van\s+(burgemeester|b\s*(&|en)\s*w))\b", re.I)
_ROLE_PATTERNS: list[tuple[Role, re.Pattern[str]]] = [
    (Role.REACTIE, _REACTIE_HEADING_RE),
    (Role.NAWOORD, re.compile(r"\b(nawoord|naschrift)\b", re.I)),
    (
        Role.EXCLUDED,
        re.compile(
            r"^(bijlage|bijlagen|inhoudsopgave|voorwoord|leeswijzer|literatuur|bronnen|bronvermelding|"
            r"geraadpleegde|lijst\s+met|lijst\s+van|normenkader|afkortingen|colofon|onderzoeksverantwoording|"
            r"opvolging|tot\s+slot|slotopmerking\w*|afsluitend)\b|^(vragen|contact|meer\s+(weten|informatie))\s*[?!.]?\s*$|"
            # Words that also open a findings heading ("Inhoud van de informatie", "Verantwoording aan de raad")
            # mark an annex only as the whole heading or about the research itself.
            r"^(inhoud|verantwoording|vervolg)(\s+(van\s+)?(het|dit)\s+onderzoek)?\s*$|"
            # chapter endnotes (a web-to-PDF engine without footnotes)
            r"^(noten|eindnoten|voetnoten)\s*$",
            re.I,
        ),
    ),
]
_CONCLUSIE_RE = re.compile(r"\b(eind|hoofd|slot|deel)?conclusies?\b|^wat\s+(concluderen|concludeert)\b|"
                           r"^wat\s+(gaat|ging)\s+(goed|er\s+goed)\b|^wat\s+(kan|moet)\s+(beter|anders)\b|"
                           r"^(?:ons\s+|het\s+)?(?:eind)?oordee?l(?:en)?(?:\s+(?:per|over|van)\b.*)?$", re.I)
"""Conclusions: "Conclusies", "Hoofdconclusie", and the rekenkamer's verdicts "Oordeel per norm", "Ons oordeel"."""
_BEVINDING_RE = re.compile(r"\bbevindingen\b|^wat\s+(zagen|zien|vonden|troffen)\s+(wij|we)\b|"
                           r"^wat\s+(hebben|heeft)\s+(wij|we|de\s+rekenkamer\w*)\s+(gezien|gevonden|aangetroffen)\b", re.I)
_AANBEVELING_RE = re.compile(r"\baanbevelingen\b|\baanbeveling\b|^wat\s+(bevelen|beveelt)\b.*\baan\b|"
                             r"^wat\s+(adviseren|adviseert)\b", re.I)
"""Also the questions a rekenkamerbrief heads its parts with: "Wat zagen wij?", "Wat bevelen wij aan?"."""
_SAMENVATTING_RE = re.compile(r"\b(management|bestuurlijke\s+)?samenvatting\b|^in\s+het\s+kort\b", re.I)
_INLEIDING_RE = re.compile(r"^(inleiding|aanleiding|introductie|over\s+(dit|het)\s+onderzoek|onderzoeksopzet|"
                           r"waarom\s+(dit|het|een|deze)\s+(onderzoek|brief|factsheet|rapport|notitie|quickscan|verkenning)|(doel|opzet|aanpak)\s+van\s+(het|dit)\s+onderzoek|"
                           r"wat\s+(hebben\s+)?(wij|we|de\s+rekenkamer\w*)\s+onderzocht|"
                           r"onderzoeksvra(ag|gen)\b|vraagstelling|onderzoeksaanpak|(aanpak|werkwijze)\s*$)\b", re.I)
_FURTHER_RESEARCH_RE = re.compile(r"\b(vervolg\s*onderzoek|vervolgstudie|verder\s+onderzoek|toekomstig\s+onderzoek)\b", re.I)


_CHAPTER_LABEL_RE = re.compile(r"^(?:(?:hoofdstuk|deel)\s+(?:\d{1,2}|(?-i:[IVX]{1,4}))\b\s*[-–—:.]?|"
                               r"(?:(?-i:H)|hfd\.?|hst\.?)\s?\d{1,2}\b\s*[-–—:.]?|(?:§|paragraaf)\s*\d[\d.]*\s*[-–—:]?|[\d.\s]+)\s*",
                               re.I)
"""A heading's number or label: "2.1", "HOOFDSTUK 3 –", "Deel II:", "H2", "§ 2.3", "Paragraaf 4.1"."""


def heading_words(text: str) -> str:
    """A heading's words without its number or label ("2.1 ", "HOOFDSTUK 3 – ", "Deel II: ")."""
    return _CHAPTER_LABEL_RE.sub("", text, count=1).strip()


_OLD_RECOMMENDATIONS_RE = re.compile(
    r"\baanbeveling(en)?\b[^.]{0,80}?(\buit\s+(het\s+rapport\s+)?[‘'\"(]?(19|20)\d\d\b|\((19|20)\d\d\)|"
    r"\buit\s+(het|een)\s+(eerdere?|vorige?)\b|\buit\s+het\s+rapport\b)|"
    r"\b(opvolging|doorwerking|uitvoering)\s+van\s+(de\s+)?(eerdere\s+)?aanbeveling|\bopvolgingsonderzoek\b", re.I)
"""A heading about an earlier report's recommendations ("3.1 Aanbeveling 1 uit 2018: meetbare doelen", "Opvolging
van de aanbevelingen"): what follows is how they were followed up — findings — not new advice."""
_PER_RECOMMENDATION_RE = re.compile(r"\b(bevindingen|oordeel|stand\s+van\s+zaken)\s+per\s+aanbeveling\b", re.I)


_ANNEX_LABEL_RE = re.compile(r"^bijlage\s+(\d{1,2}|[A-Z]|[IVX]{1,4})\s*[:.–—-]?\s+(?P<rest>\S.*)$", re.I)


def heading_role(text: str) -> Role:
    """What a heading announces, from its words alone."""
    stripped = heading_words(text)
    annex = _ANNEX_LABEL_RE.match(stripped)
    set_out = heading_role(annex.group("rest")) if annex else Role.NONE
    if set_out in (Role.AANBEVELING, Role.CONCLUSIE, Role.MIXED):
        # "Bijlage 1 Overzicht van de aanbevelingen": the report's own items set out in an annex (the body may only
        # point to it); an annex on anything else is left out
        return set_out
    if _FURTHER_RESEARCH_RE.search(stripped):
        return Role.EXCLUDED
    if _PER_RECOMMENDATION_RE.search(stripped):
        return Role.BEVINDING
    if _OLD_RECOMMENDATIONS_RE.search(stripped) and not _REACTIE_HEADING_RE.search(stripped):
        return Role.NONE
    if re.match(r"^(onze\s+)?aanbevelingen\b", stripped, re.I) and _REACTIE_HEADING_RE.search(stripped):
        return Role.AANBEVELING  # "Aanbevelingen en reactie van het college": the advice, answered beside it
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(stripped) if role is not Role.EXCLUDED else pattern.match(stripped):
            return role
    conclusie = bool(_CONCLUSIE_RE.search(stripped))
    bevinding = bool(_BEVINDING_RE.search(stripped))
    aanbeveling = bool(_AANBEVELING_RE.search(stripped))
    if aanbeveling and conclusie:
        return Role.MIXED
    if aanbeveling and bevinding:
        return Role.MIXED_BEVINDING
    if aanbeveling:
        return Role.AANBEVELING
    if conclusie:
        return Role.CONCLUSIE
    if bevinding:
        return Role.BEVINDING
    if _SAMENVATTING_RE.search(stripped):
        return Role.SAMENVATTING
    if _INLEIDING_RE.match(stripped):
        return Role.INLEIDING
    return Role.NONE


@dataclass(frozen=True)
class Placement:
    """Where one paragraph stands: its heading path and the role that governs it."""

    path: tuple[str, ...]
    role: Role
    anchor: int
    """Index of the heading paragraph that set the role (-1 when none did)."""
    level: int


@dataclass(frozen=True)
class Section:
    """A heading and what follows it up to the next heading of the same or a higher level."""

    title: str
    number: str
    level: int
    role: Role
    """The role that governs the section (its own, or inherited from a sticky ancestor)."""
    heading: int
    """Index of its heading paragraph; -1 for the document root."""
    page: int
    paragraphs: tuple[int, ...]
    """Indices of the paragraphs directly in this section (not in sub-sections)."""
    children: tuple[Section, ...] = ()

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


HeadingSource = Literal["outline", "inhoudsopgave", "typografie"]


@dataclass(frozen=True)
class ReportDocument:
    """The document model every stage after extraction reads."""

    source: ExtractedDocument
    paragraphs: tuple[Paragraph, ...]
    """Body paragraphs in reading order (headings corrected); furniture is in `source.furniture`."""
    root: Section
    placements: tuple[Placement, ...]
    heading_source: HeadingSource

    def sections(self) -> Iterator[Section]:
        return self.root.walk()


# --------------------------------------------------------------------------------------
# Headings from the inhoudsopgave

_TOC_LINE_RE = re.compile(
    r"^(?:(?P<number>(?:hoofdstuk\s+)?\d{1,2}(?:\.\d{1,2}){0,3}|bijlage\s+[0-9IVXA-Z]{1,4})\.?\s+)?"
    r"(?P<title>\S.*?)(?:\s*[.·…_ ]{2,}\s*|\s+)(?P<page>\d{1,3})$",
    re.I,
)


_NUMBERED_TITLE_RE = re.compile(r"^\d{1,2}(\.\d{1,2}){0,3}\.?\s+[A-Z][^.]{2,80}$")


def toc_entries(document: ExtractedDocument) -> list[OutlineEntry]:
    """Entries of a printed inhoudsopgave (title … page) in the first pages, with levels from
    their numbering. Page numbers are as printed, not PDF page indices."""
    for page in document.pages[:8]:
        lines = [ln.strip() for ln in page.text.splitlines() if ln.strip()]
        if not any(re.match(r"^(inhoudsopgave|inhoud)\b", ln, re.I) for ln in lines):
            continue
        entries = []
        # LaTeX sets a chapter's entry without leaders, its page number apart, among section entries with leaders
        leader_style = sum(bool(_TOC_LEADER_RE.search(line)) for line in lines) >= 3
        for position, line in enumerate(lines):
            match = _TOC_LINE_RE.match(line)
            if not match and leader_style and position + 1 < len(lines) and re.fullmatch(r"\d{1,3}", lines[position + 1]):
                # a chapter's entry without leaders, its page number set apart at the right ("1 Inleiding" / "1")
                match = _TOC_LINE_RE.match(f"{line} .... {lines[position + 1]}") if _NUMBERED_TITLE_RE.match(line) else None
            if not match or re.match(r"^(inhoudsopgave|inhoud)\b", line, re.I):
                continue
            number = (match.group("number") or "").strip()
            digits = re.sub(r"^hoofdstuk\s+", "", number, flags=re.I)
            level = digits.count(".") + 1 if digits[:1].isdigit() else 1
            title = match.group("title").strip().rstrip(".").strip()
            if len(title) < 3 or not re.search(r"[a-zA-Z]", title):
                continue
            entries.append(OutlineEntry(level=level, title=f"{number} {title}".strip(), page=None))
        if len(entries) >= 3:
            return entries
    return []


# --------------------------------------------------------------------------------------
# Matching entries to paragraphs


def _key(text: str) -> str:
    # "2.1 Aanleiding", "2.1Aanleiding" (a browser's bookmark drops the space), "Hoofdstuk 2 …"
    text = re.sub(r"^(hoofdstuk\s+)?(\d{1,2}(\.\d{1,2}){0,3}\.?)(\s+|(?=[A-Za-z]))", "", text.strip(), flags=re.I)
    return re.sub(r"[^a-z0-9]+", "", text.lower())


_TOC_LEADER_RE = re.compile(r"(\.\s?){4,}\s*\d{1,3}\b|[.…·_]{3,}\s*\d{1,3}\s*$")


def _match_entries(entries: Sequence[OutlineEntry], paragraphs: Sequence[Paragraph], start: int) -> dict[int, tuple[OutlineEntry, int]]:
    """{paragraph index: (entry, characters of the paragraph that belong to the heading)}, in order."""
    found: dict[int, tuple[OutlineEntry, int]] = {}
    cursor = start
    for entry in entries:
        key = _key(entry.title)
        if len(key) < 3:
            continue
        for index in range(cursor, len(paragraphs)):
            para = paragraphs[index]
            if para.kind == "footnote" or _TOC_LEADER_RE.search(para.text):
                continue  # a line of the inhoudsopgave, not the heading it points to
            if para.kind == "table_row":
                # A chapter opener drawn between rules reads as a table row ("1 | Inleiding").
                if _key(" ".join(para.cells)) == key or any(_key(c) == key for c in para.cells if c.strip()):
                    found[index] = (entry, -1)
                    cursor = index + 1
                    break
                continue
            if entry.page is not None and abs(para.page_start - entry.page) > 1:
                if para.page_start > entry.page + 1:
                    break
                continue
            text_key = _key(para.text)
            if text_key == key:
                found[index] = (entry, len(para.text))
                cursor = index + 1
                break
            if text_key.startswith(key) and len(key) >= 8:
                found[index] = (entry, _prefix_length(para.text, key))
                cursor = index + 1
                break
    return found


def _prefix_length(text: str, key: str) -> int:
    """How many characters of `text` it takes to spell `key` (the heading run into a paragraph)."""
    seen = 0
    stripped = re.sub(r"^(hoofdstuk\s+)?(\d{1,2}(\.\d{1,2}){0,3}\.?)\s+", "", text, flags=re.I)
    offset = len(text) - len(stripped)
    for position, ch in enumerate(stripped):
        if re.match(r"[a-z0-9]", ch.lower()):
            seen += 1
            if seen == len(key):
                return offset + position + 1
    return len(text)


def _number_of(text: str) -> str:
    match = re.match(r"^(?:hoofdstuk\s+)?(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s", text, re.I)
    return match.group(1) if match else ""


def _section_number(text: str) -> str:
    """A heading's section number ("2", "2.1"), not a list's enumerator ("1. Neem …")."""
    number = _number_of(text)
    return number if number and text[len(number):len(number) + 1] != "." else ""


def _levels_follow_numbering(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A numbered heading that carries on the numbering of the one before it ("6 Nawoord" after
    "5 Bestuurlijke reactie", "2 Normen en bevindingen" after "1 Inleiding") is at its level, also
    where it is set in a smaller type: typography alone would nest a chapter inside the one before."""
    last: dict[int, tuple[tuple[int, ...], int]] = {}
    out: list[Paragraph] = []
    for para in paragraphs:
        number = _section_number(para.text) if para.kind == "heading" else ""
        if number and len(para.text) <= 90:
            parts = tuple(int(x) for x in number.split("."))
            before = last.get(len(parts))
            if before and before[0][:-1] == parts[:-1] and before[0][-1] + 1 == parts[-1] and para.level > before[1]:
                para = replace(para, level=before[1])
            last[len(parts)] = (parts, para.level)
            for deeper in [d for d in last if d > len(parts)]:
                del last[deeper]
        out.append(para)
    return out


def _join_split_headings(paragraphs: list[Paragraph], keys: set[str]) -> list[Paragraph]:
    """A heading set on two lines that typography read as two headings, joined where the
    outline or inhoudsopgave has the whole title."""
    out: list[Paragraph] = []
    for para in paragraphs:
        previous = out[-1] if out else None
        if (previous is not None and previous.kind == "heading" and para.kind == "heading"
                and previous.page_end == para.page_start and _key(previous.text) not in keys
                and _key(previous.text + " " + para.text) in keys):
            out[-1] = replace(previous, text=f"{previous.text} {para.text}")
            continue
        out.append(para)
    return [replace(p, index=i) for i, p in enumerate(out)]


def corrected_paragraphs(document: ExtractedDocument) -> tuple[list[Paragraph], HeadingSource]:
    """The paragraphs with headings set from the outline or inhoudsopgave where there is one."""
    paragraphs = list(document.paragraphs)
    source: HeadingSource = "typografie"
    entries: list[OutlineEntry] = list(document.outline) if len(document.outline) >= 3 else []
    start = 0
    if entries:
        source = "outline"
    else:
        entries = toc_entries(document)
        if entries:
            source = "inhoudsopgave"
            toc_pages = [p.number for p in document.pages[:8] if re.search(r"^(inhoudsopgave|inhoud)\b", p.text, re.I | re.M)]
            start = next((i for i, p in enumerate(paragraphs) if p.page_start > toc_pages[0]), 0)
    if not entries:
        return _levels_follow_numbering(paragraphs), source
    paragraphs = _join_split_headings(paragraphs, {_key(e.title) for e in entries})
    matches = _match_entries(entries, paragraphs, start)
    if len(matches) < max(2, len(entries) // 3):
        return paragraphs, "typografie"
    # An outline that holds only sub-sections ("2.1", "4.2": LibreOffice's Writer/Web bookmarks
    # only its second heading level) sits below the chapters it leaves out: its levels move down,
    # and a chapter heading it lacks ("2 Bevindingen") takes the level its number gives.
    numbered = [(e.level, _number_of(e.title + " ").count(".") + 1) for e in entries if _number_of(e.title + " ")]
    shift = max(0, min(d for _, d in numbered) - min(level for level, _ in numbered)) if numbered else 0
    if shift:
        entries = [replace(e, level=e.level + shift) for e in entries]
        matches = {i: (replace(entry, level=entry.level + shift), length) for i, (entry, length) in matches.items()}
    deepest = max(e.level for e in entries)
    # A numbered entry whose heading is not in the text (display type converted to outlines, a chapter title set as
    # an image) still opens its section: it is put before the first heading numbered under it ("2.1 …").
    matched = {m.title for m, _ in matches.values()}
    unmatched: dict[str, OutlineEntry] = {}
    for position, entry in enumerate(entries):
        number = _number_of(entry.title + " ")
        if not number:  # "Inleiding" printed with its number apart: the number its first sub-entry gives ("1.1 …")
            below = next((_number_of(e.title + " ") for e in entries[position + 1:position + 2]), "")
            number = below.rsplit(".", 1)[0] if below.count(".") == 1 else ""
        if number and entry.title not in matched:
            unmatched[number] = entry
    out: list[Paragraph] = []
    for index, para in enumerate(paragraphs):
        if unmatched and index >= start and (para.kind == "heading" or index in matches):
            number = _number_of((matches[index][0].title if index in matches else para.text) + " ")
            parent = next((n for n in sorted(unmatched, key=len) if number.startswith(n + ".")), None)
            if parent is not None:
                entry = unmatched.pop(parent)
                title = entry.title if _number_of(entry.title + " ") else f"{parent} {entry.title}"
                out.append(replace(para, kind="heading", level=entry.level, text=title, number=parent,
                                   bullet="", bold_lead="", cells=(), table=-1))
        if index in matches:
            entry, length = matches[index]
            if length < 0:  # a heading found in a table row: the row is the heading
                para = replace(para, text=entry.title, cells=(), table=-1)
                length = len(para.text)
            heading_text = para.text[:length].strip()
            rest = para.text[length:].strip()
            out.append(replace(para, kind="heading", level=entry.level, text=heading_text,
                               number=_number_of(heading_text) or _number_of(entry.title), bullet="", bold_lead=""))
            if rest:
                out.append(replace(para, text=rest, bold_lead="" if para.bold_lead.startswith(heading_text) else para.bold_lead))
        elif para.kind == "heading":
            if index < start:
                out.append(para)
            else:
                # Not in the outline: a sub-heading below the deepest outline level, or a bold
                # line that typography took for a heading.
                number = _section_number(para.text)
                if shift and number and number.count(".") < shift:
                    out.append(replace(para, level=number.count(".") + 1))
                else:
                    out.append(replace(para, level=deepest + para.level))
        else:
            out.append(para)
    return [replace(p, index=i) for i, p in enumerate(out)], source


# --------------------------------------------------------------------------------------
# The tree


_BARE_ANNEX_WORD_RE = re.compile(r"^(inhoud|verantwoording|vervolg)\s*$", re.I)
"""A bare "Verantwoording" is the research's own account (an annex) — unless it is a section of the
findings chapter, where it reports how the gemeente accounts for its policy."""


_REPLY_SALUTATION_RE = re.compile(r"^geachte\b[^,.]{0,60}\b(rekenkamer\w*|voorzitter)\b", re.I)
_REPLY_ADDRESS_RE = re.compile(r"^aan\s+(de|het)\s+(gemeenschappelijke\s+)?rekenkamer\w*\b", re.I)
"""A letter's address block: "Aan de rekenkamercommissie Pekela, t.a.v. de voorzitter"."""
_REPLY_SUBJECT_RE = re.compile(r"\b(bestuurlijke\s+reactie|reactie\s+(op|van\s+het\s+college\s+op)\s+(het|uw|de)\s+)", re.I)


def _opens_reply_letter(paragraphs: Sequence[Paragraph], start: int) -> bool:
    """The college's letter to the rekenkamer bound in under a letterhead of its own ("Gemeente Weert", address,
    "Onderwerp: Bestuurlijke reactie …", "Geachte leden van de rekenkamer,"), not under a heading that says so."""
    for para in paragraphs[start + 1:start + 20]:
        if para.kind == "heading":
            return False
        short = len(para.text.split()) <= 15
        labelled_subject = len(para.text.split()) <= 40 and re.search(r"\bonderwerp\s*:", para.text, re.I)
        if _REPLY_SALUTATION_RE.match(para.text) or (short or labelled_subject) and _REPLY_SUBJECT_RE.search(para.text) \
                or _REPLY_ADDRESS_RE.match(para.text):
            return True
    return False


_TOC_HEADING_RE = re.compile(r"^(inhoud|inhoudsopgave|inhoudstafel)\s*$", re.I)


def _toc_entries(paragraphs: Sequence[Paragraph]) -> set[int]:
    """Positions of the headings after "Inhoud" on its page that come back as headings later in the document: an
    inhoudsopgave without dot leaders (a web page's, page numbers in a column of their own) read as headings."""
    def key(text: str) -> str:
        return re.sub(r"[\W\d_]+", "", heading_words(text).lower())

    later: dict[str, int] = {}
    for para in paragraphs:
        if para.kind == "heading":
            words = key(para.text)
            later[words] = max(later.get(words, 0), para.page_start)
    out: set[int] = set()
    for position, para in enumerate(paragraphs):
        if para.kind != "heading" or not _TOC_HEADING_RE.match(para.text.strip()):
            continue
        for index in range(position + 1, len(paragraphs)):
            entry = paragraphs[index]
            if entry.page_start != para.page_start:
                break
            if entry.kind == "heading" and later.get(key(entry.text), 0) > para.page_start:
                out.add(index)
    return out


def placements(paragraphs: Sequence[Paragraph]) -> list[Placement]:
    """The section every paragraph sits in: its heading path and the role that governs it."""
    stack: list[tuple[int, str, Role, int]] = []
    boxes: dict[int, int] = {}  # heading index → the box it heads
    # Boxes that hold text, not only a heading on a coloured band.
    holding = {p.box for p in paragraphs if p.kind != "heading" and p.box >= 0}
    out: list[Placement] = []
    # The document's title (the largest type on page 1) announces no section, whatever its words ("Van aanbeveling
    # naar verbetering?").
    first_page = [p.size for p in paragraphs if p.page_start == 1]
    title_size = max(first_page) if first_page and any(p.page_start > 1 for p in paragraphs) else None
    toc_entries = _toc_entries(paragraphs)
    letter_anchor = -1  # a reply letter that opens a page without a heading of its own (a scan or photo bound in)
    page_label: tuple[int, Role, int, int] | None = None  # (page, role, heading index, level) of a designed page's kicker
    for position, para in enumerate(paragraphs):
        if para.kind == "heading":
            letter_anchor = -1
        elif (position == 0 or paragraphs[position - 1].page_end < para.page_start) and letter_anchor < 0 \
                and _opens_reply_letter(paragraphs, position - 1):
            letter_anchor = para.index
        if position in toc_entries:  # an inhoudsopgave's entry, read as a heading: part of the inhoudsopgave
            out.append(out[-1] if out else Placement((), Role.EXCLUDED, -1, 0))
            continue
        # A heading inside a box (a sidebar "Onze aanbevelingen") governs that box only: the text
        # that carries on outside it is back in the section around it.
        while stack and boxes.get(stack[-1][3], -1) >= 0 and para.box != boxes[stack[-1][3]]:
            stack.pop()
        if para.kind == "heading":
            while stack and stack[-1][0] >= para.level:
                stack.pop()
            role_of_heading = heading_role(para.text)
            if para.page_start == 1 and para.size == title_size and role_of_heading is not Role.REACTIE:
                role_of_heading = Role.NONE
            if role_of_heading is Role.NONE and _opens_reply_letter(paragraphs, position):
                role_of_heading = Role.REACTIE
            if role_of_heading is Role.EXCLUDED and _BARE_ANNEX_WORD_RE.match(heading_words(para.text)) \
                    and any(r is Role.BEVINDING for _, _, r, _ in stack):
                role_of_heading = Role.NONE  # "2.3 Verantwoording" inside the findings chapter: its findings
            stack.append((para.level, para.text, role_of_heading, para.index))
            # Only an unnumbered sub-heading in a box that holds text is a sidebar's title.
            sidebar = para.box in holding and not _number_of(para.text) and len(stack) > 1 \
                and not _LABEL_START_RE.match(para.text)  # a box's label ("AANBEVELING 3"), not a title
            boxes[para.index] = para.box if sidebar else -1
        role, anchor, level = Role.NONE, -1, 0
        for heading_level, _, heading, index in stack:
            # Inside a reaction, nawoord or annex no heading changes the role — except the nawoord
            # inside a chapter that holds both ("3 Reactie van het college en nawoord" › "3.2 Nawoord").
            if role in STICKY_ROLES and not (role is Role.REACTIE and heading is Role.NAWOORD):
                continue
            if heading is not Role.NONE:
                role, anchor, level = heading, index, heading_level
        if letter_anchor >= 0 and role is not Role.NAWOORD:
            role, anchor = Role.REACTIE, letter_anchor  # the college's letter, whatever annex it was bound into
        label_role = _page_label_role(para, paragraphs, position) if para.kind == "heading" else None
        if label_role is not None:
            page_label = (para.page_start, label_role, para.index, para.level)
        elif page_label and page_label[0] != para.page_start:
            page_label = None
        if page_label and role is Role.NONE:
            role, anchor, level = page_label[1], page_label[2], page_label[3]
        out.append(Placement(tuple(h for _, h, _, _ in stack), role, anchor, level))
    return out


def _page_label_role(para: Paragraph, paragraphs: Sequence[Paragraph], position: int) -> Role | None:
    """The part a designed page's kicker names, if the heading is one: a short label in capitals over the page
    ("AANBEVELINGEN", "BEVINDINGEN · 3"), set smaller than the headings under it, names the part the whole page
    belongs to — the larger headings after it on that page (card titles) do not end it."""
    words = re.sub(r"[^\w\s]", " ", para.text).split()
    if not words or len(words) > 3 or not para.text.isupper() or para.number or words[0][0].isdigit():
        return None
    role = heading_role(para.text)
    if role not in (Role.BEVINDING, Role.CONCLUSIE, Role.AANBEVELING, Role.REACTIE, Role.NAWOORD):
        return None
    larger_below = any(p.kind == "heading" and p.page_start == para.page_start and p.size > para.size * 1.2
                       for p in paragraphs[position + 1:position + 30])
    return role if larger_below else None


def _tree(paragraphs: Sequence[Paragraph], places: Sequence[Placement]) -> Section:
    """Sections nested by heading level. While a section is open, its heading (None for the root),
    role, paragraph indices and closed sub-sections are kept; closing makes the frozen Section."""
    Open = tuple[Paragraph | None, Role, list[int], list[Section]]

    def close(node: Open) -> Section:
        heading, role, own, children = node
        if heading is None:
            return Section("", "", 0, role, -1, 1, tuple(own), tuple(children))
        return Section(heading.text, heading.number, heading.level, role, heading.index, heading.page_start,
                       tuple(own), tuple(children))

    stack: list[Open] = [(None, Role.NONE, [], [])]
    for para, place in zip(paragraphs, places):
        if para.kind == "heading":
            while len(stack) > 1 and stack[-1][0].level >= para.level:  # type: ignore[union-attr]
                stack[-2][3].append(close(stack.pop()))
            stack.append((para, place.role if place.anchor >= 0 else Role.NONE, [], []))
        else:
            stack[-1][2].append(para.index)
    while len(stack) > 1:
        stack[-2][3].append(close(stack.pop()))
    return close(stack[0])


_LABEL_START_RE = re.compile(r"^(aanbeveling|conclusie|bevinding)\s+\d", re.I)
_LABEL_ONLY_RE = re.compile(r"^(aanbeveling|conclusie|bevinding)\s+(\d{1,2})\s*[:.]?$", re.I)
_NUMBER_ONLY_RE = re.compile(r"^(\d{1,2})\s*[.)]?$")


def _band_over(label: Paragraph, para: Paragraph) -> bool:
    """A label in a coloured band of its own, right above the framed text it heads (the band is a
    filled box, the frame below is only stroked)."""
    if label.box < 0 or label.bbox is None or para.bbox is None or label.page_end != para.page_start:
        return False
    return 0 <= para.bbox[1] - label.bbox[3] <= 14 and min(label.bbox[2], para.bbox[2]) > max(label.bbox[0], para.bbox[0])


def join_labels(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """A label or number on a line of its own ("AANBEVELING 3" heading a box, "1." above its
    text) joined with the paragraph it labels, as "Aanbeveling 3: …" or a numbered list item."""
    out: list[Paragraph] = []
    pending: Paragraph | None = None
    for para in paragraphs:
        if pending is not None:
            if para.kind in ("text", "list_item", "heading") and (para.box == pending.box or _band_over(pending, para)) \
                    and para.page_start - pending.page_end <= 1:
                label = _LABEL_ONLY_RE.match(pending.text)
                if label:
                    text = f"{label.group(1).capitalize()} {label.group(2)}: {para.text}"
                    out.append(replace(para, kind="text", text=text, level=0, number=label.group(2),
                                       bold_lead=f"{label.group(1).capitalize()} {label.group(2)}: {para.bold_lead}".strip()
                                       if para.bold_lead else "", page_start=pending.page_start, bbox=pending.bbox))
                else:
                    number = _NUMBER_ONLY_RE.match(pending.text).group(1)  # type: ignore[union-attr]
                    out.append(replace(para, kind="list_item", number=f"{number}.", level=0, text=f"{number}. {para.text}",
                                       page_start=pending.page_start, bbox=pending.bbox))
                pending = None
                continue
            out.append(pending)
            pending = None
        if para.kind in ("text", "heading", "list_item") and (_LABEL_ONLY_RE.match(para.text) or _NUMBER_ONLY_RE.match(para.text)):
            pending = para
            continue
        out.append(para)
    if pending is not None:
        out.append(pending)
    return [replace(p, index=i) for i, p in enumerate(out)]


_PART_LABEL_RE = re.compile(r"^(deel|hoofdstuk|part)\s+(\d{1,2}|[IVX]{1,4})\s*[:.]?$", re.I)


def join_part_labels(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """A part's or chapter's label set as a heading of its own ("DEEL 2" in a band above "Nota van bevindingen")
    joined with the title under it, so that the part opens as one heading instead of leaving a bare label behind."""
    out: list[Paragraph] = []
    for para in paragraphs:
        previous = out[-1] if out else None
        if previous is not None and previous.kind == "heading" and para.kind == "heading" \
                and _PART_LABEL_RE.match(previous.text.strip()) and para.page_start == previous.page_end:
            out[-1] = replace(para, text=f"{previous.text.strip()} {para.text}", level=min(previous.level, para.level) or 1,
                              page_start=previous.page_start)
            continue
        out.append(para)
    return out


def build(document: ExtractedDocument) -> ReportDocument:
    """The document model of an extracted PDF."""
    document = replace(document, paragraphs=tuple(join_labels(join_part_labels(document.paragraphs))))
    paragraphs, source = corrected_paragraphs(document)
    places = placements(paragraphs)
    return ReportDocument(
        source=document,
        paragraphs=tuple(paragraphs),
        root=_tree(paragraphs, places),
        placements=tuple(places),
        heading_source=source,
    )
