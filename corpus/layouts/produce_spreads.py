"""Render a layout-corpus spec as a designed report exported "as spreads" (h17a).

Agencies that lay out rekenkamer reports in InDesign often tick "Spreads" in the PDF export
dialog: every PDF page is then one sheet holding two facing report pages side by side — the
even-numbered page on the left, the odd-numbered page on the right, each with its own running
header and its own page number at its outer foot — except the cover, which stands alone as a
single page (and the last page, when it has no facing page). Here an A4 report becomes a PDF of
one A4 page (the cover), A3-landscape sheets (420 × 297 mm, two A4 pages each) and, when the
report has an even number of pages, a last A4 page alone.

How it is made:
1. the report is typeset as single A4 pages with WeasyPrint (the HTML of
   `produce_weasyprint._Builder`, extended below, with this module's own print stylesheet):
   facing pages (`@page :left` / `:right` with mirrored margins: a wide outer margin and a
   narrow inner one, so the gutter between the two text blocks of a spread is only a few
   millimetres), the running header at the outer top of every page (the report title on left
   pages, the current chapter on right pages), the page number at the outer foot, a chapter
   that must open on a right-hand page with `break-before: right` (WeasyPrint then inserts a
   blank left page, styled by `@page :blank`: no header, no number);
2. the pages are imposed two-up with pypdf: page 1 alone, then (2, 3), (4, 5), … each on a new
   sheet twice as wide, the left page at x = 0 and the right page shifted by one page width
   (`PageObject.merge_transformed_page`; the page's content stream is copied in, so the text
   stays real text, in the order left page, right page); a page without a partner is a sheet
   of its own, A4;
3. the bookmarks of the single-page PDF are rebuilt on the sheets (an /XYZ destination at the
   heading's position on the left or right half), and the inhoudsopgave's links likewise (their
   rectangles moved with their page);
4. the info dictionary: Title, Author and Subject when `pdf_info: true`; Creator
   "WeasyPrint 70.0", Producer "pypdf <version> (spreads)"; no dates; a fixed /ID.

Optional spec keys (ignored by spec.py; the gold derivation is unchanged):
  house: {body, head, size, line, accent, second, dark, light, outer, inner, top, bottom, date}
  heading.start: right | page | none     level 1 headings start a new page by default (`page`);
                                         `right` opens the chapter on a right-hand page (a blank
                                         left page if needed); `none` runs on
  items.layout: big_numbers              numbered conclusions with a large coloured number hanging in
                                         the margin and a bold lead (style `numbered`)
  items.tags: true                       (style `boxes`) the box head names the addressee too:
                                         "AANBEVELING 3 · AAN HET COLLEGE"
  para.intro: true                       the paragraph as a chapter's lead-in, set larger in the accent colour
  kader: {title, text}                   a tinted box (never an item)
  kader: {style: pullquote, text, source}  a pull quote between rules, in large coloured type (never an item)
  reaction_letter: letterhead, address, meta (lines under the address: date, subject), new_page

Deterministic: WeasyPrint writes no dates (no `dcterms.created`), pypdf is given a fixed /ID and
no dates; two runs give the same bytes.
"""
from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path
from typing import Any

import pypdf
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, Fit, FloatObject, NameObject, NumberObject
from weasyprint import HTML

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import produce_weasyprint as wp  # noqa: E402

_esc, _attr, _css_string = wp._esc, wp._attr, wp._css_string

DEFAULT_HOUSE = {
    "body": "'Lato', 'DejaVu Sans', sans-serif",
    "head": "'Lato', 'DejaVu Sans', sans-serif",
    "size": "9.6pt",
    "line": "1.5",
    "accent": "#006d77",     # sea teal
    "second": "#e76f51",     # coral
    "dark": "#1d2b33",
    "light": "#e3f1f2",
    "outer": "27mm",
    "inner": "5mm",
    "top": "24mm",
    "bottom": "22mm",
}
ADDRESSEE_TAG = {"college": "aan het college", "raad": "aan de raad"}


def _css(spec: dict[str, Any], h: dict[str, str]) -> str:
    runhead = _css_string(spec.get("running_header") or spec["meta"].get("title", ""))
    bookmarks = ("h1 { bookmark-level: 1; bookmark-label: attr(data-b); } "
                 "h2 { bookmark-level: 2; bookmark-label: attr(data-b); } h3 { bookmark-level: none; }"
                 if spec.get("outline") else "h1, h2, h3 { bookmark-level: none; }")
    head_font = f"font: bold 7pt {h['head']}; letter-spacing: .08em; text-transform: uppercase;"
    return f"""
@page {{ size: A4; margin: {h['top']} {h['inner']} {h['bottom']} {h['outer']}; }}
@page :left {{
  margin: {h['top']} {h['inner']} {h['bottom']} {h['outer']};
  @top-left {{ content: {runhead}; {head_font} color: {h['accent']}; vertical-align: bottom;
              padding-bottom: 3mm; border-bottom: .6pt solid {h['accent']}; }}
  @bottom-left {{ content: counter(page); font: 900 9pt {h['head']}; color: white; background: {h['accent']};
                 width: 9mm; height: 6mm; text-align: center; vertical-align: middle; margin-top: 8mm; }}
}}
@page :right {{
  margin: {h['top']} {h['outer']} {h['bottom']} {h['inner']};
  @top-right {{ content: string(chapter); {head_font} color: {h['accent']}; vertical-align: bottom;
               text-align: right; padding-bottom: 3mm; border-bottom: .6pt solid {h['accent']}; }}
  @bottom-right {{ content: counter(page); font: 900 9pt {h['head']}; color: white; background: {h['accent']};
                  width: 9mm; height: 6mm; text-align: center; vertical-align: middle; margin-top: 8mm; }}
}}
@page :blank {{ @top-left {{ content: none; border: none; }} @top-right {{ content: none; border: none; }}
               @bottom-left {{ content: none; background: none; }} @bottom-right {{ content: none; background: none; }} }}
@page cover {{ margin: 0; @top-left {{ content: none; border: none; }} @top-right {{ content: none; border: none; }}
              @bottom-left {{ content: none; background: none; }} @bottom-right {{ content: none; background: none; }} }}
@page front {{ @top-left {{ content: none; border: none; }} @top-right {{ content: none; border: none; }}
              @bottom-left {{ content: none; background: none; }} @bottom-right {{ content: none; background: none; }} }}
@page :right {{ @footnote {{ border-top: .5pt solid {h['accent']}; }} }}
@page :left {{ @footnote {{ border-top: .5pt solid {h['accent']}; }} }}
{bookmarks}
html {{ font-family: {h['body']}; font-size: {h['size']}; line-height: {h['line']}; color: {h['dark']}; }}
body {{ margin: 0; text-align: left; hyphens: manual; }}
p {{ margin: 0 0 .7em 0; orphans: 2; widows: 2; }}
.runhead {{ display: none; }}
h1, h2, h3 {{ font-family: {h['head']}; break-after: avoid; }}
h1 {{ string-set: chapter attr(data-t); font-size: 24pt; font-weight: 900; line-height: 1.1; color: {h['accent']};
      margin: 14mm 0 9mm 0; }}
h1.start-page {{ break-before: page; }}
h1.start-right {{ break-before: right; }}
h1 .num {{ display: block; font-size: 40pt; color: {h['second']}; line-height: 1; margin-bottom: 2mm; }}
h2 {{ font-size: 11.5pt; font-weight: 900; color: {h['dark']}; margin: 14pt 0 4pt 0; }}
h2 .num {{ color: {h['second']}; margin-right: 2.5mm; }}
h3 {{ font-size: 10pt; margin: 9pt 0 3pt 0; }}
/* cover: a full-bleed colour field, title in white */
.cover {{ page: cover; height: 297mm; position: relative; background: {h['accent']}; color: white; }}
.cover .band {{ padding: 34mm 24mm 0 24mm; }}
.cover .org {{ font: 900 10pt {h['head']}; letter-spacing: .05em; text-transform: uppercase; margin-bottom: 70mm; }}
.cover .title {{ font: 900 38pt/1.05 {h['head']}; max-width: 150mm; }}
.cover .sub {{ font: 14pt/1.35 {h['head']}; margin: 9mm 24mm 0 24mm; max-width: 130mm; color: {h['light']}; }}
.cover .more {{ font: 11pt {h['head']}; margin: 3mm 24mm 0 24mm; }}
.cover .date {{ position: absolute; bottom: 22mm; left: 24mm; font: bold 10pt {h['head']}; letter-spacing: .08em; }}
.cover .mark {{ position: absolute; bottom: 0; right: 0; width: 80mm; height: 80mm; background: {h['second']}; }}
.cover .mark2 {{ position: absolute; bottom: 80mm; right: 80mm; width: 22mm; height: 22mm; background: white; opacity: .25; }}
/* front matter */
.front {{ page: front; }}
.colofon {{ break-before: page; padding-top: 175mm; font: 8pt/1.6 {h['head']}; color: #555; }}
.colofon .ttl {{ font-weight: 900; color: {h['accent']}; letter-spacing: .06em; text-transform: uppercase; margin-bottom: 3mm; }}
.toc {{ break-before: page; break-after: page; }}
.toc .ttl {{ font: 900 24pt {h['head']}; color: {h['accent']}; margin: 6mm 0 12mm 0; }}
.toc ul {{ list-style: none; margin: 0; padding: 0; font-family: {h['head']}; font-size: 10pt; }}
.toc li {{ margin: 0 0 4pt 0; }}
.toc li.l1 {{ font-weight: 900; margin-top: 10pt; color: {h['accent']}; }}
.toc li.l2 {{ padding-left: 12mm; }}
.toc a {{ color: inherit; text-decoration: none; }}
.toc a .n {{ display: inline-block; min-width: 12mm; }}
.toc a::after {{ content: leader(' ') target-counter(attr(href), page); }}
.pb {{ break-after: page; }}
.fn {{ float: footnote; font-size: 7.3pt; line-height: 1.35; padding-top: 1.2mm; font-style: normal; }}
.fn::footnote-marker {{ content: counter(footnote) "  "; font-weight: bold; color: {h['accent']}; }}
::footnote-call {{ content: counter(footnote); vertical-align: super; font-size: 65%; line-height: 0;
                  color: {h['accent']}; font-weight: bold; }}
p.intro {{ font: 12pt/1.45 {h['head']}; color: {h['accent']}; margin: 0 0 9mm 0; }}
/* a tinted kader */
.kader {{ background: {h['light']}; padding: 4mm 6mm 2mm 6mm; margin: 3mm 0 5mm 0; border-top: 3pt solid {h['second']};
          break-inside: avoid; }}
.kader .kt {{ font: 900 7.5pt {h['head']}; letter-spacing: .06em; text-transform: uppercase; color: {h['second']};
              margin-bottom: 2mm; }}
.kader p {{ font-size: 11pt; line-height: 1.4; color: {h['accent']}; font-weight: bold; }}
.pq {{ margin: 14mm 12mm 8mm 0; padding: 6mm 0 5mm 0; border-top: 2pt solid {h['second']};
       border-bottom: .6pt solid {h['second']}; break-inside: avoid; }}
.pq p {{ font: 900 17pt/1.3 {h['head']}; color: {h['second']}; margin: 0 0 3mm 0; }}
.pq .src {{ font: 8pt {h['head']}; color: #666; }}
/* conclusions with big numbers */
p.concl {{ padding-left: 14mm; text-indent: -14mm; margin: 0 0 9pt 0; }}
.concl .cn {{ display: inline-block; width: 14mm; text-indent: 0; font: 900 19pt/9pt {h['head']}; color: {h['second']};
             vertical-align: -2pt; }}
.concl strong {{ color: {h['accent']}; }}
ol.items {{ margin: 0 0 10pt 0; padding-left: 7mm; }}
ol.items li {{ margin-bottom: 5pt; }}
ol.items li::marker {{ font-weight: bold; color: {h['accent']}; }}
p.bl strong {{ color: {h['accent']}; }}
/* recommendations in tinted boxes */
.box {{ background: {h['light']}; border-left: 5pt solid {h['accent']}; padding: 7pt 10pt 3pt 11pt; margin: 0 0 8pt 0;
        break-inside: avoid; }}
.box .bh {{ font: 900 7.5pt {h['head']}; letter-spacing: .06em; color: {h['second']}; margin-bottom: 3pt; }}
.box p {{ margin: 0 0 5pt 0; }}
.box strong {{ color: {h['accent']}; }}
/* the reaction letter */
.letter {{ border: .6pt solid #9fb3b6; padding: 9mm 11mm 7mm 11mm; margin: 2mm 0 10pt 0;
          font-family: 'Liberation Sans', 'Arial', sans-serif; font-size: 9.6pt; line-height: 1.42; color: #111; }}
.letter .lh {{ font: bold 14pt 'Liberation Sans', sans-serif; margin-bottom: 1mm; }}
.letter .lh-sub {{ font: 8pt 'Liberation Sans', sans-serif; color: #555; margin-bottom: 8mm; }}
.letter .addr p, .letter .lmeta p {{ margin: 0; }}
.letter .addr {{ margin-bottom: 6mm; }}
.letter .lmeta {{ margin-bottom: 6mm; font-size: 8.6pt; }}
.letter .sig {{ margin-top: 6mm; break-inside: avoid; }}
.letter .sig p {{ margin: 0 0 2pt 0; white-space: pre-wrap; }}
blockquote {{ margin: 5pt 8mm 10pt 8mm; padding-left: 5mm; border-left: 2.5pt solid {h['second']}; font-style: italic; }}
table {{ border-collapse: collapse; width: 100%; margin: 3pt 0 12pt 0; }}
th {{ background: {h['accent']}; color: white; font: bold 8.5pt {h['head']}; padding: 4pt 5pt; text-align: left; }}
td {{ border-bottom: .5pt solid #b8b8b8; padding: 5pt 5pt; vertical-align: top; }}
"""


class _Builder(wp._Builder):
    """The WeasyPrint builder with the spread producer's own headings, items, kader and letter."""

    def b_heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        if level != 1:
            super().b_heading(block)
            return
        self.heading_no += 1
        start = block.get("start", "page")
        cls = {"right": "start-right", "page": "start-page"}.get(start, "")
        number = str(block.get("number", ""))
        num = f'<span class="num">{_esc(number)}</span>' if number else ""
        label = f"{number} {block['text']}".strip()
        self.emit(f'<h1 class="{cls}" id="h{self.heading_no}" data-t="{_attr(block["text"])}" '
                  f'data-b="{_attr(label)}">{num}{_esc(block["text"])}</h1>')

    def render_items(self, kind: str, style: str, items: list[dict[str, Any]], block: dict[str, Any],
                     short: bool = False) -> None:
        if style == "numbered" and block.get("layout") == "big_numbers":
            for item in items:
                self.emit(f'<p class="concl"><span class="cn">{_esc(item.get("number", ""))}</span>'
                          f"{self.item_body(item, True, short)}</p>")
            return
        if style == "boxes":
            for item in items:
                label = wp.LABELS.get(item.get("type", kind), "Aanbeveling").upper()
                head = f"{label} {_esc(item.get('number', ''))}"
                if block.get("tags") and item.get("addressee") in ADDRESSEE_TAG:
                    head += " · " + ADDRESSEE_TAG[item["addressee"]].upper()
                self.emit(f'<div class="box"><div class="bh">{head}</div>'
                          f"<p>{self.item_body(item, True, short)}</p></div>")
            return
        super().render_items(kind, style, items, block, short)

    def b_para(self, block: dict[str, Any]) -> None:
        if not block.get("intro"):
            super().b_para(block)
            return
        self.emit(f'<p class="intro">{_esc(block["text"])}</p>')

    def b_kader(self, block: dict[str, Any]) -> None:
        if block.get("style") == "pullquote":
            self.emit(f'<div class="pq"><p>{_esc(block.get("text", ""))}</p>'
                      f'<div class="src">{_esc(block.get("source", ""))}</div></div>')
            return
        title = f'<div class="kt">{_esc(block["title"])}</div>' if block.get("title") else ""
        self.emit(f'<div class="kader">{title}<p>{_esc(block.get("text", ""))}</p></div>')

    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        if block.get("scanned"):
            raise ValueError("produce_spreads: scanned letters are not supported")
        gemeente = self.spec["meta"].get("gemeente", "").split(",")[0].strip()
        letterhead = block.get("letterhead") or f"Gemeente {gemeente}"
        sub = block.get("letterhead_sub", "")
        addr = block.get("address", [])
        meta = block.get("meta", [])
        style = ' style="break-before: page"' if block.get("new_page") else ""
        self.emit(f'<div class="letter"{style}><div class="lh">{_esc(letterhead)}</div>'
                  + f'<div class="lh-sub">{_esc(sub) if sub else "&#160;"}</div>'
                  + ('<div class="addr">' + "".join(f"<p>{_esc(a)}</p>" for a in addr) + "</div>" if addr else "")
                  + ('<div class="lmeta">' + "".join(f"<p>{_esc(m)}</p>" for m in meta) + "</div>" if meta else "")
                  + "".join(self._letter_paragraph(p) for p in block.get("paragraphs", []))
                  + '<div class="sig">' + "".join(f"<p>{_esc(s)}</p>" for s in block.get("signature", []))
                  + "</div></div>")


def _html(spec: dict[str, Any], workdir: Path) -> str:
    house = {**wp.DEFAULT_HOUSE, **DEFAULT_HOUSE, **(spec.get("house") or {})}
    body = _Builder(spec, workdir, house).build()
    return (f'<!DOCTYPE html>\n<html lang="nl"><head>{wp._head(spec)}<style>{_css(spec, house)}</style></head>'
            f"<body>\n{body}\n</body></html>\n")


def _sheets(count: int) -> list[list[int]]:
    """Page indexes per sheet: the cover alone, then facing pairs (even page left, odd page right)."""
    groups = [[0]] if count else []
    for left in range(1, count, 2):
        groups.append([left, left + 1] if left + 1 < count else [left])
    return groups


def _outline(reader: PdfReader) -> list[tuple[int, str, int, float, float]]:
    """(level, title, page index, left, top) of every bookmark, in order."""
    out: list[tuple[int, str, int, float, float]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            page = reader.get_destination_page_number(item)
            left = float(item.left or 0) if item.get("/Left") is not None else 0.0
            top = float(item.top) if item.get("/Top") is not None else float(reader.pages[page].mediabox.height)
            out.append((level, str(item.title), page, left, top))

    walk(reader.outline, 1)
    return out


def impose(single_pdf: Path, out_pdf: Path, spec: dict[str, Any]) -> None:
    reader = PdfReader(str(single_pdf))
    count = len(reader.pages)
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    page_ref = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}

    # links of the inhoudsopgave: (page, rect, target page, target top) — rebuilt after imposing
    links: list[tuple[int, list[float], int, float]] = []
    for i, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            dest = None
            if annot.get("/A") and annot["/A"].get("/D") is not None:
                dest = annot["/A"]["/D"]
            elif annot.get("/Dest") is not None:
                dest = annot["/Dest"]
            if dest is None:
                continue
            if not isinstance(dest, ArrayObject):  # a named destination
                named = reader.named_destinations.get(str(dest))
                if named is None:
                    continue
                target, top = reader.get_destination_page_number(named), float(named.top or height)
            else:
                target = page_ref.get(dest[0].idnum)
                top = float(dest[3]) if len(dest) > 3 and dest[3] is not None else height
            if target is None:
                continue
            links.append((i, [float(v) for v in annot["/Rect"]], target, top))
        if "/Annots" in page:
            del page[NameObject("/Annots")]

    writer = PdfWriter()
    where: dict[int, tuple[int, float]] = {}  # page index → (sheet index, x offset)
    for sheet_no, group in enumerate(_sheets(count)):
        sheet = writer.add_blank_page(width=width * len(group), height=height)
        for slot, index in enumerate(group):
            sheet.merge_transformed_page(reader.pages[index], Transformation().translate(tx=width * slot, ty=0))
            where[index] = (sheet_no, width * slot)
        box = ArrayObject([FloatObject(0), FloatObject(0), FloatObject(width * len(group)), FloatObject(height)])
        sheet[NameObject("/TrimBox")] = box
        sheet[NameObject("/BleedBox")] = box

    for page, rect, target, top in links:
        sheet_no, dx = where[page]
        target_sheet, tdx = where[target]
        annot = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(round(rect[0] + dx, 3)), FloatObject(round(rect[1], 3)),
                                              FloatObject(round(rect[2] + dx, 3)), FloatObject(round(rect[3], 3))]),
            NameObject("/Border"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(0)]),
            NameObject("/Dest"): ArrayObject([writer.pages[target_sheet].indirect_reference, NameObject("/XYZ"),
                                              FloatObject(round(tdx, 3)), FloatObject(round(top, 3)),
                                              NumberObject(0)]),
        })
        writer.add_annotation(sheet_no, annot)

    if spec.get("outline"):
        parents: dict[int, Any] = {}
        for level, title, page, left, top in _outline(reader):
            sheet_no, dx = where[page]
            parents[level] = writer.add_outline_item(title, sheet_no, parent=parents.get(level - 1),
                                                     fit=Fit.xyz(left=round(left + dx, 3), top=round(top, 3), zoom=0))
        writer.page_mode = "/UseOutlines"

    meta = spec["meta"]
    info = {"/Creator": f"WeasyPrint {__import__('weasyprint').__version__}",
            "/Producer": f"pypdf {pypdf.__version__} (spreads)"}
    if spec.get("pdf_info"):
        info.update({"/Title": meta["title"], "/Author": meta.get("rekenkamer", ""),
                     "/Subject": f"Rekenkamerrapport jeugdhulp {meta.get('gemeente', '')}"})
    writer.add_metadata(info)
    ident = ByteStringObject(hashlib.md5(spec["id"].encode("utf-8")).digest())
    writer._ID = ArrayObject([ident, ident])
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    with open(out_pdf, "wb") as fh:
        writer.write(fh)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="spreads_") as tmp:
        workdir = Path(tmp)
        source = _html(spec, workdir)
        (workdir / "rapport.html").write_text(source, encoding="utf-8")
        single = workdir / "pages.pdf"
        ident = hashlib.md5(spec["id"].encode("utf-8")).hexdigest().encode("ascii")
        HTML(string=source, base_url=str(workdir) + "/").write_pdf(str(single), uncompressed_pdf=False,
                                                                   pdf_identifier=ident)
        impose(single, out_pdf, spec)
