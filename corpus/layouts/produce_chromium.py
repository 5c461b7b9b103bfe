"""Render a layout-corpus spec with headless Chromium: HTML + print CSS → "Print to PDF".

The document is written as one HTML page with a print stylesheet (A4 @page, margin boxes for
the running header and the page numbers, named pages for cover/front matter and scanned
pages, CSS multi-column for two-column text) and printed with the Chromium command line, as a
person printing a web page would. Chromium itself writes the tagged PDF and, with
--generate-pdf-document-outline, the bookmarks from the h1/h2 headings.

Two passes: the first print (always with an outline) tells on which page each heading landed;
those page numbers go into the table of contents and the page is printed again.

Chromium's PDF has a non-deterministic CreationDate/ModDate and never an Author; a
"document properties" step afterwards fixes the dates in place and, with pdf_info, writes
Title/Author as a small incremental update (the way a PDF editor saves properties).

Spec keys added for the h7 set: `house` (a dict) overrides the theme's keys (accent, dark, soft, body,
head, size) and `house.caps: true` sets h1/h2 in capitals with CSS `text-transform` (the PDF text is in
capitals). A conclusie `items` block with `pair: next` carries the next `items` block (its
aanbevelingen) inside its paragraphs: each conclusion is one paragraph, its lead in bold, then the
conclusion's `recs_intro` ("Wij bevelen het college aan:") and the aanbevelingen whose `conclusie` key
names it, run in as "(a) …; (b) …." — no list, no line break.

Spec keys added for the h12c set (none is read unless a spec sets it):
- `items.layout: bullets` (style bold_lead): the items as a bulleted list (`<ul>`), bold lead, no numbers;
- `items.layout: rule` (style boxes): the items under a small heading (`items.rule_title`, default
  "Aanbeveling") beside a coloured left rule, no background, no numbers: each item a paragraph with its
  lead in bold;
- `reaction_table.quote: full`: the first column quotes the whole recommendation (lead + text) in italics
  between „ and ”, without a number or "Aanbeveling" label; `reaction_table.widths` (percentages).

Spec keys added for the h20a set (a clean web-report look; none is read unless a spec sets it):
- `house.web: true` appends a second stylesheet: ragged right, no hyphenation (`hyphens: none` also drops the
  soft hyphens), an airy line pitch, large black h1s, a white cover with an accent bar and a tinted lower panel,
  no running header, footer `house.footer_left` (default: the title and the rekenkamer) at the left and
  "pagina N van M" at the right; an inhoudsopgave of ruled lines without leaders (a colofon block placed last is
  the last page);
- `toc_depth: 1`: the inhoudsopgave (and the pages learned for it) lists only the level-1 headings;
- `heading.accent_prefix` ("Thema 1:"): the heading text starts with it; that part is set in the accent colour;
- `items.layout: runin` with `items.runin_label` ("Conclusie:", "Aanbeveling:", "Aanbevelingen:"): one item is a
  paragraph opened by the bold label, the item's text run on after it (no bold lead, no number); two or more items
  are a paragraph holding only the label, then a bulleted list (`<ul>`, the browser's own disc markers) with the
  items' texts; `items.rule_before: true` draws a short accent rule above the block;
- `repeat.texts` (a map ref → short text): the repeat as a bulleted list of the given shortened texts (not the
  leads; the spec also says `layout: bullets` for the reader of the spec);
- `reaction_letter.layout: plain`: the letter without a frame, in the body font, between two hairlines: the
  letterhead (right, with `letterhead_lines` in small grey type), `address` lines, `meta` lines (Datum / Kenmerk /
  Onderwerp), the paragraphs, the signature (kept together).
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scan  # noqa: E402
import spec as spec_module  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"

THEMES = {
    "Amsterdam": {"accent": "#e2001a", "dark": "#1a1a1a", "soft": "#f3f3f3", "body": "'Liberation Sans', Arial, sans-serif",
                  "head": "'Liberation Sans', Arial, sans-serif", "size": "10pt"},
    "Utrecht": {"accent": "#8c1d40", "dark": "#2b2b2b", "soft": "#f6eef1", "body": "'DejaVu Serif', Georgia, serif",
                "head": "'DejaVu Sans', sans-serif", "size": "9.5pt"},
    "Almere": {"accent": "#00857c", "dark": "#1d3c6e", "soft": "#e5f3f2", "body": "'DejaVu Sans', sans-serif",
               "head": "'DejaVu Sans Condensed', 'DejaVu Sans', sans-serif", "size": "9.5pt"},
}
DEFAULT_THEME = {"accent": "#24588f", "dark": "#222", "soft": "#eef3f8", "body": "'DejaVu Serif', serif",
                 "head": "'DejaVu Sans', sans-serif", "size": "10pt"}

LABELS = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}
ADDRESSEE = {"college": "College van B en W", "raad": "Gemeenteraad", None: "", "": ""}

# Soft-hyphen points a web editor would have put in long compounds (Chromium here has no
# hyphenation dictionary, so `hyphens: auto` alone does nothing offline).
_SHY_PARTS = ("jeugd", "hulp", "gemeente", "raads", "aanbieder", "preventie", "rekenkamer", "onderzoek",
              "verantwoordelijk", "informatie", "voorziening", "organisatie", "wijk", "zorg", "toegangs",
              "beleids", "sturings", "inkoop", "kosten")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _shy(text: str) -> str:
    """Escape and add soft hyphens inside long compound words."""
    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) < 14:
            return w
        out = w
        for part in _SHY_PARTS:
            out = re.sub(rf"(?i)(?<=.{{3}})({part})(?=.{{4}})", "\u00ad\\1", out)
            out = re.sub(rf"(?i)({part})(?=.{{4}})", "\\1\u00ad", out)
        out = re.sub("\u00ad+", "\u00ad", out).strip("\u00ad")
        out = re.sub("\u00ad(s|en)(?=[bcdfghjklmnpqrtvwz])", "\\1\u00ad", out)  # onderzoeks-vraag
        return out
    return re.sub(r"[A-Za-zÀ-ÿ]+", word, _esc(text)).replace("\u00ad", "&shy;")


def _theme(spec: dict[str, Any]) -> dict[str, str]:
    name = spec["meta"].get("rekenkamer", "")
    chosen = DEFAULT_THEME
    for key, theme in THEMES.items():
        if key in name:
            chosen = theme
            break
    if isinstance(spec.get("house"), dict):
        chosen = {**chosen, **spec["house"]}
    return chosen


def _css(spec: dict[str, Any], t: dict[str, str]) -> str:
    header = spec.get("running_header") or ""
    header_css = f'content: "{header}";' if header else "content: none;"
    return f"""
@page {{
  size: A4; margin: 24mm 22mm 24mm 24mm;
  @top-left {{ {header_css} font: 7.5pt {t['head']}; color: #6b6b6b; letter-spacing: .04em;
              vertical-align: bottom; padding-bottom: 3mm; border-bottom: .4pt solid {t['accent']}; }}
  @bottom-right {{ content: counter(page); font: bold 8pt {t['head']}; color: {t['accent']}; }}
  @bottom-left {{ content: "{_esc(spec['meta'].get('rekenkamer', ''))}"; font: 7pt {t['head']}; color: #8a8a8a; }}
}}
@page front {{ @top-left {{ content: none; border: none; }} @bottom-right {{ content: none; }} @bottom-left {{ content: none; }} }}
@page cover {{ margin: 0; @top-left {{ content: none; border: none; }} @bottom-right {{ content: none; }} @bottom-left {{ content: none; }} }}
@page scan {{ margin: 0; @top-left {{ content: none; border: none; }} @bottom-right {{ content: none; }} @bottom-left {{ content: none; }} }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; font-family: {t['body']}; font-size: {t['size']}; line-height: 1.45; color: {t['dark']};
       text-align: justify; hyphens: auto; -webkit-hyphens: auto; font-kerning: normal; }}
p {{ margin: 0 0 .7em 0; orphans: 2; widows: 2; }}
h1, h2, h3 {{ font-family: {t['head']}; color: {t['dark']}; text-align: left; break-after: avoid; hyphens: manual; }}
h1 {{ font-size: 19pt; font-weight: bold; letter-spacing: .03em; margin: 0 0 10pt 0; padding-bottom: 5pt;
      border-bottom: 2.2pt solid {t['accent']}; font-kerning: normal; }}
h1 .num {{ color: {t['accent']}; margin-right: .45em; }}
h2 {{ font-size: 12.5pt; letter-spacing: .02em; margin: 14pt 0 5pt 0; color: {t['accent']}; }}
h2 .num {{ margin-right: .5em; }}
h3 {{ font-size: 10.5pt; margin: 10pt 0 4pt 0; }}
{"h1, h2 { text-transform: uppercase; letter-spacing: .06em; } h2 { font-size: 11pt; }" if t.get("caps") else ""}
p.cr {{ margin-bottom: .9em; }}
p.cr .cn {{ color: {t['accent']}; font-family: {t['head']}; font-weight: bold; margin-right: .3em; }}
.cover {{ page: cover; height: 296mm; position: relative; overflow: hidden; text-align: left; }}
.cover .band {{ background: {t['accent']}; color: white; padding: 60mm 22mm 14mm 24mm; }}
.cover .org {{ font: bold 11pt {t['head']}; letter-spacing: .18em; text-transform: uppercase; margin-bottom: 26mm; }}
.cover .title {{ font: bold 30pt/1.15 {t['head']}; letter-spacing: .01em; }}
.cover .sub {{ font: 13pt/1.35 {t['head']}; margin: 9mm 24mm 0 24mm; color: {t['dark']}; }}
.cover .date {{ position: absolute; bottom: 22mm; left: 24mm; font: 10pt {t['head']}; color: #555; }}
.cover .more {{ font: 11pt {t['head']}; margin: 4mm 24mm 0 24mm; color: #555; }}
.front {{ page: front; }}
.colofon {{ break-before: page; min-height: 240mm; display: flex; flex-direction: column; justify-content: flex-end;
           font: 8.5pt/1.5 {t['head']}; text-align: left; }}
.colofon .ttl {{ font-weight: bold; color: {t['accent']}; letter-spacing: .08em; text-transform: uppercase; margin-bottom: 3mm; }}
.toc {{ break-before: page; text-align: left; }}
.toc .ttl {{ font: bold 19pt {t['head']}; letter-spacing: .03em; margin-bottom: 10mm; color: {t['accent']}; }}
.toc .e {{ display: flex; font-family: {t['head']}; margin: 0 0 3pt 0; }}
.toc .e.l1 {{ font-weight: bold; margin-top: 7pt; }}
.toc .e.l2 {{ padding-left: 9mm; font-size: 92%; }}
.toc .e .n {{ min-width: 9mm; margin-right: 2mm; }}
.toc .e .dots {{ flex: 1; border-bottom: 1pt dotted #999; margin: 0 4pt 3.5pt 4pt; }}
.pb {{ break-after: page; height: 0; }}
.cols {{ column-count: 2; column-gap: 8mm; column-rule: .4pt solid #ccc; }}
.cols h2 {{ break-after: avoid; }}
blockquote {{ margin: 6pt 10mm 10pt 10mm; padding: 4pt 0 4pt 5mm; border-left: 3pt solid {t['accent']};
             font-style: italic; color: #444; }}
ol.items {{ margin: 0 0 10pt 0; padding-left: 7mm; }}
ol.items li {{ margin-bottom: 6pt; padding-left: 1mm; }}
ol.items li::marker {{ font-weight: bold; color: {t['accent']}; }}
.nol {{ margin-bottom: 8pt; }}
.nol .no {{ font: bold 11pt {t['head']}; color: {t['accent']}; }}
p.bl strong, p.lab strong {{ font-family: {t['head']}; }}
p.lab .lbl {{ color: {t['accent']}; }}
table {{ border-collapse: collapse; width: 100%; margin: 4pt 0 12pt 0; font-size: 92%; text-align: left; }}
th {{ background: {t['accent']}; color: white; font: bold 8.5pt {t['head']}; padding: 4pt 5pt; text-align: left; letter-spacing: .03em; }}
td {{ border-bottom: .5pt solid #bbb; padding: 5pt 5pt; vertical-align: top; }}
tr:nth-child(even) td {{ background: {t['soft']}; }}
td.nr {{ width: 8mm; font-weight: bold; color: {t['accent']}; }}
td.aan {{ width: 30mm; }}
tr {{ break-inside: avoid; }}
.box {{ background: {t['soft']}; border-left: 4pt solid {t['accent']}; padding: 6pt 9pt 3pt 9pt; margin: 0 0 9pt 0; break-inside: avoid; }}
.box .bh {{ font: bold 8pt {t['head']}; letter-spacing: .14em; color: {t['accent']}; margin-bottom: 3pt; }}
.norm {{ margin: 6pt 0 12pt 0; }}
.norm .nh {{ background: {t['dark']}; color: white; padding: 5pt 8pt; font: bold 9pt/1.35 {t['head']}; text-align: left; break-after: avoid; }}
.norm .nh .nn {{ color: {t['soft']}; margin-right: .6em; letter-spacing: .06em; }}
.norm .nb {{ border-left: 1.5pt solid {t['dark']}; padding: 6pt 0 1pt 8pt; }}
.norm .verdict {{ font-weight: bold; font-family: {t['head']}; color: {t['accent']}; }}
.letter {{ border: .6pt solid #bbb; padding: 12mm 14mm 8mm 14mm; margin: 6pt 0 12pt 0; font-family: 'Liberation Serif', serif;
          font-size: 10.5pt; text-align: left; }}
.letter .lh {{ font: bold 13pt 'Liberation Sans', sans-serif; letter-spacing: .06em; margin-bottom: 8mm; }}
.letter .sig {{ margin-top: 8mm; }}
.letter .sig p {{ margin: 0 0 2pt 0; }}
.scanpage {{ page: scan; break-before: page; break-after: page; width: 210mm; height: 296.5mm; overflow: hidden; }}
.scanpage img {{ width: 210mm; height: 296.9mm; display: block; }}
.notes {{ margin-top: 14pt; padding-top: 4pt; border-top: .5pt solid #999; width: 100%; font-size: 7.8pt; line-height: 1.35; text-align: left; }}
.notes .nt {{ font: bold 7.8pt {t['head']}; margin-bottom: 2pt; }}
.notes ol {{ margin: 0; padding-left: 5mm; }}
sup.fn {{ font-size: 65%; line-height: 0; color: {t['accent']}; font-weight: bold; }}
.rt td {{ font-size: 95%; }}
.rt td.ref {{ width: 38mm; font-weight: bold; }}
ul.bul {{ margin: 2pt 0 10pt 0; padding-left: 6mm; list-style: none; }}
ul.bul li {{ margin-bottom: 5pt; position: relative; }}
ul.bul li::before {{ content: ""; position: absolute; left: -5mm; top: .45em; width: 2mm; height: 2mm;
                     border-radius: 1mm; background: {t['accent']}; }}
.rule {{ border-left: 3pt solid {t['accent']}; padding: 1pt 0 1pt 6mm; margin: 12pt 0 12pt 0; }}
.rule .rh {{ font: bold 10.5pt {t['head']}; color: {t['accent']}; margin-bottom: 4pt; break-after: avoid; }}
.rule p {{ margin-bottom: .55em; }}
.rt td.quote {{ font-style: italic; font-weight: normal; }}
""" + (_web_css(spec, t) if t.get("web") else "")


def _web_css(spec: dict[str, Any], t: dict[str, str]) -> str:
    """(h20a) The clean web-report look, laid over the base stylesheet."""
    footer = t.get("footer_left") or f"{spec['meta'].get('title', '')}  ·  {spec['meta'].get('rekenkamer', '')}"
    return f"""
@page {{
  margin: 22mm 24mm 24mm 24mm;
  @top-left {{ content: none; border: none; }}
  @bottom-left {{ content: "{_esc(footer)}"; font: 7.5pt {t['head']}; color: #7a7a7a; letter-spacing: .02em;
                  vertical-align: top; padding-top: 4mm; }}
  @bottom-right {{ content: "pagina " counter(page) " van " counter(pages); font: 7.5pt {t['head']}; color: #7a7a7a;
                   vertical-align: top; padding-top: 4mm; }}
}}
body {{ text-align: left; line-height: 1.6; letter-spacing: .005em; hyphens: none; -webkit-hyphens: none; }}
p {{ margin: 0 0 .85em 0; }}
h1 {{ font-size: 24pt; font-weight: 900; letter-spacing: 0; border-bottom: none; padding-bottom: 0; margin: 0 0 14pt 0;
      line-height: 1.2; }}
h1 .pre {{ color: {t['accent']}; }}
h2 {{ font-size: 12.5pt; font-weight: bold; color: {t['dark']}; letter-spacing: 0; margin: 16pt 0 4pt 0; }}
.cover .band {{ background: none; color: {t['dark']}; padding: 0; }}
.cover .bar {{ height: 14mm; background: {t['accent']}; }}
.cover .org {{ font: bold 10pt {t['head']}; letter-spacing: .16em; color: {t['accent']}; margin: 38mm 24mm 16mm 24mm; }}
.cover .title {{ font: 900 34pt/1.1 {t['head']}; margin: 0 24mm; }}
.cover .sub {{ font: 300 14pt/1.4 {t['head']}; color: #4a4a4a; margin: 8mm 40mm 0 24mm; }}
.cover .panel {{ position: absolute; left: 0; right: 0; bottom: 0; height: 96mm; background: {t['soft']}; }}
.cover .panel .dot {{ position: absolute; border-radius: 50%; background: {t['accent']}; }}
.cover .date {{ bottom: 18mm; font: bold 10pt {t['head']}; color: {t['dark']}; }}
.toc .ttl {{ font: 900 24pt {t['head']}; color: {t['dark']}; margin-bottom: 12mm; }}
.toc .e.l1 {{ font-weight: normal; font-size: 11pt; margin: 0 0 7pt 0; padding-bottom: 6pt; border-bottom: .5pt solid #ddd; }}
.toc .e .dots {{ border-bottom: none; }}
.toc .e .n:empty {{ display: none; }}
.toc .e .p {{ color: {t['accent']}; font-weight: bold; }}
.colofon {{ font: 8.5pt/1.6 {t['head']}; }}
.colofon .ttl {{ color: {t['dark']}; letter-spacing: .1em; }}
hr.pair {{ width: 36mm; margin: 18pt 0 12pt 0; border: none; border-top: 2.5pt solid {t['accent']}; }}
p.runin strong {{ font-family: {t['head']}; }}
ul.runin {{ margin: -.35em 0 .9em 0; padding-left: 6mm; }}
ul.runin li {{ margin-bottom: .45em; padding-left: 1mm; }}
ul.short {{ margin: 0 0 .9em 0; padding-left: 6mm; }}
ul.short li {{ margin-bottom: .25em; }}
ul.runin li::marker, ul.short li::marker {{ color: {t['accent']}; }}
.letterplain {{ border-top: .6pt solid #bbb; border-bottom: .6pt solid #bbb; padding: 8mm 0 6mm 0; margin: 10pt 0 14pt 0; }}
.letterplain .lh {{ font: 900 15pt {t['head']}; color: {t['dark']}; text-align: right; margin-bottom: 1mm; }}
.letterplain .lha {{ font: 7.5pt/1.4 {t['head']}; color: #777; text-align: right; margin-bottom: 8mm; }}
.letterplain .adr {{ margin-bottom: 6mm; line-height: 1.45; }}
.letterplain .meta {{ font-size: 8.5pt; color: #555; margin-bottom: 7mm; line-height: 1.5; }}
.letterplain .sig {{ margin-top: 6mm; break-inside: avoid; }}
.letterplain .sig p {{ margin: 0 0 1pt 0; }}
"""


class _Builder:
    def __init__(self, spec: dict[str, Any], toc_pages: list[int] | None, scan_dir: Path):
        self.spec = spec
        self.items = spec_module.items_by_id(spec)
        self.toc_pages = toc_pages
        self.scan_dir = scan_dir
        self.out: list[str] = []
        self.notes: list[str] = []
        self.note_no = 0
        self.in_cols = False
        self.in_front = False
        self.scans = 0
        self.runin_label = ""

    # ----- helpers
    def emit(self, s: str) -> None:
        self.out.append(s)

    def flush_notes(self) -> None:
        if not self.notes:
            return
        close = self.in_cols
        if close:
            self.emit("</div>")
        start = self.note_no - len(self.notes) + 1
        self.emit(f'<div class="notes"><div class="nt">Noten</div><ol start="{start}">'
                  + "".join(f"<li>{_esc(n)}</li>" for n in self.notes) + "</ol></div>")
        if close:
            self.emit('<div class="cols">')
        self.notes = []

    def headings(self) -> list[dict[str, Any]]:
        depth = int(self.spec.get("toc_depth", 2))
        return [b for b in self.spec["blocks"] if b["kind"] == "heading" and b.get("level", 1) <= depth]

    def item_body(self, item: dict[str, Any], bold_lead: bool = True) -> str:
        lead, text = item.get("lead", ""), item.get("text", "")
        lead_html = f"<strong>{_shy(lead)}</strong>" if bold_lead and lead else _shy(lead)
        return (lead_html + (" " + _shy(text) if text else "")).strip()

    # ----- item styles
    def render_items(self, kind: str, style: str, items: list[dict[str, Any]], columns: list[str] | None,
                     short: bool = False, show_number: bool = False, layout: str = "",
                     rule_title: str = "") -> None:
        def body(item: dict[str, Any], bold: bool = False) -> str:
            if short:
                return f"<strong>{_shy(item.get('lead', ''))}</strong>" if bold else _shy(item.get("lead", ""))
            return self.item_body(item, bold_lead=bold)

        if layout == "runin":  # (h20a) "Conclusie: …" run in; two or more items as bullets under the label
            label = f"<strong>{_esc(self.runin_label)}</strong>"
            if len(items) == 1:
                self.emit(f'<p class="runin">{label} {body(items[0])}</p>')
            else:
                self.emit(f'<p class="runin">{label}</p><ul class="runin">'
                          + "".join(f"<li>{body(item)}</li>" for item in items) + "</ul>")
            return
        if layout == "bullets":  # (h12c) a bulleted list, bold leads, no numbers
            self.emit('<ul class="bul">' + "".join(f"<li>{body(item, bold=True)}</li>" for item in items) + "</ul>")
            return
        if layout == "rule":  # (h12c) under a small heading beside a coloured left rule, no numbers
            self.emit(f'<div class="rule"><div class="rh">{_esc(rule_title or "Aanbeveling")}</div>'
                      + "".join(f"<p>{body(item, bold=True)}</p>" for item in items) + "</div>")
            return
        if style == "numbered":
            self.emit('<ol class="items">')
            for item in items:
                self.emit(f'<li value="{_esc(str(item.get("number", "")))}">{body(item)}</li>')
            self.emit("</ol>")
        elif style == "number_own_line":
            for item in items:
                self.emit(f'<div class="nol"><div class="no">{_esc(str(item.get("number", "")))}.</div>'
                          f"<p>{body(item)}</p></div>")
        elif style == "bold_lead":
            for item in items:
                num = f"<strong>{_esc(str(item.get('number', '')))}. </strong>" if show_number else ""
                self.emit(f'<p class="bl">{num}{body(item, bold=True)}</p>')
        elif style == "label":
            for item in items:
                label = LABELS.get(item.get("type", kind), "Aanbeveling")
                self.emit(f'<p class="lab"><strong class="lbl">{label} {_esc(str(item.get("number", "")))}:</strong> '
                          f"{body(item)}</p>")
        elif style == "table":
            cols = columns or ["Nr.", LABELS.get(kind, "Aanbeveling")]
            self.emit("<table><thead><tr>" + "".join(f"<th>{_esc(c)}</th>" for c in cols) + "</tr></thead><tbody>")
            for item in items:
                cells = []
                for col in cols:
                    low = col.lower().rstrip(".")
                    if low in ("nr", "nummer", "#"):
                        cells.append(f'<td class="nr">{_esc(str(item.get("number", "")))}</td>')
                    elif "gericht" in low or low == "aan":
                        cells.append(f'<td class="aan">{_esc(ADDRESSEE.get(item.get("addressee"), str(item.get("addressee"))))}</td>')
                    else:
                        cells.append(f"<td>{body(item)}</td>")
                self.emit("<tr>" + "".join(cells) + "</tr>")
            self.emit("</tbody></table>")
        elif style == "boxes":
            for item in items:
                label = LABELS.get(item.get("type", kind), "Aanbeveling").upper()
                self.emit(f'<div class="box"><div class="bh">{label} {_esc(str(item.get("number", "")))}</div>'
                          f"<p>{body(item, bold=True)}</p></div>")
        else:
            raise ValueError(f"unknown item style {style!r}")

    # ----- blocks
    def build(self) -> str:
        spec = self.spec
        blocks = spec["blocks"]
        heading_no = 0
        consumed: set[int] = set()
        for block in blocks:
            kind = block["kind"]
            front_kind = kind in ("cover", "colofon", "toc")
            if self.in_front and not front_kind:
                self.emit("</div>")
                self.in_front = False
            if kind == "cover" and _theme(spec).get("web"):
                self.web_cover(block)
            elif kind == "cover":
                lines = block.get("lines", [])
                org, title = (lines + ["", ""])[:2]
                sub = lines[2] if len(lines) > 2 else ""
                rest = lines[3:]
                date = rest[-1] if rest else ""
                more = rest[:-1]
                self.emit('<div class="cover"><div class="band">'
                          f'<div class="org">{_esc(org)}</div><div class="title">{_esc(title)}</div></div>'
                          + (f'<div class="sub">{_esc(sub)}</div>' if sub else "")
                          + "".join(f'<div class="more">{_esc(m)}</div>' for m in more)
                          + f'<div class="date">{_esc(date)}</div></div>')
            elif kind == "colofon":
                if not self.in_front:
                    self.emit('<div class="front">')
                    self.in_front = True
                lines = block.get("lines", [])
                self.emit('<div class="colofon"><div class="ttl">Colofon</div>'
                          + "".join(f"<div>{_esc(line)}</div>" for line in lines) + "</div>")
            elif kind == "toc":
                if not self.in_front:
                    self.emit('<div class="front">')
                    self.in_front = True
                entries = []
                for n, h in enumerate(self.headings()):
                    page = self.toc_pages[n] if self.toc_pages and n < len(self.toc_pages) else 88
                    lvl = h.get("level", 1)
                    entries.append(f'<div class="e l{lvl}"><span class="n">{_esc(str(h.get("number", "")))}</span>'
                                   f'<span class="t">{_esc(h["text"])}</span><span class="dots"></span>'
                                   f'<span class="p">{page}</span></div>')
                self.emit('<div class="toc"><div class="ttl">Inhoud</div>' + "".join(entries) + "</div>")
            elif kind == "heading":
                level = int(block.get("level", 1))
                if level == 1:
                    self.flush_notes()
                number = str(block.get("number", ""))
                num = f'<span class="num">{_esc(number)}</span>' if number else ""
                tag = f"h{min(level, 3)}"
                pre = block.get("accent_prefix")
                if pre and block["text"].startswith(pre):  # (h20a)
                    num += f'<span class="pre">{_esc(pre)}</span>'
                    block = {**block, "text": block["text"][len(pre):]}
                if level == 1 and self.in_cols:
                    self.emit("</div>")
                    self.emit(f"<{tag}>{num}{_esc(block['text'])}</{tag}>")
                    self.emit('<div class="cols">')
                else:
                    self.emit(f"<{tag}>{num}{_esc(block['text'])}</{tag}>")
                heading_no += 1
            elif kind == "para":
                note = ""
                if block.get("footnote"):
                    self.note_no += 1
                    self.notes.append(block["footnote"])
                    note = f'<sup class="fn">{self.note_no}</sup>'
                self.emit(f"<p>{_shy(block['text'])}{note}</p>")
            elif kind == "quote":
                self.emit(f"<blockquote>{_shy(block['text'])}</blockquote>")
            elif kind == "items" and id(block) in consumed:
                continue
            elif kind == "items" and block.get("pair") == "next":
                at = next(n for n, b in enumerate(blocks) if b is block)
                partner = next(b for b in blocks[at + 1:] if b["kind"] == "items")
                consumed.add(id(partner))
                self.run_in(block, partner)
            elif kind == "items":
                items = [{**i, "type": block["type"]} for i in block["items"]]
                if block.get("rule_before"):  # (h20a)
                    self.emit('<hr class="pair">')
                self.runin_label = block.get("runin_label", "")
                self.render_items(block["type"], block["style"], items, block.get("columns"),
                                  show_number=bool(block.get("show_number")), layout=block.get("layout", ""),
                                  rule_title=block.get("rule_title", ""))
            elif kind == "repeat" and block.get("texts"):  # (h20a) shortened forms as bullets
                self.emit('<ul class="short">' + "".join(f"<li>{_shy(block['texts'][r])}</li>" for r in block["refs"])
                          + "</ul>")
            elif kind == "repeat":
                items = [self.items[r] for r in block["refs"]]
                self.render_items(items[0]["type"] if items else "aanbeveling", block["style"], items,
                                  block.get("columns"), short=bool(block.get("short")),
                                  show_number=bool(block.get("show_number")))
            elif kind == "norm":
                findings = "".join(f"<p>{_shy(f)}</p>" for f in block.get("findings", []))
                verdict = block.get("verdict", "")
                self.emit(f'<div class="norm"><div class="nh"><span class="nn">NORM {_esc(str(block.get("number", "")))}</span>'
                          f'{_esc(block.get("text", ""))}</div><div class="nb">{findings}'
                          + (f'<p class="verdict">{_esc(verdict)}</p>' if verdict else "") + "</div></div>")
            elif kind == "findings":
                for item in block["items"]:
                    self.emit(f"<p>{_shy(item['text'])}</p>")
            elif kind == "reaction_letter":
                self.reaction_letter(block)
            elif kind == "reaction_table":
                self.reaction_table(block)
            elif kind == "columns":
                count = int(block.get("count", 1))
                if count > 1 and not self.in_cols:
                    self.emit(f'<div class="cols" style="column-count:{count}">')
                    self.in_cols = True
                elif count == 1 and self.in_cols:
                    self.emit("</div>")
                    self.in_cols = False
            elif kind == "page_break":
                self.flush_notes()
                if self.in_cols:
                    self.emit('</div><div class="pb"></div><div class="cols">')
                else:
                    self.emit('<div class="pb"></div>')
        if self.in_front:
            self.emit("</div>")
        self.flush_notes()
        if self.in_cols:
            self.emit("</div>")
        return "\n".join(self.out)

    def web_cover(self, block: dict[str, Any]) -> None:
        """(h20a) A white cover: accent bar, rekenkamer, title, subtitle, a tinted panel with dots, the date."""
        lines = block.get("lines", [])
        org, title = (lines + ["", ""])[:2]
        sub = lines[2] if len(lines) > 2 else ""
        date = lines[-1] if len(lines) > 3 else ""
        dots = "".join(f'<div class="dot" style="left:{x}mm;top:{y}mm;width:{d}mm;height:{d}mm;opacity:{o}"></div>'
                       for x, y, d, o in ((128, 14, 46, 1), (112, 48, 22, .55), (166, 58, 14, .3), (150, 8, 8, .4)))
        self.emit('<div class="cover"><div class="bar"></div><div class="band">'
                  f'<div class="org">{_esc(org)}</div><div class="title">{_esc(title)}</div></div>'
                  + (f'<div class="sub">{_esc(sub)}</div>' if sub else "")
                  + f'<div class="panel">{dots}</div><div class="date">{_esc(date)}</div></div>')

    def run_in(self, block: dict[str, Any], partner: dict[str, Any]) -> None:
        """One paragraph per conclusion, its aanbevelingen run in as "(a) …; (b) …"."""
        for c in block["items"]:
            recs = [r for r in partner["items"] if r.get("conclusie") == c["id"]]
            num = (f'<span class="cn">{_esc(str(c.get("number", "")))}</span>'
                   if block.get("show_number") else "")
            parts = [num + self.item_body(c, bold_lead=True)]
            if recs:
                parts.append(_shy(c.get("recs_intro", "Wij bevelen aan:")))
                runs = []
                for k, r in enumerate(recs):
                    body = self.item_body(r, bold_lead=False)
                    end = "." if k == len(recs) - 1 else ";"
                    runs.append(f"({_esc(str(r.get('number', '')))}) {body}{end}")
                parts.append(" ".join(runs))
            self.emit(f'<p class="cr">{" ".join(parts)}</p>')

    def reaction_letter(self, block: dict[str, Any]) -> None:
        paragraphs = block.get("paragraphs", [])
        signature = block.get("signature", [])
        letterhead = block.get("letterhead") or f"Gemeente {self.spec['meta'].get('gemeente', '').split(',')[0]}"
        if block.get("scanned"):
            pages = scan.letter_pages(paragraphs, signature, letterhead=letterhead, seed=int(block.get("seed", 7)))
            reopen = self.in_cols
            if reopen:
                self.emit("</div>")
            for png in pages:
                self.scans += 1
                name = f"scan{self.scans}.png"
                (self.scan_dir / name).write_bytes(png)
                self.emit(f'<div class="scanpage"><img src="{name}" alt=""></div>')
            if reopen:
                self.emit('<div class="cols">')
            return
        if block.get("layout") == "plain":  # (h20a)
            self.emit(f'<div class="letterplain"><div class="lh">{_esc(letterhead)}</div>'
                      + '<div class="lha">' + "<br>".join(_esc(x) for x in block.get("letterhead_lines", [])) + "</div>"
                      + '<div class="adr">' + "<br>".join(_esc(x) for x in block.get("address", [])) + "</div>"
                      + '<div class="meta">' + "<br>".join(_esc(x) for x in block.get("meta", [])) + "</div>"
                      + "".join(f"<p>{_shy(p)}</p>" for p in paragraphs)
                      + '<div class="sig">' + "".join(f"<p>{_esc(x)}</p>" for x in signature) + "</div></div>")
            return
        self.emit(f'<div class="letter"><div class="lh">{_esc(letterhead)}</div>'
                  + "".join(f"<p>{_esc(p)}</p>" for p in paragraphs)
                  + '<div class="sig">' + "".join(f"<p>{_esc(s)}</p>" for s in signature) + "</div></div>")

    def reaction_table(self, block: dict[str, Any]) -> None:
        cols = block.get("columns") or ["Aanbeveling", "Reactie college"]
        colgroup = ("<colgroup>" + "".join(f'<col style="width:{w}%">' for w in block["widths"]) + "</colgroup>"
                    if block.get("widths") else "")
        self.emit(f'<table class="rt">{colgroup}<thead><tr>' + "".join(f"<th>{_esc(c)}</th>" for c in cols)
                  + "</tr></thead><tbody>")
        for row in block.get("rows", []):
            item = self.items.get(row.get("ref"), {})
            if block.get("quote") == "full":  # (h12c) the recommendation quoted whole, no number
                text = " ".join(x for x in (item.get("lead", ""), item.get("text", "")) if x)
                cells = [f'<td class="quote">„{_shy(text)}”</td>', f"<td>{_shy(row.get('reaction', ''))}</td>"]
                if len(cols) > 2:
                    cells.append(f"<td>{_shy(row.get('nawoord', ''))}</td>")
                self.emit("<tr>" + "".join(cells) + "</tr>")
                continue
            cells = [f'<td class="ref">Aanbeveling {_esc(str(item.get("number", "")))}<br>'
                     f'<span style="font-weight:normal">{_shy(item.get("lead", ""))}</span></td>',
                     f"<td>{_shy(row.get('reaction', ''))}</td>"]
            if len(cols) > 2:
                cells.append(f"<td>{_shy(row.get('nawoord', ''))}</td>")
            self.emit("<tr>" + "".join(cells) + "</tr>")
        self.emit("</tbody></table>")


def _html(spec: dict[str, Any], toc_pages: list[int] | None, scan_dir: Path) -> str:
    theme = _theme(spec)
    body = _Builder(spec, toc_pages, scan_dir).build()
    title = _esc(spec["meta"]["title"]) if spec.get("pdf_info") else ""
    head_title = f"<title>{title}</title>" if title else ""
    return (f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">{head_title}'
            f'<meta name="author" content="{_esc(spec["meta"].get("rekenkamer", ""))}">'
            f"<style>{_css(spec, theme)}</style></head><body>\n{body}\n</body></html>\n")


def _print(html_path: Path, pdf_path: Path, outline: bool, profile: Path) -> None:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
           f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}"]
    if outline:
        cmd.append("--generate-pdf-document-outline")
    cmd.append(html_path.as_uri())
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no PDF for {html_path}")


def _heading_pages(pdf_path: Path, headings: list[dict[str, Any]]) -> list[int]:
    """Pages of the h1/h2 headings, read from the outline Chromium wrote in the first pass."""
    import pypdfium2 as pdfium

    def squash(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "", text.lower())

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        marks = []
        for bookmark in pdf.get_toc(max_depth=6):
            dest = bookmark.get_dest()
            marks.append((squash(bookmark.get_title()), (dest.get_index() if dest else 0) + 1))
    finally:
        pdf.close()
    pages, at = [], 0
    for h in headings:
        want = squash(f"{h.get('number', '')} {h['text']}")
        for k in range(at, len(marks)):
            if marks[k][0] == want or marks[k][0].endswith(squash(h["text"])):
                pages.append(marks[k][1])
                at = k + 1
                break
        else:
            pages.append(0)
    return pages


def _pdf_string(text: str) -> bytes:
    try:
        text.encode("ascii")
        return b"(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii") + b")"
    except UnicodeEncodeError:
        return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _document_properties(pdf_path: Path, spec: dict[str, Any]) -> None:
    """Fix Chromium's clock dates in place; write Title/Author (or blank them) as an incremental update."""
    data = pdf_path.read_bytes()
    year = int(spec["meta"].get("year") or 2020)
    stamp = f"D:{year:04d}1102103000+00'00'".encode()
    data = re.sub(rb"D:\d{14}[+\-Z]\d\d'\d\d'", stamp, data)
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
    info_num = int(re.findall(rb"/Info (\d+) 0 R", data)[-1])
    m = re.search(rb"/Creator (\((?:[^()\\]|\\.)*\))", data)
    creator = m.group(1) if m else b"(Chromium)"
    if spec.get("pdf_info"):
        title, author = spec["meta"]["title"], spec["meta"].get("rekenkamer", "")
    else:
        title, author = "", ""
    if not data.endswith(b"\n"):
        data += b"\n"
    offset = len(data)
    obj = (f"{info_num} 0 obj\n".encode() + b"<</Title " + _pdf_string(title) + b"\n/Author " + _pdf_string(author)
           + b"\n/Creator " + creator + b"\n/Producer (Skia/PDF m156)\n/CreationDate (" + stamp + b")\n/ModDate ("
           + stamp + b")>>\nendobj\n")
    xref_at = offset + len(obj)
    tail = (b"xref\n" + f"{info_num} 1\n{offset:010d} 00000 n \n".encode() + b"trailer\n"
            + f"<</Size {size}\n/Root ".encode() + root + f"\n/Info {info_num} 0 R\n/Prev {startxref}>>\n".encode()
            + f"startxref\n{xref_at}\n%%EOF\n".encode())
    pdf_path.write_bytes(data + obj + tail)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="ch_render_") as tmp:
        tmpdir = Path(tmp)
        html_path = tmpdir / "rapport.html"
        profile = tmpdir / "profile"
        first = tmpdir / "pass1.pdf"
        html_path.write_text(_html(spec, None, tmpdir), encoding="utf-8")
        _print(html_path, first, True, profile)
        toc_pages = _heading_pages(first, _Builder(spec, None, tmpdir).headings())
        html_path.write_text(_html(spec, toc_pages, tmpdir), encoding="utf-8")
        final = tmpdir / "final.pdf"
        _print(html_path, final, bool(spec.get("outline")), profile)
        _document_properties(final, spec)
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(final, out_pdf)
