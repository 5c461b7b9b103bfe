"""Render a layout-corpus spec with Typst (the `typst` Python package).

The spec becomes Typst markup: real headings (bookmarked only when `outline: true`), an
`#outline()` table of contents, `#footnote[]`, `#table`, enum lists, filled `#block` boxes,
`#columns(2)` running text, page header/footer, a cover page and a colofon. A scanned
reaction letter becomes full-page images (no text layer) made by `scan.letter_pages`.

Optional spec keys this renderer reads (ignored by spec.py):
  house: {font, heading_font, size, accent, light, date: [y, m, d]}   the house style
  reaction_letter.letterhead / .lines                               letterhead and address lines
  items.columns / repeat.columns                                    table header row
  items.label / repeat.label                                        "Aanbeveling" / "Conclusie" label word

Factsheet mode (h13c; read only when `house.factsheet: true`, by `FactsheetBuilder`; nothing else changes):
  house: {footer, good: "#…", better: "#…", box: "#…"}            footer text before the page number; colours
  cover                        a coloured band across the top of page 1 (lines: kicker, title, subtitle, date);
                               the text of the page follows below the band (no cover page)
  heading                      no page break before level 1 (a factsheet runs on); `page_break` blocks break
  kader.figures: [[value, label], ...]   key figures in big type in a row of tinted cells (never items)
  items.layout: good_better    conclusions in two columns "Wat gaat goed" | "Wat kan beter" (`columns` sets the two
                               titles); each item's `column: goed|beter` puts it left or right, a ✓ / ! marker
  items.layout: box            a numbered list in a coloured box titled `box_title`; `lead_in` on an item prints
                               a plain line above it inside the box (the numbering goes on)
  reaction_letter.email: {van, verzonden, aan, cc, onderwerp}   the reply pasted as an e-mail: header lines
                               "Van: … Verzonden: … Aan: … CC: … Onderwerp: …", the paragraphs, the `signature`
                               lines; `quoted: {van, verzonden, aan, onderwerp, paragraphs}` the original message
                               below a rule and "-----Oorspronkelijk bericht-----"

Designed-report mode (h18b; read only when `house.designed: true`, by `DesignedBuilder`; nothing else changes):
  house: {symbol_font, green, orange, red, muted, footer, cover_note}   the font the symbol glyphs are set in
                               (✔ ◐ ✘ ☐ ● must be in it, e.g. DejaVu Sans), the traffic-light colours, the footer
                               text before the page number, a line at the foot of the cover
  cover                        a full-bleed designed cover (lines: organisation, title, subtitle, date) with a
                               row of three dots in the traffic-light colours
  colofon                      set at the foot of page 2 (the inside of the cover)
  heading                      Typst numbering instead of typed numbers: level 1 as a chapter opener (the number
                               large and light above the title, a short rule under it), level 2 "2.1 …"; the
                               spec's `number` must equal the automatic number (a heading with number "" is
                               unnumbered and does not count); bookmarks read "2 Toegang tot jeugdhulp"
  kader: {label, title, paragraphs}   a tinted box "Kader 1 · Casus …" with its paragraphs (never an item)
  items.layout: traffic_light  each item a coloured dot ● (`item.light: green|orange|red`) before the bold lead and
                               its text; `legend: [[colour, text], …]` a line of dots and words under the list
  items.layout: checklist      each item a ☐ before the bold lead and its text, no number printed; `title` a
                               group line above the list ("Voor het college"), `intro` a sentence before it
  reaction_letter: {letterhead, lines, paragraphs, signature}   a letter on a framed white sheet
  reaction_table.layout: symbols   columns ["Aanbeveling", "Standpunt", "Toelichting college"]: the number (large)
                               and `row.label` (a short subject) | `row.symbol` alone, centred, in the symbol
                               font and a colour per symbol (✔ green, ◐ orange, ✘ red, ? and – grey) |
                               `row.reaction`; `caption` above the table, `legend: [[symbol, text], …]` a line under it
                               ("✔ = overgenomen   ◐ = …"), each symbol in the symbol font and its colour

Booklet mode (h19c; read only when `house.booklet: true`, by `BookletBuilder`; nothing else changes):
  house: {page_mm: [w, h], margins_mm: {top, bottom, inside, outside}, body_font, size, leading, heading_font,
          front_pages, book_title, back_cover: [lines], pad_to}
                               an A5 booklet (148 x 210 mm): the body in `body_font` at `size` pt, justified and
                               hyphenated, with widow and orphan control switched OFF (Typst `text.costs`), so a
                               single line of a paragraph may stand alone at a page foot or head; margins mirror
                               (inside/outside); running heads alternate: `book_title` on even (left) pages, the
                               current chapter's title on odd (right) pages, none on a chapter's first page or on
                               the first `front_pages` pages; the page number in the outer corner of the foot;
                               `back_cover` lines on a coloured last page, and blank pages before it so that the
                               page count is a multiple of `pad_to` (a stapled booklet; the renderer compiles twice)
  cover                        an A5 cover: a coloured upper part with organisation, title, subtitle, date
  colofon                      set at the foot of page 2 (the inside of the cover)
  heading.running              the chapter title in the running head (default: the heading text)
  para.footnote_at             the footnote mark goes after this phrase inside the paragraph, not at its end
  items.layout: hanging        each item one paragraph: the number hanging in the margin of the list, the bold
                               lead and the explanation running on
  items.layout: lead_par       the number and the bold lead as one paragraph, the explanation as a paragraph of
                               its own below it (indented to the lead); `title` a group line above the list
                               ("Aan het college")
  reaction_letter              the letter set in the text, between two thin rules, in a smaller size
  reaction_table.layout: number_only   columns ["Nr", "Reactie college"]: the number of the recommendation only
                               (no text of it) and the college's reaction; rows break over pages and the header
                               row is repeated on the next page; `caption` above the table
"""
from __future__ import annotations

import datetime as _dt
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import typst

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import scan  # noqa: E402
import spec as spec_module  # noqa: E402

FONT_PATHS = ["/usr/share/fonts/truetype"]
DEFAULT_HOUSE = {
    "font": "Liberation Sans",
    "heading_font": "Liberation Sans",
    "size": 10.5,
    "accent": "#1f4e79",
    "light": "#e8eef5",
    "date": [2021, 11, 1],
}
ADDRESSEE = {"college": "College van B&W", "raad": "Gemeenteraad", None: "", "": ""}

_ESCAPE = re.compile(r"([\\#$*_@<>\[\]`~=\-+/])")


def esc(text: Any) -> str:
    """Plain text → Typst markup that prints it literally (quotes stay smart)."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return _ESCAPE.sub(r"\\\1", text)


def tstr(text: Any) -> str:
    """Plain text → a Typst string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label_word(block: dict[str, Any], kind: str) -> str:
    if block.get("label"):
        return block["label"]
    return {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}.get(kind, "Aanbeveling")


class Builder:
    def __init__(self, spec: dict[str, Any], workdir: Path):
        self.spec = spec
        self.workdir = workdir
        self.items = spec_module.items_by_id(spec)
        self.house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
        self.out: list[str] = []
        self.in_columns = False
        self.column_buffer: list[str] = []
        self.scan_count = 0

    # ------------------------------------------------------------------ output helpers
    def emit(self, markup: str) -> None:
        (self.column_buffer if self.in_columns else self.out).append(markup)

    def page_break(self) -> None:
        self.emit("#colbreak()" if self.in_columns else "#pagebreak(weak: true)")

    # ------------------------------------------------------------------ preamble
    def preamble(self) -> str:
        s, h = self.spec, self.house
        meta = s["meta"]
        y, m, d = h.get("date") or [int(meta.get("year") or 2021), 11, 1]
        lines = []
        if s.get("pdf_info", True):
            lines.append(f"#set document(title: {tstr(meta['title'])}, author: {tstr(meta['rekenkamer'])}, "
                         f"keywords: (\"jeugdhulp\", \"rekenkamer\", {tstr(meta.get('gemeente', ''))}), "
                         f"date: datetime(year: {y}, month: {m}, day: {d}))")
        else:
            lines.append(f"#set document(title: none, author: (), date: datetime(year: {y}, month: {m}, day: {d}))")
        bookmarked = "true" if s.get("outline", True) else "false"
        running = s.get("running_header") or ""
        header = "none"
        if running:
            header = (
                "context { if counter(page).get().first() > 1 { "
                f"set text(size: 8pt, fill: luma(90)); grid(columns: (1fr, auto), {tstr(running)}, "
                f"text(fill: accent, weight: \"bold\")[{esc(s['meta']['rekenkamer'])}]); "
                "v(-6pt); line(length: 100%, stroke: 0.4pt + accent) } }"
            )
        footer = (
            "context { let n = counter(page).get().first(); if n > 1 { set text(size: 8.5pt, fill: luma(60)); "
            "align(center, str(n)) } }"
        )
        lines += [
            f"#let accent = rgb({tstr(h['accent'])})",
            f"#let light = rgb({tstr(h['light'])})",
            f"#set page(paper: \"a4\", margin: (top: 2.6cm, bottom: 2.4cm, left: 2.5cm, right: 2.3cm), "
            f"header: {header}, footer: {footer}, header-ascent: 35%)",
            f"#set text(lang: \"nl\", region: \"NL\", font: ({tstr(h['font'])}, \"Liberation Sans\"), "
            f"size: {h['size']}pt, hyphenate: true)",
            "#set par(justify: true, leading: 0.62em, spacing: 1.05em)",
            f"#set heading(bookmarked: {bookmarked})",
            f"#show heading: set text(font: ({tstr(h['heading_font'])}, \"Liberation Sans\"), fill: accent, hyphenate: false)",
            "#show heading: set par(justify: false)",
            "#show heading.where(level: 1): set text(size: 17pt, weight: \"bold\")",
            "#show heading.where(level: 1): set block(above: 0.4em, below: 1.1em)",
            "#show heading.where(level: 2): set text(size: 12.5pt, weight: \"bold\")",
            "#show heading.where(level: 2): set block(above: 1.5em, below: 0.8em)",
            "#show heading.where(level: 3): set text(size: 11pt, weight: \"bold\", style: \"italic\")",
            "#set list(marker: text(fill: accent)[•], indent: 0.4em)",
            "#set enum(indent: 0.2em, body-indent: 0.6em)",
            "#set footnote.entry(separator: line(length: 30%, stroke: 0.5pt + accent))",
            "#show footnote.entry: set text(size: 8pt)",
            "#set table(stroke: (x, y) => (bottom: 0.5pt + luma(170), top: if y == 0 { 0pt } else { 0pt }), "
            "fill: (x, y) => if y == 0 { accent } else if calc.even(y) { light } else { none }, inset: 6pt)",
            "#show table.cell.where(y: 0): set text(fill: white, weight: \"bold\")",
            "#show table.cell: set par(justify: false)",
            "#show outline.entry.where(level: 1): it => { v(0.5em); strong(it) }",
        ]
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------------ blocks
    def cover(self, block: dict[str, Any]) -> None:
        lines = [esc(x) for x in block.get("lines", [])]
        while len(lines) < 4:
            lines.append("")
        org, title, sub, *rest = lines
        rest_markup = " \\ ".join(r for r in rest if r)
        self.out.append(
            "#page(margin: 0pt, header: none, footer: none)[\n"
            "  #set par(justify: false)\n"
            "  #place(top + left, rect(width: 100%, height: 38%, fill: accent))\n"
            "  #place(top + left, dx: 2.5cm, dy: 2.4cm, text(fill: white, size: 13pt, weight: \"bold\", "
            f"font: ({tstr(self.house['heading_font'])}, \"Liberation Sans\"))[{org}])\n"
            "  #place(top + left, dx: 2.5cm, dy: 5.2cm, block(width: 15.5cm, text(fill: white, size: 30pt, "
            f"weight: \"bold\", font: ({tstr(self.house['heading_font'])}, \"Liberation Sans\"))[{title}]))\n"
            "  #place(top + left, dx: 2.5cm, dy: 12.6cm, block(width: 15cm, text(fill: accent, size: 15pt)"
            f"[{sub}]))\n"
            "  #place(bottom + left, dx: 2.5cm, dy: -3cm, block(width: 15cm, text(size: 11pt, fill: luma(40))"
            f"[{rest_markup}]))\n"
            "  #place(bottom + left, rect(width: 100%, height: 1.2cm, fill: light))\n"
            "]\n"
        )

    def colofon(self, block: dict[str, Any]) -> None:
        lines = " \\\n".join(esc(x) for x in block.get("lines", []))
        self.out.append(
            "#page(header: none, footer: none)[\n#v(1fr)\n"
            "#text(weight: \"bold\", fill: accent, size: 11pt)[Colofon]\n\n"
            f"#text(size: 9pt)[{lines}]\n]\n"
        )

    def toc(self, block: dict[str, Any]) -> None:
        title = esc(block.get("title", "Inhoudsopgave"))
        self.emit(
            f"#outline(title: text(size: 17pt, fill: accent)[{title}], depth: 2, indent: 1.2em)\n"
            "#pagebreak()\n"
        )

    def heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        number = esc(block.get("number", ""))
        text = esc(block["text"])
        body = f"{number} #h(0.35em){text}" if number else text
        if level == 1 and not self.in_columns and not block.get("no_break"):
            self.emit("#pagebreak(weak: true)")
        self.emit(f"#heading(level: {level})[{body}]\n")

    def para(self, block: dict[str, Any]) -> None:
        note = f"#footnote[{esc(block['footnote'])}]" if block.get("footnote") else ""
        self.emit(f"{esc(block['text'])}{note}\n")

    def quote(self, block: dict[str, Any]) -> None:
        source = f"\n\n#align(right, text(size: 8.5pt, style: \"normal\")[{esc(block['source'])}])" if block.get("source") else ""
        self.emit(
            "#block(width: 100%, inset: (left: 12pt, rest: 8pt), stroke: (left: 2.5pt + accent), fill: light)"
            f"[#set text(style: \"italic\"); {esc(block['text'])}{source}]\n"
        )

    def _item_parts(self, item: dict[str, Any], short: bool) -> tuple[str, str]:
        lead = esc(item.get("lead", ""))
        text = "" if short else esc(item.get("text", ""))
        return lead, text

    def render_items(self, block: dict[str, Any], items: list[dict[str, Any]], kind: str, short: bool) -> None:
        style = block["style"]
        word = _label_word(block, kind)
        if style == "numbered":
            entries = []
            for it in items:
                lead, text = self._item_parts(it, short)
                body = f"{lead} {text}".strip()
                number = int(re.sub(r"\D", "", str(it.get("number", ""))) or len(entries) + 1)
                entries.append(f"enum.item({number})[{body}]")
            self.emit("#enum(numbering: \"1.\", spacing: 0.9em, " + ", ".join(entries) + ")\n")
        elif style == "number_own_line":
            for it in items:
                lead, text = self._item_parts(it, short)
                self.emit(
                    f"#block(breakable: true, above: 1.1em)[#text(weight: \"bold\", fill: accent)[{esc(it.get('number', ''))}.]"
                    f" \\\n{lead} {text}]\n"
                )
        elif style == "bold_lead":
            for it in items:
                lead, text = self._item_parts(it, short)
                num = f"{esc(it.get('number', ''))}. " if block.get("show_number") else ""
                self.emit(f"#strong[{num}{lead}] {text}\n")
        elif style == "label":
            for it in items:
                lead, text = self._item_parts(it, short)
                self.emit(f"#text(weight: \"bold\", fill: accent)[{esc(word)} {esc(it.get('number', ''))}:] {lead} {text}\n")
        elif style == "table":
            columns = block.get("columns") or (["Nr.", word, "Gericht aan"] if kind == "aanbeveling" else ["Nr.", word])
            widths = {1: "(1fr,)", 2: "(auto, 1fr)", 3: "(auto, 1fr, auto)"}.get(len(columns), f"{len(columns)}")
            cells = [f"table.header({', '.join(f'[{esc(c)}]' for c in columns)})"]
            for it in items:
                lead, text = self._item_parts(it, short)
                row = [f"[{esc(it.get('number', ''))}]", f"[{lead} {text}]"]
                if len(columns) >= 3:
                    row.append(f"[{esc(ADDRESSEE.get(it.get('addressee'), it.get('addressee') or ''))}]")
                row += ["[]"] * (len(columns) - len(row))
                cells.append(", ".join(row))
            self.emit(f"#table(columns: {widths}, align: (left + top), " + ",\n  ".join(cells) + ")\n")
        elif style == "boxes":
            for it in items:
                lead, text = self._item_parts(it, short)
                head = f"{word.upper()} {esc(it.get('number', ''))}"
                self.emit(
                    "#block(width: 100%, fill: light, inset: 11pt, radius: 3pt, stroke: (left: 3pt + accent), "
                    "breakable: true, above: 1em, below: 1em)[#set par(justify: false); "
                    f"#text(size: 8.5pt, weight: \"bold\", fill: accent, tracking: 0.06em)[{head}] \\\n"
                    f"#strong[{lead}] {text}]\n"
                )
        else:  # pragma: no cover - spec.py rejects unknown styles
            raise ValueError(style)

    def items_block(self, block: dict[str, Any]) -> None:
        self.render_items(block, block["items"], block["type"], short=False)

    def repeat(self, block: dict[str, Any]) -> None:
        items = [self.items[ref] for ref in block["refs"]]
        kind = items[0]["type"] if items else "aanbeveling"
        self.render_items(block, items, kind, short=bool(block.get("short")))

    def norm(self, block: dict[str, Any]) -> None:
        findings = "\n\n".join(esc(p) for p in block.get("findings", []))
        number = esc(block.get("number", ""))
        self.emit(
            "#block(width: 100%, fill: light, inset: 9pt, radius: 2pt, above: 1.3em, below: 0.9em, sticky: true)["
            f"#text(weight: \"bold\", fill: accent)[Norm {number}] #h(0.4em) #emph[{esc(block.get('text', ''))}]]\n"
        )
        self.emit(f"{findings}\n")
        if block.get("verdict"):
            self.emit(f"#strong[{esc(block['verdict'])}]\n")

    def findings(self, block: dict[str, Any]) -> None:
        for it in block["items"]:
            self.emit(f"{esc(it['text'])}\n")

    def reaction_letter(self, block: dict[str, Any]) -> None:
        letterhead = block.get("letterhead") or f"Gemeente {self.spec['meta'].get('gemeente', '')}"
        if block.get("scanned"):
            pngs = scan.letter_pages(block.get("paragraphs", []), block.get("signature"), letterhead=letterhead,
                                     seed=int(block.get("seed", 7)))
            if self.in_columns:
                self.close_columns()
            for png in pngs:
                self.scan_count += 1
                name = f"scan_{self.scan_count}.png"
                (self.workdir / name).write_bytes(png)
                self.out.append(
                    "#page(margin: 0pt, header: none, footer: none)["
                    f"#image({tstr(name)}, width: 100%, height: 100%, fit: \"stretch\", alt: none)]\n"
                )
            return
        lines = " \\\n".join(esc(x) for x in block.get("lines", []))
        paras = "\n\n".join(esc(p) for p in block.get("paragraphs", []))
        sig = " \\\n".join(esc(x) for x in block.get("signature", []))
        self.emit(
            "#block(width: 100%, inset: (x: 14pt, y: 12pt), stroke: 0.5pt + luma(180), breakable: true)[\n"
            "#set text(font: (\"Liberation Serif\",), size: 10.5pt)\n"
            f"#text(size: 13pt, weight: \"bold\")[{esc(letterhead)}]\n\n"
            + (f"#text(size: 9pt)[{lines}]\n\n" if lines else "")
            + f"{paras}\n\n#v(0.6em)\n{sig}\n]\n"
        )

    def reaction_table(self, block: dict[str, Any]) -> None:
        columns = block.get("columns") or ["Aanbeveling", "Reactie college", "Nawoord"]
        cells = [f"table.header({', '.join(f'[{esc(c)}]' for c in columns)})"]
        for row in block["rows"]:
            item = self.items.get(row.get("ref"), {})
            first = f"{esc(item.get('number', ''))}. {esc(item.get('lead', ''))}" if item else esc(row.get("label", ""))
            vals = [first, esc(row.get("reaction", "")), esc(row.get("nawoord", ""))][: len(columns)]
            cells.append(", ".join(f"[{v}]" for v in vals))
        widths = "(1fr,) * " + str(len(columns))
        self.emit(f"#table(columns: {widths}, align: left + top, " + ",\n  ".join(cells) + ")\n")

    def columns(self, block: dict[str, Any]) -> None:
        count = int(block.get("count", 1))
        if count >= 2 and not self.in_columns:
            self.in_columns = True
            self.column_count = count
            self.column_buffer = []
        elif count < 2 and self.in_columns:
            self.close_columns()

    def close_columns(self) -> None:
        body = "\n".join(self.column_buffer)
        self.in_columns = False
        self.column_buffer = []
        self.out.append(f"#columns({self.column_count}, gutter: 7mm)[\n{body}\n]\n")

    def build(self) -> str:
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind == "items":
                self.items_block(block)
            elif kind == "page_break":
                self.page_break()
            else:
                getattr(self, kind)(block)
        if self.in_columns:
            self.close_columns()
        return self.preamble() + "\n".join(self.out)


class FactsheetBuilder(Builder):
    """A short factsheet (house.factsheet: true): band on page 1, key figures, good/better columns, a box."""

    def preamble(self) -> str:
        base = super().preamble()
        h = self.house
        footer = (
            "context { set text(size: 8pt, fill: luma(80)); line(length: 100%, stroke: 0.4pt + accent); v(-4pt); "
            f"grid(columns: (1fr, auto), {tstr(h.get('footer', ''))}, "
            "text(weight: \"bold\", fill: accent)[pagina #counter(page).display()]) }"
        )
        extra = [
            f"#let good = rgb({tstr(h.get('good', '#2e7d4f'))})",
            f"#let better = rgb({tstr(h.get('better', '#c2571a'))})",
            f"#let boxfill = rgb({tstr(h.get('box', '#fdf1e3'))})",
            "#set page(paper: \"a4\", margin: (top: 1.8cm, bottom: 2.2cm, left: 2cm, right: 2cm), header: none, "
            f"footer: {footer})",
            "#set par(justify: false)",
            "#show heading.where(level: 1): set text(size: 16pt, weight: \"bold\")",
            "#show heading.where(level: 1): set block(above: 1.4em, below: 0.8em)",
        ]
        return base + "\n".join(extra) + "\n"

    def cover(self, block: dict[str, Any]) -> None:
        lines = [esc(x) for x in block.get("lines", [])] + [""] * 4
        kicker, title, sub, date = lines[:4]
        font = f"font: ({tstr(self.house['heading_font'])}, \"Liberation Sans\")"
        self.out.append(
            "#pad(x: -2cm, top: -1.8cm, bottom: 1.2em)[#block(width: 100%, inset: (x: 2cm, top: 2.4cm, bottom: 1cm), "
            "fill: accent, above: 0pt, below: 0pt)[#set par(justify: false)\n"
            f"#text(fill: white, size: 9pt, weight: \"bold\", tracking: 0.12em, {font})[{kicker}] \\\n"
            f"#v(0.35em)#text(fill: white, size: 30pt, weight: \"bold\", {font})[{title}] \\\n"
            f"#v(0.2em)#text(fill: white, size: 13pt)[{sub}] \\\n"
            f"#v(0.3em)#text(fill: white.darken(10%), size: 9.5pt)[{date}]]]\n"
        )

    def heading(self, block: dict[str, Any]) -> None:
        super().heading({**block, "no_break": True})

    def kader(self, block: dict[str, Any]) -> None:
        figs = block.get("figures") or []
        if not figs:
            self.quote(block)
            return
        cells = []
        for value, label in figs:
            cells.append(
                "block(width: 100%, height: 2.6cm, fill: light, inset: 9pt, radius: 3pt)["
                f"#text(size: 20pt, weight: \"bold\", fill: accent, hyphenate: false)[{esc(value)}] \\\n"
                f"#text(size: 8.5pt)[{esc(label)}]]"
            )
        self.emit(f"#grid(columns: ({', '.join(['1fr'] * len(figs))}), gutter: 8pt, " + ", ".join(cells) + ")\n")
        if block.get("source"):
            self.emit(f"#text(size: 7.5pt, fill: luma(90), style: \"italic\")[{esc(block['source'])}]\n")

    def items_block(self, block: dict[str, Any]) -> None:
        layout = block.get("layout")
        if layout == "good_better":
            titles = block.get("columns") or ["Wat gaat goed", "Wat kan beter"]
            sides = []
            for side, colour, mark in (("goed", "good", "✓"), ("beter", "better", "!")):
                entries = "".join(
                    f"#grid(columns: (1.2em, 1fr), gutter: 0.3em, text(fill: {colour}, weight: \"bold\")[{mark}], "
                    f"[#strong[{esc(it.get('lead', ''))}] {esc(it.get('text', ''))}])\n#v(0.55em)\n"
                    for it in block["items"] if it.get("column") == side
                )
                sides.append(
                    f"block(width: 100%, stroke: (top: 3pt + {colour}), fill: {colour}.lighten(88%), inset: 10pt)["
                    f"#text(size: 12pt, weight: \"bold\", fill: {colour})[{esc(titles[len(sides)])}]\n#v(0.4em)\n"
                    f"{entries}]"
                )
            self.emit("#grid(columns: (1fr, 1fr), gutter: 10pt, " + ", ".join(sides) + ")\n")
        elif layout == "box":
            rows = []
            for it in block["items"]:
                if it.get("lead_in"):
                    rows.append(f"grid.cell(colspan: 2, text(weight: \"bold\", fill: accent)[{esc(it['lead_in'])}])")
                rows.append(f"text(size: 15pt, weight: \"bold\", fill: accent)[{esc(it.get('number', ''))}.]")
                rows.append(f"[#strong[{esc(it.get('lead', ''))}] {esc(it.get('text', ''))}]")
            title = esc(block.get("box_title", "Onze aanbevelingen"))
            self.emit(
                "#block(width: 100%, fill: boxfill, stroke: 1pt + better, radius: 4pt, inset: 12pt, breakable: false)["
                f"#text(size: 14pt, weight: \"bold\", fill: better)[{title}]\n#v(0.3em)\n"
                "#grid(columns: (1.8em, 1fr), row-gutter: 0.75em, column-gutter: 0.2em, " + ", ".join(rows) + ")]\n"
            )
        else:
            super().items_block(block)

    def reaction_letter(self, block: dict[str, Any]) -> None:
        mail = block.get("email")
        if not mail:
            super().reaction_letter(block)
            return

        def header(m: dict[str, Any]) -> str:
            out = []
            for key, label in (("van", "Van"), ("verzonden", "Verzonden"), ("aan", "Aan"), ("cc", "CC"),
                               ("onderwerp", "Onderwerp")):
                if m.get(key):
                    out.append(f"#strong[{label}:] {esc(m[key])}")
            return " \\\n".join(out)
        paras = "\n\n".join(esc(x) for x in block.get("paragraphs", []))
        sig = " \\\n".join(esc(x) for x in block.get("signature", []))
        quoted = ""
        if block.get("quoted"):
            q = block["quoted"]
            qparas = "\n\n".join(esc(x) for x in q.get("paragraphs", []))
            quoted = (
                "#v(0.8em)\n#text(fill: luma(90), " + tstr("-----Oorspronkelijk bericht-----") + ")\n\n"
                "#block(width: 100%, stroke: (left: 1.5pt + luma(170)), inset: (left: 10pt, y: 4pt))["
                f"#set text(fill: luma(60))\n{header(q)}\n\n{qparas}]\n"
            )
        self.emit(
            "#block(width: 100%, breakable: true)[\n#set text(font: (\"Liberation Sans\",), size: 10pt, hyphenate: false)\n"
            "#set par(spacing: 0.9em)\n"
            "#block(width: 100%, stroke: (bottom: 0.6pt + luma(150)), inset: (bottom: 6pt))["
            f"{header(mail)}]\n\n{paras}\n\n{sig}\n{quoted}]\n"
        )


class DesignedBuilder(Builder):
    """A designed report (house.designed: true): chapter openers, kaders, traffic-light conclusions, a
    checklist of recommendations and a reaction table whose stance is a symbol."""

    SYMBOL_COLOUR = {"✔": "green", "◐": "orange", "✘": "red", "?": "muted", "–": "muted", "-": "muted"}

    def __init__(self, spec: dict[str, Any], workdir: Path):
        super().__init__(spec, workdir)
        self.chapter = 0
        self.section = 0
        self.kader_count = 0

    def sym(self, glyph: str, colour: str, size: str = "1em") -> str:
        return f"text(font: symfont, fill: {colour}, size: {size})[{esc(glyph)}]"

    def preamble(self) -> str:
        base = super().preamble()
        h = self.house
        hf = f"({tstr(h['heading_font'])}, \"Liberation Sans\")"
        footer = (
            "context { let n = counter(page).get().first(); if n > 2 { set text(size: 7.5pt, fill: luma(90)); "
            f"grid(columns: (1fr, auto), align: (left + bottom, right + bottom), {tstr(h.get('footer', ''))}, "
            "text(size: 9pt, weight: \"bold\", fill: accent)[#n]) } }"
        )
        extra = [
            f"#let symfont = ({tstr(h.get('symbol_font', 'DejaVu Sans'))},)",
            f"#let green = rgb({tstr(h.get('green', '#2e8540'))})",
            f"#let orange = rgb({tstr(h.get('orange', '#e07b00'))})",
            f"#let red = rgb({tstr(h.get('red', '#c62828'))})",
            f"#let muted = rgb({tstr(h.get('muted', '#7a7a7a'))})",
            f"#let headfont = {hf}",
            "#set page(paper: \"a4\", margin: (top: 2.4cm, bottom: 2.5cm, left: 3.1cm, right: 2.4cm), header: none, "
            f"footer: {footer}, footer-descent: 40%, "
            "background: context { if counter(page).get().first() > 2 { place(top + left, dx: 0pt, dy: 0pt, "
            "rect(width: 0.9cm, height: 100%, fill: light)) } })",
            "#set par(justify: false, leading: 0.68em, spacing: 1.15em)",
            "#set heading(numbering: \"1.1\")",
            "#show heading.where(level: 1): it => {\n"
            "  set par(justify: false)\n"
            "  block(above: 0pt, below: 1.6em, width: 100%, {\n"
            "    if it.numbering != none { text(font: headfont, size: 54pt, weight: \"black\", "
            "fill: accent.lighten(45%))[#counter(heading).display(\"1\")]; linebreak() }\n"
            "    text(font: headfont, size: 23pt, weight: \"black\", fill: accent, it.body)\n"
            "    v(0.2em); line(length: 2.4cm, stroke: 3pt + accent)\n"
            "  })\n}",
            "#show heading.where(level: 2): it => block(above: 1.7em, below: 0.75em, sticky: true, "
            "text(font: headfont, size: 12.5pt, weight: \"bold\", fill: accent)["
            "#if it.numbering != none [#counter(heading).display(\"1.1\") #h(0.5em)]#it.body])",
            "#show heading.where(level: 3): it => block(above: 1.3em, below: 0.6em, sticky: true, "
            "text(font: headfont, size: 10.5pt, weight: \"bold\")[#it.body])",
            "#set footnote.entry(separator: line(length: 25%, stroke: 0.5pt + accent))",
            "#show outline.entry.where(level: 1): it => { v(0.7em); text(weight: \"bold\", fill: accent, it) }",
        ]
        return base + "\n".join(extra) + "\n"

    def cover(self, block: dict[str, Any]) -> None:
        lines = [esc(x) for x in block.get("lines", [])] + [""] * 4
        org, title, sub, date = lines[:4]
        note = esc(self.house.get("cover_note", ""))
        self.out.append(
            "#page(margin: 0pt, header: none, footer: none, background: none)[\n"
            "  #set par(justify: false)\n"
            "  #place(top + left, rect(width: 100%, height: 64%, fill: accent))\n"
            "  #place(top + left, dx: 12.2cm, dy: 3.1cm, circle(radius: 2.6cm, fill: accent.lighten(12%)))\n"
            "  #place(top + left, dx: 14.9cm, dy: 7.4cm, circle(radius: 1.7cm, fill: accent.lighten(25%)))\n"
            "  #place(top + left, dx: 2.4cm, dy: 2.3cm, text(font: headfont, fill: white, size: 11pt, "
            f"weight: \"bold\", tracking: 0.08em)[{org}])\n"
            "  #place(top + left, dx: 2.4cm, dy: 10.6cm, block(width: 15cm)[#text(font: headfont, fill: white, "
            f"size: 40pt, weight: \"black\")[{title}] \\\n#v(0.4em)#text(font: headfont, fill: white, size: 14pt)[{sub}]])\n"
            "  #place(top + left, dx: 2.4cm, dy: 21.2cm, block(width: 15cm)["
            f"#text(font: symfont, size: 22pt)[#text(fill: green)[●] #text(fill: orange)[●] #text(fill: red)[●]]])\n"
            "  #place(top + left, dx: 2.4cm, dy: 23.4cm, block(width: 15cm, text(size: 11pt, fill: luma(40))"
            f"[{date}]))\n"
            + (f"  #place(bottom + left, dx: 2.4cm, dy: -1.6cm, text(size: 8pt, fill: luma(90))[{note}])\n" if note else "")
            + "]\n"
        )

    def colofon(self, block: dict[str, Any]) -> None:
        lines = " \\\n".join(esc(x) for x in block.get("lines", []))
        self.out.append(
            "#page(header: none, footer: none, background: none)[\n#v(1fr)\n"
            "#text(font: headfont, weight: \"bold\", fill: accent, size: 10pt)[Colofon]\n\n"
            f"#text(size: 8.5pt)[{lines}]\n]\n"
        )

    def toc(self, block: dict[str, Any]) -> None:
        title = esc(block.get("title", "Inhoud"))
        self.emit(
            f"#text(font: headfont, size: 23pt, weight: \"black\", fill: accent)[{title}]\n#v(1.2em)\n"
            "#outline(title: none, depth: 2, indent: 1.6em)\n#pagebreak()\n"
        )

    def heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        number = str(block.get("number", ""))
        if number:
            if level == 1:
                self.chapter += 1
                self.section = 0
                auto = str(self.chapter)
            else:
                self.section += 1
                auto = f"{self.chapter}.{self.section}"
            if level <= 2 and number != auto:
                raise ValueError(f"heading {block['text']!r}: number {number} but Typst counts {auto}")
        numbering = "" if number and level <= 2 else ", numbering: none"
        if level == 1 and not block.get("no_break"):
            self.emit("#pagebreak(weak: true)")
        self.emit(f"#heading(level: {level}{numbering})[{esc(block['text'])}]\n")

    def kader(self, block: dict[str, Any]) -> None:
        self.kader_count += 1
        label = esc(block.get("label") or f"Kader {self.kader_count}")
        title = esc(block.get("title", ""))
        paras = "\n\n".join(esc(p) for p in block.get("paragraphs") or [block.get("text", "")])
        self.emit(
            "#block(width: 100%, fill: light, inset: (x: 13pt, y: 11pt), radius: 2pt, stroke: (top: 2.5pt + accent), "
            "breakable: false, above: 1.4em, below: 1.4em)[#set text(size: 9pt)\n#set par(spacing: 0.8em)\n"
            f"#text(font: headfont, size: 8pt, weight: \"bold\", fill: accent, tracking: 0.08em)[{label.upper()}] "
            f"#h(0.4em) #text(font: headfont, size: 10pt, weight: \"bold\")[{title}]\n\n{paras}]\n"
        )

    def items_block(self, block: dict[str, Any]) -> None:
        layout = block.get("layout")
        if layout == "traffic_light":
            if block.get("intro"):
                self.emit(f"{esc(block['intro'])}\n")
            for it in block["items"]:
                colour = it.get("light", "orange")
                text = esc(it.get("text", ""))
                self.emit(
                    "#block(breakable: false, above: 1.05em, below: 1.05em)[#grid(columns: (1.6em, 1fr), "
                    f"column-gutter: 0.3em, {self.sym('●', colour, '15pt')}, "
                    f"[#text(font: headfont, weight: \"bold\", size: 10.5pt)[{esc(it.get('lead', ''))}]"
                    + (f" \\\n{text}" if text else "") + "])]\n"
                )
            legend = block.get("legend") or []
            if legend:
                parts = " #h(1.4em) ".join(f"#{self.sym('●', c, '10pt')} {esc(t)}" for c, t in legend)
                self.emit(
                    "#block(above: 1.2em, width: 100%, inset: (top: 6pt), stroke: (top: 0.5pt + luma(170)))"
                    f"[#text(size: 8pt, fill: luma(60))[{parts}]]\n"
                )
        elif layout == "checklist":
            if block.get("intro"):
                self.emit(f"{esc(block['intro'])}\n")
            if block.get("title"):
                self.emit(
                    "#block(above: 1.4em, below: 0.7em, sticky: true, inset: (bottom: 4pt), "
                    "stroke: (bottom: 0.8pt + accent))[#text(font: headfont, size: 10.5pt, weight: \"bold\", "
                    f"fill: accent, tracking: 0.04em)[{esc(block['title'])}]]\n"
                )
            for it in block["items"]:
                text = esc(it.get("text", ""))
                self.emit(
                    "#block(breakable: false, above: 0.95em, below: 0.95em)[#grid(columns: (1.7em, 1fr), "
                    f"column-gutter: 0.2em, {self.sym('☐', 'accent', '14pt')}, "
                    f"[#strong[{esc(it.get('lead', ''))}] {text}])]\n"
                )
        else:
            super().items_block(block)

    def reaction_letter(self, block: dict[str, Any]) -> None:
        if block.get("scanned"):
            super().reaction_letter(block)
            return
        letterhead = esc(block.get("letterhead") or f"Gemeente {self.spec['meta'].get('gemeente', '')}")
        lines = " \\\n".join(esc(x) for x in block.get("lines", []))
        paras = "\n\n".join(esc(p) for p in block.get("paragraphs", []))
        sig = " \\\n".join(esc(x) for x in block.get("signature", []))
        self.emit(
            "#block(width: 100%, inset: (x: 18pt, y: 16pt), stroke: 0.6pt + luma(175), fill: white, breakable: true, "
            "above: 1.2em, below: 1.4em)[\n"
            "#set text(font: (\"Liberation Serif\",), size: 10pt, hyphenate: false)\n#set par(spacing: 0.95em)\n"
            f"#text(font: (\"Liberation Sans\",), size: 12pt, weight: \"bold\")[{letterhead}]\n"
            "#v(-0.4em)#line(length: 100%, stroke: 0.5pt + luma(150))\n"
            + (f"#text(size: 9pt)[{lines}]\n\n#v(0.4em)\n" if lines else "")
            + f"{paras}\n\n#v(0.4em)\n{sig}\n]\n"
        )

    def reaction_table(self, block: dict[str, Any]) -> None:
        if block.get("layout") != "symbols":
            super().reaction_table(block)
            return
        columns = block.get("columns") or ["Aanbeveling", "Standpunt", "Toelichting college"]
        cells = [f"table.header({', '.join(f'[{esc(c)}]' for c in columns)})"]
        for row in block["rows"]:
            item = self.items[row["ref"]]
            glyph = row["symbol"]
            colour = self.SYMBOL_COLOUR.get(glyph, "muted")
            first = (f"[#text(font: headfont, size: 15pt, weight: \"black\", fill: accent)[{esc(item.get('number', ''))}]"
                     f" \\\n#text(size: 8.5pt)[{esc(row.get('label', ''))}]]")
            cells.append(", ".join([first, f"align(center + horizon, {self.sym(glyph, colour, '16pt')})",
                                    f"[{esc(row.get('reaction', ''))}]"]))
        caption = (f"#text(font: headfont, size: 9pt, weight: \"bold\", fill: accent)[{esc(block['caption'])}]\n"
                   "#v(-0.3em)\n") if block.get("caption") else ""
        legend = ""
        if block.get("legend"):
            parts = " #h(1.2em) ".join(
                f"#box[#{self.sym(g, self.SYMBOL_COLOUR.get(g, 'muted'), '9.5pt')} = {esc(t)}]" for g, t in block["legend"])
            legend = f"#v(-0.2em)\n#text(size: 8pt, fill: luma(60))[{parts}]\n"
        self.emit(
            caption
            + "#[#show table.cell.where(y: 0): set text(hyphenate: false)\n#set table.cell(breakable: false)\n"
            + "#table(columns: (3.6cm, 2.3cm, 1fr), align: (left + top, center + horizon, left + top), inset: 7pt, "
            "stroke: (x, y) => (bottom: 0.5pt + luma(170)), "
            "fill: (x, y) => if y == 0 { accent } else if calc.even(y) { light } else { none },\n  "
            + ",\n  ".join(cells) + ")]\n" + legend
        )


class BookletBuilder(Builder):
    """An A5 booklet (house.booklet: true): large type on a small page, mirrored margins, alternating running
    heads, page numbers in the outer corners, no widow/orphan control, lists and tables that break anywhere."""

    def __init__(self, spec: dict[str, Any], workdir: Path, pad_pages: int = 0):
        super().__init__(spec, workdir)
        self.pad_pages = pad_pages

    def preamble(self) -> str:
        base = super().preamble()
        h = self.house
        w, ht = h.get("page_mm", [148, 210])
        m = {"top": 16, "bottom": 16, "inside": 16, "outside": 12, **(h.get("margins_mm") or {})}
        front = int(h.get("front_pages", 2))
        hf = f"({tstr(h['heading_font'])}, \"Liberation Sans\")"
        body = f"({tstr(h.get('body_font', h['font']))}, \"Liberation Serif\")"
        title = h.get("book_title") or self.spec["meta"]["title"]
        header = (
            "context {\n"
            "  let p = here().page()\n"
            f"  let opener = query(heading.where(level: 1)).any(x => x.location().page() == p)\n"
            f"  if p > {front} and not opener {{\n"
            "    set text(font: headfont, size: 7.5pt, fill: luma(85), tracking: 0.02em, hyphenate: false)\n"
            "    set par(justify: false)\n"
            "    let cs = query(selector(<chaptitle>).before(here()))\n"
            "    let t = if calc.even(p) { runtitle } else if cs.len() > 0 { cs.last().value } else { none }\n"
            "    if t != none {\n"
            "      align(if calc.even(p) { left } else { right }, t)\n"
            "      v(-4.5pt)\n"
            "      line(length: 100%, stroke: 0.35pt + luma(150))\n"
            "    }\n"
            "  }\n"
            "}"
        )
        footer = (
            "context {\n"
            "  let p = here().page()\n"
            f"  if p > {front} {{\n"
            "    set text(font: headfont, size: 8.5pt, weight: \"bold\", fill: accent)\n"
            "    if calc.even(p) { align(left, str(p)) } else { align(right, str(p)) }\n"
            "  }\n"
            "}"
        )
        extra = [
            f"#let headfont = {hf}",
            f"#let runtitle = {tstr(title)}",
            f"#set page(width: {w}mm, height: {ht}mm, margin: (top: {m['top']}mm, bottom: {m['bottom']}mm, "
            f"inside: {m['inside']}mm, outside: {m['outside']}mm), header: {header}, footer: {footer}, "
            "header-ascent: 38%, footer-descent: 35%)",
            f"#set text(font: {body}, size: {h.get('size', 11)}pt, lang: \"nl\", region: \"NL\", hyphenate: true, "
            "costs: (widow: 0%, orphan: 0%))",
            f"#set par(justify: true, leading: {h.get('leading', 0.58)}em, spacing: {h.get('spacing', 0.85)}em)",
            "#show heading: set text(font: headfont, fill: accent, hyphenate: false)",
            "#show heading.where(level: 1): set text(size: 15pt, weight: \"bold\")",
            "#show heading.where(level: 1): set block(above: 0.2em, below: 1.2em)",
            "#show heading.where(level: 2): set text(size: 11pt, weight: \"bold\")",
            "#show heading.where(level: 2): set block(above: 1.35em, below: 0.7em)",
            "#set footnote.entry(separator: line(length: 28%, stroke: 0.4pt + luma(120)), gap: 0.45em, "
            "clearance: 0.9em)",
            "#show footnote.entry: set text(size: 8.5pt)",
            "#show footnote.entry: set par(leading: 0.5em)",
            "#show outline.entry.where(level: 1): it => { v(0.55em); strong(it) }",
            "#set list(marker: text(fill: accent)[–], indent: 0.2em)",
        ]
        return base + "\n".join(extra) + "\n"

    def cover(self, block: dict[str, Any]) -> None:
        lines = [esc(x) for x in block.get("lines", [])] + [""] * 4
        org, title, sub, date = lines[:4]
        self.out.append(
            "#page(margin: 0pt, header: none, footer: none)[\n"
            "  #set par(justify: false)\n"
            "  #place(top + left, rect(width: 100%, height: 58%, fill: accent))\n"
            "  #place(top + left, dx: 92mm, dy: 62mm, circle(radius: 24mm, fill: accent.lighten(14%)))\n"
            "  #place(top + left, dx: 15mm, dy: 16mm, text(font: headfont, fill: white, size: 9pt, weight: \"bold\", "
            f"tracking: 0.1em)[{org}])\n"
            "  #place(top + left, dx: 15mm, dy: 52mm, block(width: 112mm)[#text(font: headfont, fill: white, "
            f"size: 27pt, weight: \"bold\")[{title}]])\n"
            "  #place(top + left, dx: 15mm, dy: 132mm, block(width: 112mm, text(font: headfont, fill: accent, "
            f"size: 12pt)[{sub}]))\n"
            "  #place(top + left, dx: 15mm, dy: 182mm, text(font: headfont, size: 9.5pt, fill: luma(60))"
            f"[{date}])\n"
            "]\n"
        )

    def colofon(self, block: dict[str, Any]) -> None:
        lines = " \\\n".join(esc(x) for x in block.get("lines", []))
        self.out.append(
            "#page(header: none, footer: none)[\n#set par(justify: false)\n#set text(hyphenate: false)\n#v(1fr)\n"
            "#text(font: headfont, weight: \"bold\", fill: accent, size: 9pt)[Colofon]\n\n"
            f"#text(size: 8.5pt)[{lines}]\n]\n"
        )

    def toc(self, block: dict[str, Any]) -> None:
        title = esc(block.get("title", "Inhoud"))
        self.emit(
            "#pagebreak(weak: true)\n"
            f"#text(font: headfont, size: 15pt, weight: \"bold\", fill: accent)[{title}]\n#v(0.6em)\n"
            "#outline(title: none, depth: int(" + str(block.get("depth", 2)) + "), indent: 1.4em)\n"
        )

    def heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        if level == 1:
            self.emit("#pagebreak(weak: true)")
            running = block.get("running") or block["text"]
            self.emit(f"#metadata({tstr(running)}) <chaptitle>")
        number = esc(block.get("number", ""))
        text = esc(block["text"])
        body = f"{number} #h(0.4em){text}" if number else text
        self.emit(f"#heading(level: {level})[{body}]\n")

    def para(self, block: dict[str, Any]) -> None:
        text = esc(block["text"])
        if block.get("footnote"):
            note = f"#footnote[{esc(block['footnote'])}]"
            at = block.get("footnote_at")
            if at:
                phrase = esc(at)
                if phrase not in text:
                    raise ValueError(f"footnote_at {at!r} not in the paragraph")
                text = text.replace(phrase, phrase + note, 1)
            else:
                text += note
        self.emit(f"{text}\n")

    def items_block(self, block: dict[str, Any]) -> None:
        layout = block.get("layout")
        if layout not in ("hanging", "lead_par"):
            super().items_block(block)
            return
        if block.get("title"):
            self.emit(
                f"#block(above: 1.2em, below: 0.75em, sticky: true)[#text(font: headfont, size: 9.5pt, "
                f"weight: \"bold\", fill: accent)[{esc(block['title'])}]]\n"
            )
        ind = "1.5em"
        for it in block["items"]:
            num = esc(it.get("number", ""))
            lead = esc(it.get("lead", ""))
            text = esc(it.get("text", ""))
            mark = f"#box(width: {ind})[#text(font: headfont, weight: \"bold\", fill: accent)[{num}]]"
            if layout == "hanging":
                self.emit(f"#par(hanging-indent: {ind})[{mark}#strong[{lead}] {text}]\n")
            else:
                self.emit(f"#par(hanging-indent: {ind})[{mark}#strong[{lead}]]\n")
                if text:
                    self.emit(f"#block(inset: (left: {ind}), above: 0.45em, width: 100%)[{text}]\n")

    def reaction_letter(self, block: dict[str, Any]) -> None:
        if block.get("scanned"):
            super().reaction_letter(block)
            return
        letterhead = esc(block.get("letterhead") or f"Gemeente {self.spec['meta'].get('gemeente', '')}")
        lines = " \\\n".join(esc(x) for x in block.get("lines", []))
        paras = "\n\n".join(esc(p) for p in block.get("paragraphs", []))
        sig = " \\\n".join(esc(x) for x in block.get("signature", []))
        self.emit(
            "#block(width: 100%, inset: (y: 8pt), stroke: (top: 0.5pt + accent, bottom: 0.5pt + accent), "
            "breakable: true, above: 1.1em, below: 1.3em)[\n"
            "#set text(size: 10pt)\n#set par(spacing: 1.05em, leading: 0.55em)\n"
            f"#text(font: headfont, size: 10pt, weight: \"bold\")[{letterhead}]\n\n"
            + (f"#text(size: 9pt)[{lines}]\n\n#v(0.3em)\n" if lines else "")
            + f"{paras}\n\n#v(0.2em)\n{sig}\n]\n"
        )

    def reaction_table(self, block: dict[str, Any]) -> None:
        if block.get("layout") != "number_only":
            super().reaction_table(block)
            return
        columns = block.get("columns") or ["Nr", "Reactie college"]
        cells = [f"table.header(repeat: true, {', '.join(f'[{esc(c)}]' for c in columns)})"]
        for row in block["rows"]:
            item = self.items[row["ref"]]
            cells.append(f"[{esc(item.get('number', ''))}], [{esc(row.get('reaction', ''))}]")
        caption = (f"#block(sticky: true, below: 0.5em)[#text(font: headfont, size: 9pt, weight: \"bold\", "
                   f"fill: accent)[{esc(block['caption'])}]]\n") if block.get("caption") else ""
        self.emit(
            caption
            + "#[#set text(size: 10pt)\n#set par(justify: false)\n"
            "#show table.cell.where(y: 0): set text(font: headfont, size: 8.5pt, weight: \"bold\", fill: white)\n"
            "#table(columns: (9mm, 1fr), align: (center + top, left + top), inset: (x: 5pt, y: 5pt), "
            "stroke: (x, y) => (bottom: 0.5pt + luma(160)), "
            "fill: (x, y) => if y == 0 { accent } else { none },\n  "
            + ",\n  ".join(cells) + ")]\n"
        )

    def build(self) -> str:
        body = super().build()
        h = self.house
        tail = "".join("#page(header: none, footer: none)[]\n" for _ in range(self.pad_pages))
        back = h.get("back_cover")
        if back:
            lines = " \\\n".join(esc(x) for x in back)
            tail += (
                "#page(margin: 0pt, header: none, footer: none, fill: accent)[\n"
                "  #place(bottom + left, dx: 15mm, dy: -18mm, block(width: 112mm)[#set par(justify: false)\n"
                f"  #text(font: headfont, fill: white, size: 9pt)[{lines}]])\n]\n"
            )
        return body + tail


def markup(spec: dict[str, Any], workdir: Path, pad_pages: int = 0) -> str:
    if (spec.get("house") or {}).get("booklet"):
        return BookletBuilder(spec, workdir, pad_pages).build()
    if (spec.get("house") or {}).get("factsheet"):
        return FactsheetBuilder(spec, workdir).build()
    if (spec.get("house") or {}).get("designed"):
        return DesignedBuilder(spec, workdir).build()
    return Builder(spec, workdir).build()


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
    y, m, d = house.get("date") or [int(spec["meta"].get("year") or 2021), 11, 1]
    stamp = int(_dt.datetime(y, m, d, 10, 0, tzinfo=_dt.timezone.utc).timestamp())
    with tempfile.TemporaryDirectory(prefix="typst_") as tmp:
        work = Path(tmp)
        source = work / "report.typ"
        source.write_text(markup(spec, work), encoding="utf-8")
        pdf = typst.compile(str(source), root=str(work), font_paths=FONT_PATHS, timestamp=stamp)
        pad_to = int((spec.get("house") or {}).get("pad_to") or 0) if (spec.get("house") or {}).get("booklet") else 0
        if pad_to > 1:  # a stapled booklet: blank pages before the back cover up to a multiple of pad_to
            import pypdfium2 as pdfium
            count = len(pdfium.PdfDocument(pdf))
            pad = (-count) % pad_to
            if pad:
                source.write_text(markup(spec, work, pad), encoding="utf-8")
                pdf = typst.compile(str(source), root=str(work), font_paths=FONT_PATHS, timestamp=stamp)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    out_pdf.write_bytes(pdf)


if __name__ == "__main__":  # debugging aid: print the generated markup of one spec
    print(markup(spec_module.load(Path(sys.argv[1])), Path(tempfile.mkdtemp())))
