"""Render a layout-corpus spec with asciidoctor-pdf (Debian's `ruby-asciidoctor-pdf` 2.3.4, on Prawn 2.4).

The way a rekenkamer that keeps its reports as text in a repository ("docs-as-code") publishes: the spec
becomes one AsciiDoc file (book doctype) and a theme YAML with the house style, and `asciidoctor-pdf`
lays it out with Prawn — a PDF writer new to the corpus (no TeX, no browser, no office suite: Prawn draws
every line itself, with its own line breaker and no hyphenation).

What is AsciiDoc and what the theme does:
- the document header gives the title page: `= Title: Subtitle` (asciidoctor splits title and
  subtitle at the last colon; the PDF info Title is the whole line), the author (the rekenkamer: info
  Author and the title page's author line) and `:revdate:` (the date line); the theme's title page has
  an SVG background (a coloured band with an accent rule) and places the texts on it;
- `colofon` is the document preamble: a discrete heading "Colofon" and the lines as one paragraph with
  hard line breaks; `toc` is `toc::[]` after a page break (`:toc: macro`), so the inhoudsopgave comes after
  the colofon and lists chapters and sections with dot leaders (asciidoctor's own toc);
- headings: level 1 is a chapter (`==`, each on a new page), level 2 a section (`===`); asciidoctor numbers
  them (`:sectnums:`), and prints the number with a trailing dot ("2. Toegang tot jeugdhulp", "2.1. Het CJG
  als toegang"); the spec's `number` must equal the automatic number (checked); a level-1 heading with
  number "" is a `[preface]` chapter (unnumbered, it does not count), one with `appendix: true` an
  `[appendix]` ("Bijlage A: Normenkader", `house.appendix_caption`);
- para: a paragraph; `footnote` becomes `footnote:[…]` — asciidoctor-pdf sets the notes of a chapter at the
  END of that chapter under a short rule, not at the page foot; `list` a bulleted list after the paragraph,
  `ordered_list` a numbered one;
- `kader` is an example block with a title: "Voorbeeld 1. <title>" (`house.example_caption`), the text and
  `source` in italics;
- `table` a table with a title ("Tabel 3. …", `house.table_caption`; asciidoctor numbers every titled table);
- `page_break` is `<<<`.

Items (beyond the README schema; spec.py ignores these keys, the gold derivation is unchanged):
  items.layout: admonition   (style `boxes`) each item an IMPORTANT admonition whose caption is "<Label> N"
                             ("Conclusie 1"): the label, upper-cased by the theme, stands in a column of its own
                             left of a rule in the accent colour; the bold lead and the text right of it on a tint
  items style `table`        an AsciiDoc table with `title`, `columns` (e.g. ["Nr.", "Aanbeveling", "Aan"]) and
                             `cols` (relative widths); the number, the bold lead and the text in an AsciiDoc cell
                             (`a|`), the addressee ("College" / "Raad")
  item.sub_letters: true     the item's `text` is printed as its intro up to the first ": " and then an AsciiDoc
                             `[loweralpha]` list: the text must go on as "a. …; b. …" (the markers "a." "b." are
                             printed by asciidoctor, the gold text is the spec's text as always)
  repeat.layout: hdlist      (style `label`) a horizontal description list: "Conclusie 1" | the lead (short) or the
                             lead and text
  reaction_letter            a sidebar block titled `title`: the paragraphs, then `signature` lines with hard breaks
  reaction_table             a table titled `title`, `columns` (three) and `cols`: per row `label` (the college's
                             own short title; default "N. <lead>"), `standpunt` (bold) and `reaction`; several
                             rows may name the same ref (a recommendation answered per sub-point)

House style (`house`): body_font / head_font (Lato, from /usr/share/fonts/truetype/lato), size, color (headings,
table heads, title page band), accent (the admonition rule and the band's rule), tint (admonition and sidebar
backgrounds), date [y, m, d] (SOURCE_DATE_EPOCH), revdate (the title page's date line), footer_left (the footer's
left text: an asciidoctor-pdf attribute like "{chapter-title}"), table_caption, example_caption, appendix_caption,
toc_title. The running header (`running_header`) is the theme's header on every page from the first body chapter
on; page numbers start at 1 there (`page_numbering_start_at` / `running_content_start_at` as a page offset), so the
title page, the colofon and the inhoudsopgave have none.

Not supported (raise): scanned letters, norms, two-column text, `quote` blocks, `pdf_info: false` (asciidoctor-pdf
always writes the document title into the info dictionary).

Deterministic: SOURCE_DATE_EPOCH (from `house.date`) fixes asciidoctor's docdate/localdate, which become the info
dictionary's ModDate and CreationDate; Prawn writes no /ID and no random font-subset tags, so the PDF comes out byte
for byte (checked by rendering twice).
"""
from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import spec as spec_module  # noqa: E402

LATO = "/usr/share/fonts/truetype/lato"
DEFAULT_HOUSE = {"body_font": "Lato", "head_font": "Lato", "size": 10, "color": "1E5B3A", "accent": "C98A12",
                 "tint": "EEF4EF", "date": [2024, 1, 1], "revdate": "", "footer_left": "", "table_caption": "Tabel",
                 "example_caption": "Voorbeeld", "appendix_caption": "Bijlage", "toc_title": "Inhoudsopgave"}
ADDRESSEE = {"college": "College", "raad": "Raad"}
LABEL = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie"}


def esc(text: Any, cell: bool = False) -> str:
    """Plain text → AsciiDoc inline text that prints literally (one line)."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    if re.search(r"\.\.\.|--|\(C\)|\(R\)|\(TM\)|->|=>|<-|<=|<<|>>", text):
        raise ValueError(f"produce_asciidoctor: text would be replaced by asciidoctor: {text[:60]!r}")
    text = re.sub(r"([*_`#^~{\[\]+])", r"\\\1", text)
    if cell:
        text = text.replace("|", r"\|")
    return text


class Builder:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.items = spec_module.items_by_id(spec)
        self.house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
        self.out: list[str] = []
        self.chapter = 0
        self.section = 0
        self.appendix = 0

    def emit(self, text: str) -> None:
        self.out.append(text.rstrip("\n") + "\n\n")

    # ------------------------------------------------------------------ header
    def header(self) -> str:
        s, h = self.spec, self.house
        cover = next((b for b in s["blocks"] if b["kind"] == "cover"), None)
        lines = list(cover.get("lines", [])) if cover else []
        org = lines[0] if lines else s["meta"]["rekenkamer"]
        title = lines[1] if len(lines) > 1 else s["meta"]["title"]
        sub = lines[2] if len(lines) > 2 else ""
        revdate = h.get("revdate") or (lines[3] if len(lines) > 3 else "")
        if not s.get("pdf_info", True):
            raise NotImplementedError("produce_asciidoctor: asciidoctor-pdf always writes the title into the info")
        doctitle = f"{esc(title)}: {esc(sub)}" if sub else esc(title)
        attrs = [
            f"= {doctitle}",
            f"{esc(org)}",
            f":revdate: {revdate}" if revdate else "",
            ":doctype: book",
            ":lang: nl",
            ":media: screen",
            ":sectnums:",
            ":sectnumlevels: 2",
            ":chapter-signifier!:",
            ":toc: macro",
            ":toclevels: 2",
            f":toc-title: {h['toc_title']}",
            f":table-caption: {h['table_caption']}",
            f":example-caption: {h['example_caption']}",
            f":appendix-caption: {h['appendix_caption']}",
            ":important-caption: Let op",
            ":figure-caption!:",
            ":outline:" if s.get("outline", True) else ":outline!:",
            ":outlinelevels: 2",
            ":pdf-theme: house",
            ":pdf-themesdir: {docdir}",
            ":pdf-fontsdir: " + LATO,
        ]
        return "\n".join(a for a in attrs if a) + "\n\n"

    # ------------------------------------------------------------------ blocks
    def cover(self, block: dict[str, Any]) -> None:
        pass  # the document header makes the title page

    def colofon(self, block: dict[str, Any]) -> None:
        lines = [esc(x) if x else "{empty}" for x in block.get("lines", [])]
        self.emit("[discrete.colofon]\n=== Colofon")
        self.emit("[.colofon.text-left]\n" + " +\n".join(lines))

    def toc(self, block: dict[str, Any]) -> None:
        self.emit("<<<")
        self.emit("toc::[]")

    def heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        number = str(block.get("number", ""))
        text = esc(block["text"])
        if level == 1:
            if block.get("appendix"):
                self.appendix += 1
                auto = chr(ord("A") + self.appendix - 1)
                self.emit(f"[appendix]\n== {text}")
            elif not number:
                auto = ""
                self.emit(f"[preface]\n== {text}")
            else:
                self.chapter += 1
                auto = str(self.chapter)
                self.emit(f"== {text}")
            self.section = 0
        elif level == 2:
            self.section += 1
            parent = chr(ord("A") + self.appendix - 1) if self.appendix else str(self.chapter)
            auto = f"{parent}.{self.section}"
            self.emit(f"=== {text}")
        else:
            raise NotImplementedError("produce_asciidoctor: headings deeper than level 2")
        if number != auto:
            raise ValueError(f"produce_asciidoctor: heading {block['text']!r} has number {number!r}, "
                             f"asciidoctor prints {auto!r}")

    def para(self, block: dict[str, Any]) -> None:
        text = esc(block.get("text", ""))
        if block.get("footnote"):
            text += f"footnote:[{esc(block['footnote'])}]"
        if text:
            self.emit(text)
        if block.get("list"):
            self.emit("\n".join(f"* {esc(x)}" for x in block["list"]))
        if block.get("ordered_list"):
            self.emit("\n".join(f". {esc(x)}" for x in block["ordered_list"]))

    def quote(self, block: dict[str, Any]) -> None:
        raise NotImplementedError("produce_asciidoctor: quote blocks are not supported")

    def kader(self, block: dict[str, Any]) -> None:
        body = [esc(block["text"])]
        if block.get("source"):
            body.append(f"[.bron]\n_{esc(block['source'])}_")
        title = f".{esc(block['title'])}\n" if block.get("title") else ""
        self.emit(f"{title}====\n" + "\n\n".join(body) + "\n====")

    def table(self, block: dict[str, Any]) -> None:
        cols = block["columns"]
        spec_cols = block.get("cols") or ",".join(["1"] * len(cols))
        rows = ["|" + " |".join(esc(c, cell=True) for c in cols)]
        for row in block["data"]:
            rows.append("\n".join(f"|{esc(c, cell=True)}" for c in row))
        title = f".{esc(block['title'])}\n" if block.get("title") else ""
        self.emit(f'{title}[cols="{spec_cols}",options="header"]\n|===\n' + "\n\n".join(rows) + "\n|===")

    def page_break(self, block: dict[str, Any]) -> None:
        self.emit("<<<")

    def columns(self, block: dict[str, Any]) -> None:
        if int(block.get("count", 1)) > 1:
            raise NotImplementedError("produce_asciidoctor: two-column text is not supported")

    def norm(self, block: dict[str, Any]) -> None:
        raise NotImplementedError("produce_asciidoctor: norms are not supported")

    def findings(self, block: dict[str, Any]) -> None:
        for it in block["items"]:
            self.emit(esc(it["text"]))

    # ------------------------------------------------------------------ items
    @staticmethod
    def _sub_points(text: str) -> tuple[str, list[str]]:
        """'Intro: a. one; b. two.' → ('Intro:', ['one;', 'two.'])"""
        intro, rest = text.split(": ", 1)
        parts = re.split(r"(?:^|\s)([a-z])\. ", rest)
        letters, points = parts[1::2], parts[2::2]
        if parts[0].strip() or letters != [chr(ord("a") + i) for i in range(len(letters))] or len(letters) < 2:
            raise ValueError(f"produce_asciidoctor: sub-points must run 'a. …; b. …': {rest[:60]!r}")
        return intro + ":", [p.strip() for p in points]

    def _item_body(self, it: dict[str, Any], short: bool) -> str:
        lead = f"*{esc(it['lead'])}*" if it.get("lead") else ""
        text = "" if short else it.get("text", "")
        if not text:
            return lead
        if it.get("sub_letters"):
            intro, points = self._sub_points(text)
            return (f"{lead} {esc(intro)}\n\n[loweralpha]\n" + "\n".join(f". {esc(p)}" for p in points)).strip()
        return f"{lead} {esc(text)}".strip()

    def render_items(self, block: dict[str, Any], items: list[dict[str, Any]], kind: str, short: bool) -> None:
        style, layout = block["style"], block.get("layout")
        word = block.get("label") or LABEL.get(kind, "Aanbeveling")
        if style == "boxes" and layout == "admonition":
            for it in items:
                self.emit(f'[IMPORTANT,caption="{word} {it.get("number", "")}"]\n====\n'
                          + self._item_body(it, short) + "\n====")
        elif style == "label" and layout == "hdlist":
            entries = [f"{word} {it.get('number', '')}:: {self._item_body(it, short)}" for it in items]
            self.emit('[horizontal,labelwidth=17]\n' + "\n".join(entries))
        elif style == "table":
            cols = block.get("columns") or ["Nr.", word, "Aan"]
            spec_cols = block.get("cols") or ",".join(["1"] * len(cols))
            rows = ["|" + " |".join(esc(c, cell=True) for c in cols)]
            for it in items:
                body = self._item_body(it, short).replace("|", r"\|")
                cells = [f"|{esc(it.get('number', ''), cell=True)}", f"a|{body}"]
                if len(cols) >= 3:
                    cells.append(f"|{ADDRESSEE.get(it.get('addressee'), '')}")
                rows.append("\n".join(cells))
            title = f".{esc(block['title'])}\n" if block.get("title") else ""
            self.emit(f'{title}[cols="{spec_cols}",options="header",role="aanbevelingen"]\n|===\n'
                      + "\n\n".join(rows) + "\n|===")
        else:
            raise NotImplementedError(f"produce_asciidoctor: item style {style!r} with layout {layout!r}")

    def items_block(self, block: dict[str, Any]) -> None:
        self.render_items(block, block["items"], block["type"], short=False)

    def repeat(self, block: dict[str, Any]) -> None:
        items = [self.items[ref] for ref in block["refs"]]
        self.render_items(block, items, items[0]["type"] if items else "aanbeveling", short=bool(block.get("short")))

    # ------------------------------------------------------------------ reaction
    def reaction_letter(self, block: dict[str, Any]) -> None:
        if block.get("scanned"):
            raise NotImplementedError("produce_asciidoctor: scanned reaction letters are not supported")
        paras = [esc(p) for p in block.get("paragraphs", [])]
        if block.get("signature"):
            paras.append(" +\n".join(esc(x) for x in block["signature"]))
        title = f".{esc(block['title'])}\n" if block.get("title") else ""
        self.emit(f"{title}****\n" + "\n\n".join(paras) + "\n****")

    def reaction_table(self, block: dict[str, Any]) -> None:
        cols = block.get("columns") or ["Aanbeveling", "Standpunt college", "Toelichting"]
        spec_cols = block.get("cols") or ",".join(["1"] * len(cols))
        rows = ["|" + " |".join(esc(c, cell=True) for c in cols)]
        for row in block["rows"]:
            item = self.items.get(row.get("ref"), {})
            label = row.get("label") or f"{item.get('number', '')}. {item.get('lead', '')}"
            cells = [f"|{esc(label, cell=True)}", f"|*{esc(row.get('standpunt', ''), cell=True)}*",
                     f"|{esc(row.get('reaction', ''), cell=True)}"][: len(cols)]
            rows.append("\n".join(cells))
        title = f".{esc(block['title'])}\n" if block.get("title") else ""
        self.emit(f'{title}[cols="{spec_cols}",options="header"]\n|===\n' + "\n\n".join(rows) + "\n|===")

    def build(self) -> str:
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind == "items":
                self.items_block(block)
            else:
                getattr(self, kind)(block)
        return self.header() + "".join(self.out)


# ---------------------------------------------------------------------- theme
TITLE_BAND = """<svg xmlns="http://www.w3.org/2000/svg" width="595.28" height="841.89" viewBox="0 0 595.28 841.89">
<rect x="0" y="0" width="595.28" height="{band}" fill="#{color}"/>
<rect x="0" y="{band}" width="595.28" height="7" fill="#{accent}"/>
<rect x="56" y="775" width="483" height="0.8" fill="#{color}"/>
</svg>
"""


def theme(spec: dict[str, Any]) -> str:
    h = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
    running = spec.get("running_header") or ""
    c, a, t = h["color"], h["accent"], h["tint"]
    size = float(h["size"])
    return f"""\
extends: base
font:
  catalog:
    Lato:
      normal: Lato-Regular.ttf
      bold: Lato-Bold.ttf
      italic: Lato-Italic.ttf
      bold_italic: Lato-BoldItalic.ttf
    Lato Black:
      normal: Lato-Black.ttf
      bold: Lato-Black.ttf
      italic: Lato-BlackItalic.ttf
      bold_italic: Lato-BlackItalic.ttf
  fallbacks: []
page:
  size: A4
  layout: portrait
  margin: [27mm, 22mm, 24mm, 25mm]
  initial_zoom: FitH
  numbering:
    start_at: 3
running_content:
  start_at: 3
base:
  font_family: {h['body_font']}
  font_size: {size}
  font_color: 222222
  line_height_length: {size * 1.45:.2f}
  line_height: 1.45
  text_align: justify
  border_color: D5DDD7
  border_width: 0.5
vertical_rhythm: 9
horizontal_rhythm: 9
prose:
  margin_bottom: 7
block:
  margin_bottom: 9
link:
  font_color: {c}
heading:
  font_family: {h['head_font']}
  font_color: {c}
  font_style: bold
  text_align: left
  line_height: 1.2
  margin_top: 14
  margin_bottom: 6
  min_height_after: 60
  h2:
    font_family: Lato Black
    font_size: 22
    margin_bottom: 16
    padding: [0, 0, 6, 0]
    border_width: [0, 0, 1.5, 0]
    border_color: {a}
  h3:
    font_size: 13
    margin_top: 16
  h4:
    font_size: 11
    font_color: {c}
title_page:
  background_image: image:title-band.svg[fit=fill]
  text_align: left
  title:
    top: 16%
    margin_left: 30
    font_family: Lato Black
    font_size: 36
    font_color: FFFFFF
    line_height: 1.1
  subtitle:
    margin_top: 14
    margin_left: 30
    margin_right: 60
    font_size: 15
    font_color: FFFFFF
    line_height: 1.3
  authors:
    margin_top: 140
    margin_left: 30
    font_size: 16
    font_style: bold
    font_color: {c}
  revision:
    margin_top: 8
    margin_left: 30
    font_size: 12
    font_color: 444444
toc:
  font_color: 222222
  line_height: 1.5
  indent: 18
  h2_font_style: bold
  h2_font_color: {c}
  dot_leader:
    font_color: 999999
    levels: all
  title:
    font_family: Lato Black
    font_size: 22
    font_color: {c}
admonition:
  background_color: {t}
  column_rule_color: {a}
  column_rule_width: 2.5
  padding: [8, 12, 8, 10]
  label:
    font_style: bold
    font_size: {size - 1}
    font_color: {c}
    text_transform: uppercase
    text_align: left
    vertical_align: top
    min_width: 66
example:
  background_color: FAFAF7
  border_color: {a}
  border_width: 0.75
  border_radius: 0
  padding: [10, 12, 6, 12]
sidebar:
  background_color: F7F7F3
  border_color: BBBBBB
  border_width: 0.5
  border_radius: 0
  padding: [12, 16, 10, 16]
  title:
    text_align: left
    font_size: {size + 1}
    font_style: bold
    font_color: {c}
caption:
  font_style: bold
  font_size: {size - 0.5}
  font_color: {c}
  align: left
  margin_inside: 5
table:
  font_size: {size - 0.5}
  border_color: {c}
  border_width: [0.75, 0, 0.75, 0]
  grid_color: C9D3CC
  grid_width: [0.5, 0]
  cell_padding: [5, 6, 5, 6]
  head:
    background_color: {c}
    font_color: FFFFFF
    font_style: bold
    border_bottom_width: 0
  body:
    stripe_background_color: {t}
description_list:
  term_font_style: bold
  term_font_color: {c}
  description_indent: 12
list:
  indent: 18
  item_spacing: 3
footnotes:
  font_size: {size - 1.5}
  font_color: 444444
role:
  colofon:
    font_size: {size - 1}
  bron:
    font_size: {size - 1.5}
    font_color: 555555
header:
  height: 17mm
  font_size: 8
  font_color: {c}
  line_height: 1
  vertical_align: bottom
  padding: [0, 0, 5, 0]
  border_color: {a}
  border_width: 0.5
  recto:
    left:
      content: '{running}'
  verso:
    left:
      content: '{running}'
footer:
  height: 15mm
  font_size: 8
  font_color: 555555
  line_height: 1
  vertical_align: top
  padding: [6, 0, 0, 0]
  recto:
    left:
      content: '{h['footer_left']}'
    right:
      content: '*{{page-number}}*'
  verso:
    left:
      content: '{h['footer_left']}'
    right:
      content: '*{{page-number}}*'
"""


def source(spec: dict[str, Any]) -> str:
    return Builder(spec).build()


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
    y, m, d = house["date"]
    stamp = int(_dt.datetime(y, m, d, 10, 0, tzinfo=_dt.timezone.utc).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(stamp), "TZ": "UTC", "LANG": "C.UTF-8"}
    with tempfile.TemporaryDirectory(prefix="asciidoctor_") as tmp:
        work = Path(tmp)
        (work / "report.adoc").write_text(source(spec), encoding="utf-8")
        (work / "house-theme.yml").write_text(theme(spec), encoding="utf-8")
        (work / "title-band.svg").write_text(
            TITLE_BAND.format(band=330, color=house["color"], accent=house["accent"]), encoding="utf-8")
        run = subprocess.run(["asciidoctor-pdf", "--failure-level", "WARN", "report.adoc", "-o", "report.pdf"],
                             cwd=work, env=env, capture_output=True, text=True, errors="replace")
        if run.returncode != 0 or not (work / "report.pdf").exists():
            keep = out_pdf.with_suffix(".adoc")
            shutil.copy(work / "report.adoc", keep)
            raise RuntimeError(f"asciidoctor-pdf failed for {spec['id']} (source kept at {keep}):\n{run.stderr[-3000:]}")
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / "report.pdf", out_pdf)


if __name__ == "__main__":  # debugging aid: print the generated AsciiDoc (or, with --theme, the theme) of one spec
    loaded = spec_module.load(Path(sys.argv[1]))
    print(theme(loaded) if "--theme" in sys.argv else source(loaded))
