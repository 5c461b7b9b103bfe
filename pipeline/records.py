"""Typed records passed between pipeline stages.

Every stage takes and returns these frozen dataclasses, so a stage can be tested
on its own and nothing downstream mutates what an earlier stage produced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, origin at the top-left of the page."""

ItemType = Literal["conclusie", "bevinding", "aanbeveling", "onderzoeksvraag", "norm"]
ITEM_TYPES: tuple[str, ...] = ("conclusie", "bevinding", "aanbeveling", "onderzoeksvraag", "norm")

Stance = Literal["overgenomen", "deels", "niet overgenomen", "onbekend"]
STANCES: tuple[str, ...] = ("overgenomen", "deels", "niet overgenomen", "onbekend")

SourceKind = Literal["rekenkamerrapport", "synthese", "onderzoek", "scriptie", "presentatie", "import"]
SOURCE_KINDS: tuple[str, ...] = ("rekenkamerrapport", "synthese", "onderzoek", "scriptie", "presentatie", "import")
"""What kind of source a report is (stored as the report's doc_type): a rekenkamer's own report, a
synthesis of such reports (the NJi's), other research (a ministry's), a thesis, a presentation, or
items imported from a file or web page (`metadossier import`)."""
PRIMARY_SOURCE_KINDS: tuple[str, ...] = ("rekenkamerrapport", "import")
"""The rekenkamers' own evidence: what search, precedent, themes and overview show unless asked for more.
A synthesis repeats it, a thesis or ministry report is someone else's; imported items are rekenkamer items."""
DocType = SourceKind
DOC_TYPES: tuple[str, ...] = SOURCE_KINDS

_THESIS = re.compile(r"scriptie|thesis|afstudeer", re.IGNORECASE)


def source_kind(doc_type: str, file_name: str = "", title: str = "") -> str:
    """The source kind of a report from its manifest doc_type, file name and title: a thesis filed as
    'onderzoek' is a scriptie; an unknown doc_type is 'onderzoek' (never primary by accident)."""
    kind = doc_type.strip().lower()
    if kind in ("", "onderzoek") and _THESIS.search(f"{file_name} {title}"):
        return "scriptie"
    return kind if kind in SOURCE_KINDS else "onderzoek"

ParagraphKind = Literal["heading", "text", "list_item", "footnote", "table_row"]


@dataclass(frozen=True)
class Line:
    """One visual line of text on a page, in reading order."""

    text: str
    page: int
    bbox: BBox
    size: float
    bold: bool
    bold_prefix: str = ""
    """Leading run of bold characters (a bold lead sentence that ends mid-line)."""
    bullet: str = ""
    """The list marker that opened the line ("•", "-", "1)", …), removed from `text`."""
    column: int = 0
    cells: tuple[str, ...] = ()
    """For a table row: the text of each cell, left to right (then `text` joins them)."""
    table: int = -1
    """Which table on the page a row belongs to (page * 100 + index), -1 outside tables."""
    box: int = -1
    """Which filled box (panel) the line sits in (page * 100 + index), -1 outside boxes."""


@dataclass(frozen=True)
class Paragraph:
    """A block of lines that belong together: a heading, a body paragraph, a list item, a footnote."""

    index: int
    kind: ParagraphKind
    text: str
    page_start: int
    page_end: int
    bbox: BBox
    size: float
    bold: bool = False
    bold_lead: str = ""
    """The bold sentence(s) that open the paragraph, if any."""
    bullet: str = ""
    level: int = 0
    """Heading level (1 = chapter) for headings, nesting depth for list items."""
    number: str = ""
    """Heading or list numbering as printed ("2.2", "3", "1)")."""
    cells: tuple[str, ...] = ()
    """A table row's cells (kind "table_row")."""
    table: int = -1
    """The table a row belongs to; rows of one table share it, also across a page break."""
    box: int = -1
    """The box (coloured panel) a paragraph sits in, -1 outside boxes."""


@dataclass(frozen=True)
class PageText:
    """The plain text of one page (after header/footer removal), for search and display."""

    number: int
    width: float
    height: float
    text: str


@dataclass(frozen=True)
class OutlineEntry:
    """One bookmark of the PDF's outline: a heading as the producer recorded it."""

    level: int
    title: str
    page: int | None


@dataclass(frozen=True)
class ExtractedDocument:
    """What extraction knows about one PDF: its pages and paragraphs in reading order."""

    path: str
    content_hash: str
    page_count: int
    pages: tuple[PageText, ...]
    paragraphs: tuple[Paragraph, ...]
    body_size: float
    title_guess: str = ""
    outline: tuple[OutlineEntry, ...] = ()
    """The PDF's bookmarks, in order (empty when the producer wrote none)."""
    info: tuple[tuple[str, str], ...] = ()
    """The PDF's document information (Title, Author, Subject, Creator, Producer), non-empty values."""
    furniture: tuple[Line, ...] = ()
    """Running headers, footers and page numbers, kept apart from the body."""
    ocr_pages: tuple[int, ...] = ()
    """Pages whose text was read by OCR (no text layer)."""
    warnings: tuple[str, ...] = ()
    """What extraction could not do but the user should know (scanned pages left unread)."""


@dataclass(frozen=True)
class ReportMeta:
    """Bibliographic facts about a report, from the corpus manifest or guessed from its text."""

    report_id: str
    title: str = ""
    gemeente: str = ""
    rekenkamer: str = ""
    year: int | None = None
    doc_type: str = "rekenkamerrapport"
    """The source kind (one of SOURCE_KINDS)."""
    file_name: str = ""
    source_url: str = ""
    """Where the report (or the page its imported items were quoted from) is published."""


@dataclass(frozen=True)
class Reaction:
    """The college's response to one aanbeveling, as found in the bestuurlijke reactie / nawoord."""

    text: str
    stance: str
    page_start: int
    page_end: int
    evidence: str = ""
    """The sentence that decided the stance (from the nawoord or the reaction)."""


@dataclass(frozen=True)
class Item:
    """A conclusion, finding, recommendation, research question or norm with its provenance."""

    item_id: str
    report_id: str
    type: str
    lead: str
    text: str
    section_path: tuple[str, ...]
    page_start: int
    page_end: int
    order: int
    bbox: BBox | None = None
    addressee: str | None = None
    number: str = ""
    reaction: Reaction | None = None
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def stance(self) -> str | None:
        if self.type != "aanbeveling":
            return None
        return self.reaction.stance if self.reaction else "onbekend"


@dataclass(frozen=True)
class SegmentedReport:
    """Output of segmentation: the report's items plus the doc type it was treated as."""

    meta: ReportMeta
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Label:
    """Classification of one item against the doelen and the beleidscyclus categories."""

    item_id: str
    doelen: tuple[str, ...]
    algemeen: bool
    categorie: str
    scores: dict[str, float] = field(default_factory=dict, hash=False, compare=False)
    categorie_scores: dict[str, float] = field(default_factory=dict, hash=False, compare=False)
    model_version: str = ""
    source: Literal["model", "import", "human", "gold"] = "model"
    """Who decided: the classifier, the file the item was imported with, an annotator (gold) or a
    person's correction."""
