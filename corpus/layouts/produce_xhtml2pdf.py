"""Render a layout-corpus spec with xhtml2pdf (pisa): HTML + its own CSS subset → reportlab's canvas → PDF.

xhtml2pdf lays HTML out with reportlab's platypus flowables, but through its own CSS 2 subset and its own page
model: `@page name { @frame … }` templates with fixed frames, static frames (`-pdf-frame-content`) for the running
header and the page number (`<pdf:pagenumber/>`), `<pdf:nexttemplate>` / `<pdf:nextpage>` to switch templates.
What the renderer uses, found by trying (xhtml2pdf 0.2.28, reportlab 4):
  * a `cover` template (no header or footer), a `body` template (running header with a rule, page number at the
    foot), a `twocol` template with two frames side by side (two-column text is frame flow: the left frame fills,
    then the right one, then the next page; switching always starts a new page) and a `scan` template without
    margins for a scanned letter (full-page PNGs from `scan.letter_pages`, no text layer);
  * `<pdf:toc/>` for the inhoudsopgave (xhtml2pdf lays the document out twice itself; physical page numbers);
  * `-pdf-outline` on h1/h2 decides the outline (bookmarks), `<title>`/`<meta name=author>` the info dictionary;
  * fonts: only `@font-face` files inside the document's folder are read (a resource policy), so the TrueType
    files are copied into the work folder; anything else falls back to the base fonts (Helvetica, Times-Roman —
    not embedded, WinAnsi);
  * tables with `repeat="1"` header rows, background colours and borders (boxes, norm heads, the kader, the
    paired Conclusie | Aanbeveling table); no floats, so a kader beside running text is a two-cell table;
  * no footnotes: notes are chapter endnotes under "Noten".
reportlab's `rl_config.invariant` fixes the /ID and the dates (2000-01-01), which are then set to the report's date
in place (same length), so re-rendering gives the same bytes.

Optional spec keys this renderer reads (ignored by spec.py unless noted):
  house: {font: Helvetica|Times-Roman|"DejaVu Sans"|"DejaVu Serif"|"Liberation Sans"|"Liberation Serif",
          head_font, color, light, size, align: left|justify, table_rules: bool, date: "YYYY-MM-DD"}
  cover.logo                   a wordmark ("gemeente Zandvoort") printed top right on the cover
  items.columns / .widths      a table's header row and column widths (percent); a column whose lower-case name is
                               not nr/gericht aan/the item type takes the item's value of that key (e.g. an
                               aanbeveling table with a "Conclusie" column reads `conclusie: "1 en 2"` from each item)
  kader {text, source, wrap}   (spec.py knows it; never an item) a quote in a shaded box beside the next `wrap`
                               para blocks, which are set in the left cell of a two-cell table
"""
from __future__ import annotations

import html
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

import scan  # noqa: E402
import spec as spec_module  # noqa: E402

FONT_FILES = {
    "DejaVu Sans": ("/usr/share/fonts/truetype/dejavu/DejaVuSans{}.ttf", ("", "-Bold", "-Oblique", "-BoldOblique")),
    "DejaVu Serif": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif{}.ttf", ("", "-Bold", "-Italic", "-BoldItalic")),
    "Liberation Sans": ("/usr/share/fonts/truetype/liberation/LiberationSans-{}.ttf",
                        ("Regular", "Bold", "Italic", "BoldItalic")),
    "Liberation Serif": ("/usr/share/fonts/truetype/liberation/LiberationSerif-{}.ttf",
                         ("Regular", "Bold", "Italic", "BoldItalic")),
}
LABELS = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}
ADDRESSEE = {"college": "College van B&W", "raad": "Gemeenteraad", None: "", "": ""}


def esc(text: Any) -> str:
    return html.escape(str(text or ""), quote=True)


def house(spec: dict[str, Any]) -> dict[str, Any]:
    h = {"font": "Helvetica", "head_font": None, "color": "1F4E79", "light": "E8EEF5", "size": 10, "align": "left",
         "table_rules": True}
    h.update(spec.get("house") or {})
    h["head_font"] = h["head_font"] or h["font"]
    return h


class Builder:
    def __init__(self, spec: dict[str, Any], work: Path, toc_pages: list[int] | None = None):
        self.toc_pages = toc_pages
        self.spec = spec
        self.meta = spec["meta"]
        self.h = house(spec)
        self.work = work
        self.items = spec_module.items_by_id(spec)
        self.out: list[str] = []
        self.notes: list[str] = []
        self.note_no = 0
        self.columns = 1
        self.scans = 0
        self.template = "cover"

    # ------------------------------------------------------------------ fonts and CSS
    def family(self, name: str) -> str:
        if name not in FONT_FILES:
            return name  # a base font
        return name.lower().replace(" ", "")

    def font_faces(self) -> str:
        out = []
        for name in dict.fromkeys([self.h["font"], self.h["head_font"]]):
            if name not in FONT_FILES:
                continue
            pattern, suffixes = FONT_FILES[name]
            fam = self.family(name)
            for (weight, style), suffix in zip((("normal", "normal"), ("bold", "normal"), ("normal", "italic"),
                                                ("bold", "italic")), suffixes):
                src = Path(pattern.format(suffix))
                local = self.work / src.name
                if not local.exists():
                    shutil.copyfile(src, local)
                out.append(f"@font-face {{ font-family: {fam}; font-weight: {weight}; font-style: {style}; "
                           f"src: url({src.name}); }}")
        return "\n".join(out)

    def css(self) -> str:
        h = self.h
        c, light, size = f"#{h['color']}", f"#{h['light']}", float(h["size"])
        body, head = self.family(h["font"]), self.family(h["head_font"])
        outline = "true" if self.spec.get("outline") else "false"
        rules = "0.5pt solid #808080" if h.get("table_rules", True) else "none"
        frames_hf = ("@frame header { -pdf-frame-content: runhead; left: 2.4cm; width: 16.2cm; top: 1.1cm; height: 1.1cm; }\n"
                     "  @frame footer { -pdf-frame-content: runfoot; left: 2.4cm; width: 16.2cm; bottom: 0.9cm; height: 1cm; }")
        return f"""{self.font_faces()}
@page {{ size: a4 portrait; margin: 2.2cm 2.4cm 2.2cm 2.4cm; }}
@page main {{ size: a4 portrait; margin: 2.6cm 2.4cm 2.4cm 2.4cm;
  {frames_hf} }}
@page twocol {{ size: a4 portrait;
  @frame left {{ left: 2.4cm; width: 7.75cm; top: 2.6cm; height: 24.7cm; }}
  @frame right {{ left: 10.85cm; width: 7.75cm; top: 2.6cm; height: 24.7cm; }}
  {frames_hf} }}
@page scan {{ size: a4 portrait; margin: 0; }}
body {{ font-family: {body}; font-size: {size:g}pt; line-height: 1.35; text-align: {h['align']}; color: #1a1a1a; }}
p {{ margin: 0 0 {size * 0.55:.1f}pt 0; }}
h1 {{ font-family: {head}; font-size: {size + 7:g}pt; color: {c}; margin: 0 0 9pt 0; padding-bottom: 3pt;
      border-bottom: 1.2pt solid {c}; -pdf-outline: {outline}; -pdf-outline-level: 0; -pdf-keep-with-next: true; }}
h2 {{ font-family: {head}; font-size: {size + 2.5:g}pt; color: {c}; margin: 10pt 0 5pt 0;
      -pdf-outline: {outline}; -pdf-outline-level: 1; -pdf-keep-with-next: true; }}
h3 {{ font-family: {head}; font-size: {size + 0.5:g}pt; margin: 8pt 0 3pt 0; -pdf-outline: false; -pdf-keep-with-next: true; }}
.runhead {{ font-size: {size - 2:g}pt; color: #555555; border-bottom: 0.5pt solid {c}; padding-bottom: 2pt; }}
.runfoot {{ font-size: {size - 1.5:g}pt; color: #555555; text-align: right; }}
.coverrk {{ font-family: {head}; font-size: 13pt; color: {c}; font-weight: bold; }}
.logo {{ font-family: {head}; font-size: 11pt; color: #333333; text-align: right; font-weight: bold; letter-spacing: 1pt; }}
.covertitle {{ font-family: {head}; font-size: 30pt; line-height: 1.15; color: #ffffff; font-weight: bold; }}
.coversub {{ font-family: {head}; font-size: 13pt; color: #ffffff; }}
.coverdate {{ font-size: 11pt; color: #333333; }}
.colofon {{ font-size: {size - 1:g}pt; color: #333333; margin: 0; }}
.quote {{ font-style: italic; margin: 4pt 1.2cm 10pt 1.2cm; padding: 5pt 8pt; border-left: 2pt solid {c}; }}
.quotesrc {{ font-size: {size - 1.5:g}pt; font-style: normal; color: #555555; }}
table.items {{ border: {rules}; margin: 2pt 0 10pt 0; }}
table.items td, table.items th {{ border: {rules}; padding: 4pt 5pt 2pt 5pt; vertical-align: top; text-align: left; }}
table.items th {{ background-color: {c}; color: #ffffff; font-family: {head}; font-weight: bold; }}
table.box {{ border: 0.8pt solid {c}; margin: 4pt 0 10pt 0; }}
table.box td {{ padding: 4pt 7pt 3pt 7pt; }}
td.boxhead {{ background-color: {c}; color: #ffffff; font-family: {head}; font-weight: bold; font-size: {size - 1:g}pt; }}
td.boxbody {{ background-color: {light}; text-align: left; }}
table.norm {{ margin: 6pt 0 6pt 0; }}
td.normhead {{ background-color: {light}; border-left: 3pt solid {c}; padding: 5pt 7pt 3pt 7pt; font-family: {head};
               font-weight: bold; color: {c}; }}
td.kadertext {{ padding: 0 9pt 0 0; vertical-align: top; }}
td.kader {{ background-color: {light}; padding: 7pt 8pt 5pt 8pt; vertical-align: top; font-family: {head};
           font-size: {size + 0.5:g}pt; color: {c}; font-style: italic; border-top: 2pt solid {c}; }}
.num {{ font-family: {head}; font-weight: bold; color: {c}; font-size: {size + 2:g}pt; margin: 6pt 0 1pt 0;
        -pdf-keep-with-next: true; }}
.indent {{ margin-left: 0.9cm; }}
.hang {{ margin-left: 0.9cm; text-indent: -0.9cm; }}
.letterhead {{ font-family: {head}; font-size: 15pt; font-weight: bold; color: {c}; margin-bottom: 2pt; }}
.letter {{ margin-left: 0.6cm; margin-right: 0.6cm; }}
.addr {{ font-size: {size - 1:g}pt; margin: 0; }}
.notes {{ font-size: {size - 1.5:g}pt; margin: 0 0 3pt 0; }}
.noteshead {{ font-family: {head}; font-weight: bold; font-size: {size - 0.5:g}pt; margin-top: 10pt;
              border-top: 0.5pt solid #808080; padding-top: 3pt; }}
.toc {{ font-size: {size:g}pt; }}
pdftoc.pdftoclevel0 {{ font-weight: bold; margin-top: 4pt; }}
pdftoc.pdftoclevel1 {{ margin-left: 1cm; }}
"""

    # ------------------------------------------------------------------ helpers
    def emit(self, text: str) -> None:
        self.out.append(text)

    def switch(self, template: str, new_page: bool = True) -> None:
        self.emit(f'<pdf:nexttemplate name="{template}"/>')
        if new_page:
            self.emit("<pdf:nextpage/>")
        self.template = template

    def note(self, text: str) -> str:
        self.note_no += 1
        self.notes.append(f'<p class="notes">{self.note_no}. {esc(text)}</p>')
        return f"<sup>{self.note_no}</sup>"

    def flush_notes(self) -> None:
        if self.notes:
            self.emit('<p class="noteshead">Noten</p>' + "".join(self.notes))
            self.notes = []

    def p(self, text: str, cls: str = "", style: str = "") -> str:
        attrs = (f' class="{cls}"' if cls else "") + (f' style="{style}"' if style else "")
        return f"<p{attrs}>{text}</p>"

    # ------------------------------------------------------------------ blocks
    def b_cover(self, block: dict[str, Any]) -> None:
        lines = block.get("lines", [])
        c = f"#{self.h['color']}"
        logo = block.get("logo")
        if logo:
            self.emit(self.p(esc(logo), "logo"))
        self.emit('<div style="height: 3.2cm"></div>')
        self.emit(self.p(esc(lines[0]), "coverrk"))
        rest = lines[1:]
        title, subs, date = rest[0] if rest else "", rest[1:-1], rest[-1] if len(rest) > 1 else ""
        band = (f'<table style="background-color: {c}" width="100%"><tr><td style="padding: 16pt 14pt 14pt 14pt">'
                + self.p(esc(title), "covertitle")
                + "".join(self.p(esc(s), "coversub") for s in subs) + "</td></tr></table>")
        self.emit(band)
        self.emit('<div style="height: 1cm"></div>' + self.p(esc(date), "coverdate"))

    def b_colofon(self, block: dict[str, Any]) -> None:
        self.emit("<pdf:nextpage/>")
        self.emit('<div style="height: 15.5cm"></div>')
        self.emit(self.p("<b>Colofon</b>", "colofon", "margin-bottom: 4pt"))
        for line in block.get("lines", []):
            self.emit(self.p(esc(line) if line else "&nbsp;", "colofon"))

    def b_toc(self, block: dict[str, Any]) -> None:
        # xhtml2pdf's own <pdf:toc/> lists only headings that go into the outline, so the inhoudsopgave is a
        # table whose page numbers come from a first rendering (see `render`)
        self.switch("main")
        heads = [b for b in self.spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]
        pages = self.toc_pages or [0] * len(heads)
        rows = []
        for b, page in zip(heads, pages):
            level = int(b.get("level", 1))
            number = esc(b.get("number", "") or "")
            style = "font-weight: bold; padding-top: 5pt" if level == 1 else "padding-left: 0.8cm"
            rows.append(f'<tr><td style="{style}">{number + "&nbsp;&nbsp;" if number else ""}{esc(b["text"])}</td>'
                        f'<td style="text-align: right; {style.split(";")[0] if level == 1 else ""}">{page or "00"}</td></tr>')
        self.emit(f'<p style="font-size: {float(self.h["size"]) + 7:g}pt; font-weight: bold; color: #{self.h["color"]}; '
                  f'margin-bottom: 10pt">Inhoudsopgave</p>'
                  f'<table class="toc" width="100%"><tr><td width="90%"></td><td width="10%"></td></tr>{"".join(rows)}</table>')

    def start_body(self) -> None:
        if self.template != "main":
            self.switch("main")
            self.fresh = True
        self.started = True

    def b_heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        number = str(block.get("number", "") or "")
        text = f"{esc(number)}&nbsp;&nbsp;{esc(block['text'])}" if number else esc(block["text"])
        if level == 1:
            self.flush_notes()
            if self.fresh:
                pass  # already at the top of a page (or of a two-column page just begun)
            elif not block.get("same_page") and not block.get("no_break"):
                if self.columns > 1:
                    self.switch("main")
                    self.columns = 1
                elif not self.fresh:
                    self.emit("<pdf:nextpage/>")
        self.emit(f"<h{min(level, 3)}>{text}</h{min(level, 3)}>")

    def para_html(self, block: dict[str, Any]) -> str:
        text = esc(block["text"])
        if block.get("footnote"):
            text += self.note(block["footnote"])
        if block.get("italic"):
            text = f"<i>{text}</i>"
        return self.p(text)

    def b_para(self, block: dict[str, Any]) -> None:
        if block.get("bullets"):
            self.emit(self.para_html(block))
            self.emit("<ul>" + "".join(f"<li>{esc(b)}</li>" for b in block["bullets"]) + "</ul>")
            return
        self.emit(self.para_html(block))

    def b_quote(self, block: dict[str, Any]) -> None:
        src = f'<br/><span class="quotesrc">{esc(block["source"])}</span>' if block.get("source") else ""
        self.emit(f'<p class="quote">‘{esc(block["text"])}’{src}</p>')

    def b_kader(self, block: dict[str, Any], beside: list[dict[str, Any]]) -> None:
        left = "".join(self.para_html(b) for b in beside)
        src = f'<br/><span class="quotesrc">— {esc(block["source"])}</span>' if block.get("source") else ""
        self.emit(f'<table width="100%" style="margin-bottom: 6pt"><tr><td class="kadertext" width="64%">{left}</td>'
                  f'<td class="kader" width="36%">“{esc(block["text"])}”{src}</td></tr></table>')

    def b_columns(self, block: dict[str, Any]) -> None:
        count = int(block.get("count", 1))
        if count > 1 and self.columns == 1:
            self.flush_notes()
            self.switch("twocol")
        elif count == 1 and self.columns > 1:
            self.switch("main")
        self.columns = count

    def b_page_break(self, block: dict[str, Any]) -> None:
        self.emit("<pdf:nextpage/>")

    # ------------------------------------------------------------------ items
    def _parts(self, item: dict[str, Any], short: bool) -> tuple[str, str]:
        lead, text = esc(item.get("lead", "")), esc(item.get("text", ""))
        if short:
            return (lead or text), ""
        return lead, text

    def render_items(self, block: dict[str, Any], items: list[dict[str, Any]], kind: str, short: bool) -> None:
        style = block["style"]
        label = block.get("label") or LABELS.get(kind, kind.capitalize())
        if style == "table":
            self.items_table(block, items, kind, short)
            return
        for n, item in enumerate(items, start=1):
            number = esc(item.get("number") or n)
            lead, text = self._parts(item, short)
            full = " ".join(x for x in (lead, text) if x)
            if style == "numbered":
                self.emit(self.p(f"<b>{number}.</b>&nbsp;&nbsp;&nbsp;{full}", "hang"))
            elif style == "number_own_line":
                self.emit(self.p(f"{number}.", "num") + self.p(full, "indent"))
            elif style == "bold_lead":
                prefix = f"{number}. " if block.get("show_number") else ""
                self.emit(self.p((f"<b>{prefix}{lead}</b>" if lead else prefix) + (f" {text}" if text else "")))
            elif style == "label":
                self.emit(self.p(f"<b>{esc(label)} {number}:</b> {full}"))
            elif style == "boxes":
                body = (f"<b>{lead}</b>" if lead else "") + (f" {text}" if text else "")
                self.emit(f'<table class="box" width="100%" repeat="0"><tr><td class="boxhead">{esc(label.upper())} '
                          f'{number}</td></tr><tr><td class="boxbody">{body}</td></tr></table>')

    def items_table(self, block, items, kind, short) -> None:
        default = {"aanbeveling": ["Nr.", "Aanbeveling", "Gericht aan"], "conclusie": ["Nr.", "Conclusie"]}
        columns = block.get("columns") or default.get(kind, ["Nr.", kind.capitalize()])
        widths = block.get("widths") or []
        keys = [c.lower().rstrip(".") for c in columns]
        head = "".join(f'<th{f" width={chr(34)}{widths[i]}%{chr(34)}" if i < len(widths) else ""}>{esc(c)}</th>'
                       for i, c in enumerate(columns))
        rows = []
        for n, item in enumerate(items, start=1):
            lead, text = self._parts(item, short)
            cells = []
            for key in keys:
                if key in ("nr", "nummer", "#"):
                    cells.append(f"<b>{esc(item.get('number') or n)}</b>")
                elif key == "gericht aan":
                    cells.append(esc(ADDRESSEE.get(item.get("addressee"), item.get("addressee") or "")))
                elif key in (kind, LABELS.get(kind, "").lower()):
                    cells.append((f"<b>{lead}</b>" if block.get("bold_lead_in_table") and lead else lead)
                                 + (" " + text if text else ""))
                else:
                    cells.append(esc(item.get(key, "")))
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        self.emit(f'<table class="items" width="100%" repeat="1"><tr>{head}</tr>{"".join(rows)}</table>')

    def b_items(self, block: dict[str, Any]) -> None:
        self.render_items(block, block["items"], block["type"], short=False)

    def b_repeat(self, block: dict[str, Any]) -> None:
        items = [self.items[r] for r in block["refs"]]
        self.render_items(block, items, items[0]["type"] if items else "aanbeveling", short=bool(block.get("short")))

    def b_norm(self, block: dict[str, Any]) -> None:
        label = f"Norm {esc(block['number'])}: " if block.get("number") else "Norm: "
        self.emit(f'<table class="norm" width="100%"><tr><td class="normhead">{label}{esc(block.get("text", ""))}'
                  f'</td></tr></table>')
        for para in block.get("findings", []):
            self.emit(self.p(esc(para)))
        if block.get("verdict"):
            self.emit(self.p(f"<b><i>{esc(block['verdict'])}</i></b>"))

    def b_findings(self, block: dict[str, Any]) -> None:
        for item in block["items"]:
            text = esc(item["text"]) + (self.note(item["footnote"]) if item.get("footnote") else "")
            self.emit(self.p(text))

    # ------------------------------------------------------------------ reactions
    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        letterhead = block.get("letterhead") or f"Gemeente {self.meta.get('gemeente', '').split(',')[0]}"
        if block.get("scanned"):
            pngs = scan.letter_pages([*(block.get("address") or []), *block.get("paragraphs", [])], block.get("signature"), letterhead=letterhead,
                                     seed=int(block.get("seed", 7)))
            self.switch("scan")
            for n, png in enumerate(pngs):
                self.scans += 1
                name = f"scan{self.scans}.png"
                (self.work / name).write_bytes(png)
                if n:
                    self.emit("<pdf:nextpage/>")
                self.emit(f'<img src="{name}" style="width: 20.95cm; height: 29.6cm"/>')
            self.switch("main")
            self.fresh = True
            return
        parts = [self.p(esc(letterhead), "letterhead")]
        if block.get("letterhead_sub"):
            parts.append(self.p(esc(block["letterhead_sub"]), "addr"))
        for line in block.get("address") or block.get("lines") or []:
            parts.append(self.p(esc(line), "addr"))
        parts.append('<div style="height: 8pt"></div>')
        for para in block.get("paragraphs", []):
            parts.append(self.p(esc(para)))
        for line in block.get("signature") or []:
            parts.append(self.p(esc(line), "addr"))
        self.emit('<div class="letter">' + "".join(parts) + "</div>")

    def b_reaction_table(self, block: dict[str, Any]) -> None:
        columns = block.get("columns") or ["Aanbeveling", "Reactie college"]
        widths = block.get("widths") or []
        head = "".join(f'<th{f" width={chr(34)}{widths[i]}%{chr(34)}" if i < len(widths) else ""}>{esc(c)}</th>'
                       for i, c in enumerate(columns))
        rows = []
        for row in block["rows"]:
            item = self.items.get(row.get("ref"), {})
            first = f"<b>{esc(item.get('number', ''))}.</b> {esc(item.get('lead', ''))}" if item else esc(row.get("label", ""))
            cells = [first, esc(row.get("reaction", ""))]
            if len(columns) > 2:
                cells.append(esc(row.get("nawoord", "")))
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        self.emit(f'<table class="items" width="100%" repeat="1"><tr>{head}</tr>{"".join(rows)}</table>')

    # ------------------------------------------------------------------ document
    def build(self) -> str:
        blocks = self.spec["blocks"]
        self.started = False
        self.fresh = True
        skip = 0
        for n, block in enumerate(blocks):
            if skip:
                skip -= 1
                continue
            kind = block["kind"]
            if kind not in ("cover", "colofon", "toc") and not self.started:
                self.start_body()
            if kind == "kader":
                wrap = int(block.get("wrap", 1))
                beside = blocks[n + 1: n + 1 + wrap]
                if any(b["kind"] != "para" for b in beside):
                    raise ValueError("kader: the blocks beside it must be para blocks")
                self.b_kader(block, beside)
                skip = wrap
                self.fresh = False
                continue
            fresh_before = self.fresh
            getattr(self, f"b_{kind}")(block)
            if kind not in ("cover", "colofon", "toc", "columns", "page_break") and not (kind == "reaction_letter" and block.get("scanned")):
                self.fresh = False
            elif kind in ("columns", "page_break"):
                self.fresh = True
            elif kind == "toc":
                self.fresh = False
            elif kind in ("cover", "colofon"):
                self.fresh = fresh_before
        self.flush_notes()
        rh = self.spec.get("running_header") or ""
        statics = (f'<div id="runhead" class="runhead">{esc(rh) if rh else "&nbsp;"}</div>'
                   f'<div id="runfoot" class="runfoot"><pdf:pagenumber/></div>')
        title = f"<title>{esc(self.meta['title'])}</title>" if self.spec.get("pdf_info", True) else ""
        author = (f'<meta name="author" content="{esc(self.meta["rekenkamer"])}"/>'
                  f'<meta name="subject" content="Rekenkameronderzoek jeugdhulp {esc(self.meta.get("gemeente", ""))}"/>'
                  if self.spec.get("pdf_info", True) else "")
        return (f'<html><head><meta charset="utf-8"/>{title}{author}<style>{self.css()}</style></head><body>'
                f"{statics}" + "\n".join(self.out) + "</body></html>")


def _heading_pages(pdf_path: Path, spec: dict[str, Any]) -> list[int]:
    """Physical page of each level-1/2 heading, found in order in the rendered text (the cover is page 1)."""
    import pypdfium2 as pdfium

    def squash(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "", text.lower())

    heads = [b for b in spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]
    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        texts = [squash(doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    finally:
        doc.close()
    start = next((i for i, t in enumerate(texts) if "inhoudsopgave" in t), 0) + 1
    pages, page, pos = [], start, 0
    for b in heads:
        want = squash(f"{b.get('number', '') or ''} {b['text']}")
        for k in range(page, len(texts)):
            at = texts[k].find(want, pos if k == page else 0)
            if at >= 0:
                pages.append(k + 1)
                page, pos = k, at + len(want)
                break
        else:
            pages.append(0)
    return pages


def _fix_dates(pdf: Path, spec: dict[str, Any]) -> None:
    when = str((spec.get("house") or {}).get("date") or f"{spec['meta'].get('year') or 2000}-06-30")
    stamp = ("D:" + when.replace("-", "") + "100000").encode()
    data = pdf.read_bytes()
    data = data.replace(b"D:20000101000000", stamp)
    pdf.write_bytes(data)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    from reportlab import rl_config

    rl_config.invariant = 1
    from xhtml2pdf import pisa

    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="xhtml2pdf_") as tmp:
        work = Path(tmp)
        pdf = work / "report.pdf"

        def run(toc_pages):
            source = Builder(spec, work, toc_pages).build()
            (work / "report.html").write_text(source, encoding="utf-8")
            with pdf.open("wb") as fh:
                status = pisa.CreatePDF(source, dest=fh, encoding="utf-8", path=str(work / "report.html"))
            if status.err:
                raise RuntimeError(f"xhtml2pdf reported {status.err} errors for {spec['id']}")
            return source

        run(None)
        if any(b["kind"] == "toc" for b in spec["blocks"]):
            pages = _heading_pages(pdf, spec)
            run(pages)
            if _heading_pages(pdf, spec) != pages:
                raise RuntimeError("xhtml2pdf: the inhoudsopgave changed the page numbers")
        _fix_dates(pdf, spec)
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)
        if os.environ.get("XHTML2PDF_KEEP_HTML"):
            shutil.copyfile(work / "report.html", out_pdf.with_suffix(".html"))
