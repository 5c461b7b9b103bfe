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
import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .models import is_verb_stem
from .reactions import link_reactions
from .records import ExtractedDocument, Item, Paragraph, ReportMeta, SegmentedReport
from .structure import (
    INLINE_NAWOORD_RE,
    INLINE_REACTION_RE,
    STICKY_ROLES,
    Placement,
    ReportDocument,
    Role,
    build,
    heading_words,
)

_OVERALL_VERDICT_RE = re.compile(r"^(hoofd|eind|centrale\s+|algemene\s+)conclusie\s*:?$|^(kern|hoofd)boodschap\s*:?$|"
                                 r"^(algemeen|totaal)\s*beeld\s*:?$|^(eind|totaal)oordeel\s*:?$", re.I)
_ITEM_ROLES = {Role.CONCLUSIE, Role.AANBEVELING, Role.MIXED, Role.MIXED_BEVINDING, Role.SAMENVATTING}
"""Sections read item by item (leads, lists, tables). Bevindingen sections are read by `findings`."""
_ITEM_LABEL = r"^(aanbeveling|conclusie|bevinding)\s+(\d{1,2}(?:\.\d{1,2})?[a-z]?|(?-i:[A-H]))"
"""An item's label and its number: "Aanbeveling 3", "Conclusie 2.1", "Aanbeveling 1a", "Conclusie A"."""
_EXPLICIT_ITEM_RE = re.compile(_ITEM_LABEL +
                               r"(?:\s*[:.\-–]\s*|\s+(?=[A-Z]))", re.I)
"""An explicit item label: "Aanbeveling 3:", "Conclusie 2 -", and without a mark before a capital also numbered per
chapter ("Aanbeveling 2.1 Spreek …"), sub-numbered ("1a") or lettered ("Conclusie A De toegang …")."""

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


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s+[A-Z“\"‘(]|$)", text)
    return match.group(1).strip() if match else text.strip()


def _is_advice(lead: str, text: str) -> bool:
    first = re.sub(r"^[\W\d]+", "", lead).split(" ", 1)[0].lower().rstrip(":,")
    return first in _IMPERATIVES or is_verb_stem(first) or bool(_ADVICE_RE.search(lead)) or bool(
        re.search(r"\bals\s+(raad|college)\b", lead, re.I)
    )


def addressee(lead: str, text: str = "") -> str | None:
    """Who an aanbeveling addresses, where the wording says so."""
    for source in (lead, text[:400]):
        lowered = source.lower()
        if re.search(r"\b(als\s+)?raad\s+en\s+(het\s+)?college\b|\bcollege\s+en\s+(de\s+)?raad\b", lowered):
            return "raad en college"
        match = re.search(r"\bals\s+(?:gemeente)?(raad|college)\b", lowered)
        if match:
            return match.group(1)
        match = re.search(r"\b(adviseren|vragen|verzoeken)\s+(wij\s+)?(de\s+raad|het\s+college)\b", lowered)
        if match:
            return "raad" if "raad" in match.group(3) else "college"
    return None


_CODE_LABEL_RE = re.compile(r"^(?-i:[CR])(\d{1,2})\s*[:.]?\s+(?=[A-Z])")
"""An item coded "C1" (conclusie) or "R1" (aanbeveling) at the start of its paragraph."""


def _is_lead_paragraph(para: Paragraph) -> bool:
    """A paragraph that opens an item: a bold lead sentence, an explicit "Aanbeveling N:" or a code ("C2 …")."""
    if para.kind in ("footnote", "heading"):
        return para.kind == "heading" and bool(_EXPLICIT_ITEM_RE.match(para.text))
    if _EXPLICIT_ITEM_RE.match(para.text) or para.bold_lead and _CODE_LABEL_RE.match(para.text):
        return True
    lead = para.bold_lead
    return len(lead.split()) >= 3 and not lead.endswith(":")


_SOURCE_NOTE_RE = re.compile(r"(^|[.;]\s+)(bron(nen)?|noot|toelichting)\s*:", re.I)
_CAPTION_RE = re.compile(r"^(tabel|figuur|grafiek|afbeelding|kaart|overzicht)\s+\d{1,2}(?:\.\d{1,2})?\b", re.I)


def _is_label_heading(para: Paragraph) -> bool:
    """"Registratie verwijzers:", "Tabel 4.1 Oordeel per norm" — a caption over advice or a table, not an item."""
    return para.text.rstrip().endswith(":") or bool(_CAPTION_RE.match(para.text))


_COMPACT_PARAGRAPHS = 8
_COMPACT_WORDS = 600


def _items_in_section(
    paragraphs: Sequence[Paragraph], role: Role, section_level: int, allow_fallback: bool = True
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
        rest: list[Paragraph] = []
        if heading is not None:
            paras, rest = _split_off_numbering_that_continues(heading, paras)
        # Under "Aanbevelingen" a sub-heading is the advice itself, however long its explanation —
        # unless it names whom the items below address ("5.2 Aan de raad") and they are numbered.
        # A heading that only names whom the advice below addresses ("4.1 Aan het college") is
        # never an item itself, also where a table holds the advice under it.
        container = heading is not None and bool(_ADDRESSEE_HEADING_RE.match(_lead_of(heading)))
        if heading is not None and not container and (_is_compact(paras) or role is Role.AANBEVELING and not _has_leads(paras)):
            groups.append((_lead_of(heading), [heading, *paras]))
            if rest:
                groups.extend(_items_in_block(rest, role, allow_fallback=allow_fallback))
        else:
            groups.extend(_items_in_block(paras, role, allow_fallback=allow_fallback and (top is None or container)))
    return groups


_LABEL_NUMBER_RE = re.compile(r"^(?:aanbeveling|conclusie)\s+(\d{1,2})\b", re.I)
_LIST_NUMBER_RE = re.compile(r"^\s*(\d{1,2})[.)]\s")


_ADDRESSEE_HEADING_RE = re.compile(
    r"^(aanbeveling(en)?\s+)?(aan|voor)\s+(het\s+college|de\s+(gemeente)?raad|college|(gemeente)?raad|"
    r"raad\s+en\s+college|college\s+en\s+raad)\s*:?$",
    re.I,
)


def _addressee_of_section(path: Sequence[str]) -> str | None:
    """Whom the innermost heading above an item addresses ("4.2 Aan de raad"), if it says so."""
    for heading in reversed(path):
        match = _ADDRESSEE_HEADING_RE.match(heading_words(heading))
        if match:
            return _addressee_cell(match.group(0))
    return None


_WHOM = r"(het\s+college|de\s+colleges|de\s+(gemeente)?(raad|raden))"
_ANNOUNCES_ADDRESSEE_RE = re.compile(
    rf"^(aan|voor)\s+{_WHOM}\b[^.]{{0,100}}\baanbeveling|"
    rf"\b(beveelt|bevelen|adviseert|adviseren)\b[^.]{{0,60}}\b{_WHOM}\b[^.]{{0,30}}\baan\b|"
    rf"\b(doet|doen)\s+{_WHOM}\b[^.]{{0,60}}\baanbeveling|"
    rf"\baanbevelingen\b[^.]{{0,40}}\b(zijn\s+gericht|richten\s+zich)\s+(aan|tot)\s+{_WHOM}\b",
    re.I,
)
"""A lead-in that says whom the recommendations after it address ("Aan de raad doet de
rekenkamercommissie de volgende aanbevelingen.", "De rekenkamer beveelt het college aan:")."""


def _addressee_labels_joined(raw: list[Any]) -> list[Any]:
    """An "item" that is only its number and an addressee tag ("1. AAN HET COLLEGE", a label set in its own frame
    over the recommendation) is no item: its number and addressee go to the item of the same type after it."""
    out: list[Any] = []
    pending: tuple[str, str, str] | None = None  # (type, number, addressee)
    for entry in raw:
        item_type, lead, group, path, printed_number, to_whom = entry
        text = _item_text(group)
        label = _ADDRESSEE_HEADING_RE.match(text.strip().rstrip(".:"))
        if len(group) == 1 and label:
            number = printed_number or _item_number(group[0])
            pending = (item_type, str(number) if number else "", _addressee_cell(label.group(0)) or "")
            continue
        if pending and pending[0] == item_type:
            entry = (item_type, lead, group, path, printed_number or pending[1], to_whom or pending[2] or None)
        pending = None
        out.append(entry)
    return out


def _before_lead_in(group: list[Paragraph]) -> list[Paragraph]:
    """An item's paragraphs up to a lead-in for the items after it ("Aan de raad doet de rekenkamer de volgende
    aanbeveling."), which names their addressee and is no part of this item."""
    for at, para in enumerate(group[1:], start=1):
        if para.kind != "heading" and len(para.text) < 240 and _ANNOUNCES_ADDRESSEE_RE.search(para.text):
            return group[:at]
    return group


def _announced_addressees(paragraphs: Sequence[Paragraph], in_items: set[int]) -> dict[int, str]:
    """For each paragraph, the addressee the last lead-in before it announced; a heading ends it."""
    out: dict[int, str] = {}
    current = ""
    for para in paragraphs:
        if para.kind == "heading":
            current = ""
        elif para.index not in in_items and len(para.text) < 240:
            match = _ANNOUNCES_ADDRESSEE_RE.search(para.text)
            if match:
                current = _addressee_cell(match.group(0)) or ""
        if current:
            out[para.index] = current
    return out


def _item_number(para: Paragraph) -> int | None:
    """The number an item carries: "Aanbeveling 3: …", "AANBEVELING 3" or a list's "3."."""
    match = _LABEL_NUMBER_RE.match(para.text.strip()) or (
        _LIST_NUMBER_RE.match(para.text) if para.kind == "list_item" else None)
    return int(match.group(1)) if match else None


def _numbering_continues(paras: Sequence[Paragraph], number: int | None) -> int | None:
    """Where, after item `number`, a list numbered `number + 1` takes over — at its lead-in
    ("Aan de raad beveelt de rekenkamer aan:") if it has one. The item's own text ends there."""
    if number is None:
        return None
    for index, para in enumerate(paras):
        if para.kind == "list_item" and _item_number(para) == number + 1:
            lead_in = index > 0 and paras[index - 1].text.rstrip().endswith(":")
            return index - 1 if lead_in else index
    return None


def _split_off_numbering_that_continues(heading: Paragraph, paras: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """Under "AANBEVELING 3" (a label heading), a list numbered 4, 5, … starts new items."""
    cut = _numbering_continues(paras, _item_number(heading))
    return (paras, []) if cut is None or cut < 1 else (paras[:cut], paras[cut:])


_HEADER_WORDS = re.compile(r"^(nr\.?|nummer|#|aanbeveling(en)?|conclusies?|bevinding(en)?|gericht\s+aan|adressant|"
                           r"aan\s+wie|wie|reactie.*|nawoord.*|standpunt.*|toelichting|omschrijving|thema|onderwerp|"
                           r"termijn|planning|looptijd|prioriteit|status|(beoogd\s+)?(effect|resultaat|doel)|norm|oordeel|beoordeling)$", re.I)
_VERDICT_HEADER = re.compile(r"^(oordeel|beoordeling|score)$", re.I)
_EXPLANATION_HEADER = re.compile(r"^(toelichting|onderbouwing|motivering)$", re.I)
_ADDRESSEE_HEADER = re.compile(r"^(gericht\s+aan|adressant|aan\s+wie|wie)(\s|$)", re.I)
_HEADER_START = re.compile(r"^(aanbeveling(en)?|conclusies?|bevinding(en)?|gericht\s+aan|reactie|nawoord|toelichting)\s", re.I)
_NUMBER_HEADER = re.compile(r"^(nr\.?|nummer|#)$", re.I)
_ITEM_COLUMN = re.compile(r"^(aanbeveling|conclusie|bevinding)", re.I)
_CELL_LABEL = re.compile(r"^(?:conclusie|aanbeveling|bevinding)\s+(\d{1,2}(?:\.\d{1,2})?[a-z]?)\s*[:.]?\s+(?=\S)", re.I)
_OPENING_CELL_NUMBER = re.compile(r"^(\d{1,2})\s+(?=[A-Z])")


def _verdict_columns(header: Sequence[str]) -> int | None:
    """A norm table (Norm | Oordeel | Toelichting): the rekenkamer's verdict per norm, whose explanation column
    holds the conclusion; that column's index, None for other tables."""
    cells = [h.strip() for h in header]
    if any(_VERDICT_HEADER.match(c) for c in cells):
        return next((i for i, c in enumerate(cells) if _EXPLANATION_HEADER.match(c)), None)
    return None


def _opens_with_label(cell: str) -> bool:
    """A table cell that opens with its item's label or number: "Conclusie 1 …", "1. …", "2 Spreek …"."""
    return bool(_CELL_LABEL.match(cell) or _CELL_NUMBER.match(cell) or _OPENING_CELL_NUMBER.match(cell))


_REFERENCE_CELL = re.compile(r"^[\s\d.,;&/–-]*(\s(en|t/m)\s[\s\d.,;&/–-]*)*$", re.I)
_CELL_NUMBER = re.compile(r"^(\d{1,2}\.\d{1,2}(?=[.)]?\s)|\d{1,2}(?=[.)]))[.)]?\s+(?=\S)")
_NUMBER_CELL = re.compile(r"\s*\d{1,2}(?:\.\d{1,2})?[.)]?\s*")
"""A cell that only numbers its row: "3", "3.", "2.1" (per chapter)."""


def _is_header_label(cell: str) -> bool:
    """A column label: a label word, or one with a short qualifier ("Aanbeveling en toelichting",
    "Gericht aan het college van B en W of aan de raad"); never a number or a sentence."""
    if _HEADER_WORDS.match(cell):
        return True
    return bool(_HEADER_START.match(cell)) and len(cell) <= 60 and not re.search(r"\d|[.:;]$", cell)


def _findings_columns(header: Sequence[str]) -> tuple[int, int | None] | None:
    """(the Bevindingen column, the Oordeel column or None) of a findings table's header row."""
    found = next((i for i, h in enumerate(header) if re.match(r"^bevinding(en)?$", h.strip(), re.I)), None)
    if found is None:
        return None
    return found, next((i for i, h in enumerate(header) if _VERDICT_HEADER.match(h.strip())), None)


def _is_header_row(cells: Sequence[str]) -> bool:
    """A row of column labels: all but one a known label, or, in a wide table, short labels without figures of
    which at least half are known ("Nr. | Aanbeveling | Beoogd effect | Gericht aan | Conclusie | Termijn")."""
    filled = [c.strip() for c in cells if c.strip()]
    known = sum(1 for c in filled if _is_header_label(c))
    if filled and known >= max(1, len(filled) - 1):
        return True
    short = all(len(c.split()) <= 4 and not re.search(r"\d|[;:,]", c) for c in filled)
    # "Nr. | Conclusie | Beuningen | Druten | Wijchen": a number and an item column, then a verdict per gemeente
    numbered_items = any(_NUMBER_HEADER.match(c) for c in filled) and any(_ITEM_COLUMN.match(c) for c in filled)
    return len(filled) >= 3 and short and (known * 2 >= len(filled) or numbered_items)


def _logical_tables(rows: Sequence[Paragraph]) -> list[list[Paragraph]]:
    """Rows grouped per table; a table continued on the next page (same columns) stays one."""
    tables: list[list[Paragraph]] = []
    for row in rows:
        previous = tables[-1][-1] if tables else None
        same = previous is not None and (
            row.table == previous.table
            or (row.page_start == previous.page_end + 1 and len(row.cells) == len(previous.cells)
                and row.index <= previous.index + 3)
        )
        if same:
            tables[-1].append(row)
        else:
            tables.append([row])
    return tables


def _is_item_table(table: Sequence[Paragraph]) -> bool:
    """A table of items: its header names the item column or a number column, or its first column
    numbers the rows. Other tables (comparisons, figures) are read as text."""
    if _is_header_row(table[0].cells):
        return any(re.match(r"^(nr\.?|nummer|#|aanbeveling|conclusie|bevinding)", c.strip(), re.I) for c in table[0].cells) \
            or _verdict_columns(table[0].cells) is not None
    return len(table[0].cells) > 1 and all(_NUMBER_CELL.fullmatch(r.cells[0]) for r in table if r.cells[0].strip())


def _cells_as_paragraphs(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """Rows of other tables as text: each cell a paragraph, column by column (as a reader reads a
    side-by-side comparison)."""
    out: list[Paragraph] = []
    pending: list[Paragraph] = []

    def flush() -> None:
        width = max((len(r.cells) for r in pending), default=0)
        for col in range(width):
            for row in pending:
                if col < len(row.cells) and row.cells[col].strip():
                    out.append(replace(row, kind="text", text=row.cells[col].strip(), cells=()))
        pending.clear()

    for para in paragraphs:
        if para.kind == "table_row":
            if pending and para.table != pending[-1].table:
                flush()
            pending.append(para)
            continue
        flush()
        out.append(para)
    flush()
    return out


def table_items(rows: Sequence[Paragraph], role: Role) -> list[tuple[str, str, list[Paragraph], str, str | None]]:
    """Items from tables in an item section: one per body row, the header row naming the columns
    (Nr. | Aanbeveling | Gericht aan). A row whose number cell is empty continues the row before
    it (a row split by a page break); a repeated header row is skipped."""
    out: list[tuple[str, str, list[Paragraph], str, str | None]] = []
    for table in _logical_tables(rows):
        header = list(table[0].cells) if _is_header_row(table[0].cells) else []
        width = len(table[0].cells)
        body = [r for r in table if not _is_header_row(r.cells)]
        if not body:
            continue
        number_col = next((i for i, h in enumerate(header) if _NUMBER_HEADER.match(h.strip())), None)
        if number_col is None and all(_NUMBER_CELL.fullmatch(r.cells[0] or "0") for r in body) and width > 1:
            number_col = 0
        to_col = next((i for i, h in enumerate(header) if _ADDRESSEE_HEADER.match(h.strip())), None)
        # A paired table (Conclusie | Aanbeveling) holds one item of each kind per row.
        item_cols = [i for i, h in enumerate(header) if _ITEM_COLUMN.match(h.strip())]
        # A column that only refers to items by number ("Conclusie: 2 en 4") holds no items.
        item_cols = [i for i in item_cols if not all(_REFERENCE_CELL.match(r.cells[i] if i < len(r.cells) else "") for r in body)]
        kinds = {_ITEM_COLUMN.match(header[i].strip()).group(1).lower() for i in item_cols}  # type: ignore[union-attr]
        text_cols = item_cols if len(kinds) > 1 else item_cols[:1]
        verdict_explained = _verdict_columns(header) if header else None
        if not text_cols and verdict_explained is not None:
            text_cols = [verdict_explained]
        if not text_cols:
            lengths = [sum(len(r.cells[i]) for r in body if i < len(r.cells)) for i in range(width)]
            text_cols = [max((i for i in range(width) if i not in (number_col, to_col)), key=lambda i: lengths[i], default=0)]
        # In a column whose cells open with their label ("Conclusie 1", "Aanbeveling 1a"), a cell
        # without one carries on the item above: a conclusion cell spanning several recommendation
        # rows is cut at every row rule.
        # Likewise a column whose cells open with their number ("2 Spreek met de aanbieders …"): a cell merged over
        # two rows is cut at the row rule, and its last words stand unnumbered in the row below.
        labelled = {col for col in text_cols
                    if sum(1 for r in body if _opens_with_label(r.cells[col] if col < len(r.cells) else "")) * 2
                    > sum(1 for r in body if col < len(r.cells) and r.cells[col].strip())}
        last_in_column: dict[int, int] = {}
        for row in body:
            cells = list(row.cells) + [""] * (width - len(row.cells))
            number = cells[number_col].strip().rstrip(".)") if number_col is not None else ""
            to_whom = cells[to_col].strip() if to_col is not None else ""
            for text_col in text_cols:
                text = cells[text_col].strip()
                if not text:
                    continue
                header_type = header[text_col].strip().lower() if header and text_col < len(header) else ""
                continues = text_col in labelled and not _opens_with_label(text) and text_col in last_in_column
                if continues or out and number_col is not None and not number and out[-1][2][-1].page_end + 1 == row.page_start:
                    at = last_in_column[text_col] if continues else len(out) - 1
                    item_type, lead, group, previous_number, previous_to = out[at]
                    merged = replace(group[0], text=f"{_item_text(group)} {text}", page_end=row.page_end)
                    out[at] = (item_type, lead, [merged], previous_number, previous_to)
                    continue
                printed = (_CELL_LABEL.match(text) or _CELL_NUMBER.match(text)
                           or (_OPENING_CELL_NUMBER.match(text) if text_col in labelled else None)) if number_col is None else None
                if printed:  # "1. De gemeente …" or "Conclusie 1 De gemeente …" numbered inside its cell
                    text = text[printed.end():]
                lead = _first_sentence(text)
                if header_type.startswith("aanbeveling"):
                    item_type = "aanbeveling"
                elif header_type.startswith("conclusie") or text_col == verdict_explained:
                    item_type = "conclusie"
                elif header_type.startswith("bevinding"):
                    item_type = "bevinding"
                else:
                    item_type = _item_type(role, lead, text, row)
                last_in_column[text_col] = len(out)
                out.append((item_type, lead, [replace(row, text=text, kind="text")],
                            printed.group(1) if printed else number, _addressee_cell(to_whom)))
    return out


_RUN_IN_LEAD = re.compile(
    r"\b(?:wij|we|de\s+rekenkamer\w*)\s+(?:bevelen|beveelt|adviseren|adviseert)\s+"
    r"(?P<whom>het\s+college|de\s+colleges|de\s+(?:gemeente)?(?:raad|raden))?[^:]{0,100}?\baan\b[^:]{0,80}:\s*",
    re.I,
)
_RUN_IN_MARK = re.compile(r"(?:^|(?<=[\s;:]))\(([a-z]|\d{1,2})\)\s+")
_OPENING_NUMBER = re.compile(r"^(\d{1,2})\.?\s+(?=[A-Z])")


def run_in_items(paragraphs: Sequence[Paragraph]) -> tuple[list[tuple[str, str, list[Paragraph], str, str | None]],
                                                              list[Paragraph]]:
    """Conclusions with their recommendations run in: "1 De toegang is laagdrempelig, maar …
    Wij bevelen het college aan: (a) maak …; (b) …" gives the conclusion (before the lead-in) and
    one recommendation per marked part, also where the parts follow as a list ("(e) laat …").
    Returns those items and the paragraphs that are left for the other readings."""
    items: list[tuple[str, str, list[Paragraph], str, str | None]] = []
    rest: list[Paragraph] = []
    whom: str | None = None
    open_list = False
    for index, para in enumerate(paragraphs):
        lead_in = _RUN_IN_LEAD.search(para.text) if para.kind in ("text", "list_item") else None
        mark = _RUN_IN_MARK.match(para.text)
        following = paragraphs[index + 1].text if index + 1 < len(paragraphs) else ""
        # The marked parts follow the lead-in in the paragraph itself or open the next one; a
        # lead-in to an ordinary numbered list ("1. Vertaal …") is left to the list reading.
        if lead_in and (_RUN_IN_MARK.match(para.text[lead_in.end():])
                        or not para.text[lead_in.end():].strip() and _RUN_IN_MARK.match(following)):
            whom = _addressee_cell(lead_in.group("whom") or "")
            head = para.text[:lead_in.start()].strip()
            if head:
                number = _OPENING_NUMBER.match(head)
                conclusion = head[number.end():] if number else head
                items.append(("conclusie", _first_sentence(conclusion), [replace(para, text=conclusion, kind="text")],
                              number.group(1) if number else "", None))
            items.extend(_run_in_parts(para, para.text[lead_in.end():], whom))
            open_list = True
        elif open_list and mark:
            items.extend(_run_in_parts(para, para.text, whom))
        else:
            open_list = False
            rest.append(para)
    return items, rest


def _run_in_parts(para: Paragraph, text: str, whom: str | None) -> list[tuple[str, str, list[Paragraph], str, str | None]]:
    """The recommendations marked (a), (b), … in a stretch of text, each without its mark and the
    "; " or "." that ends it."""
    marks = list(_RUN_IN_MARK.finditer(text))
    out: list[tuple[str, str, list[Paragraph], str, str | None]] = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        part = re.sub(r"[;,]?\s*(en|of)?\s*$", "", text[mark.end():end].strip()).rstrip(";. ").strip()
        if part:
            out.append(("aanbeveling", part, [replace(para, text=part, kind="list_item")], mark.group(1), whom))
    return out


def _addressee_cell(text: str) -> str | None:
    lowered = text.lower()
    if not lowered:
        return None
    raad = "raad" in lowered or bool(re.search(r"\braden\b", lowered))  # "de raden" of several gemeenten
    college = bool(re.search(r"college|b\s*(&|en)\s*w|burgemeester", lowered))
    if raad and college:
        return "raad en college"
    return "raad" if raad else "college" if college else text


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
        number: int | None = None
        for index, para in enumerate(paras):
            if _is_lead_paragraph(para):
                current = [para]
                groups.append((_lead_of(para), current))
                number = _item_number(para)
            elif number is not None and _numbering_continues(paras[index:index + 2], number) == 0:
                if para.kind == "list_item":  # "4. Vraag het college …" after "Aanbeveling 3: …"
                    current = [para]
                    groups.append((_first_sentence(_without_enumerator(para)), current))
                    number += 1
                else:
                    current = None  # the lead-in of that list ("Aan de raad beveelt de rekenkamer aan:")
            elif _about_the_items(para):
                current = None  # "De rekenkamer realiseert zich dat deze aanbevelingen tijd vragen": not part of one
            elif current is not None:
                current.append(para)
            elif para.kind == "list_item" and _item_number(para) is not None:
                # A numbered list before the labelled ones, outside any of them ("1. Stel …" for the
                # colleges, then "Aanbeveling 4: …" for the raden): items of their own.
                current = [para]
                groups.append((_first_sentence(_without_enumerator(para)), current))
                number = _item_number(para)
        return groups
    list_items = [p for p in paras if p.kind == "list_item"]
    if list_items and role in (Role.AANBEVELING, Role.CONCLUSIE, Role.MIXED):
        # A plain paragraph indented under a list item (its explanation, split off where a bold lead filled its
        # lines) belongs to it.
        items: list[tuple[str, list[Paragraph]]] = []
        previous: Paragraph | None = None
        for para in paras:
            indented = bool(items) and previous is items[-1][1][-1] and bool(para.bbox) \
                and para.bbox[0] >= items[-1][1][0].bbox[0] + 8 and para.page_start - previous.page_end <= 1
            if para.kind == "list_item" and indented and para.bullet and items[-1][1][0].number:
                items[-1][1].append(para)  # a bullet under a numbered item: one of its points
            elif para.kind == "list_item":
                items.append((_first_sentence(_without_enumerator(para)), [para]))
            elif indented and para.kind == "text":
                items[-1][1].append(para)
            previous = para
        return items
    if allow_fallback and role in (Role.AANBEVELING, Role.CONCLUSIE):
        plain = [p for p in paras if p.kind == "text" and len(p.text.split()) >= 8 and not _about_the_items(p)]
        if role is Role.CONCLUSIE:
            plain = [part for p in plain for part in _split_at_conclusion_sentences(p)]
        return [(_first_sentence(p.text), [p]) for p in plain]
    return []


_CONCLUDES_RE = re.compile(r"^(?:(?:daarnaast|ook|verder|voorts|tevens|ten\s+slotte|tot\s+slot|tenslotte|bovendien)\s+)?"
                           r"(?:concluderen\s+(?:wij|we)|(?:wij|we)\s+concluderen|concludeert\s+de\s+rekenkamer\w*)\b", re.I)
"""A sentence that states a conclusion in a letter ("Daarnaast concluderen wij dat …")."""


def _split_at_conclusion_sentences(para: Paragraph) -> list[Paragraph]:
    """Conclusions written as letter paragraphs, each opening "Wij concluderen (ook) dat …": where two were read as
    one paragraph (they met at a page break), each such sentence after the first starts a conclusion of its own.
    The part after a split is placed on the paragraph's last page."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", para.text.strip())
    if not _CONCLUDES_RE.match(sentences[0]):
        return [para]
    parts: list[list[str]] = [[]]
    for sentence in sentences:
        if parts[-1] and _CONCLUDES_RE.match(sentence):
            parts.append([])
        parts[-1].append(sentence)
    if len(parts) == 1:
        return [para]
    return [replace(para, text=" ".join(part), page_start=para.page_start if i == 0 else para.page_end)
            for i, part in enumerate(parts)]


_ABOUT_ITEMS_RE = re.compile(
    r"\b(de|deze|volgende|onze|alle|haar|zijn|twee|drie|vier|vijf|zes|zeven|acht|negen|tien)\s+(\w+\s+)?"
    r"(aanbevelingen|conclusies)\b",
    re.I,
)


def _about_the_items(para: Paragraph) -> bool:
    """Prose that introduces or closes the list ("De rekenkamer doet vijf aanbevelingen."), not an
    item. Its first sentence says so; a conclusion that mentions earlier recommendations further
    on is still a conclusion. The college's answer or the nawoord set under each recommendation
    ("Reactie van het college: …", "Nawoord: …") is none of the item's text either."""
    if INLINE_REACTION_RE.match(para.text) or INLINE_NAWOORD_RE.match(para.text):
        return True
    text = _without_enumerator(para)
    if _ANNOUNCES_ITEMS_RE.search(_last_sentence(text)):
        return True
    first = re.sub(r"^[\W\d]+", "", text).split(" ", 1)[0].lower()
    return bool(_ABOUT_ITEMS_RE.search(_first_sentence(text))) and first not in _IMPERATIVES \
        and not is_verb_stem(first)


_ANNOUNCES_ITEMS_RE = re.compile(r"\b(de\s+volgende|onderstaande)\s+(\w+\s+)?(aanbevelingen|conclusies)\s*[.:]?$", re.I)
"""A paragraph that ends announcing the list ("… Wij trekken de volgende conclusies.") introduces it, whatever its
first sentences say."""


def _last_sentence(text: str) -> str:
    sentences = re.split(r"(?<=[.!?:])\s+(?=[A-Z“\"‘(])", text.strip())
    return sentences[-1] if sentences else ""


_ENUMERATOR_RE = re.compile(r"^\s*(\(?\d{1,2}[.)]|\(?[a-z][.)])\s+(?=\S)")


_CHAPTER_ITEM_NUMBER = re.compile(r"^(\d{1,2}\.\d{1,2})\s+(?=[A-Z‘“\"'(])")
"""An item numbered per chapter with the number alone before its text ("5.1 Laat …", often set in the margin)."""


def _label_number(para: Paragraph) -> str:
    """The number an item's first paragraph prints: its label's ("Aanbeveling 2.1 …" → "2.1", "Conclusie A" → "A")
    or a chapter number before the text ("5.1 Laat …"); "" without one."""
    match = _EXPLICIT_ITEM_RE.match(para.text)
    if match:
        return match.group(2)
    match = _CHAPTER_ITEM_NUMBER.match(para.text) if para.kind in ("text", "list_item") else None
    if match is None and para.bold_lead and para.kind in ("text", "list_item"):
        match = _CODE_LABEL_RE.match(para.text)
    return match.group(1) if match else ""


_LABEL_HEADING = re.compile(_ITEM_LABEL + r"\s*(?:\([^)]{1,40}\))?\s*[:.]?$", re.I)


def _heading_label_number(path: Sequence[str], item_type: str) -> str:
    """The number of an item whose label stands alone over it as a heading ("AANBEVELING 2.1" in a box's top
    band, the text below): the label's number, when the label names the item's type."""
    match = _LABEL_HEADING.match(path[-1].strip()) if path else None
    return match.group(2) if match and match.group(1).lower() == item_type else ""


def _without_enumerator(para: Paragraph) -> str:
    """A list item's text without its printed number ("1. Zorg …" → "Zorg …")."""
    return _ENUMERATOR_RE.sub("", para.text, count=1) if para.kind == "list_item" else para.text


def _lead_of(para: Paragraph) -> str:
    text = _without_enumerator(para)
    text = _EXPLICIT_ITEM_RE.sub("", text) if _EXPLICIT_ITEM_RE.match(text) else _CHAPTER_ITEM_NUMBER.sub("", text, count=1)
    if para.kind == "heading":
        return re.sub(r"^(?:[\d.]+\s+)+", "", text).strip()
    bold_lead = _ENUMERATOR_RE.sub("", para.bold_lead + " ", count=1).strip()  # a bold list number is no lead
    if bold_lead:
        lead = _EXPLICIT_ITEM_RE.sub("", bold_lead).strip()
        return lead or _first_sentence(text)
    return _first_sentence(text)


def _item_text(group: Sequence[Paragraph]) -> str:
    parts = []
    for para in group:
        text = _without_enumerator(para)
        if para is group[0]:  # "Aanbeveling 3:", a printed "5.1" and a code "C2" are labels, not text
            text = _CHAPTER_ITEM_NUMBER.sub("", _EXPLICIT_ITEM_RE.sub("", text, count=1), count=1)
            if para.bold_lead:
                text = _CODE_LABEL_RE.sub("", text, count=1)
        if para.kind == "heading":
            text = re.sub(r"^(?:[\d.]+\s+)+", "", text)
        parts.append(text)
    return " ".join(parts).strip()


_NORM_RE = re.compile(r"^norm(\s+\d{1,2}(\.\d{1,2})*)?\s*[:.\-–—]\s*\S|^norm\s+\d{1,2}(\.\d{1,2})*\s+(?=[A-Z])", re.I)
"""A norm's statement: "Norm 2: …", "Norm 1 – …", or "Norm 1 De taken …" (the number set apart by type alone)."""
_READING_GUIDE_RE = re.compile(
    r"\b(deze|dit|het\s+volgende)\s+(paragraaf|hoofdstuk|rapport)\b|^(paragraaf|hoofdstuk|bijlage)\s+\d[\d.]*\s+(gaat|gaan|beschrijft)\b|"
    r"\bin\s+(deze|dit)\s+(paragraaf|hoofdstuk)\b|\b(wij|we|rekenkamer\w*|rkc)\s+(beschrijft|beschrijven)\b|"
    r"\bbeschrijv\w*\s+(wij|we)\b|\bgaan\s+(we|wij)\s+in\b|^op\s+basis\s+van\s+(de|deze|onze)\s+bevindingen\b|"
    r"\b(geven|zetten|lichten)\s+(wij|we)\s+(hieronder|hierna)\b|\bhieronder\s+(geven|zetten|lichten)\s+(wij|we)\b|"
    r"^in\s+(tabel|figuur|bijlage|kader)\s+\d[\d.]*\s+(staan|staat|geven\s+(wij|we)|vindt\s+u|zetten\s+(wij|we))\b|"
    r"^in\s+(deze|de\s+volgende)\s+(tabel|figuur|grafiek|overzicht)\s+(staan|staat|geven|vindt)\b|"
    r"\b(staan|staat)\s+(hieronder|hierna)\s+(de|onze)\b",
    re.I,
)
"""A paragraph that says what a chapter does ("In dit hoofdstuk …") introduces findings, wherever it says so."""
_METHOD_OPENING_RE = re.compile(
    r"^(de\s+)?(centrale\s+(onderzoeks)?vraag|hoofdvraag|onderzoeksvraag)\b|\bvoor\s+dit\s+onderzoek\b|\b(de\s+)?respons\s+(op|van|bedr)\w*|"
    r"\b(heeft|hebben|is|zijn)\b(?:(?!\bniet\b)[^.]){0,80}\b(onderzocht|geanalyseerd|bestudeerd|in\s+kaart\s+gebracht|"
    r"geïnterviewd|gesproken|nagegaan|getoetst)\b|\bde\s+(rekenkamer|rekenkamercommissie|rkc)\s+(heeft|is)\s+"
    r"(daarvoor|hiervoor|voor\s+dit)\b|"
    # a general norm ("Een raad die wil sturen, moet weten …", "Voor een goede sturing is het nodig …")
    r"^(een|voor\s+een|om\s+te)\b[^.]{0,120}\b(moet|moeten|nodig|van\s+belang|begint)\b|^naast\b[^.]{0,120}\bvan\s+belang\b|"
    # the rekenkamer's own earlier recommendations, as the reason to look again
    r"\b(deed|deden)\s+(de\s+)?(rekenkamer\w*|wij|we)\s+aanbevelingen\b|"
    # the norms the rekenkamer measured against ("Voor de sturing hebben wij vier normen gehanteerd: …")
    r"\b(heeft|hebben)\s+(wij|we|de\s+rekenkamer\w*|rkc)\b[^.]{0,60}\bnorm(en|enkader)?\b[^.]{0,20}"
    r"\b(gehanteerd|opgesteld|gebruikt|geformuleerd)\b|"
    # whom the researchers spoke to, in the past tense ("Wij spraken acht ouders …")
    r"^(wij|we|de\s+rekenkamer\w*)\s+(spraken|sprak|interviewden|interviewde)\b|"
    # the norm a finding is measured against ("Normen. De rekenkamercommissie verwacht dat …")
    r"^(\d{1,2}(\.\d{1,2}){0,3}\s+)?normen?(kader)?\s*[.:]|^(de\s+)?(rekenkamer\w*|rkc)\s+verwacht(te)?\s+dat\b|"
    r"^(wij|we|de\s+rekenkamer\w*)\s+(gaan|gaat|gingen|ging)\s+ervan\s+uit\s+dat\b|^(wij|we)\s+verwacht(en|ten)\s+dat\b",
    re.I,
)
"""How the research was done, or what a gemeente in general must do: method prose when the paragraph
opens with it; a finding followed by how it was found ("… Wij hebben nagegaan of …") stays a finding,
and so does what the gemeente did not do ("… niet in samenhang wordt geanalyseerd")."""
_FRAMING_CLOSE_RE = re.compile(
    r"\b(onderzocht|gevraagd|nagegaan|bekeken|bestudeerd)\b[^.]{0,40}\b(hoe|of|wat|welke|waarom|waar)\b|"
    r"^(daarvoor|daartoe|hiervoor)\s+(moet|moeten|dient|dienen)\b",
    re.I,
)
"""The closing sentence of a paragraph that frames what follows: the question the rekenkamer looked
into ("De Rekenkamer heeft onderzocht hoe zij samenwerken") or what a role requires ("Daarvoor moet
hij tijdig worden geïnformeerd")."""
_FOUND_RE = re.compile(
    r"\d|\b(niet|geen|nog|nauwelijks|onvoldoende|beperkt|weinig|ontbre\w+|pas|wel|blijkt|bleek|bleken|"
    r"was|waren|werd|werden|had|hadden|stel(len|t)\s+vast|constate\w+|zagen|gaven|vertelden|noem\w*)\b|"
    r"\b(heeft|hebben|is|zijn)\b[^.]{0,60}\bge\w+(d|t|en)\b",
    re.I,
)
"""Something found about this gemeente: a figure, a lack, a past event, what was seen or said."""


_NATIONAL_OPENING_RE = re.compile(r"^(landelijk|in\s+nederland|(volgens|op\s+grond\s+van|in)\s+de\s+jeugdwet|de\s+jeugdwet)\b",
                                  re.I)
_LOCAL_ACTOR_RE = re.compile(r"\b(gemeente\w*|college|raad|wethouder\w*|wijkteam\w*|sociaal\s+team|wij|we|ons|onze)\b", re.I)


def _national_background(text: str) -> bool:
    """The national frame a finding is read against ("Landelijk geldt geen wettelijke norm voor de wachttijd …"),
    naming no one of the gemeente: background, like a general norm."""
    return bool(_NATIONAL_OPENING_RE.match(text.strip())) and not _LOCAL_ACTOR_RE.search(text)


def _frames_what_follows(text: str) -> bool:
    """General background closed by the question looked into or by what a role requires ("Rond een
    jeugdige zijn vaak meerdere professionals actief … Wij hebben hun gevraagd hoe zij samenwerken.")
    introduces findings; a finding closed that way ("Het college noemt in de jaarrekening 2018 drie
    oorzaken … Wij hebben nagegaan of …") is still one."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"‘(])", text) if s.strip()]
    return (len(sentences) >= 2 and bool(_FRAMING_CLOSE_RE.search(sentences[-1]))
            and not any(_FOUND_RE.search(s) for s in sentences[:-1]))


_ILLUSTRATION_RE = re.compile(r"^(kader|box|casus|voorbeeld|praktijkvoorbeeld|ter\s+illustratie|uitleg|achtergrond|"
                              r"wat\s+is|wat\s+zijn|wat\s+betekent)\b", re.I)
"""The title of a box that illustrates or explains rather than reports what the rekenkamer found."""
_FINDING_MIN_WORDS = 12
_SENTENCE_MIN_WORDS = 8
"""A shorter paragraph is a finding only as a whole sentence ("Of de effecten behaald worden, is nog niet
inzichtelijk."); a short line without a full stop is a caption or a run-in heading."""
_QUOTE_RE = re.compile(r"^([A-Z][\w.\- ]{1,60}:\s*)?[“\"‘„]|^(figuur|tabel|grafiek|bron)\s*(\d+(\.\d+)*)?\s*[:.](?!\d)|"
                       r"^aanbeveling\s+\d{1,2}\s*(\(\s*(19|20)\d\d\s*\)|uit\s+(19|20)\d\d)\s*:", re.I)
"""An interviewee quoted as its own paragraph ("Trias Jeugdhulp: “…”"), a figure caption, or an earlier report's
recommendation quoted ("Aanbeveling 1 (2018): Formuleer …"): evidence for a finding, not the finding."""
_VERDICT_RE = re.compile(
    r"\b(de\s+norm|deze\s+norm|aan\s+de\s+norm)\b[^.]{0,60}\b(gehaald|voldaan|behaald|niet\s+gehaald)\b|"
    r"\bvoldo\w*\s+(\w+\s+){0,3}aan\s+(deze|de)\s+norm\b|\bnorm\s+(wordt|is)\s+(\w+\s+)?(gehaald|behaald)\b",
    re.I,
)


_ENDS_ON_FUNCTION_WORD = re.compile(r"\s(de|het|een|in|op|van|voor|met|aan|dan|en|of|te|bij|naar|om|over|door|uit|tot|"
                                   r"die|dat|waar|als|zijn|is|wordt|worden|heeft|hebben)$", re.I)
"""A paragraph that stops on such a word broke off mid-sentence ("… dan gemiddeld in" / "Nederland, waar …")."""


def findings(paragraphs: Sequence[Paragraph], places: Sequence[Placement], used: set[int]) -> list[tuple[str, list[Paragraph]]]:
    """Bevindingen in the body chapters (after the Inleiding, outside Samenvatting, conclusions,
    recommendations, reaction and annexes): under a norm ("Norm 2.1: …") the paragraphs that
    follow it up to the verdict form one bevinding; elsewhere each findings paragraph is one.
    Paragraphs that describe the research itself ("In dit hoofdstuk …", "De rekenkamer heeft …
    geanalyseerd") are not findings."""
    inleiding = [p for p, pl in zip(paragraphs, places) if p.kind == "heading" and pl.role is Role.INLEIDING
                 and p.index == pl.anchor]
    body_started = not inleiding
    inleiding_level = inleiding[0].level if inleiding else 0
    seen_inleiding = False
    sizes = [p.size for p in paragraphs if p.kind == "text" and p.size > 0]
    text_size = statistics.median(sizes) if sizes else 0.0
    display_size = 1.3 * text_size if sizes else float("inf")
    caption_size = 0.9 * text_size
    groups: list[tuple[str, list[Paragraph]]] = []
    norm_group: list[Paragraph] | None = None
    list_group: list[Paragraph] | None = None
    findings_columns: tuple[int, int | None] | None = None  # (Bevindingen, Oordeel) of the table being read
    last_found = ""  # the findings cell of that table's row before
    for position, (para, place) in enumerate(zip(paragraphs, places)):
        if para.kind == "heading":
            norm_group = list_group = None
            if inleiding and para.index == inleiding[0].index:
                seen_inleiding = True
            elif seen_inleiding and not body_started and para.level <= inleiding_level:
                body_started = True
            continue
        if not body_started or place.role not in (Role.NONE, Role.BEVINDING) or para.index in used:
            norm_group = None
            continue
        if para.kind == "table_row" and para.cells:
            cells = [c.strip() for c in para.cells]
            if _is_header_row(cells):
                findings_columns = _findings_columns(cells)
                if findings_columns:
                    continue
                last_found = ""
            elif findings_columns and findings_columns[0] < len(cells):
                # A "Norm | Bevindingen | Oordeel" table: each row's findings, with the verdict on them, are one
                # bevinding; the norm they are measured against is none.
                found, verdict = findings_columns
                text = " ".join(c for c in (cells[found], cells[verdict] if verdict is not None and verdict < len(cells)
                                            else "") if c)
                if text and last_found and groups[-1][1][-1].page_end + 1 == para.page_start and (
                        not last_found.endswith((".", "!", "?")) or cells[found][:1].islower()):
                    groups[-1][1].append(replace(para, text=text, kind="text", cells=()))  # a row cut by a page break
                elif cells[found]:
                    groups.append((_first_sentence(cells[found]), [replace(para, text=text, kind="text", cells=())]))
                last_found = cells[found].rstrip() or last_found
                continue
        elif para.kind != "footnote":
            findings_columns = None
        norm_cell = para.kind == "table_row" and bool(para.cells) and bool(
            re.match(r"^norm(\s+\d{1,2}(\.\d{1,2})*)?\s*[:.]?$", para.cells[0].strip(), re.I))
        if not place.path or (para.kind not in ("text", "list_item") and not norm_cell):
            continue
        if re.match(r"^(toelichting|noot|opmerking)\s*:", para.text, re.I) and position and \
                paragraphs[position - 1].kind == "table_row":
            continue  # a note under a table of figures explains the table
        title = heading_words(place.path[-1])
        if _ILLUSTRATION_RE.match(title) and (para.box >= 0 or re.match(r"^(kader|casus)\b", title, re.I)):
            continue  # a case story or an explanation set apart in a box ("Kader 2 Wat is taakgerichte bekostiging?")
        if norm_cell or _NORM_RE.match(para.text):
            norm_group = []
            groups.append(("", norm_group))
            continue
        if norm_group is not None:
            norm_group.append(para)
            if _VERDICT_RE.search(para.text):
                norm_group = None  # the verdict closes what was found under the norm
            continue
        if list_group is not None and (para.kind == "list_item" or para.text.lstrip().startswith(("−", "-", "–"))):
            list_group.append(para)  # the list a lead-in announced belongs to that finding
            continue
        list_group = None
        before = groups[-1][1][-1].text.rstrip() if groups and groups[-1][1] else ""
        cut_off = bool(before) and (para.text[:1].islower() or bool(_ENDS_ON_FUNCTION_WORD.search(before)))
        if cut_off and not before.endswith((".", "!", "?")) and para.page_start - groups[-1][1][-1].page_end <= 1:
            groups[-1][1].append(para)  # the rest of a paragraph that a page break cut off
            continue
        if para.size >= display_size and len(para.text.split()) <= 40:
            continue  # display type: a pull quote or a key figure set large beside the findings it repeats
        if para.size <= caption_size and not para.text.rstrip().endswith((".", "!", "?")):
            continue  # a caption or a figure's labels in small type, no sentence
        if para.size <= caption_size and _SOURCE_NOTE_RE.search(para.text):
            continue  # a table's note in small type ("… Bron: jaarrekeningen 2019–2021"): data, not a finding
        if _QUOTE_RE.match(para.text) or para.text.rstrip().endswith("?") or _READING_GUIDE_RE.search(para.text) \
                or _METHOD_OPENING_RE.search(_first_sentence(para.text)) or _frames_what_follows(para.text) \
                or _national_background(para.text):
            continue
        if para.text.rstrip().endswith(":") and len(para.text.split()) >= 6:
            list_group = [para]
            groups.append((_first_sentence(para.text), list_group))
            continue
        words = len(para.text.split())
        if _is_figures(para.text):
            continue  # a table of figures without rules, read as one paragraph: data, not a finding
        # (a paragraph ending in ":" was taken as a list's lead-in above, or is shorter than this)
        if words < _SENTENCE_MIN_WORDS or (words < _FINDING_MIN_WORDS and not para.text.rstrip().endswith((".", "!"))):
            continue
        label = para.bold_lead
        if label and label != para.text and len(label.split()) <= 5 and not label.endswith((".", "!", "?")):
            para = replace(para, text=para.text[len(label):].strip(), bold_lead="")  # a run-in label
        groups.append((_first_sentence(para.text), [para]))
    return [(lead or _first_sentence(group[0].text), group) for lead, group in groups if group]


def _is_figures(text: str) -> bool:
    """Mostly numbers ("Jaar Begroot Gerealiseerd 2018 14.210 15.480 …"): a table's cells, not a sentence."""
    tokens = text.split()
    numeric = sum(1 for t in tokens if re.fullmatch(r"[−–+-]?[€%]?\d[\d.,]*%?", t))
    return len(tokens) >= 8 and numeric * 2 >= len(tokens)


def _sets_out_items(block: Sequence[Paragraph]) -> bool:
    return any(p.kind in ("table_row", "list_item") or _is_lead_paragraph(p) for p in block)


_TYPE_LETTER = {"conclusie": "C", "bevinding": "B", "aanbeveling": "A", "onderzoeksvraag": "Q", "norm": "N"}


def segment(document: ReportDocument | ExtractedDocument, meta: ReportMeta) -> SegmentedReport:
    """Find the items of a report in its sections. Adds nothing that the report does not contain."""
    model = document if isinstance(document, ReportDocument) else build(document)
    paragraphs = model.paragraphs
    sections = model.placements
    has_explicit = any(
        s.role in (Role.CONCLUSIE, Role.AANBEVELING, Role.BEVINDING, Role.MIXED, Role.MIXED_BEVINDING) for s in sections
    )

    # Consecutive paragraphs governed by the same role-giving heading form one block.
    blocks: list[tuple[Placement, list[Paragraph]]] = []
    for para, section in zip(paragraphs, sections):
        if para.index == section.anchor:
            continue
        if not blocks or blocks[-1][0].anchor != section.anchor:
            blocks.append((section, []))
        blocks[-1][1].append(para)

    raw: list[tuple[str, str, list[Paragraph], tuple[str, ...], str, str | None]] = []
    # A chapter whose conclusions are set out (numbered, labelled, bold leads, a table) has them
    # there; its prose around them ("Hoofdconclusie", an overall verdict) is not read as items.
    structured_chapters = {section.path[:1] for section, block in blocks
                           if section.role is Role.CONCLUSIE and _sets_out_items(block)}
    for section, block in blocks:
        role, level = section.role, section.level
        if role in STICKY_ROLES:
            continue
        if role is Role.SAMENVATTING and has_explicit:
            continue
        if role in _ITEM_ROLES:
            rows = [p for p in block if p.kind == "table_row"]
            item_rows = [r for t in _logical_tables(rows) if _is_item_table(t) for r in t]
            for item_type, lead, group, number, to_whom in table_items(item_rows, role):
                raw.append((item_type, lead, group, _path_of(group[0], sections), number, to_whom))
            flow = _cells_as_paragraphs([p for p in block if p not in item_rows])
            run_in, flow = run_in_items(flow)
            for item_type, lead, group, number, to_whom in run_in:
                raw.append((item_type, lead, group, _path_of(group[0], sections), number, to_whom))
            # Where a table holds the items, the prose around it ("De rekenkamer doet zes
            # aanbevelingen.") is not read as items paragraph by paragraph.
            prose_only = role is Role.CONCLUSIE and section.path[:1] in structured_chapters and not _sets_out_items(block)
            # Under "Hoofdconclusie" the overall verdict, then the conclusions set out in a table: the verdict is
            # no item of its own, however it is set (bold italics).
            if item_rows and section.path and _OVERALL_VERDICT_RE.match(heading_words(section.path[-1])):
                flow = [p for p in flow if p.index > item_rows[0].index]
            for lead, group in _items_in_section(flow, role, level, allow_fallback=not item_rows and not prose_only):
                item_type = _item_type(role, lead, _item_text(group), group[0])
                raw.append((item_type, lead, group, _path_of(group[0], sections), "", None))
        else:
            # Explicit "Aanbeveling N:" blocks count wherever they stand (e.g. a thesis' discussion).
            for item_type, lead, group in _explicit_blocks(block):
                raw.append((item_type, lead, group, _path_of(group[0], sections), "", None))

    # A designed page (an infographic "In één oogopslag": numbers in circles, labels and key figures placed
    # freely) comes out as scattered headings; its short labels are no items — the report states them in full.
    designed = _designed_pages(paragraphs)
    raw = [r for r in raw if r[2][0].page_start not in designed]
    if meta.doc_type == "rekenkamerrapport":
        used = {p.index for _, _, group, *_ in raw for p in group}
        for lead, group in findings(paragraphs, sections, used):
            raw.append(("bevinding", lead, group, _path_of(group[0], sections), "", None))
    raw.sort(key=lambda r: r[2][0].index)
    raw = _addressee_labels_joined([(t, lead, _before_lead_in(group), *rest) for t, lead, group, *rest in raw])
    raw = _without_short_repeats(raw)
    announced = _announced_addressees(paragraphs, {p.index for _, _, group, *_ in raw for p in group})
    items: list[Item] = []
    counters: dict[str, int] = {}
    for order, (item_type, lead, group, path, printed_number, to_whom) in enumerate(raw):
        counters[item_type] = counters.get(item_type, 0) + 1
        ordinal = counters[item_type]
        text = _item_text(group)
        first = group[0]
        items.append(
            Item(
                item_id=f"{meta.report_id}:{_TYPE_LETTER[item_type]}{ordinal}",
                report_id=meta.report_id,
                type=item_type,
                lead=lead,
                text=text,
                section_path=path,
                page_start=first.page_start,
                page_end=max(p.page_end for p in group),
                order=order,
                bbox=first.bbox,
                addressee=(to_whom or addressee(lead, text) or _addressee_of_section(path)
                           or announced.get(first.index)) if item_type == "aanbeveling" else None,
                number=printed_number or _label_number(first) or _heading_label_number(path, item_type) or str(ordinal),
            )
        )
    items = link_reactions(items, paragraphs, sections)
    items = other_locations(items, paragraphs, sections)
    return SegmentedReport(meta=meta, items=tuple(items))


_ELSEWHERE = {Role.SAMENVATTING: "samenvatting", Role.REACTIE: "bestuurlijke reactie", Role.NAWOORD: "nawoord"}


def _content_words(text: str) -> list[str]:
    """The words that carry content (four letters or more), lower-cased, in order."""
    return re.findall(r"\w{4,}", text.lower())


def _without_short_repeats(raw: list[Any]) -> list[Any]:
    """A recommendation stated twice in item sections — in one line in a "Conclusies en aanbevelingen" chapter and in
    full in a box at the end of its findings chapter — is one item: the full statement. A short one whose words are
    all in a longer one that opens with the same lead is its repeat."""
    lengths = [len(_content_words(_item_text(group))) for _, _, group, *_ in raw]
    words = [set(_content_words(_item_text(group))) for _, _, group, *_ in raw]
    leads = [set(_content_words(lead)) for _, lead, *_ in raw]
    dropped: set[int] = set()
    for i, (item_type, *_rest) in enumerate(raw):
        if item_type not in ("aanbeveling", "conclusie") or lengths[i] < 5:
            continue
        for j, (other_type, *_other) in enumerate(raw):
            if j == i or j in dropped or other_type != item_type:
                continue
            # the same statement twice (a chapter that repeats each recommendation above its answer): the first stays
            same = words[i] == words[j] and j < i
            if lengths[j] <= lengths[i] and not same:
                continue
            if len(words[i] & words[j]) >= 0.9 * len(words[i]) and len(leads[i] & leads[j]) >= 0.8 * len(leads[i]):
                dropped.add(i)
                break
    return [r for i, r in enumerate(raw) if i not in dropped]


def other_locations(items: Sequence[Item], paragraphs: Sequence[Paragraph], places: Sequence[Placement]) -> list[Item]:
    """One recommendation or conclusion, many places: where the Samenvatting, the reaction or the
    nawoord repeats an item, that place is kept with it (extra["ook_op"]), not stored as an item."""
    words = {it.item_id: set(_content_words(it.lead or it.text)) for it in items}
    found: dict[str, list[str]] = {}
    for para, place in zip(paragraphs, places):
        where = _ELSEWHERE.get(place.role)
        if where is None or para.kind == "footnote":
            continue
        text_words = set(_content_words(para.text))
        for item in items:
            lead_words = words[item.item_id]
            if item.type in ("aanbeveling", "conclusie") and len(lead_words) >= 5 \
                    and len(lead_words & text_words) >= 0.8 * len(lead_words):
                found.setdefault(item.item_id, []).append(f"{where} p. {para.page_start}")
    return [replace(it, extra={**it.extra, "ook_op": "; ".join(dict.fromkeys(found[it.item_id]))})
            if it.item_id in found else it for it in items]


def _path_of(para: Paragraph, sections: Sequence[Placement]) -> tuple[str, ...]:
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


_RUNIN_ITEM_RE = re.compile(r"^(aanbeveling|conclusie)\s*:\s*", re.I)
"""An unnumbered item run in with a bold label ("Conclusie: De toegang …" closing a theme of the findings)."""


def _designed_pages(paragraphs: Sequence[Paragraph]) -> set[int]:
    """Pages of at least eight paragraphs most of which (60 %) were read as headings: an infographic, not text."""
    counts: dict[int, list[int]] = {}
    for para in paragraphs:
        if para.kind in ("heading", "text", "list_item"):
            tally = counts.setdefault(para.page_start, [0, 0])
            tally[0] += para.kind == "heading"
            tally[1] += 1
    return {page for page, (headings, total) in counts.items() if total >= 8 and headings >= 0.6 * total}


def _explicit_blocks(block: Sequence[Paragraph]) -> list[tuple[str, str, list[Paragraph]]]:
    """(type, lead, paragraphs) of the items a section outside the item chapters states with a label of their
    own: "Aanbeveling 3: …", or run in without a number after a bold "Conclusie:" / "Aanbeveling:"."""
    groups: list[tuple[str, str, list[Paragraph]]] = []
    current: list[Paragraph] | None = None
    for para in block:
        explicit = _EXPLICIT_ITEM_RE.match(para.text)
        run_in = _RUNIN_ITEM_RE.match(para.text) if not explicit and para.kind == "text" \
            and _RUNIN_ITEM_RE.match(para.bold_lead) and len(para.text) > len(para.bold_lead) + 20 else None
        if explicit:
            current = [para]
            groups.append((explicit.group(1).lower(), _lead_of(para), current))
        elif run_in:
            rest = para.text[run_in.end():]
            lead = para.bold_lead[run_in.end():].strip() if len(para.bold_lead) > run_in.end() + 3 else ""
            current = [replace(para, text=rest, bold_lead=lead)]
            groups.append((run_in.group(1).lower(), lead or _first_sentence(rest), current))
        elif current is not None and para.kind in ("text", "list_item") and not para.bold_lead \
                and (current[0].box < 0 or para.box == current[0].box):
            current.append(para)  # an item set in a box ends with the box
        else:
            current = None
    return groups
