"""Segmentation: paragraphs → conclusions, findings and recommendations with provenance.

Sections are recognised by their headings ("Conclusies", "Aanbevelingen", "Bevindingen",
"Samenvatting", "Bestuurlijke reactie", "Nawoord", "Bijlage …"). Inside a section that
holds items, an item starts at a lead: a bold lead sentence (with or without bullet), an
"Aanbeveling N:" block, a numbered sub-heading, or — when a section has no leads — each
list item. The college's reaction and the rekenkamer's nawoord are not items: they are
linked to the aanbevelingen they answer, with a stance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from .records import ExtractedDocument, Item, Paragraph, Reaction, ReportMeta, SegmentedReport


class Role(str, Enum):
    NONE = "none"
    CONCLUSIE = "conclusie"
    BEVINDING = "bevinding"
    AANBEVELING = "aanbeveling"
    MIXED = "mixed"
    MIXED_BEVINDING = "mixed_bevinding"
    SAMENVATTING = "samenvatting"
    REACTIE = "reactie"
    NAWOORD = "nawoord"
    EXCLUDED = "excluded"


_STICKY = {Role.REACTIE, Role.NAWOORD, Role.EXCLUDED}
_ITEM_ROLES = {Role.CONCLUSIE, Role.BEVINDING, Role.AANBEVELING, Role.MIXED, Role.MIXED_BEVINDING, Role.SAMENVATTING}

_ROLE_PATTERNS: list[tuple[Role, re.Pattern[str]]] = [
    (Role.REACTIE, re.compile(r"\b(bestuurlijke\s+reactie|reactie\s+(van\s+)?(het\s+)?college|wederhoor)\b", re.I)),
    (Role.NAWOORD, re.compile(r"\b(nawoord|naschrift)\b", re.I)),
    (
        Role.EXCLUDED,
        re.compile(
            r"^(bijlage|inhoudsopgave|inhoud|voorwoord|leeswijzer|literatuur|bronnen|bronvermelding|"
            r"geraadpleegde|lijst\s+met|normenkader|afkortingen|colofon)\b",
            re.I,
        ),
    ),
]
_CONCLUSIE_RE = re.compile(r"\b(eind|hoofd|slot|deel)?conclusies?\b", re.I)
_BEVINDING_RE = re.compile(r"\bbevindingen\b", re.I)
_AANBEVELING_RE = re.compile(r"\baanbevelingen\b|\baanbeveling\b", re.I)
_SAMENVATTING_RE = re.compile(r"\b(management|bestuurlijke\s+)?samenvatting\b", re.I)

_EXPLICIT_ITEM_RE = re.compile(r"^(aanbeveling|conclusie|bevinding)\s+(\d{1,2})\s*[:.\-–]\s*", re.I)
_REACTION_MARKER_RE = re.compile(r"^aanbeveling\s+(\d{1,2})\b\s*[:.\-–]?\s*", re.I)

# First words that make a lead an advice (imperative or advisory phrasing).
_IMPERATIVES = {
    "zorg", "formuleer", "vraag", "laat", "stel", "maak", "neem", "ga", "bied", "leg", "geef",
    "investeer", "leer", "betrek", "verhelder", "stimuleer", "attendeer", "onderzoek", "richt",
    "ontwikkel", "bepaal", "blijf", "houd", "hou", "versterk", "verbeter", "zet", "wees", "kies",
    "koppel", "borg", "evalueer", "monitor", "benut", "vergroot", "verklein", "verminder", "werk",
    "organiseer", "creëer", "draag", "informeer", "agendeer", "actualiseer", "expliciteer",
    "concretiseer", "veranker", "faciliteer", "spreek", "overweeg", "besteed", "heb", "kom", "toets",
    "verduidelijk", "intensiveer", "beperk", "voorkom", "beleg", "stuur", "deel", "ontwerp",
}
_ADVICE_RE = re.compile(
    r"\b(wij\s+adviseren|adviseert|aanbevel|aanbeveling|wij\s+raden|raden\s+wij|zou\s+moeten|dient\s+(de|het)\b)",
    re.I,
)


@dataclass(frozen=True)
class _Section:
    path: tuple[str, ...]
    role: Role
    anchor: int
    """Index of the heading paragraph that set the role (-1 when none did)."""
    level: int


# Advice to other researchers ("7.4 Aanbeveling vervolgonderzoek"), not to the gemeente: no items.
_FURTHER_RESEARCH_RE = re.compile(r"\b(vervolg\s*onderzoek|vervolgstudie|verder\s+onderzoek|toekomstig\s+onderzoek)\b", re.I)


def heading_role(text: str) -> Role:
    """What a heading announces, from its words alone."""
    stripped = re.sub(r"^[\d.\s]+", "", text).strip()
    if _FURTHER_RESEARCH_RE.search(stripped):
        return Role.EXCLUDED
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
    return Role.NONE


def _sections(paragraphs: Sequence[Paragraph]) -> list[_Section]:
    """The section every paragraph sits in: its heading path and the role that governs it."""
    stack: list[tuple[int, str, Role, int]] = []
    out: list[_Section] = []
    for para in paragraphs:
        if para.kind == "heading":
            while stack and stack[-1][0] >= para.level:
                stack.pop()
            stack.append((para.level, para.text, heading_role(para.text), para.index))
        role, anchor, level = Role.NONE, -1, 0
        for heading_level, _, heading, index in stack:
            if heading is not Role.NONE:
                role, anchor, level = heading, index, heading_level
            if heading in _STICKY:
                break
        out.append(_Section(tuple(h for _, h, _, _ in stack), role, anchor, level))
    return out


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s+[A-Z“\"‘(]|$)", text)
    return match.group(1).strip() if match else text.strip()


def _is_advice(lead: str, text: str) -> bool:
    first = re.sub(r"^[\W\d]+", "", lead).split(" ", 1)[0].lower().rstrip(":,")
    return first in _IMPERATIVES or bool(_ADVICE_RE.search(lead)) or bool(
        re.search(r"\bals\s+(raad|college)\b", lead, re.I)
    )


def addressee(lead: str, text: str = "") -> str | None:
    """Who an aanbeveling addresses, where the wording says so."""
    for source in (lead, text[:400]):
        lowered = source.lower()
        if re.search(r"\b(als\s+)?raad\s+en\s+(het\s+)?college\b|\bcollege\s+en\s+(de\s+)?raad\b", lowered):
            return "raad en college"
        match = re.search(r"\bals\s+(raad|college)\b", lowered)
        if match:
            return match.group(1)
        match = re.search(r"\b(adviseren|vragen|verzoeken)\s+(wij\s+)?(de\s+raad|het\s+college)\b", lowered)
        if match:
            return "raad" if "raad" in match.group(3) else "college"
    return None


def _is_lead_paragraph(para: Paragraph) -> bool:
    """A paragraph that opens an item: a bold lead sentence or an explicit "Aanbeveling N:"."""
    if para.kind in ("footnote", "heading"):
        return para.kind == "heading" and bool(_EXPLICIT_ITEM_RE.match(para.text))
    if _EXPLICIT_ITEM_RE.match(para.text):
        return True
    lead = para.bold_lead
    return len(lead.split()) >= 3 and not lead.endswith(":")


def _is_label_heading(para: Paragraph) -> bool:
    """"Registratie verwijzers:" — a caption over advice, not advice itself."""
    return para.text.rstrip().endswith(":")


_COMPACT_PARAGRAPHS = 8
_COMPACT_WORDS = 600


def _items_in_section(
    paragraphs: Sequence[Paragraph], role: Role, section_level: int
) -> list[tuple[str, list[Paragraph]]]:
    """Split one item-bearing section into (lead, paragraphs) groups.

    The shallowest sub-headings split the section into chunks. A compact chunk is one item
    led by its heading ("1. Leer van lokale diversiteit" + its explanation); a long chunk is a
    sub-section whose items are found inside it (bold leads, list items).
    """
    body = [p for p in paragraphs if p.kind != "footnote"]
    sub_levels = [p.level for p in body if p.kind == "heading" and p.level > section_level and not _is_label_heading(p)]
    top = min(sub_levels) if sub_levels else None

    def splits(para: Paragraph) -> bool:
        if para.kind != "heading" or para.level <= section_level:
            return False
        # Under "Aanbevelingen" every sub-heading, however deep, introduces a piece of advice
        # ("Registratie verwijzers:" + "Verhelder de instructie …"); elsewhere only the
        # shallowest sub-headings split, and captions do not.
        if role is Role.AANBEVELING:
            return True
        return para.level == top and not _is_label_heading(para)

    chunks: list[tuple[Paragraph | None, list[Paragraph]]] = [(None, [])]
    for para in body:
        if splits(para):
            chunks.append((para, []))
        else:
            chunks[-1][1].append(para)
    groups: list[tuple[str, list[Paragraph]]] = []
    for heading, paras in chunks:
        # Under "Aanbevelingen" a sub-heading is the advice itself, however long its explanation.
        if heading is not None and (_is_compact(paras) or role is Role.AANBEVELING and not _has_leads(paras)):
            groups.append((_lead_of(heading), [heading, *paras]))
        else:
            groups.extend(_items_in_block(paras, role, allow_fallback=top is None))
    return groups


def _has_leads(paras: Sequence[Paragraph]) -> bool:
    return any(_is_lead_paragraph(p) for p in paras)


def _is_compact(paras: Sequence[Paragraph]) -> bool:
    if _has_leads(paras):
        return False
    words = sum(len(p.text.split()) for p in paras)
    return len(paras) <= _COMPACT_PARAGRAPHS and words <= _COMPACT_WORDS


def _items_in_block(
    paras: Sequence[Paragraph], role: Role, allow_fallback: bool
) -> list[tuple[str, list[Paragraph]]]:
    """Items inside a run of paragraphs: bold leads, else list items, else (if allowed) paragraphs."""
    leads = [p for p in paras if _is_lead_paragraph(p)]
    if leads:
        groups: list[tuple[str, list[Paragraph]]] = []
        current: list[Paragraph] | None = None
        for para in paras:
            if _is_lead_paragraph(para):
                current = [para]
                groups.append((_lead_of(para), current))
            elif current is not None:
                current.append(para)
        return groups
    list_items = [p for p in paras if p.kind == "list_item"]
    if list_items and role in (Role.AANBEVELING, Role.CONCLUSIE, Role.MIXED):
        return [(_first_sentence(p.text), [p]) for p in list_items]
    if allow_fallback and role in (Role.AANBEVELING, Role.CONCLUSIE):
        return [(_first_sentence(p.text), [p]) for p in paras if p.kind == "text" and len(p.text.split()) >= 8]
    return []


def _lead_of(para: Paragraph) -> str:
    text = _EXPLICIT_ITEM_RE.sub("", para.text) if _EXPLICIT_ITEM_RE.match(para.text) else para.text
    if para.kind == "heading":
        return re.sub(r"^(?:[\d.]+\s+)+", "", text).strip()
    if para.bold_lead:
        lead = _EXPLICIT_ITEM_RE.sub("", para.bold_lead).strip()
        return lead or _first_sentence(text)
    return _first_sentence(text)


def _item_text(group: Sequence[Paragraph]) -> str:
    parts = []
    for para in group:
        text = para.text
        if para.kind == "heading":
            text = re.sub(r"^(?:[\d.]+\s+)+", "", text)
        parts.append(text)
    return " ".join(parts).strip()


_TYPE_LETTER = {"conclusie": "C", "bevinding": "B", "aanbeveling": "A", "onderzoeksvraag": "Q", "norm": "N"}


def segment(document: ExtractedDocument, meta: ReportMeta) -> SegmentedReport:
    """Find the items of a report. Adds nothing that the report does not contain."""
    paragraphs = document.paragraphs
    sections = _sections(paragraphs)
    has_explicit = any(
        s.role in (Role.CONCLUSIE, Role.AANBEVELING, Role.BEVINDING, Role.MIXED, Role.MIXED_BEVINDING) for s in sections
    )

    # Consecutive paragraphs governed by the same role-giving heading form one block.
    blocks: list[tuple[_Section, list[Paragraph]]] = []
    for para, section in zip(paragraphs, sections):
        if para.index == section.anchor:
            continue
        if not blocks or blocks[-1][0].anchor != section.anchor:
            blocks.append((section, []))
        blocks[-1][1].append(para)

    raw: list[tuple[str, str, list[Paragraph], tuple[str, ...]]] = []
    for section, block in blocks:
        role, level = section.role, section.level
        if role in _STICKY:
            continue
        if role is Role.SAMENVATTING and has_explicit:
            continue
        if role in _ITEM_ROLES:
            for lead, group in _items_in_section(block, role, level):
                item_type = _item_type(role, lead, _item_text(group), group[0])
                raw.append((item_type, lead, group, _path_of(group[0], sections)))
        else:
            # Explicit "Aanbeveling N:" blocks count wherever they stand (e.g. a thesis' discussion).
            for lead, group in _explicit_blocks(block):
                item_type = _EXPLICIT_ITEM_RE.match(group[0].text).group(1).lower()  # type: ignore[union-attr]
                raw.append((item_type, lead, group, _path_of(group[0], sections)))

    items: list[Item] = []
    counters: dict[str, int] = {}
    for order, (item_type, lead, group, path) in enumerate(raw):
        counters[item_type] = counters.get(item_type, 0) + 1
        number = counters[item_type]
        text = _item_text(group)
        first = group[0]
        items.append(
            Item(
                item_id=f"{meta.report_id}:{_TYPE_LETTER[item_type]}{number}",
                report_id=meta.report_id,
                type=item_type,
                lead=lead,
                text=text,
                section_path=path,
                page_start=first.page_start,
                page_end=max(p.page_end for p in group),
                order=order,
                bbox=first.bbox,
                addressee=addressee(lead, text) if item_type == "aanbeveling" else None,
                number=str(number),
            )
        )
    items = link_reactions(items, paragraphs, sections)
    return SegmentedReport(meta=meta, items=tuple(items))


def _path_of(para: Paragraph, sections: Sequence[_Section]) -> tuple[str, ...]:
    path = sections[para.index].path
    return path[:-1] if para.kind == "heading" and path and path[-1] == para.text else path


def _item_type(role: Role, lead: str, text: str, first: Paragraph) -> str:
    explicit = _EXPLICIT_ITEM_RE.match(first.text)
    if explicit:
        return explicit.group(1).lower()
    if role is Role.AANBEVELING:
        return "aanbeveling"
    if role is Role.CONCLUSIE:
        return "conclusie"
    if role is Role.BEVINDING:
        return "bevinding"
    if _is_advice(lead, text):
        return "aanbeveling"
    return "bevinding" if role is Role.MIXED_BEVINDING else "conclusie"


def _explicit_blocks(block: Sequence[Paragraph]) -> list[tuple[str, list[Paragraph]]]:
    groups: list[tuple[str, list[Paragraph]]] = []
    current: list[Paragraph] | None = None
    for para in block:
        if _EXPLICIT_ITEM_RE.match(para.text):
            current = [para]
            groups.append((_lead_of(para), current))
        elif current is not None and para.kind in ("text", "list_item") and not para.bold_lead:
            current.append(para)
        else:
            current = None
    return groups


# --------------------------------------------------------------------------------------
# Bestuurlijke reactie and nawoord → stance per aanbeveling

_POSITIVE = re.compile(
    r"\b(nemen\s+(wij\s+|we\s+)?(uw\s+|de\s+|deze\s+)?aanbeveling\w*\s+over|nemen\s+\w+\s+over|over\s*te\s*nemen|"
    r"onderschrijv\w*|onderschrijft|kunnen\s+ons\s+(goed\s+)?vinden|eens\s+met|herkennen\s+ons\s+wel|"
    r"(is|zijn)\s+(het|wij|we)\s+(van\s+mening|eens)|van\s+mening\s+dat|zullen\s+we|gaan\s+we|gaan\s+wij)\b",
    re.I,
)
_NEGATIVE = re.compile(
    r"\b(herkennen\s+ons\s+niet|niet\s+eens|nemen\s+\w*\s*niet\s+over|niet\s+over\s*te\s*nemen|"
    r"zien\s+geen\s+(aanleiding|noodzaak)|niet\s+overnemen|wijzen\s+\w+\s+af|onderschrijven\s+\w*\s*niet)\b",
    re.I,
)
_NUMBER_LIST_RE = re.compile(r"aanbeveling(?:en)?\s+((?:\d{1,2}\s*(?:,|en|&|t/m|tot\s+en\s+met)?\s*)+)", re.I)


def _numbers(span: str) -> list[int]:
    span = span.strip()
    out: list[int] = []
    for match in re.finditer(r"(\d{1,2})\s*(?:t/m|tot\s+en\s+met)\s*(\d{1,2})|(\d{1,2})", span):
        if match.group(1):
            out.extend(range(int(match.group(1)), int(match.group(2)) + 1))
        else:
            out.append(int(match.group(3)))
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"(])", text) if s.strip()]


def nawoord_verdicts(nawoord_text: str) -> dict[int, tuple[str, str]]:
    """Stances the rekenkamer states in its nawoord: {aanbeveling number: (stance, sentence)}."""
    verdicts: dict[int, tuple[str, str]] = {}
    for sentence in _sentences(nawoord_text):
        lowered = sentence.lower()
        if "aanbeveling" not in lowered:
            continue
        if re.search(r"niet\s+(worden\s+)?overgenomen|niet\s+over(genomen|nemen)", lowered):
            stance = "niet overgenomen"
        elif re.search(r"\b(deels|gedeeltelijk)\s+(worden\s+|wordt\s+)?(overgenomen|over\s*te\s*nemen)", lowered):
            stance = "deels"
        elif re.search(r"overgenomen|overneemt|overnemen|neemt\s+.*\bover\b|onderschrijft", lowered):
            stance = "overgenomen"
        else:
            continue
        if re.search(r"\balle\s+aanbevelingen\b", lowered):
            verdicts.setdefault(0, (stance, sentence))
        for match in _NUMBER_LIST_RE.finditer(sentence):
            for number in _numbers(match.group(1)):
                verdicts[number] = (stance, sentence)
    return verdicts


def reaction_stance(text: str) -> tuple[str, str]:
    """Stance from the college's own words: positive and negative cues, or neither."""
    positive = [s for s in _sentences(text) if _POSITIVE.search(s)]
    negative = [s for s in _sentences(text) if _NEGATIVE.search(s)]
    if positive and negative:
        return "deels", negative[0]
    if positive:
        return "overgenomen", positive[0]
    if negative:
        return "niet overgenomen", negative[0]
    return "onbekend", ""


def link_reactions(
    items: Sequence[Item], paragraphs: Sequence[Paragraph], sections: Sequence[_Section]
) -> list[Item]:
    """Attach the college's reaction and a stance to every aanbeveling that has one."""
    recommendations = [it for it in items if it.type == "aanbeveling"]
    if not recommendations:
        return list(items)
    reaction_paras = [p for p, s in zip(paragraphs, sections) if s.role is Role.REACTIE and p.kind != "footnote"]
    nawoord_text = " ".join(
        p.text for p, s in zip(paragraphs, sections) if s.role is Role.NAWOORD and p.kind != "heading"
    )
    blocks: dict[int, list[Paragraph]] = {}
    current: list[Paragraph] | None = None
    for para in reaction_paras:
        marker = _REACTION_MARKER_RE.match(para.text)
        if marker:
            current = [para]
            blocks[int(marker.group(1))] = current
        elif para.kind == "heading":
            current = None
        elif current is not None:
            if re.match(r"^(tenslotte|tot\s+slot|ten\s+slotte)\b", para.text, re.I):
                current = None
                continue
            current.append(para)
    verdicts = nawoord_verdicts(nawoord_text)
    listed = {n for n in verdicts if n > 0}
    linked: list[Item] = []
    for item in items:
        if item.type != "aanbeveling":
            linked.append(item)
            continue
        number = recommendations.index(item) + 1
        block = blocks.get(number)
        reaction_text = ""
        pages = (item.page_start, item.page_end)
        if block:
            first = _REACTION_MARKER_RE.sub("", block[0].text)
            # The first paragraph repeats the recommendation; the answer follows it.
            quoted = block[0].bold_lead or _first_sentence(first)
            answer = first[len(quoted):].strip() if first.startswith(quoted) else first
            reaction_text = " ".join([answer] + [p.text for p in block[1:]]).strip()
            pages = (block[0].page_start, max(p.page_end for p in block))
        if number in verdicts:
            stance, evidence = verdicts[number]
        elif 0 in verdicts:
            stance, evidence = verdicts[0]
        elif reaction_text:
            stance, evidence = reaction_stance(reaction_text)
            if listed and stance == "overgenomen":
                # The nawoord names the ones it counts as adopted; this one is not among them.
                stance = "deels"
        else:
            stance, evidence = "onbekend", ""
        if not reaction_text and stance == "onbekend":
            linked.append(item)
            continue
        linked.append(
            replace(
                item,
                reaction=Reaction(
                    text=reaction_text, stance=stance, page_start=pages[0], page_end=pages[1], evidence=evidence
                ),
            )
        )
    return linked
