"""Render a layout-corpus spec with WeasyPrint: HTML + a print stylesheet → PDF.

This is how a web-minded rekenkamer (or its communication bureau) makes a report with
WeasyPrint: one HTML document, one print CSS. Everything is done with WeasyPrint's own
CSS Paged Media support:

- A4 `@page` rules with margin boxes: the running header is a `position: running()` element
  shown with `content: element()`, the current chapter comes from `string-set`, page
  numbers from `counter(page)` / `counter(pages)`;
- named pages (`page: cover`, `page: front`, `page: scan`) for the cover, the front matter
  and the scanned letter pages (margin 0, no margin boxes);
- a table of contents whose page numbers are `target-counter(attr(href), page)` with a
  `leader('.')` — WeasyPrint resolves them itself, one pass;
- real footnotes with `float: footnote` (the `@footnote` area at the foot of the page);
- CSS multi-column (`column-count`) for two-column running text;
- real `<ol>` lists, `<table>`s with repeating `<thead>`, `<strong>` bold leads, boxes with
  a background colour;
- PDF bookmarks from `bookmark-level` (h1/h2 get levels 1/2; `bookmark-level: none` on all
  headings when `outline: false`);
- `hyphens: auto` with `lang="nl"` (WeasyPrint hyphenates with pyphen's Dutch dictionary)
  and justified text;
- PDF info Title/Author from `<title>` and `<meta name="author">` when `pdf_info: true`,
  nothing when false (WeasyPrint then writes only its Producer).

A scanned reaction letter (`reaction_letter` with `scanned: true`) becomes the PNG pages of
`scan.letter_pages`, each a full-page `<img>` on its own `scan` page: no text layer.

Optional spec keys this renderer reads (ignored by spec.py):
  house: {body, head, size, accent, dark, light, line, page_label, cover: band|split|plain}
  reaction_letter.letterhead / .address / .new_page
  items.columns / repeat.columns      table header row
  items.intro                         small caption above a table / box group (not an item)
  items.sidebar / .sidebar_title      the items in a coloured sidebar floated right, beside the blocks
                                      that follow it (put the block before them in the spec)
  heading.part                        a part title page ("Deel II") set before a level-1 heading
  items.layout: norm_table            (h10) a conclusie table whose columns "Norm" and "Oordeel" read the
                                      item's `norm` and `oordeel` keys (`oordeel_mark`: groen|oranje|rood draws
                                      a coloured disc before the verdict word); the other column holds the item
  items.legend                        (h10) a small line under an items table (the colour legend; not an item)
  reaction_letter paragraph {marker, text}   (h10) an answer opened by the bare recommendation number as a
                                      hanging marker ("2.1   Overgenomen. …"), no "Aanbeveling" label
  cover.part_footer / .part_bookmark  (h12a) the cover is the title page of a PART of a two-part report: the part
                                      runs until the next such cover, on a named page of its own whose page
                                      counter restarts at 1 on the title page and whose footer reads
                                      "<part_footer> | N"; with outline, the part is a level-1 bookmark
                                      (`part_bookmark`) and the chapters move down one level
  items.pair: next (style table)      (h12a) a conclusie table set with the next `items` block (aanbevelingen) in
                                      one table "Conclusie | Aanbeveling": a row per conclusion; an aanbeveling
                                      whose `conclusies` key names several conclusions (in order) fills one cell
                                      merged down over their rows (rowspan); a conclusion no aanbeveling names
                                      has an empty cell. Numbers in bold before the text; `columns` the header
  items.start_from_number: true       (h14b) a numbered list that goes on from an earlier one (recommendations
                                      numbered across chapters): the list starts at its first item's number
  repeat.italic: true                 (h15a) the repeated items in italics (a div with an inline style; one
                                      recommendation repeated before the college's answer to it)
  para.lead                           (h15a) a bold run-in label before the paragraph's text ("Reactie van het
                                      college:", "Nawoord:"); not part of a findings paragraph's gold text
  reaction_letter.handwriting         (h12a) scanned letters: a signature line "~" is drawn as a handwritten
                                      signature (scan.letter_pages(handwriting=True))
  heading.part_band                   (h19b) a level-1 heading set as the opener of a PART of the report
                                      ("Deel 1" over "Bestuurlijke nota"): a coloured band with the part label over
                                      the title, on the page it stands on (precede it with a page_break); the
                                      chapters of the part are level-2 headings
  heading.look: chapter               (h19b) a level-2 heading set in the size of a chapter title (a chapter inside
                                      a part); still an h2, so it is a level-2 bookmark and toc entry
  items.lead_bold: true               (h19b) style numbered or table: the lead of each item in bold
  toc.flush_unnumbered: true          (h19b) an unnumbered heading's toc entry has no empty number slot
  items.column_keys                   (h19b) style table: {column name: item key}, a column that prints the item's
                                      value of that key ("Relatie met conclusie": relatie)
  items.widths / table.widths         (h19b) column widths in percent (a <colgroup>); an items table with
                                      widths does not hyphenate its header cells
  table block                         (h19b) a plain table (columns, data: rows of cells; caption): never an item;
                                      `layout: list` prints the rows as a bulleted list instead, the cells of a
                                      row joined by `sep` (default ", "), the first cell in bold with `first_bold`
  reaction_letter paragraph {lead, text}  (h19b) an answer opened by a bold run-in ("Aanbeveling 2.") in the
                                      letter's own paragraph

Deterministic: no creation date is written (no `dcterms.created` meta), and the file
identifier is fixed from the document id.
"""
from __future__ import annotations

import base64
import hashlib
import html
import sys
import tempfile
from pathlib import Path
from typing import Any

from weasyprint import HTML

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import scan  # noqa: E402
import spec as spec_module  # noqa: E402

DEFAULT_HOUSE = {
    "body": "'Lato', 'DejaVu Sans', sans-serif",
    "head": "'Lato', 'DejaVu Sans', sans-serif",
    "size": "10pt",
    "accent": "#00704a",
    "dark": "#1e2a2a",
    "light": "#e6f1ec",
    "line": "1.45",
    "page_label": "",          # e.g. "pagina " → "pagina 5 van 14"
    "cover": "band",
}
LABELS = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}
ADDRESSEE = {"college": "College van B en W", "raad": "Gemeenteraad", None: "", "": ""}


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=False)


def _attr(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _css(spec: dict[str, Any], h: dict[str, str]) -> str:
    meta = spec["meta"]
    has_header = bool(spec.get("running_header"))
    label = h.get("page_label") or ""
    if label:
        page_no = f'content: "{label}" counter(page) " van " counter(pages);'
    else:
        page_no = "content: counter(page);"
    bookmarks = ("h1 { bookmark-level: 1; bookmark-label: attr(data-b); } h2 { bookmark-level: 2; bookmark-label: attr(data-b); } h3, h4, h5, h6 { bookmark-level: none; }"
                 if spec.get("outline") else "h1, h2, h3, h4, h5, h6 { bookmark-level: none; }")
    parts = [b for b in spec["blocks"] if b["kind"] == "cover" and b.get("part_footer")]
    part_css = ""
    if parts:  # (h12a) a two-part report: each part its own page counter and footer
        if spec.get("outline"):
            bookmarks = ("h1 { bookmark-level: 2; bookmark-label: attr(data-b); } h2 { bookmark-level: 3; bookmark-label: attr(data-b); } h3, h4, h5, h6 { bookmark-level: none; } "
                         ".cover .pbm { bookmark-level: 1; bookmark-label: attr(data-b); }")
        for n, part in enumerate(parts, start=1):
            part_css += (f"@page part{n} {{ @bottom-right {{ content: {_css_string(part['part_footer'] + ' | ')} counter(page); "
                         f"font: bold 8pt {h['head']}; color: {h['accent']}; }} }}\n"
                         f"@page partcover{n} {{ margin: 0; counter-reset: page 1; @top-left {{ content: none; border: none; }} "
                         "@top-right { content: none; border: none; } @bottom-right { content: none; } "
                         "@bottom-left { content: none; } }\n"
                         f".part{n} {{ page: part{n}; }} .part{n} .cover {{ page: partcover{n}; }}\n")
    header_boxes = f"""
  @top-left {{ content: element(runhead); vertical-align: bottom; padding-bottom: 2.5mm;
              border-bottom: .5pt solid {h['accent']}; }}
  @top-right {{ content: string(chapter); font: 7.5pt {h['head']}; color: #777; vertical-align: bottom;
               padding-bottom: 2.5mm; border-bottom: .5pt solid {h['accent']}; }}""" if has_header else ""
    return f"""
@page {{
  size: A4;
  margin: 25mm 22mm 24mm 25mm;
  {header_boxes}
  @bottom-right {{ {page_no} font: bold 8pt {h['head']}; color: {h['accent']}; }}
  @bottom-left {{ content: {_css_string(meta.get('rekenkamer', ''))}; font: 7.5pt {h['head']}; color: #888; }}
  @footnote {{ border-top: .5pt solid #999; }}
}}
@page cover {{ margin: 0; @top-left {{ content: none; border: none; }} @top-right {{ content: none; border: none; }}
              @bottom-right {{ content: none; }} @bottom-left {{ content: none; }} }}
@page front {{ @top-left {{ content: none; border: none; }} @top-right {{ content: none; border: none; }}
              @bottom-right {{ content: none; }} @bottom-left {{ content: none; }} }}
@page scan {{ margin: 0; @top-left {{ content: none; border: none; }} @top-right {{ content: none; border: none; }}
             @bottom-right {{ content: none; }} @bottom-left {{ content: none; }} }}
{bookmarks}
{part_css}
html {{ font-family: {h['body']}; font-size: {h['size']}; line-height: {h['line']}; color: {h['dark']}; }}
body {{ margin: 0; text-align: justify; hyphens: auto; }}
p {{ margin: 0 0 .65em 0; orphans: 2; widows: 2; }}
.runhead {{ position: running(runhead); font: 7.5pt {h['head']}; color: #666; letter-spacing: .03em; text-align: left; }}
h1, h2, h3 {{ font-family: {h['head']}; text-align: left; hyphens: manual; break-after: avoid; }}
h1 {{ string-set: chapter attr(data-t); font-size: 18pt; line-height: 1.2; color: {h['accent']}; margin: 0 0 9pt 0;
      padding-bottom: 4pt; border-bottom: 1.6pt solid {h['accent']}; }}
h1 .num {{ display: inline-block; min-width: 11mm; padding-right: 2mm; }}
h2 {{ font-size: 12pt; color: {h['dark']}; margin: 13pt 0 4pt 0; }}
h2 .num {{ display: inline-block; min-width: 11mm; color: {h['accent']}; }}
h3 {{ font-size: 10.5pt; margin: 9pt 0 3pt 0; }}
h3 .num {{ margin-right: .7em; color: {h['accent']}; }}
.partpage {{ break-before: page; break-after: page; padding-top: 70mm; }}
.partpage .plabel {{ font: bold 11pt {h['head']}; letter-spacing: .2em; text-transform: uppercase; color: {h['accent']};
                     margin-bottom: 6mm; }}
.partpage h1 {{ font-size: 28pt; border-bottom: 3pt solid {h['accent']}; padding-bottom: 8pt; }}
aside.sidebar {{ float: right; width: 62mm; margin: 0 0 6mm 7mm; background: {h['light']}; padding: 5mm 5mm 2mm 5mm;
                 border-top: 4pt solid {h['accent']}; text-align: left; hyphens: auto; font-size: 92%; }}
aside.sidebar .st {{ font: bold 10.5pt {h['head']}; color: {h['accent']}; margin-bottom: 3mm; }}
aside.sidebar ol.items {{ padding-left: 5mm; }}
/* cover */
.cover {{ page: cover; height: 297mm; position: relative; text-align: left; hyphens: manual; }}
.cover .band {{ background: {h['accent']}; color: white; padding: 58mm 22mm 16mm 25mm; }}
.cover .org {{ font: bold 10.5pt {h['head']}; letter-spacing: .16em; text-transform: uppercase; margin-bottom: 24mm; }}
.cover .title {{ font: bold 30pt/1.12 {h['head']}; }}
.cover .sub {{ font: 13pt/1.35 {h['head']}; margin: 9mm 25mm 0 25mm; color: {h['dark']}; }}
.cover .more {{ font: 11pt {h['head']}; margin: 4mm 25mm 0 25mm; color: #555; }}
.cover .date {{ position: absolute; bottom: 24mm; left: 25mm; font: 10pt {h['head']}; color: #555; }}
.cover .mark {{ position: absolute; bottom: 20mm; right: 22mm; width: 26mm; height: 26mm; background: {h['accent']}; }}
.cover .mark2 {{ position: absolute; bottom: 20mm; right: 50mm; width: 12mm; height: 12mm; background: {h['light']}; }}
.cover.split .band {{ padding: 0; height: 110mm; position: relative; }}
.cover.split .band .org {{ position: absolute; top: 18mm; left: 25mm; margin: 0; }}
.cover.split .title {{ color: {h['accent']}; margin: 22mm 25mm 0 25mm; font-size: 28pt; }}
.cover.split .sub {{ margin-top: 7mm; }}
.cover.plain .band {{ background: none; color: {h['dark']}; border-top: 9mm solid {h['accent']}; padding-top: 40mm; }}
.cover.plain .org {{ color: {h['accent']}; }}
.cover.plain .title {{ border-left: 3mm solid {h['accent']}; padding-left: 6mm; }}
/* front matter */
.front {{ page: front; break-after: page; }}
.colofon {{ break-before: page; padding-top: 150mm; font: 8.5pt/1.55 {h['head']}; text-align: left; hyphens: manual; }}
.colofon .ttl {{ font-weight: bold; color: {h['accent']}; letter-spacing: .08em; text-transform: uppercase; margin-bottom: 3mm; }}
.toc {{ break-before: page; text-align: left; hyphens: manual; }}
.toc .ttl {{ font: bold 18pt {h['head']}; color: {h['accent']}; margin-bottom: 9mm; }}
.toc ul {{ list-style: none; margin: 0; padding: 0; font-family: {h['head']}; }}
.toc li {{ margin: 0 0 3pt 0; }}
.toc li.l1 {{ font-weight: bold; margin-top: 7pt; }}
.toc li.l2 {{ padding-left: 11mm; font-size: 93%; }}
.toc a {{ color: inherit; text-decoration: none; }}
.toc a .n {{ display: inline-block; min-width: 11mm; padding-right: 1.5mm; }}
.toc li.l2 a .n {{ min-width: 10mm; }}
.toc a::after {{ content: leader('. ') target-counter(attr(href), page); font-weight: normal; }}
.pb {{ break-after: page; }}
/* running text */
.cols {{ column-gap: 8mm; column-rule: .4pt solid #c8c8c8; }}
blockquote {{ margin: 5pt 8mm 10pt 8mm; padding: 3pt 0 3pt 5mm; border-left: 2.5pt solid {h['accent']};
             font-style: italic; color: #444; }}
.fn {{ float: footnote; font-size: 7.5pt; line-height: 1.3; padding-top: 1.2mm; text-align: left; font-style: normal; }}
.fn::footnote-marker {{ content: counter(footnote) ". "; font-weight: bold; }}
::footnote-call {{ content: counter(footnote); vertical-align: super; font-size: 65%; line-height: 0;
                  color: {h['accent']}; font-weight: bold; }}
/* items */
ol.items {{ margin: 0 0 10pt 0; padding-left: 7mm; }}
ol.items li {{ margin-bottom: 5pt; padding-left: 1mm; }}
ol.items li::marker {{ font-weight: bold; color: {h['accent']}; }}
.nol {{ margin: 0 0 8pt 0; }}
.nol .no {{ font: bold 13pt {h['head']}; color: {h['accent']}; margin-bottom: 1pt; break-after: avoid; }}
.nol p {{ margin: 0; }}
p.bl strong, p.lab strong {{ font-family: {h['head']}; }}
p.lab .lbl {{ color: {h['accent']}; }}
.caption {{ font: bold 8.5pt {h['head']}; color: {h['accent']}; margin: 6pt 0 3pt 0; text-align: left; }}
table {{ border-collapse: collapse; width: 100%; margin: 3pt 0 12pt 0; font-size: 92%; text-align: left; hyphens: auto; }}
thead {{ display: table-header-group; }}
th {{ background: {h['accent']}; color: white; font: bold 8.5pt {h['head']}; padding: 4pt 5pt; text-align: left; }}
td {{ border-bottom: .5pt solid #b8b8b8; padding: 5pt 5pt; vertical-align: top; }}
tbody tr:nth-child(even) td {{ background: {h['light']}; }}
tbody tr {{ break-inside: avoid; }}
td.nr {{ width: 9mm; font-weight: bold; color: {h['accent']}; }}
td.aan {{ width: 30mm; }}
.box {{ background: {h['light']}; border-left: 4pt solid {h['accent']}; padding: 6pt 9pt 2pt 9pt; margin: 0 0 9pt 0;
        break-inside: avoid; }}
.box .bh {{ font: bold 8pt {h['head']}; letter-spacing: .14em; color: {h['accent']}; margin-bottom: 3pt; }}
.norm {{ margin: 6pt 0 12pt 0; }}
.norm .nh {{ background: {h['dark']}; color: white; padding: 5pt 8pt; font: bold 9pt/1.35 {h['head']}; text-align: left;
            break-after: avoid; hyphens: manual; }}
.norm .nh .nn {{ color: {h['light']}; margin-right: .6em; letter-spacing: .06em; }}
.norm .nb {{ border-left: 1.5pt solid {h['dark']}; padding: 6pt 0 1pt 8pt; }}
.norm .verdict {{ font-weight: bold; font-family: {h['head']}; color: {h['accent']}; }}
/* reactions */
.letter {{ border: .6pt solid #aaa; padding: 9mm 12mm 7mm 12mm; margin: 6pt 0 12pt 0;
          font-family: 'Liberation Serif', 'Nimbus Roman', serif; font-size: 10pt; line-height: 1.36;
          text-align: left; hyphens: manual; color: #111; }}
.letter .lh {{ font: bold 13pt 'Liberation Sans', sans-serif; letter-spacing: .05em; margin-bottom: 2mm; }}
.letter .lh-sub {{ font: 8pt 'Liberation Sans', sans-serif; color: #555; margin-bottom: 8mm; }}
.letter .addr p {{ margin: 0; }}
.letter .addr {{ margin-bottom: 6mm; }}
.letter .sig {{ margin-top: 7mm; break-inside: avoid; }}
.letter .sig p {{ margin: 0 0 2pt 0; white-space: pre-wrap; }}
.scanpage {{ page: scan; break-before: page; break-after: page; width: 210mm; height: 297mm; margin: 0; }}
.scanpage img {{ width: 210mm; height: 297mm; display: block; }}
.rt td {{ font-size: 95%; }}
.rt td.ref {{ width: 40mm; font-weight: bold; }}
.rt td.ref span {{ font-weight: normal; }}
.bijlage-table td:first-child {{ width: 45mm; font-weight: bold; }}
table.nt td.norm {{ width: 52mm; font-style: italic; }}
table.nt td.oordeel {{ width: 27mm; font-weight: bold; white-space: nowrap; }}
table.nt .dot {{ display: inline-block; width: 2.6mm; height: 2.6mm; border-radius: 1.3mm; margin-right: 1.4mm; }}
table.nt .groen {{ background: #3a8d3f; }} table.nt .oranje {{ background: #e08a1e; }} table.nt .rood {{ background: #c62d2d; }}
.legend {{ font: 7.5pt {h['head']}; color: #555; margin: -8pt 0 12pt 0; text-align: left; }}
.letter p.mk {{ padding-left: 14mm; text-indent: -14mm; }}
.letter p.mk .m {{ display: inline-block; width: 14mm; text-indent: 0; font-weight: bold; }}
table.pair td {{ width: 50%; }}
table.pair td .pn {{ font-family: {h['head']}; font-weight: bold; color: {h['accent']}; margin-right: .5em; }}
table.pair td.merged {{ background: {h['light']}; border-left: .5pt solid #b8b8b8; vertical-align: middle; }}
table.pair tbody tr:nth-child(even) td {{ background: none; }}
table.pair tbody tr td.merged {{ background: {h['light']}; }}
/* (h19b) part openers, chapter-sized h2, plain tables and lists */
.pband {{ background: {h['accent']}; color: white; margin: 0 0 12mm 0; padding: 9mm 8mm 7mm 8mm; }}
.pband .pl {{ font: bold 9.5pt {h['head']}; letter-spacing: .22em; text-transform: uppercase; color: {h['light']};
             margin-bottom: 3mm; }}
.pband h1 {{ color: white; border: none; font-size: 25pt; margin: 0; padding: 0; }}
h2.chap {{ font-size: 15pt; color: {h['accent']}; margin: 16pt 0 7pt 0; padding-bottom: 3pt;
          border-bottom: .8pt solid {h['accent']}; }}
h2.chap .num {{ min-width: 9mm; }}
table.plain {{ font-size: 88%; }}
table.plain th {{ font-size: 8pt; }}
ul.plainlist {{ margin: 2pt 0 10pt 0; padding-left: 5mm; text-align: left; hyphens: manual; }}
ul.plainlist li {{ margin-bottom: 2.5pt; }}
ul.plainlist li::marker {{ color: {h['accent']}; }}
"""


class _Builder:
    def __init__(self, spec: dict[str, Any], workdir: Path, house: dict[str, str]):
        self.spec = spec
        self.workdir = workdir
        self.house = house
        self.items = spec_module.items_by_id(spec)
        self.out: list[str] = []
        self.in_cols = False
        self.in_front = False
        self.scans = 0
        self.heading_no = 0
        self.header_placed = False
        self.part_no = 0          # (h12a) parts of a two-part report
        self.consumed: set[int] = set()

    def emit(self, s: str) -> None:
        self.out.append(s)

    # ------------------------------------------------------------------ items
    def item_body(self, item: dict[str, Any], bold: bool, short: bool) -> str:
        lead, text = item.get("lead", ""), item.get("text", "")
        lead_html = f"<strong>{_esc(lead)}</strong>" if bold and lead else _esc(lead)
        if short:
            return lead_html
        return (lead_html + (" " + _esc(text) if text else "")).strip()

    def render_items(self, kind: str, style: str, items: list[dict[str, Any]], block: dict[str, Any],
                     short: bool = False) -> None:
        show_number = bool(block.get("show_number"))
        if block.get("intro"):
            self.emit(f'<div class="caption">{_esc(block["intro"])}</div>')
        if style == "numbered" and block.get("start_from_number") and items:  # (h14b) numbering goes on from an
            # earlier list: WeasyPrint 70 ignores <li value>, so the list-item counter is reset on the <ol>
            first = int(str(items[0].get("number", "1")))
            self.emit(f'<ol class="items" start="{first}" style="counter-reset: list-item {first - 1}">')
            for item in items:
                self.emit(f'<li value="{_attr(item.get("number", ""))}">{self.item_body(item, False, short)}</li>')
            self.emit("</ol>")
        elif style == "numbered":
            bold = bool(block.get("lead_bold"))  # (h19b)
            self.emit('<ol class="items">')
            for item in items:
                self.emit(f'<li value="{_attr(item.get("number", ""))}">{self.item_body(item, bold, short)}</li>')
            self.emit("</ol>")
        elif style == "number_own_line":
            for item in items:
                self.emit(f'<div class="nol"><div class="no">{_esc(item.get("number", ""))}.</div>'
                          f"<p>{self.item_body(item, False, short)}</p></div>")
        elif style == "bold_lead":
            for item in items:
                num = f"<strong>{_esc(item.get('number', ''))}. </strong>" if show_number else ""
                self.emit(f'<p class="bl">{num}{self.item_body(item, True, short)}</p>')
        elif style == "label":
            for item in items:
                label = LABELS.get(item.get("type", kind), "Aanbeveling")
                self.emit(f'<p class="lab"><strong class="lbl">{label} {_esc(item.get("number", ""))}:</strong> '
                          f"{self.item_body(item, False, short)}</p>")
        elif style == "table" and block.get("layout") == "norm_table":
            cols = block.get("columns") or ["Norm", "Oordeel", "Toelichting"]
            self.emit('<table class="it nt"><thead><tr>' + "".join(f"<th>{_esc(c)}</th>" for c in cols)
                      + "</tr></thead><tbody>")
            for item in items:
                cells = []
                for col in cols:
                    low = col.lower().rstrip(".")
                    if low == "norm":
                        cells.append(f'<td class="norm">{_esc(item.get("norm", ""))}</td>')
                    elif low == "oordeel":
                        mark = item.get("oordeel_mark")
                        dot = f'<span class="dot {_attr(mark)}"></span>' if mark else ""
                        cells.append(f'<td class="oordeel">{dot}{_esc(item.get("oordeel", ""))}</td>')
                    elif low in ("nr", "nummer", "#"):
                        cells.append(f'<td class="nr">{_esc(item.get("number", ""))}</td>')
                    else:
                        cells.append(f"<td>{self.item_body(item, True, short)}</td>")
                self.emit("<tr>" + "".join(cells) + "</tr>")
            self.emit("</tbody></table>")
            if block.get("legend"):
                self.emit(f'<div class="legend">{_esc(block["legend"])}</div>')
        elif style == "table":
            cols = block.get("columns") or ["Nr.", LABELS.get(kind, "Aanbeveling")]
            keys = block.get("column_keys") or {}  # (h19b)
            th = '<th style="hyphens: manual">' if block.get("widths") else "<th>"  # (h19b) no hyphens in a header
            self.emit('<table class="it">' + _colgroup(block.get("widths")) + "<thead><tr>"
                      + "".join(f"{th}{_esc(c)}</th>" for c in cols) + "</tr></thead><tbody>")
            for item in items:
                cells = []
                for col in cols:
                    low = col.lower().rstrip(".")
                    if col in keys:
                        cells.append(f'<td class="key">{_esc(item.get(keys[col], ""))}</td>')
                    elif low in ("nr", "nummer", "#"):
                        cells.append(f'<td class="nr">{_esc(item.get("number", ""))}</td>')
                    elif "gericht" in low or low == "aan":
                        who = ADDRESSEE.get(item.get("addressee"), str(item.get("addressee")))
                        cells.append(f'<td class="aan">{_esc(who)}</td>')
                    else:
                        cells.append(f"<td>{self.item_body(item, bool(block.get('lead_bold')), short)}</td>")
                self.emit("<tr>" + "".join(cells) + "</tr>")
            self.emit("</tbody></table>")
        elif style == "boxes":
            for item in items:
                label = LABELS.get(item.get("type", kind), "Aanbeveling").upper()
                self.emit(f'<div class="box"><div class="bh">{label} {_esc(item.get("number", ""))}</div>'
                          f"<p>{self.item_body(item, True, short)}</p></div>")
        else:
            raise ValueError(f"unknown item style {style!r}")

    # ------------------------------------------------------------------ blocks
    def toc_headings(self) -> list[tuple[int, dict[str, Any]]]:
        out, n = [], 0
        for block in self.spec["blocks"]:
            if block["kind"] == "heading":
                n += 1
                if int(block.get("level", 1)) <= 2:
                    out.append((n, block))
        return out

    def close_front(self) -> None:
        if self.in_front:
            self.emit("</div>")
            self.in_front = False

    def open_front(self) -> None:
        if not self.in_front:
            self.emit('<div class="front">')
            self.in_front = True

    def place_header(self) -> None:
        if self.header_placed or not self.spec.get("running_header"):
            return
        self.emit(f'<div class="runhead">{_esc(self.spec["running_header"])}</div>')
        self.header_placed = True

    def build(self) -> str:
        blocks = self.spec["blocks"]
        for at, block in enumerate(blocks):
            kind = block["kind"]
            if id(block) in self.consumed:
                continue
            if kind == "items" and block.get("pair") == "next" and block.get("style") == "table":  # (h12a)
                partner = next(b for b in blocks[at + 1:] if b["kind"] == "items")
                self.consumed.add(id(partner))
            if kind not in ("cover", "colofon", "toc"):
                self.close_front()
                self.place_header()
            getattr(self, f"b_{kind}")(block)
        self.close_front()
        if self.in_cols:
            self.emit("</div>")
        if self.part_no:
            self.emit("</div>")
        return "\n".join(self.out)

    def b_cover(self, block: dict[str, Any]) -> None:
        lines = list(block.get("lines", []))
        org, title = (lines + ["", ""])[:2]
        sub = lines[2] if len(lines) > 2 else ""
        rest = lines[3:]
        date = rest[-1] if rest else ""
        more = rest[:-1]
        style = self.house.get("cover", "band")
        if block.get("part_footer"):  # (h12a) the title page of a part; the part runs to the next one
            self.close_front()
            if self.part_no:
                self.emit("</div>")
            self.part_no += 1
            self.emit(f'<div class="part{self.part_no}">')
            bm = block.get("part_bookmark") or block["part_footer"]
            org = f'<span class="pbm" data-b="{_attr(bm)}">{_esc(org)}</span>'
        else:
            org = _esc(org)
        self.emit(f'<div class="cover {style}"><div class="band"><div class="org">{org}</div>'
                  + (f'<div class="title">{_esc(title)}</div></div>' if style != "split"
                     else f'</div><div class="title">{_esc(title)}</div>')
                  + (f'<div class="sub">{_esc(sub)}</div>' if sub else "")
                  + "".join(f'<div class="more">{_esc(m)}</div>' for m in more)
                  + f'<div class="date">{_esc(date)}</div><div class="mark2"></div><div class="mark"></div></div>')

    def b_colofon(self, block: dict[str, Any]) -> None:
        self.open_front()
        self.emit('<div class="colofon"><div class="ttl">Colofon</div>'
                  + "".join(f"<div>{_esc(line) if line.strip() else '&#160;'}</div>" for line in block.get("lines", []))
                  + "</div>")

    def b_toc(self, block: dict[str, Any]) -> None:
        self.open_front()
        entries = []
        for n, h in self.toc_headings():
            lvl = int(h.get("level", 1))
            number = str(h.get("number", ""))
            if not number and block.get("flush_unnumbered"):  # (h19b) no empty number slot: flush left
                entries.append(f'<li class="l{lvl}"><a href="#h{n}">{_esc(h["text"])}</a></li>')
                continue
            entries.append(f'<li class="l{lvl}"><a href="#h{n}"><span class="n">{_esc(number)}</span>'
                           f"{_esc(h['text'])}</a></li>")
        self.emit(f'<nav class="toc"><div class="ttl">{_esc(block.get("title", "Inhoud"))}</div><ul>'
                  + "".join(entries) + "</ul></nav>")

    def b_heading(self, block: dict[str, Any]) -> None:
        self.heading_no += 1
        level = int(block.get("level", 1))
        number = str(block.get("number", ""))
        num = f'<span class="num">{_esc(number)}</span>' if number else ""
        tag = f"h{min(level, 3)}"
        label = f"{number} {block['text']}".strip()
        text = (f'<{tag} id="h{self.heading_no}" data-t="{_attr(block["text"])}" data-b="{_attr(label)}">'
                f'{num}{_esc(block["text"])}</{tag}>')
        if level == 2 and block.get("look") == "chapter":  # (h19b) a chapter inside a part
            text = text.replace("<h2 ", '<h2 class="chap" ', 1)
        if block.get("part_band"):  # (h19b) a part opener band: "Deel 1" over the title, text follows on the page
            text = (f'<div class="pband"><div class="pl">{_esc(block["part_band"])}</div>'
                    f'<h1 id="h{self.heading_no}" data-t="{_attr(block["text"])}" data-b="{_attr(label)}">'
                    f'{num}{_esc(block["text"])}</h1></div>')
        if block.get("part"):  # a part title page: "Deel II" over the heading, alone on its page
            label = f"{block['part']} {label}"
            text = (f'<div class="partpage"><div class="plabel">{_esc(block["part"])}</div>'
                    f'<h1 id="h{self.heading_no}" data-t="{_attr(block["text"])}" data-b="{_attr(label)}">'
                    f'{_esc(block["text"])}</h1></div>')
        if level == 1 and self.in_cols:  # a chapter title spans both columns
            self.emit(f"</div>{text}<div class=\"cols\" style=\"column-count:{self.cols}\">")
        else:
            self.emit(text)

    def b_para(self, block: dict[str, Any]) -> None:
        note = f'<span class="fn">{_esc(block["footnote"])}</span>' if block.get("footnote") else ""
        lead = f"<strong>{_esc(block['lead'])}</strong> " if block.get("lead") else ""  # (h15a) run-in label
        self.emit(f"<p>{lead}{_esc(block['text'])}{note}</p>")

    def b_quote(self, block: dict[str, Any]) -> None:
        self.emit(f"<blockquote>{_esc(block['text'])}</blockquote>")

    def b_items(self, block: dict[str, Any]) -> None:
        items = [{**i, "type": block["type"]} for i in block["items"]]
        if block.get("pair") == "next" and block.get("style") == "table":  # (h12a)
            self.paired_table(block)
            return
        if block.get("sidebar"):
            self.emit('<aside class="sidebar">'
                      + (f'<div class="st">{_esc(block["sidebar_title"])}</div>' if block.get("sidebar_title") else ""))
            self.render_items(block["type"], block["style"], items, block)
            self.emit("</aside>")
            return
        self.render_items(block["type"], block["style"], items, block)

    def paired_table(self, block: dict[str, Any]) -> None:
        """(h12a) Conclusions and recommendations side by side; one recommendation may span several rows."""
        blocks = self.spec["blocks"]
        at = next(i for i, b in enumerate(blocks) if b is block)
        partner = next(b for b in blocks[at + 1:] if b["kind"] == "items")
        cols = block.get("columns") or ["Conclusie", "Aanbeveling"]
        if block.get("intro"):
            self.emit(f'<div class="caption">{_esc(block["intro"])}</div>')
        starts: dict[str, tuple[dict[str, Any], int]] = {}
        covered: set[str] = set()
        for rec in partner["items"]:
            names = rec.get("conclusies") or ([rec["conclusie"]] if rec.get("conclusie") else [])
            if names:
                starts[names[0]] = (rec, len(names))
                covered.update(names[1:])

        def cell(item: dict[str, Any], cls: str = "", span: int = 1) -> str:
            attrs = (f' class="{cls}"' if cls else "") + (f' rowspan="{span}"' if span > 1 else "")
            num = f'<span class="pn">{_esc(item.get("number", ""))}</span>' if item.get("number") else ""
            return f"<td{attrs}>{num}{self.item_body(item, True, False)}</td>"

        self.emit('<table class="it pair"><thead><tr>' + "".join(f"<th>{_esc(c)}</th>" for c in cols)
                  + "</tr></thead><tbody>")
        for concl in block["items"]:
            row = cell(concl)
            if concl["id"] in starts:
                rec, span = starts[concl["id"]]
                row += cell(rec, "merged" if span > 1 else "", span)
            elif concl["id"] not in covered:
                row += "<td></td>"
            self.emit(f"<tr>{row}</tr>")
        self.emit("</tbody></table>")

    def b_repeat(self, block: dict[str, Any]) -> None:
        items = [self.items[r] for r in block["refs"]]
        kind = items[0]["type"] if items else "aanbeveling"
        if block.get("italic"):  # (h15a) the repeated items set in italics
            self.emit('<div style="font-style: italic">')
        self.render_items(kind, block["style"], items, block, short=bool(block.get("short")))
        if block.get("italic"):
            self.emit("</div>")

    def b_norm(self, block: dict[str, Any]) -> None:
        findings = "".join(f"<p>{_esc(f)}</p>" for f in block.get("findings", []))
        verdict = block.get("verdict", "")
        self.emit(f'<div class="norm"><div class="nh"><span class="nn">NORM {_esc(block.get("number", ""))}</span>'
                  f'{_esc(block.get("text", ""))}</div><div class="nb">{findings}'
                  + (f'<p class="verdict">{_esc(verdict)}</p>' if verdict else "") + "</div></div>")

    def b_findings(self, block: dict[str, Any]) -> None:
        for item in block["items"]:
            self.emit(f"<p>{_esc(item['text'])}</p>")

    def b_columns(self, block: dict[str, Any]) -> None:
        count = int(block.get("count", 1))
        if count > 1 and not self.in_cols:
            self.cols = count
            self.emit(f'<div class="cols" style="column-count:{count}">')
            self.in_cols = True
        elif count == 1 and self.in_cols:
            self.emit("</div>")
            self.in_cols = False

    def b_page_break(self, block: dict[str, Any]) -> None:
        if self.in_cols:
            self.emit(f'</div><div class="pb"></div><div class="cols" style="column-count:{self.cols}">')
        else:
            self.emit('<div class="pb"></div>')

    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        paragraphs = block.get("paragraphs", [])
        signature = block.get("signature", [])
        gemeente = self.spec["meta"].get("gemeente", "").split(",")[0].strip()
        letterhead = block.get("letterhead") or f"Gemeente {gemeente}"
        if block.get("scanned"):
            extra = {"handwriting": True} if block.get("handwriting") else {}
            pages = scan.letter_pages(paragraphs, signature, letterhead=letterhead, seed=int(block.get("seed", 7)),
                                      **extra)
            if self.in_cols:
                self.emit("</div>")
            for png in pages:
                self.scans += 1
                name = f"scan{self.scans}.png"
                (self.workdir / name).write_bytes(png)
                # a data: URI, so the PDF does not depend on the temporary folder's name
                uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
                self.emit(f'<div class="scanpage"><img src="{uri}" alt="{name}"></div>')
            if self.in_cols:
                self.emit(f'<div class="cols" style="column-count:{self.cols}">')
            return
        style = ' style="break-before: page"' if block.get("new_page") else ""
        sub = block.get("letterhead_sub", "")
        addr = block.get("address", [])
        self.emit(f'<div class="letter"{style}><div class="lh">{_esc(letterhead)}</div>'
                  + (f'<div class="lh-sub">{_esc(sub)}</div>' if sub else '<div class="lh-sub">&#160;</div>')
                  + ('<div class="addr">' + "".join(f"<p>{_esc(a)}</p>" for a in addr) + "</div>" if addr else "")
                  + "".join(self._letter_paragraph(p) for p in paragraphs)
                  + '<div class="sig">' + "".join(f"<p>{_esc(s)}</p>" for s in signature) + "</div></div>")

    @staticmethod
    def _letter_paragraph(p: Any) -> str:
        if isinstance(p, dict) and "lead" in p:  # (h19b) a bold run-in opening the paragraph
            return f'<p><strong>{_esc(p["lead"])}</strong> {_esc(p.get("text", ""))}</p>'
        if isinstance(p, dict):  # an answer opened by the bare recommendation number (h10)
            return f'<p class="mk"><span class="m">{_esc(p.get("marker", ""))}</span>{_esc(p.get("text", ""))}</p>'
        return f"<p>{_esc(p)}</p>"

    def b_table(self, block: dict[str, Any]) -> None:
        """(h19b) A plain table or list (a normenkader, the people interviewed, the documents): never an item."""
        rows = block.get("data", [])
        if block.get("caption"):
            self.emit(f'<div class="caption">{_esc(block["caption"])}</div>')
        if block.get("layout") == "list":
            sep = block.get("sep", ", ")
            lis = []
            for row in rows:
                cells = [str(c) for c in (row if isinstance(row, list) else [row])]
                if block.get("first_bold") and len(cells) > 1:
                    lis.append(f"<li><strong>{_esc(cells[0])}</strong>{_esc(sep)}{_esc(sep.join(cells[1:]))}</li>")
                else:
                    lis.append(f"<li>{_esc(sep.join(cells))}</li>")
            self.emit('<ul class="plainlist">' + "".join(lis) + "</ul>")
            return
        cols = block.get("columns") or []
        head = ("<thead><tr>" + "".join(f"<th>{_esc(c)}</th>" for c in cols) + "</tr></thead>") if cols else ""
        body = "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in rows)
        self.emit(f'<table class="plain">{_colgroup(block.get("widths"))}{head}<tbody>{body}</tbody></table>')

    def b_reaction_table(self, block: dict[str, Any]) -> None:
        cols = block.get("columns") or ["Aanbeveling", "Reactie college"]
        self.emit('<table class="rt"><thead><tr>' + "".join(f"<th>{_esc(c)}</th>" for c in cols)
                  + "</tr></thead><tbody>")
        for row in block.get("rows", []):
            item = self.items.get(row.get("ref"), {})
            cells = [f'<td class="ref">Aanbeveling {_esc(item.get("number", ""))}<br>'
                     f'<span>{_esc(item.get("lead", ""))}</span></td>',
                     f"<td>{_esc(row.get('reaction', ''))}</td>"]
            if len(cols) > 2:
                cells.append(f"<td>{_esc(row.get('nawoord', ''))}</td>")
            self.emit("<tr>" + "".join(cells) + "</tr>")
        self.emit("</tbody></table>")


def _colgroup(widths: Any) -> str:
    """(h19b) Column widths in percent as a <colgroup>; nothing without widths."""
    if not widths:
        return ""
    return "<colgroup>" + "".join(f'<col style="width: {w}%">' for w in widths) + "</colgroup>"


def _head(spec: dict[str, Any]) -> str:
    """The document head's metadata: the charset, and title, author and keywords where the spec writes them."""
    meta = spec["meta"]
    head = ['<meta charset="utf-8">']
    if spec.get("pdf_info"):
        head.append(f"<title>{_esc(meta['title'])}</title>")
        head.append(f'<meta name="author" content="{_attr(meta.get("rekenkamer", ""))}">')
        head.append(f'<meta name="keywords" content="jeugdhulp, rekenkamer, {_attr(meta.get("gemeente", ""))}">')
    return "".join(head)


def _html(spec: dict[str, Any], workdir: Path) -> str:
    house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
    body = _Builder(spec, workdir, house).build()
    return (f'<!DOCTYPE html>\n<html lang="nl"><head>{_head(spec)}<style>{_css(spec, house)}</style></head>'
            f"<body>\n{body}\n</body></html>\n")


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wp_render_") as tmp:
        workdir = Path(tmp)
        source = _html(spec, workdir)
        (workdir / "rapport.html").write_text(source, encoding="utf-8")
        ident = hashlib.md5(spec["id"].encode("utf-8")).hexdigest().encode("ascii")
        HTML(string=source, base_url=str(workdir) + "/").write_pdf(str(out_pdf), uncompressed_pdf=False,
                                                                   pdf_identifier=ident)
