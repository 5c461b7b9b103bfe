"""Render a layout-corpus spec with rinohtype 0.5 (a pure-Python document processor) from reStructuredText.

The way a small rekenkamercommissie whose secretary writes in plain text might make its report: the spec becomes one
reStructuredText file (title, subtitle and docinfo for the cover; sections with the report's own typed numbers;
footnotes `[#]_`; an enumerated list; admonitions; a definition list; a `list-table`; a line block for the signature)
that rinohtype's reStructuredText frontend reads and lays out with a document template and a style sheet written for
a report rather than a manual:

- the template (`Rapport`, a `rinoh.template.DocumentTemplate`) has three parts — the cover (rinohtype's title page:
  title, subtitle, author = the rekenkamer, date; a tinted band along the top as a background image), the front matter
  (the colofon on page 2, then rinohtype's `TableOfContentsSection`, "Inhoudsopgave", on page 3) and the
  contents — numbered physically throughout (the cover is page 1), with no header and a footer "rekenkamer · title"
  left and the page number right on the content pages only;
- the style sheet (`.rts`, based on rinohtype's `sphinx` sheet) sets TeX Gyre Termes as the body face (10.5 pt,
  justified, hyphenated with the Dutch patterns of pyphen's `hyph_nl_NL.dic`, real ligatures) and TeX Gyre Heros for
  headings, footer, admonition titles and table heads; it switches off rinohtype's own section numbering (the spec's
  numbers are typed in the headings, so the inhoudsopgave and the bookmarks read "2.1 Het Centrum …"), lets chapters
  run on (`[chapter] page_break=none`; a heading with `new_page: true` gets a `PageBreak` before it) and styles the
  pieces below.

Spec keys this renderer reads beyond the README schema (spec.py ignores them; the gold derivation is unchanged):
  house: {accent: "RRGGBB", size: 10.5, date: [y, m, d], footer: "…"}
  heading.new_page: true       a page break before the heading
  para.style: intro            the paragraph in italics (a chapter's opening sentence that names its question)
  para.enum: [...]             an enumerated list "1." … after the paragraph's text (never an item)
  para.literature: [...]       literature entries as paragraphs with a hanging indent; `*…*` in an entry is italic
  items.layout: admonition     (conclusie) each item as a reST `admonition` titled `items.title` ("Deelconclusie"):
                               a tinted block between two rules, the title in the heading face, the item's lead and
                               text as one plain paragraph under it
  items.layout: definition_list  (aanbeveling) a reST definition list: the term is the item's `title` (bold, heading
                               face), the definition its lead and text as one plain paragraph; no number is printed
  reaction_letter.layout: running  the letter as body paragraphs (no letterhead, no frame), the signature as a line
                               block
  table: {caption, columns, data, widths}   a plain `list-table` with a header row, the caption as a bold line above
Not supported (render raises): scanned letters, reaction tables, norms, boxes, two-column text, kader, repeat.

What rinohtype does that the corpus should know (rinohtype 0.5.6 with docutils 0.22, pypdfium2 reading):
- A page's footnotes are drawn before its body: each page's text starts with its footnote(s) ("2 Bron: gemeente
  Heerde, …"), then the heading and the paragraphs; the marker is a raised digit right after the word
  ("kinderrechter.2").
- Hyphenation draws a real hyphen glyph at the line end, which pypdfium2 returns as U+FFFE ("onder" U+FFFE
  "zocht"); a hyphenated compound with its own hyphen breaks like "Noord-Velu" U+FFFE "we". Termes' ligatures come
  through as letters.
- The fonts' CFF data are embedded whole (no subsetting, no subset prefix in the names), so the PDF is about 370 kB.
- A tab stop at exactly `100% RIGHT` without a leader makes rinohtype's line breaker loop for ever (it adds pages
  until killed): the toc level-1 entries and the footer use 99.9%. The TOC entry text is set to the title, a tab
  and the page (rinohtype's default puts the empty number field and a tab first, which right-aligns unnumbered
  titles).
- The outline holds the level-1 and level-2 headings with their typed numbers; the title page, colofon and
  inhoudsopgave are not in it.

Deterministic: rinohtype takes the info dictionary's dates from `datetime.now()` and hashes them into the trailer
/ID; the renderer runs rinohtype with its PDF backend's clock fixed at `house.date` 10:00 UTC (also when TZ differs),
in a fresh temporary folder (rinohtype keeps a `.rtc` reference cache next to its output and would otherwise start
from an old one). Two runs give the same bytes. Creator is "rinohtype v0.5.6 (2026-05-15)", Producer "rinohtype
v0.5.6 PDF backend (2026-05-15)". Title and Author come from the document's title and `:author:` field. Needs
`pip install rinohtype` (0.5.6; it brings docutils and rinohtype's own TeX Gyre packages, which are not used),
pyphen (installed with WeasyPrint) for `hyph_nl_NL.dic`, Pillow for the cover band and Debian's `fonts-texgyre`.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import spec as spec_module  # noqa: E402

TEXGYRE = Path("/usr/share/texmf/fonts/opentype/public/tex-gyre")
DEFAULT_HOUSE = {"accent": "24527A", "size": 10.5, "date": [2024, 1, 1], "footer": ""}
UNDERLINE = {1: "=", 2: "-", 3: "~"}


# ---------------------------------------------------------------------------------------------- reST text
def rst(text: Any) -> str:
    """Plain text → reStructuredText inline text that prints literally."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    text = re.sub(r"([\\`*_|\[\]])", r"\\\1", text)
    # a paragraph that starts like a list item, a field or a directive is no list item
    text = re.sub(r"^(\d+|[a-zA-Z]|[ivxIVX]+)([.)])(\s)", r"\1\\\2\3", text)
    text = re.sub(r"^([-+•])(\s)", r"\\\1\2", text)
    text = re.sub(r"^:", r"\\:", text)
    return text


def rst_with_emphasis(text: str) -> str:
    """Like `rst`, but `*…*` stays emphasis (the literature list's titles)."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    parts = re.split(r"(\*[^*]+\*)", text)
    out = []
    for part in parts:
        if part.startswith("*") and part.endswith("*") and len(part) > 2:
            out.append(f"*{rst(part[1:-1])}*")
        elif part:
            out.append(re.sub(r"([\\`*_|\[\]])", r"\\\1", part))
    return "".join(out)


def indent(text: str, spaces: int = 3) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else "" for line in text.split("\n"))


class Builder:
    """Spec blocks → one reStructuredText document (plus the cover and colofon lines the template places)."""

    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
        self.out: list[str] = []
        self.cover_lines: list[str] = []
        self.colofon_lines: list[str] = []
        self.has_toc = False

    def emit(self, text: str) -> None:
        self.out.append(text.rstrip("\n") + "\n\n")

    def page_break(self, block: dict[str, Any] | None = None) -> None:
        self.emit(".. raw:: pdf\n\n   PageBreak")

    # ------------------------------------------------------------------ blocks
    def cover(self, block: dict[str, Any]) -> None:
        self.cover_lines = list(block.get("lines", []))

    def colofon(self, block: dict[str, Any]) -> None:
        self.colofon_lines = list(block.get("lines", []))

    def toc(self, block: dict[str, Any]) -> None:
        self.has_toc = True

    def heading(self, block: dict[str, Any]) -> None:
        if block.get("new_page"):
            self.page_break()
        level = int(block.get("level", 1))
        number = str(block.get("number", "") or "")
        title = rst(f"{number} {block['text']}" if number else block["text"])
        self.emit(title + "\n" + UNDERLINE[level] * max(len(title), 4))

    def _footnote(self, block: dict[str, Any]) -> tuple[str, str]:
        if not block.get("footnote"):
            return "", ""
        return "\\ [#]_", ".. [#] " + rst(block["footnote"])

    def para(self, block: dict[str, Any]) -> None:
        marker, note = self._footnote(block)
        if block.get("text"):
            text = rst(block["text"]) + marker
            if block.get("style") == "intro":
                self.emit(".. class:: intro\n\n" + text)
            else:
                self.emit(text)
            if note:
                self.emit(note)
        if block.get("enum"):
            self.emit("\n".join(f"{n}. {rst(entry)}" for n, entry in enumerate(block["enum"], start=1)))
        for entry in block.get("literature", []):
            self.emit(".. class:: literatuur\n\n" + rst_with_emphasis(entry))

    def findings(self, block: dict[str, Any]) -> None:
        for item in block["items"]:
            self.emit(rst(item["text"]))

    def items_block(self, block: dict[str, Any]) -> None:
        layout = block.get("layout")
        if block["type"] == "conclusie" and layout == "admonition":
            title = rst(block.get("title", "Conclusie"))
            for item in block["items"]:
                body = rst(spec_module.item_text(item))
                self.emit(f".. admonition:: {title}\n\n" + indent(body))
        elif layout == "definition_list":
            entries = []
            for item in block["items"]:
                term = rst(item["title"])
                entries.append(term + "\n" + indent(rst(spec_module.item_text(item))))
            self.emit("\n\n".join(entries))
        else:
            raise NotImplementedError(f"produce_rinoh: items layout {layout!r} is not supported")

    def reaction_letter(self, block: dict[str, Any]) -> None:
        if block.get("scanned") or block.get("layout", "running") != "running":
            raise NotImplementedError("produce_rinoh: only a letter set as running text is supported")
        for paragraph in block.get("paragraphs", []):
            self.emit(".. class:: brief\n\n" + rst(paragraph))
        if block.get("signature"):
            self.emit(".. class:: ondertekening\n\n" + "\n".join("| " + rst(line) for line in block["signature"]))

    def table(self, block: dict[str, Any]) -> None:
        if block.get("caption"):
            self.emit(".. class:: tabeltitel\n\n" + rst(block["caption"]))
        columns = block["columns"]
        widths = block.get("widths") or [100 // len(columns)] * len(columns)
        lines = [".. list-table::", "   :header-rows: 1", "   :widths: " + " ".join(str(w) for w in widths), ""]
        for row in [columns, *block["data"]]:
            cells = [rst(c) for c in row]
            lines.append(("   * - " + cells[0]).rstrip())
            lines += [("     - " + c).rstrip() for c in cells[1:]]
        self.emit("\n".join(lines))

    def unsupported(self, block: dict[str, Any]) -> None:
        raise NotImplementedError(f"produce_rinoh: block kind {block['kind']!r} is not supported")

    quote = norm = repeat = reaction_table = columns = kader = unsupported

    def build(self) -> str:
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind == "items":
                self.items_block(block)
            else:
                getattr(self, kind)(block)
        org, title, subtitle, date = (self.cover_lines + ["", "", "", ""])[:4]
        title = rst(title or self.spec["meta"]["title"])
        head = ["=" * len(title), title, "=" * len(title), ""]
        if subtitle:
            sub = rst(subtitle)
            head += ["-" * len(sub), sub, "-" * len(sub), ""]
        if org:
            head.append(f":author: {rst(org)}")
        if date:
            head.append(f":date: {rst(date)}")
        return "\n".join(head) + "\n\n" + "".join(self.out)


def source(spec: dict[str, Any]) -> str:
    return Builder(spec).build()


# ---------------------------------------------------------------------------------------------- style sheet
def stylesheet_text(house: dict[str, Any]) -> str:
    accent = "#" + str(house["accent"]).lstrip("#")
    size = float(house["size"])
    lead = round(size * 1.38, 1)
    return f"""[STYLESHEET]
name=Rekenkamerrapport
base=sphinx
description=A plain report: Termes body, Heros heads, no section numbers, chapters run on

[VARIABLES]
accent={accent}
grey=#555555
tint=#EEF2F6
rule=0.6pt,{accent}

[default:Paragraph]
typeface=$(serif_typeface)
font_size={size}pt
line_spacing=fixed({lead}pt, leading(0))
text_align=JUSTIFY
hyphen_lang=nl_NL
hyphen_chars=3

[body]
base=default
space_above=0pt
space_below=6pt

[chapter]
page_break=none

[content chapter]
base=chapter

[heading level 1]
typeface=$(sans_typeface)
font_weight=BOLD
font_size=17pt
font_color=$(accent)
line_spacing=SINGLE
space_above=26pt
space_below=12pt
number_format=None
keep_with_next=true
hyphenate=false
text_align=LEFT

[unnumbered heading level 1]
base=heading level 1

[heading level 2]
base=heading level 1
font_size=12pt
font_color=#1A1A1A
space_above=14pt
space_below=5pt

[heading level 3]
base=heading level 2
font_size=10.5pt
space_above=10pt
space_below=3pt

[intro paragraph : Paragraph(has_class='intro')]
base=body
font_slant=ITALIC
space_below=8pt

[brief paragraph : Paragraph(has_class='brief')]
base=body

[ondertekening : Paragraph(has_class='ondertekening')]
base=body
text_align=LEFT
space_above=4pt

[literatuur : Paragraph(has_class='literatuur')]
base=body
text_align=LEFT
margin_left=1cm
indent_first=-1cm
space_below=4pt
hyphenate=false

[tabeltitel : Paragraph(has_class='tabeltitel')]
base=body
typeface=$(sans_typeface)
font_weight=BOLD
font_size=9pt
text_align=LEFT
space_above=8pt
space_below=4pt
keep_with_next=true

[enumerated list]
margin_left=14pt
space_above=0pt
space_below=6pt
flowable_spacing=2pt
label_suffix='.'

[list item paragraph]
base=body
space_below=0pt

[definition list]
space_above=4pt
space_below=4pt

[definition list item]
label_max_width=0
space_above=0pt

[definition term]
space_above=6pt
keep_with_next=true

[definition term paragraph]
base=default
typeface=$(sans_typeface)
font_weight=BOLD
font_size=10pt
font_color=$(accent)
text_align=LEFT
hyphenate=false

[definition]
margin_left=0.9cm

[definition paragraph]
base=body
space_above=2pt
space_below=4pt

[admonition]
inline_title=false
space_above=10pt
space_below=12pt
padding_left=8pt
padding_right=8pt
padding_top=5pt
padding_bottom=6pt
border_top=$(rule)
border_bottom=$(rule)
background_color=$(tint)

[admonition title]
base=body
typeface=$(sans_typeface)
font_weight=BOLD
font_size=9.5pt
font_color=$(accent)
text_align=LEFT
space_below=3pt
keep_with_next=true

[admonition paragraph]
base=body
space_below=0pt

[footnote paragraph]
base=default
font_size=8.5pt
line_spacing=fixed(10.5pt, leading(0))
text_align=LEFT

[footnote label]
base=footnote paragraph
text_align=RIGHT

[footnote marker]
base=default
position=SUPERSCRIPT
number_format=number
font_color=#000000

[linked reference]
font_color=#000000

[table]
space_above=2pt
space_below=8pt
horizontal_align=LEFT

[table cell]
space_above=3pt
space_below=3pt
vertical_align=TOP

[table body cell paragraph]
base=default
font_size=9.5pt
line_spacing=fixed(12pt, leading(0))
text_align=LEFT
margin_left=3pt
margin_right=3pt

[table head cell paragraph]
base=table body cell paragraph
typeface=$(sans_typeface)
font_weight=BOLD
font_size=9pt
font_color=#FFFFFF
text_align=LEFT

[table head cell background]
fill_color=$(accent)

[table first column paragraph]
base=table body cell paragraph

[table cell left border]
stroke=none

[table cell right border]
stroke=none

[table cell top border]
stroke=0.4pt,#9AA9B8

[table cell bottom border]
stroke=0.4pt,#9AA9B8

[header_footer:Paragraph]
base=default
typeface=$(sans_typeface)
font_size=8pt
font_weight=REGULAR
font_color=$(grey)
text_align=LEFT
tab_stops=99.9% RIGHT

[footer]
base=header_footer
padding_top=4pt
border_top=0.4pt,#9AA9B8
space_above=0pt

[table of contents section]
page_break=none
show_in_toc=False

[table of contents]
base=default
text_align=LEFT
hyphenate=false
depth=2

[toc level 1]
base=table of contents
text='{{title}}\\t{{page}}'
typeface=$(sans_typeface)
font_weight=BOLD
font_size=10pt
space_above=9pt
tab_stops=99.9% RIGHT

[toc level 2]
base=table of contents
text='{{title}}\\t{{page}}'
margin_left=0.7cm
space_above=2pt
tab_stops=100% RIGHT '.  '

[toc entry number reference field]
base=linked reference
quiet=True

[colofon kop : Paragraph('colofon kop')]
base=default
typeface=$(sans_typeface)
font_weight=BOLD
font_size=9pt
font_color=$(accent)
text_align=LEFT
space_below=4pt

[colofon : Paragraph('colofon')]
base=default
font_size=9pt
line_spacing=fixed(12pt, leading(0))
text_align=LEFT
hyphenate=false

[title page title]
typeface=$(sans_typeface)
font_weight=BOLD
font_size=30pt
font_color=$(accent)
line_spacing=fixed(36pt, leading(0))
text_align=LEFT
space_above=0pt
hyphenate=false

[title page subtitle]
typeface=$(serif_typeface)
font_slant=ITALIC
font_weight=REGULAR
font_size=15pt
font_color=#1A1A1A
line_spacing=fixed(20pt, leading(0))
text_align=LEFT
space_above=16pt
hyphenate=false

[title page author]
typeface=$(sans_typeface)
font_weight=BOLD
font_size=13pt
font_color=#1A1A1A
text_align=LEFT
space_above=330pt

[title page date]
typeface=$(sans_typeface)
font_weight=REGULAR
font_size=11pt
font_color=$(grey)
text_align=LEFT
space_above=4pt
"""


# ---------------------------------------------------------------------------------------------- template
def _template_class():
    from rinoh.attribute import OverrideDefault, Var
    from rinoh.dimension import CM
    from rinoh.stylesheets import sphinx
    from rinoh.template import (
        BodyPageTemplate,
        ContentsPartTemplate,
        DocumentTemplate,
        FixedDocumentPartTemplate,
        TitlePageTemplate,
        TitlePartTemplate,
    )

    class Rapport(DocumentTemplate):
        """A rekenkamer report: a cover, the colofon and inhoudsopgave, then the text; physical page numbers."""

        stylesheet = OverrideDefault(sphinx)
        parts = OverrideDefault(["title", "front", "contents"])

        title = TitlePartTemplate(page_number_format="number", end_at_page="any")
        front = FixedDocumentPartTemplate(page_number_format="continue", end_at_page="any")
        contents = ContentsPartTemplate(page_number_format="continue", end_at_page="any")

        page = BodyPageTemplate(page_size=Var("paper_size"), left_margin=2.6 * CM, right_margin=2.4 * CM,
                                top_margin=2.6 * CM, bottom_margin=2.8 * CM, header_footer_distance=0.9 * CM,
                                header_text=None)
        title_page = TitlePageTemplate(base="page", top_margin=8.2 * CM)
        front_page = BodyPageTemplate(base="page", header_text=None, footer_text=None)
        contents_page = BodyPageTemplate(base="page", header_text=None)

    return Rapport


def _typefaces():
    from rinoh.font import Typeface
    from rinoh.font.opentype import OpenTypeFont
    from rinoh.font.style import BOLD, ITALIC, REGULAR

    def face(name: str, stem: str):
        return Typeface(name,
                        OpenTypeFont(str(TEXGYRE / f"{stem}-regular.otf"), weight=REGULAR),
                        OpenTypeFont(str(TEXGYRE / f"{stem}-italic.otf"), weight=REGULAR, slant=ITALIC),
                        OpenTypeFont(str(TEXGYRE / f"{stem}-bold.otf"), weight=BOLD),
                        OpenTypeFont(str(TEXGYRE / f"{stem}-bolditalic.otf"), weight=BOLD, slant=ITALIC))

    return face("TeX Gyre Termes", "texgyretermes"), face("TeX Gyre Heros", "texgyreheros")


def _cover_band(path: Path, accent: str) -> None:
    """A tinted band along the top of the cover with a thin accent rule under it (A4 at 50 dpi)."""
    from PIL import Image, ImageDraw

    width, height = 413, 585
    rgb = tuple(int(accent.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    tint = tuple(int(255 - (255 - c) * 0.16) for c in rgb)
    img = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, width, 120], fill=tint)
    draw.rectangle([0, 120, width, 124], fill=rgb)
    draw.rectangle([51, 548, width - 47, 549], fill=rgb)
    img.save(path, format="PNG", optimize=False)


@contextlib.contextmanager
def _fixed_clock(stamp: _dt.datetime):
    """rinohtype's PDF backend reads the clock for the info dates and the /ID: fix it while rendering."""
    from rinoh.backend.pdf import cos

    class FixedDateTime(_dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, tzinfo=_dt.timezone.utc)

        def astimezone(self, tz=None):
            return self if tz is None else super().astimezone(tz)

    saved = cos.datetime
    cos.datetime = FixedDateTime
    try:
        yield
    finally:
        cos.datetime = saved


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    import pyphen
    from rinoh.flowable import PageBreak
    from rinoh.frontend.rst import ReStructuredTextReader
    from rinoh.image import BackgroundImage
    from rinoh.language import NL
    from rinoh.paragraph import Paragraph
    from rinoh.reference import PAGE_NUMBER, Field
    from rinoh.structure import TableOfContentsSection
    from rinoh.style import StyleSheetFile
    from rinoh.text import Tab

    out_pdf = Path(out_pdf)
    house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
    builder = Builder(spec)
    text = builder.build()
    y, m, d = house["date"]
    Rapport = _template_class()
    serif, sans = _typefaces()
    with tempfile.TemporaryDirectory(prefix="rinoh_") as tmp:
        work = Path(tmp)
        (work / "report.rst").write_text(text, encoding="utf-8")
        (work / "report.rts").write_text(stylesheet_text(house), encoding="utf-8")
        shutil.copy(Path(pyphen.__file__).parent / "dictionaries" / "hyph_nl_NL.dic", work / "hyph_nl_NL.dic")
        _cover_band(work / "cover.png", str(house["accent"]))
        cwd = os.getcwd()
        os.chdir(work)  # rinohtype looks for hyph_<lang>.dic in the current directory
        try:
            stylesheet = StyleSheetFile(work / "report.rts")
            stylesheet.variables["serif_typeface"] = serif
            stylesheet.variables["sans_typeface"] = sans
            config = Rapport.Configuration("rekenkamerrapport", stylesheet=stylesheet, language=NL)
            front: list[Any] = []
            if builder.colofon_lines:
                front.append(Paragraph("Colofon", style="colofon kop"))
                front += [Paragraph(line if line else "\u00a0", style="colofon") for line in builder.colofon_lines]
            if builder.has_toc:
                if front:
                    front.append(PageBreak())
                front.append(TableOfContentsSection())
            config("front", flowables=front, page_number_format="continue", end_at_page="any")
            config("title_page", background=BackgroundImage(str(work / "cover.png"), scale="fill"))
            footer = str(house.get("footer") or f"{spec['meta']['rekenkamer']}  ·  {spec['meta']['title']}")
            config("contents_page", footer_text=footer + Tab() + Field(PAGE_NUMBER))
            reader = ReStructuredTextReader()
            tree = reader.parse(work / "report.rst")
            # rinohtype prints its banner and a progress bar on stdout; RINOH_VERBOSE=1 shows them
            quiet = (contextlib.nullcontext() if os.environ.get("RINOH_VERBOSE")
                     else contextlib.redirect_stdout(io.StringIO()))
            with _fixed_clock(_dt.datetime(y, m, d, 10, 0)), quiet:
                document = config.document(tree)
                if not spec.get("outline", True):
                    document._create_outlines = lambda backend_document: None
                if not spec.get("pdf_info", True):
                    document._get_backend_metadata = lambda: {}
                ok = document.render(work / "report")
        finally:
            os.chdir(cwd)
        if not ok:
            raise RuntimeError(f"rinohtype reported errors for {spec['id']}")
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / "report.pdf", out_pdf)


if __name__ == "__main__":  # debugging aid: print the generated reStructuredText of one spec
    print(source(spec_module.load(Path(sys.argv[1]))))
