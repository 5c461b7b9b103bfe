"""Rendering the synthesis's blocks: Markdown, HTML, Word (.docx) and PDF.

The synthesis is built once as a list of `Block`s (headings, paragraphs, list items, quotes and
appendix entries whose parts may be `Citation`s to an appendix anchor); each renderer only
writes them out. Word gets real Heading 1–3 styles, a table-of-contents field (Word fills it in
when the document is opened, or on F9) and citations as internal links to bookmarks. The PDF is
typeset with reportlab (pure Python, no system libraries, so it works offline on any machine the
package installs on; WeasyPrint would need Pango), with the headings as PDF bookmarks and the
citations as links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}


@dataclass(frozen=True)
class Citation:
    """A link to one item: shown as `text`, resolving to the appendix anchor `item-<item_id>`."""

    item_id: str
    text: str


Inline = str | Citation


@dataclass(frozen=True)
class Block:
    kind: str
    """h1 | h2 | h3 | h4 | p | li | quote | item (an appendix entry with its anchor)"""
    parts: tuple[Inline, ...]
    anchor: str = ""

    @property
    def text(self) -> str:
        return "".join(p.text if isinstance(p, Citation) else p for p in self.parts)


def render(blocks: Sequence[Block], title: str, out: Path) -> None:
    """Write the blocks to `out` in the format its extension names (see FORMATS)."""
    fmt = FORMATS[out.suffix.lower()]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    if fmt == "markdown":
        tmp.write_text(render_markdown(blocks), encoding="utf-8")
    elif fmt == "html":
        tmp.write_text(render_html(blocks, title), encoding="utf-8")
    elif fmt == "docx":
        render_docx(blocks, title, tmp)
    else:
        render_pdf(blocks, title, tmp)
    tmp.replace(out)


# ------------------------------------------------------------------------------ Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_inline(parts: Sequence[Inline]) -> str:
    return "".join(f"[{_md(p.text)}](#item-{p.item_id})" if isinstance(p, Citation) else _md(p) for p in parts)


def render_markdown(blocks: Sequence[Block]) -> str:
    lines: list[str] = []
    previous = ""
    for block in blocks:
        if previous == "li" and block.kind != "li":
            lines.append("")
        text = _md_inline(block.parts)
        if block.kind in ("h1", "h2", "h3", "h4"):
            lines += ["", "#" * int(block.kind[1]) + " " + text, ""]
        elif block.kind == "p":
            lines += [text, ""]
        elif block.kind == "li":
            lines.append(f"- {text}")
        elif block.kind == "quote":
            lines += [f"> {text}", ""]
        elif block.kind == "item":
            head, *rest = block.parts
            lines += [f'<a id="{html.escape(block.anchor)}"></a>**{_md_inline([head]).rstrip()}** '
                      + _md_inline(rest), ""]
        previous = block.kind
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines).strip()) + "\n"


# ------------------------------------------------------------------------------ HTML


def _html_inline(parts: Sequence[Inline]) -> str:
    return "".join(
        f'<a href="#{html.escape("item-" + p.item_id)}">{html.escape(p.text)}</a>' if isinstance(p, Citation)
        else html.escape(p)
        for p in parts
    )


def render_html(blocks: Sequence[Block], title: str) -> str:
    body: list[str] = []
    in_list = False
    for block in blocks:
        if block.kind == "li" and not in_list:
            body.append("<ul>")
            in_list = True
        elif block.kind != "li" and in_list:
            body.append("</ul>")
            in_list = False
        text = _html_inline(block.parts)
        if block.kind in ("h1", "h2", "h3", "h4"):
            body.append(f"<{block.kind}>{text}</{block.kind}>")
        elif block.kind == "p":
            body.append(f"<p>{text}</p>")
        elif block.kind == "li":
            body.append(f"<li>{text}</li>")
        elif block.kind == "quote":
            body.append(f"<blockquote>{text}</blockquote>")
        elif block.kind == "item":
            head, *rest = block.parts
            body.append(f'<p id="{html.escape(block.anchor)}" class="item"><strong>{_html_inline([head])}</strong>'
                        f"{_html_inline(rest)}</p>")
    if in_list:
        body.append("</ul>")
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:sans-serif;max-width:52rem;margin:2rem auto;line-height:1.45}"
        "blockquote{border-left:3px solid #bbb;margin-left:0;padding-left:1rem;color:#333}"
        ".item{font-size:.9rem}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


# ------------------------------------------------------------------------------ Word

_DOCX_LEVEL = {"h2": 1, "h3": 2, "h4": 3}


def _bookmark_name(anchor: str) -> str:
    """Word bookmark names: letters, digits and underscores, at most 40 characters, unique enough."""
    import hashlib

    clean = re.sub(r"\W", "_", anchor)
    return clean if len(clean) <= 40 else clean[:29] + "_" + hashlib.sha1(anchor.encode()).hexdigest()[:10]


def render_docx(blocks: Sequence[Block], title: str, out: Path) -> None:
    """Word document: the title, a table of contents field, chapters as Heading 1, themes as
    Heading 2, their parts as Heading 3; citations link to bookmarks on the appendix entries."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = Document()
    document.core_properties.title = title
    document.core_properties.language = "nl-NL"
    bookmark_id = 0

    def add_runs(paragraph, parts: Sequence[Inline], bold_first: bool = False) -> None:  # type: ignore[no-untyped-def]
        for n, part in enumerate(parts):
            if isinstance(part, Citation):
                link = OxmlElement("w:hyperlink")
                link.set(qn("w:anchor"), _bookmark_name(f"item-{part.item_id}"))
                run = OxmlElement("w:r")
                properties = OxmlElement("w:rPr")
                colour = OxmlElement("w:color")
                colour.set(qn("w:val"), "1F4E79")
                underline = OxmlElement("w:u")
                underline.set(qn("w:val"), "single")
                properties.append(colour)
                properties.append(underline)
                run.append(properties)
                text = OxmlElement("w:t")
                text.text = part.text
                text.set(qn("xml:space"), "preserve")
                run.append(text)
                link.append(run)
                paragraph._p.append(link)
            else:
                run = paragraph.add_run(part)
                run.bold = bold_first and n == 0

    def add_bookmark(paragraph, name: str) -> None:  # type: ignore[no-untyped-def]
        nonlocal bookmark_id
        bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(bookmark_id))
        start.set(qn("w:name"), _bookmark_name(name))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(bookmark_id))
        paragraph._p.insert(0, start)
        paragraph._p.append(end)

    toc_done = False
    for block in blocks:
        if block.kind == "h1":
            document.add_heading(block.text, level=0)
            continue
        if block.kind in _DOCX_LEVEL:
            if not toc_done:
                document.add_paragraph("Inhoud", style="TOC Heading" if "TOC Heading" in
                                       [s.name for s in document.styles] else None)
                field = document.add_paragraph()
                simple = OxmlElement("w:fldSimple")
                simple.set(qn("w:instr"), 'TOC \\o "1-2" \\h \\z \\u')
                placeholder = OxmlElement("w:r")
                text = OxmlElement("w:t")
                text.text = "Klik met de rechtermuisknop en kies 'Veld bijwerken' om de inhoudsopgave te tonen."
                placeholder.append(text)
                simple.append(placeholder)
                field._p.append(simple)
                toc_done = True
            document.add_heading(block.text, level=_DOCX_LEVEL[block.kind])
        elif block.kind == "p":
            add_runs(document.add_paragraph(), block.parts)
        elif block.kind == "li":
            add_runs(document.add_paragraph(style="List Bullet"), block.parts)
        elif block.kind == "quote":
            paragraph = document.add_paragraph(style="Quote")
            add_runs(paragraph, block.parts)
        elif block.kind == "item":
            paragraph = document.add_paragraph()
            add_runs(paragraph, block.parts, bold_first=True)
            for run in paragraph.runs:
                run.font.size = Pt(9)
            add_bookmark(paragraph, block.anchor)
    for style_name in ("Heading 1", "Heading 2", "Heading 3"):
        document.styles[style_name].font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    document.save(str(out))


# ------------------------------------------------------------------------------ PDF


def _pdf_font() -> tuple[str, str]:
    """A Unicode TrueType font (regular, bold): DejaVu Sans where the system has it, else the
    Bitstream Vera that ships inside reportlab."""
    from pathlib import Path as _Path

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    candidates = [
        (_Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), _Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")),
        (_Path(reportlab.__file__).parent / "fonts" / "Vera.ttf", _Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"),
    ]
    for regular, bold in candidates:
        if regular.exists() and bold.exists():
            if "MdSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("MdSans", str(regular)))
                pdfmetrics.registerFont(TTFont("MdSans-Bold", str(bold)))
                from reportlab.lib.fonts import addMapping

                addMapping("MdSans", 0, 0, "MdSans")
                addMapping("MdSans", 1, 0, "MdSans-Bold")
                addMapping("MdSans", 0, 1, "MdSans")
                addMapping("MdSans", 1, 1, "MdSans-Bold")
            return "MdSans", "MdSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _pdf_inline(parts: Sequence[Inline]) -> str:
    return "".join(
        f'<a href="#{html.escape(_bookmark_name("item-" + p.item_id))}" color="#1F4E79">{html.escape(p.text)}</a>'
        if isinstance(p, Citation) else html.escape(p)
        for p in parts
    )


def render_pdf(blocks: Sequence[Block], title: str, out: Path) -> None:
    """A4 PDF: headings in the outline (bookmarks), citations as links to the appendix entries."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    regular, bold = _pdf_font()
    base = getSampleStyleSheet()
    styles = {
        "h1": ParagraphStyle("h1", parent=base["Title"], fontName=bold, fontSize=18, leading=22),
        "h2": ParagraphStyle("h2", parent=base["Heading1"], fontName=bold, fontSize=15, leading=19, spaceBefore=14),
        "h3": ParagraphStyle("h3", parent=base["Heading2"], fontName=bold, fontSize=12.5, leading=16, spaceBefore=10),
        "h4": ParagraphStyle("h4", parent=base["Heading3"], fontName=bold, fontSize=10.5, leading=14, spaceBefore=6),
        "p": ParagraphStyle("p", parent=base["BodyText"], fontName=regular, fontSize=10, leading=14),
        "quote": ParagraphStyle("quote", parent=base["BodyText"], fontName=regular, fontSize=9.5, leading=13,
                                leftIndent=14, textColor="#333333"),
        "item": ParagraphStyle("item", parent=base["BodyText"], fontName=regular, fontSize=8.5, leading=11),
    }
    outline_level = {"h2": 0, "h3": 1}

    class _Doc(SimpleDocTemplate):
        def afterFlowable(self, flowable) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - reportlab's hook
            key = getattr(flowable, "_outline", None)
            if key:
                level, text, name = key
                self.canv.bookmarkPage(name)
                self.canv.addOutlineEntry(text, name, level=level, closed=level > 0)

    story: list = []  # type: ignore[type-arg]
    bullets: list = []  # type: ignore[type-arg]

    def flush() -> None:
        if bullets:
            story.append(ListFlowable([ListItem(b, leftIndent=12) for b in bullets], bulletType="bullet",
                                      start="•", leftIndent=12, bulletFontName=regular))
            bullets.clear()

    for n, block in enumerate(blocks):
        if block.kind != "li":
            flush()
        if block.kind in ("h1", "h2", "h3", "h4"):
            paragraph = Paragraph(html.escape(block.text), styles[block.kind])
            if block.kind in outline_level:
                paragraph._outline = (outline_level[block.kind], block.text, f"h{n}")  # type: ignore[attr-defined]
            story.append(paragraph)
        elif block.kind == "p":
            story.append(Paragraph(_pdf_inline(block.parts), styles["p"]))
        elif block.kind == "li":
            bullets.append(Paragraph(_pdf_inline(block.parts), styles["p"]))
        elif block.kind == "quote":
            story.append(Paragraph(_pdf_inline(block.parts), styles["quote"]))
        elif block.kind == "item":
            head, *rest = block.parts
            anchor = f'<a name="{html.escape(_bookmark_name(block.anchor))}"/>'
            story.append(Paragraph(f"{anchor}<b>{_pdf_inline([head])}</b>{_pdf_inline(rest)}", styles["item"]))
        story.append(Spacer(1, 2))
    flush()
    doc = _Doc(str(out), pagesize=A4, title=title, lang="nl", leftMargin=2.2 * cm, rightMargin=2.2 * cm,
               topMargin=2 * cm, bottomMargin=2 * cm)
    doc.build(story)
