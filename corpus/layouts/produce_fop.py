"""Render a layout-corpus spec with Apache FOP: XSL-FO written from the spec → `fop` → PDF.

This is how a document-management system (a "zaaksysteem" or a report generator built on XSLT)
makes a rekenkamer report: the content is turned into XSL-FO and Apache FOP (Debian's `fop`, 2.8)
lays it out. Everything is plain XSL-FO 1.1 as FOP implements it:

- page masters `cover`, `front` (no header/footer), `body` (region-before/-after with static
  content) and `landscape` (A4 across, 297 x 210 mm MediaBox, its own header and footer);
  a block with `landscape: true` gets a page-sequence of its own on landscape pages, and the
  portrait sequence goes on after it (page numbers run on, `initial-page-number="auto"`);
- the inhoudsopgave with `fo:page-number-citation` and dotted `fo:leader`s (FOP resolves them);
  page numbers are physical (the cover is page 1), as in the footer;
- "Pagina 3 van 18" footers with `fo:page-number-citation` to an empty block at the end of the
  last flow; a running header with the rekenkamer left and the title right (`text-align-last:
  justify` with a space leader) or one line;
- bookmarks from `fo:bookmark-tree` (level 1 and 2 headings) when `outline: true`;
- footnotes with `fo:footnote`; lists with `fo:list-block`; tables with `fo:table` whose rows may
  split over a page (FOP's default `keep-together: auto`);
- the info dictionary from an XMP packet in `fo:declarations` (dc:title, dc:creator) when
  `pdf_info: true`; without it Title and Author stay empty (FOP always writes Producer
  "Apache FOP Version 2.8").
Fonts are embedded subsets from a generated FOP configuration (`-c`): TeX Gyre Schola, Heros and
Heros Cn (OpenType CFF) and Liberation Serif/Sans (TrueType). No hyphenation (FOP needs the OFFO
pattern files, which Debian does not ship); justified text is justified without it. Complex-script
processing is switched off in the configuration (`<complex-scripts disabled="true"/>`, as `-nocs`): with it
on, FOP 2.8 applies the fonts' GSUB ligatures (fi, ff, ffi) and its ToUnicode map gets them wrong — pypdfium2
read "gecerti5ceerde" for "gecertificeerde" and "eecten" for "effecten" — so the text layer would no longer
hold the report's words.

Deterministic: the XMP packet carries a fixed xmp:CreateDate / ModifyDate (so /CreationDate and
/ModDate are fixed), but FOP still writes xmp:MetadataDate from the clock and a random /ID; both
are overwritten in place after the run (same lengths: the clock date by the fixed date, the /ID by
the md5 of the document id), so the committed PDFs come out byte for byte.

Optional spec keys this renderer reads (renderer-only; spec.py and the gold derivation ignore them):
  house: {body, head, size, accent, dark, light, align: justify|start, chapter_prefix ("H"),
          section_prefix ("§ "), band_headings, small_caps (level 1-2 headings and the one-line running
          header in synthesized small capitals, see `_small_caps`), note_column (e.g. "36mm"),
          header: split|line, footer: page_of|plain, chapter_new_page, cover: band|rule, date}
  para.margin_note          a key word set in the left note column beside the paragraph
                            (needs house.note_column; the paragraph itself is unchanged)
  kader: {title, text, bullets: [...]}   a boxed "In het kort"/"Kernboodschap" summary
                            (never an item; `wrap` is ignored)
  items.label_own_line      label style: "Conclusie A" / "Aanbeveling 3.1" on a line of its own, the
                            lead in bold below it (otherwise "Aanbeveling 1: …" run in)
  item.label_suffix         label style: words after the label, "Aanbeveling 4 (alleen gemeente Druten)" (h12b; not part
                            of the gold text)
  item.bullets: true        the item's `text` after its first ": " is set as a bulleted list, split
                            at "; " (each point keeps its ";", the last its "."); the gold text is
                            unchanged (lead + " " + text), so the points belong to the item
  items.intro / items.landscape / items.widths / reaction_table.landscape / .intro / .widths
  items table columns       "Nr.", "Gericht aan", "Conclusie"/"Termijn" (item keys), any other column whose
                            name is an item key with "_" for spaces ("Beoogd effect" → beoogd_effect),
                            else the item's lead (bold) and text
  reaction_table columns    by name: "Nr." (number), "Aanbeveling" ("Aanbeveling N" + the lead),
                            a name with "standpunt" (row.standpunt), "Reactie"/"Toelichting"
                            (row.reaction), "Nawoord" (row.nawoord)
  reaction_letter.letterhead / .letterhead_sub / .address / .date_line / .new_page
Not supported (raises): scanned letters, two-column running text (`columns` with count > 1).
"""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import spec as spec_module  # noqa: E402

GYRE = "/usr/share/texmf/fonts/opentype/public/tex-gyre"
LIB = "/usr/share/fonts/truetype/liberation"
FONTS = {
    "Schola": {k: f"{GYRE}/texgyreschola-{v}.otf" for k, v in
               {"n": "regular", "b": "bold", "i": "italic", "bi": "bolditalic"}.items()},
    "Heros": {k: f"{GYRE}/texgyreheros-{v}.otf" for k, v in
              {"n": "regular", "b": "bold", "i": "italic", "bi": "bolditalic"}.items()},
    "HerosCn": {k: f"{GYRE}/texgyreheroscn-{v}.otf" for k, v in
                {"n": "regular", "b": "bold", "i": "italic", "bi": "bolditalic"}.items()},
    "LiberationSerif": {k: f"{LIB}/LiberationSerif-{v}.ttf" for k, v in
                        {"n": "Regular", "b": "Bold", "i": "Italic", "bi": "BoldItalic"}.items()},
    "LiberationSans": {k: f"{LIB}/LiberationSans-{v}.ttf" for k, v in
                       {"n": "Regular", "b": "Bold", "i": "Italic", "bi": "BoldItalic"}.items()},
}
DEFAULT_HOUSE = {
    "body": "Schola", "head": "Heros", "size": "10pt", "accent": "#1b5e6b", "dark": "#202020",
    "light": "#e4eff1", "align": "justify", "chapter_prefix": "", "section_prefix": "",
    "band_headings": False, "small_caps": False, "note_column": "", "header": "line", "footer": "plain",
    "chapter_new_page": True, "cover": "band", "date": "",
}
LABELS = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}
ADDRESSEE = {"college": "College van B en W", "raad": "Gemeenteraad", None: "", "": ""}
FO = "http://www.w3.org/1999/XSL/Format"


def _e(text: Any) -> str:
    return escape(str(text))


def _a(text: Any) -> str:
    return escape(str(text), {'"': "&quot;"})


def _small_caps(text: str, size: str = "78%") -> str:
    """Small capitals as FOP sets them for a font without a small-caps face: FOP ignores
    font-variant="small-caps" for these fonts, so lower-case runs become capitals at a smaller size
    (the PDF text is in capitals, in two sizes)."""
    out = []
    for run in re.findall(r"[a-zà-ÿ’']+|[^a-zà-ÿ’']+", text):
        if re.match(r"[a-zà-ÿ’']", run):
            out.append(f'<fo:inline font-size="{size}">{_e(run.upper())}</fo:inline>')
        else:
            out.append(_e(run))
    return "".join(out)


def _config() -> str:
    fonts = []
    for family, styles in FONTS.items():
        for key, path in styles.items():
            weight = "bold" if "b" in key else "normal"
            style = "italic" if "i" in key else "normal"
            fonts.append(f'<font embed-url="file://{path}" kerning="yes">'
                         f'<font-triplet name="{family}" style="{style}" weight="{weight}"/></font>')
    return ('<fop version="1.0"><complex-scripts disabled="true"/><renderers><renderer mime="application/pdf"><fonts>'
            + "".join(fonts) + "</fonts></renderer></renderers></fop>\n")


class _Builder:
    def __init__(self, spec: dict[str, Any], house: dict[str, Any]):
        self.spec = spec
        self.h = house
        self.items = spec_module.items_by_id(spec)
        self.sequences: list[tuple[str, list[str]]] = []   # (master, flow parts)
        self.heading_no = 0
        self.fn_no = 0
        self.headings: list[tuple[int, int, str, str]] = []  # (n, level, number, text)
        self.note = house.get("note_column") or ""

    # ---------------------------------------------------------------- helpers
    def seq(self, master: str) -> None:
        self.sequences.append((master, []))

    def emit(self, s: str) -> None:
        if not self.sequences:
            self.seq("body")
        self.sequences[-1][1].append(s)

    def cur_master(self) -> str:
        return self.sequences[-1][0] if self.sequences else ""

    def ensure_body(self) -> None:
        if self.cur_master() != "body":
            self.seq("body")

    def indent(self) -> str:
        return f' start-indent="{self.note}"' if self.note and self.cur_master() != "landscape" else ""

    def table(self, xml: str) -> str:
        """A table set in the text column: beside a note column it stands in a block-container (a new
        reference area), so that width="100%" and the proportional columns are those of the text column."""
        if self.note and self.cur_master() != "landscape":
            return (f'<fo:block-container margin-left="{self.note}"><fo:block start-indent="0mm" end-indent="0mm">'
                    f"{xml}</fo:block></fo:block-container>")
        return xml

    def para(self, inner: str, extra: str = "") -> str:
        return (f'<fo:block space-after="6pt" text-align="{self.h["align"]}" orphans="2" widows="2"{self.indent()}'
                f"{extra}>{inner}</fo:block>")

    def heading_label(self, level: int, number: str) -> str:
        if not number:
            return ""
        if level == 1:
            return f'{self.h["chapter_prefix"]}{number}'
        return f'{self.h["section_prefix"]}{number}'

    def bullets(self, points: list[str], start: str = "") -> str:
        start = start or (self.note or "0mm")
        rows = "".join(
            f'<fo:list-item space-after="2pt"><fo:list-item-label end-indent="label-end()"><fo:block>–</fo:block>'
            f'</fo:list-item-label><fo:list-item-body start-indent="body-start()"><fo:block>{p}</fo:block>'
            "</fo:list-item-body></fo:list-item>" for p in points)
        return (f'<fo:list-block provisional-distance-between-starts="5mm" provisional-label-separation="2mm" '
                f'start-indent="{start} + 3mm" space-after="6pt" text-align="start">{rows}</fo:list-block>')

    # ---------------------------------------------------------------- items
    def item_inline(self, item: dict[str, Any], bold: bool, short: bool) -> tuple[str, list[str]]:
        """The item's lead and text as inline FO, and its bullet points (if `bullets`)."""
        lead, text = item.get("lead", ""), item.get("text", "")
        lead_fo = f'<fo:inline font-weight="bold">{_e(lead)}</fo:inline>' if bold and lead else _e(lead)
        if short:
            return lead_fo, []
        points: list[str] = []
        if item.get("bullets") and ": " in text:
            text, rest = text.split(": ", 1)
            text += ":"
            points = [p.strip() + (";" if i < len(rest.split("; ")) - 1 else "")
                      for i, p in enumerate(rest.split("; "))]
        body = (lead_fo + (" " + _e(text) if text else "")).strip()
        return body, [_e(p) for p in points]

    def render_items(self, kind: str, style: str, items: list[dict[str, Any]], block: dict[str, Any],
                     short: bool = False) -> None:
        h = self.h
        if block.get("intro"):
            self.emit(self.para(_e(block["intro"])))
        if style == "numbered":
            rows = []
            for item in items:
                body, points = self.item_inline(item, False, short)
                rows.append(
                    f'<fo:list-item space-after="4pt"><fo:list-item-label end-indent="label-end()">'
                    f'<fo:block font-weight="bold" color="{h["accent"]}">{_e(item.get("number", ""))}.</fo:block>'
                    f'</fo:list-item-label><fo:list-item-body start-indent="body-start()"><fo:block '
                    f'text-align="{h["align"]}">{body}</fo:block>'
                    + (self.bullets(points, "body-start()") if points else "") + "</fo:list-item-body></fo:list-item>")
            self.emit(f'<fo:list-block provisional-distance-between-starts="8mm" space-after="8pt"{self.indent()}>'
                      + "".join(rows) + "</fo:list-block>")
        elif style == "number_own_line":
            for item in items:
                body, points = self.item_inline(item, False, short)
                self.emit(f'<fo:block keep-with-next="always" font-family="{h["head"]}" font-weight="bold" '
                          f'font-size="12pt" color="{h["accent"]}"{self.indent()}>{_e(item.get("number", ""))}.</fo:block>')
                self.emit(self.para(body))
                if points:
                    self.emit(self.bullets(points))
        elif style == "bold_lead":
            for item in items:
                body, points = self.item_inline(item, True, short)
                num = (f'<fo:inline font-weight="bold">{_e(item.get("number", ""))}. </fo:inline>'
                       if block.get("show_number") else "")
                self.emit(self.para(num + body))
                if points:
                    self.emit(self.bullets(points))
        elif style == "label":
            for item in items:
                label = f'{LABELS.get(item.get("type", kind), "Aanbeveling")} {item.get("number", "")}'
                if item.get("label_suffix"):  # "Aanbeveling 4 (alleen gemeente Druten)" (h12b)
                    label += f' {item["label_suffix"]}'
                if block.get("label_own_line"):
                    body, points = self.item_inline(item, True, short)
                    self.emit(f'<fo:block keep-with-next="always" font-family="{h["head"]}" font-weight="bold" '
                              f'font-size="{h["size"]}" color="{h["accent"]}" space-before="4pt" '
                              f'space-after="1pt"{self.indent()}>{_e(label)}</fo:block>')
                    self.emit(self.para(body, ' keep-with-next="always"' if points else ""))
                else:
                    body, points = self.item_inline(item, False, short)
                    self.emit(self.para(f'<fo:inline font-weight="bold" color="{h["accent"]}">{_e(label)}:</fo:inline> '
                                        + body))
                if points:
                    self.emit(self.bullets(points))
        elif style == "table":
            cols = block.get("columns") or ["Nr.", LABELS.get(kind, "Aanbeveling")]
            widths = block.get("widths") or [("12mm" if c.lower().rstrip(".") in ("nr", "nummer") else
                                              "35mm" if "gericht" in c.lower() else "proportional-column-width(1)")
                                             for c in cols]
            rows = []
            for n, item in enumerate(items):
                cells = []
                for col in cols:
                    low = col.lower().rstrip(".")
                    if low in ("nr", "nummer", "#"):
                        cells.append(f'<fo:block font-weight="bold" color="{h["accent"]}">{_e(item.get("number", ""))}</fo:block>')
                    elif "gericht" in low or low == "aan":
                        cells.append(f"<fo:block>{_e(ADDRESSEE.get(item.get('addressee'), item.get('addressee')))}</fo:block>")
                    elif low in ("conclusie", "termijn", "hoofdstuk") and kind == "aanbeveling":
                        cells.append(f"<fo:block>{_e(item.get(low, ''))}</fo:block>")
                    elif low.replace(" ", "_") in item:  # e.g. "Beoogd effect" reads item["beoogd_effect"]
                        cells.append(f'<fo:block text-align="start">{_e(item[low.replace(" ", "_")])}</fo:block>')
                    else:
                        body, points = self.item_inline(item, True, short)
                        cells.append(f'<fo:block text-align="start">{body}</fo:block>'
                                     + (self.bullets(points, "0mm") if points else ""))
                bg = f' background-color="{h["light"]}"' if n % 2 else ""
                rows.append("<fo:table-row>" + "".join(
                    f'<fo:table-cell padding="3pt 4pt" border-bottom="0.5pt solid #9a9a9a"{bg}>{c}</fo:table-cell>'
                    for c in cells) + "</fo:table-row>")
            head = "".join(f'<fo:table-cell padding="3pt 4pt" background-color="{h["accent"]}" color="white">'
                           f'<fo:block font-family="{h["head"]}" font-weight="bold" font-size="8.5pt">{_e(c)}</fo:block>'
                           "</fo:table-cell>" for c in cols)
            self.emit(self.table(
                '<fo:table table-layout="fixed" width="100%" space-after="10pt" font-size="9pt" start-indent="0mm">'
                + "".join(f'<fo:table-column column-width="{w}"/>' for w in widths)
                + f"<fo:table-header><fo:table-row>{head}</fo:table-row></fo:table-header>"
                + f'<fo:table-body>{"".join(rows)}</fo:table-body></fo:table>'))
        elif style == "boxes":
            for item in items:
                body, points = self.item_inline(item, True, short)
                label = f'{LABELS.get(item.get("type", kind), "Aanbeveling").upper()} {item.get("number", "")}'
                self.emit(f'<fo:block-container background-color="{h["light"]}" border-left="4pt solid {h["accent"]}" '
                          f'padding="5pt 8pt" space-after="8pt" keep-together.within-page="always"{self.indent()}>'
                          f'<fo:block start-indent="0mm" font-family="{h["head"]}" font-size="8pt" font-weight="bold" '
                          f'color="{h["accent"]}">{_e(label)}</fo:block><fo:block start-indent="0mm">{body}</fo:block>'
                          + (self.bullets(points, "0mm") if points else "") + "</fo:block-container>")
        else:
            raise ValueError(f"unknown item style {style!r}")

    # ---------------------------------------------------------------- blocks
    def build(self) -> None:
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if block.get("landscape"):
                self.seq("landscape")
                getattr(self, f"b_{kind}")(block)
                self.seq("body")
                continue
            if kind not in ("cover", "colofon", "toc"):
                self.ensure_body()
            getattr(self, f"b_{kind}")(block)
        # the end marker for "Pagina N van M"
        self.emit('<fo:block id="doc-end"/>')

    def b_cover(self, block: dict[str, Any]) -> None:
        self.seq("cover")
        h = self.h
        lines = list(block.get("lines", []))
        org, title = (lines + ["", ""])[:2]
        sub = lines[2] if len(lines) > 2 else ""
        rest = lines[3:]
        date = rest[-1] if rest else ""
        more = rest[:-1]
        if h["cover"] == "band":
            self.emit(
                f'<fo:block-container absolute-position="absolute" top="0mm" left="0mm" width="210mm" height="118mm" '
                f'background-color="{h["accent"]}"><fo:block/></fo:block-container>'
                f'<fo:block-container absolute-position="absolute" top="30mm" left="25mm" width="165mm">'
                f'<fo:block font-family="{h["head"]}" font-size="11pt" font-weight="bold" color="white" '
                f'letter-spacing="1.5pt">{_e(org)}</fo:block></fo:block-container>'
                f'<fo:block-container absolute-position="absolute" top="66mm" left="25mm" width="165mm">'
                f'<fo:block font-family="{h["head"]}" font-size="30pt" font-weight="bold" color="white" '
                f'line-height="1.1">{_e(title)}</fo:block></fo:block-container>'
                f'<fo:block-container absolute-position="absolute" top="132mm" left="25mm" width="150mm">'
                f'<fo:block font-family="{h["head"]}" font-size="14pt" color="{h["dark"]}" line-height="1.35">{_e(sub)}</fo:block>'
                + "".join(f'<fo:block font-family="{h["head"]}" font-size="11pt" color="#555555" space-before="4mm">{_e(m)}</fo:block>'
                          for m in more)
                + "</fo:block-container>"
                f'<fo:block-container absolute-position="absolute" top="262mm" left="25mm" width="120mm">'
                f'<fo:block font-family="{h["head"]}" font-size="10pt" color="#555555">{_e(date)}</fo:block>'
                "</fo:block-container>"
                f'<fo:block-container absolute-position="absolute" top="255mm" left="160mm" width="25mm" height="18mm" '
                f'background-color="{h["accent"]}"><fo:block/></fo:block-container>')
        else:  # rule: a thin coloured rule, the title low on the page, the org in (synthesized) small capitals
            self.emit(
                f'<fo:block-container absolute-position="absolute" top="22mm" left="22mm" width="166mm">'
                f'<fo:block font-family="{h["head"]}" font-size="12pt" font-weight="bold" color="{h["accent"]}" '
                f'border-bottom="1.2pt solid {h["accent"]}" padding-bottom="3mm">{_small_caps(org)}</fo:block>'
                "</fo:block-container>"
                f'<fo:block-container absolute-position="absolute" top="150mm" left="22mm" width="150mm">'
                f'<fo:block font-family="{h["head"]}" font-size="28pt" font-weight="bold" color="{h["dark"]}" '
                f'line-height="1.12">{_e(title)}</fo:block>'
                f'<fo:block font-family="{h["body"]}" font-size="13pt" color="{h["accent"]}" space-before="7mm">{_e(sub)}</fo:block>'
                + "".join(f'<fo:block font-family="{h["body"]}" font-size="11pt" space-before="3mm">{_e(m)}</fo:block>'
                          for m in more)
                + "</fo:block-container>"
                f'<fo:block-container absolute-position="absolute" top="262mm" left="22mm" width="166mm">'
                f'<fo:block font-family="{h["head"]}" font-size="10pt" border-top="0.6pt solid {h["accent"]}" '
                f'padding-top="2mm">{_e(date)}</fo:block></fo:block-container>')

    def b_colofon(self, block: dict[str, Any]) -> None:
        self.seq("front")
        h = self.h
        self.emit(f'<fo:block-container absolute-position="absolute" top="150mm" left="0mm" width="120mm">'
                  f'<fo:block font-family="{h["head"]}" font-size="8.5pt" line-height="1.5">'
                  f'<fo:block font-weight="bold" color="{h["accent"]}" space-after="3mm">Colofon</fo:block>'
                  + "".join(f"<fo:block>{_e(line) if line.strip() else '&#160;'}</fo:block>" for line in block.get("lines", []))
                  + "</fo:block></fo:block-container><fo:block/>")

    def b_toc(self, block: dict[str, Any]) -> None:
        if self.cur_master() != "front":
            self.seq("front")
        else:
            self.emit('<fo:block break-before="page"/>')
        h = self.h
        entries = []
        n = 0
        for b in self.spec["blocks"]:
            if b["kind"] != "heading":
                continue
            n += 1
            level = int(b.get("level", 1))
            if level > 2:
                continue
            label = self.heading_label(level, str(b.get("number", "")))
            bold = ' font-weight="bold" space-before="6pt"' if level == 1 else ' start-indent="12mm"'
            entries.append(
                f'<fo:block text-align-last="justify"{bold}>'
                f'<fo:inline keep-together.within-line="always">{_e(label)}{"&#160;&#160;" if label else ""}{_e(b["text"])}</fo:inline> '
                f'<fo:leader leader-pattern="dots" leader-pattern-width="4pt"/> '
                f'<fo:page-number-citation ref-id="h{n}"/></fo:block>')
        self.emit(f'<fo:block font-family="{h["head"]}" font-size="18pt" font-weight="bold" color="{h["accent"]}" '
                  f'space-after="8mm">{_e(block.get("title", "Inhoud"))}</fo:block>'
                  f'<fo:block font-family="{h["head"]}" font-size="10pt" line-height="1.5">' + "".join(entries) + "</fo:block>")

    def b_heading(self, block: dict[str, Any]) -> None:
        h = self.h
        self.heading_no += 1
        n = self.heading_no
        level = int(block.get("level", 1))
        number = str(block.get("number", ""))
        label = self.heading_label(level, number)
        self.headings.append((n, level, label, block["text"]))
        caps = ""
        lab = f'{_e(label)}&#160;&#160;&#160;' if label else ""
        title = _small_caps(block["text"]) if h["small_caps"] and level <= 2 else _e(block["text"])
        if level == 1:
            brk = ' break-before="page"' if h["chapter_new_page"] and self.body_started() else ""
            if h["band_headings"]:
                self.emit(f'<fo:block id="h{n}"{brk} keep-with-next="always" font-family="{h["head"]}" font-size="15pt" '
                          f'font-weight="bold" color="white" background-color="{h["accent"]}" padding="5pt 6pt 4pt 6pt" '
                          f'start-indent="0mm" end-indent="0mm" space-after="10pt"{caps}>{lab}{title}</fo:block>')
            else:
                self.emit(f'<fo:block id="h{n}"{brk} keep-with-next="always" font-family="{h["head"]}" font-size="17pt" '
                          f'font-weight="bold" color="{h["accent"]}" border-bottom="1pt solid {h["accent"]}" '
                          f'padding-bottom="3pt" space-after="10pt"{caps}>{lab}{title}</fo:block>')
        elif level == 2:
            band = (f' border-left="3pt solid {h["accent"]}" padding-left="4pt"' if h["band_headings"] else "")
            self.emit(f'<fo:block id="h{n}" keep-with-next="always" font-family="{h["head"]}" font-size="12pt" '
                      f'font-weight="bold" color="{h["dark"]}" space-before="10pt" space-after="4pt"{band}{caps}>'
                      f'<fo:inline color="{h["accent"]}">{lab}</fo:inline>{title}</fo:block>')
        else:
            self.emit(f'<fo:block id="h{n}" keep-with-next="always" font-family="{h["head"]}" font-size="10.5pt" '
                      f'font-weight="bold" space-before="7pt" space-after="3pt"{self.indent()}>{lab}{_e(block["text"])}</fo:block>')
        self._started = True

    def body_started(self) -> bool:
        return getattr(self, "_started", False) and bool(self.sequences[-1][1])

    def b_para(self, block: dict[str, Any]) -> None:
        inner = _e(block["text"])
        if block.get("footnote"):
            self.fn_no += 1
            k = self.fn_no
            inner += (f'<fo:footnote><fo:inline baseline-shift="3pt" font-size="6pt" line-height="1">{k}</fo:inline>'
                      f'<fo:footnote-body><fo:block font-size="7.5pt" start-indent="0mm" text-align="start" '
                      f'space-before="2pt"><fo:inline baseline-shift="3pt" font-size="6pt" line-height="1">{k}</fo:inline> '
                      f'{_e(block["footnote"])}</fo:block></fo:footnote-body></fo:footnote>')
        if block.get("margin_note") and self.note:
            h = self.h
            self.emit(f'<fo:list-block provisional-distance-between-starts="{self.note}" provisional-label-separation="5mm" '
                      f'space-after="6pt"><fo:list-item><fo:list-item-label end-indent="label-end()">'
                      f'<fo:block font-family="{h["head"]}" font-size="8pt" font-style="italic" color="{h["accent"]}" '
                      f'text-align="end" line-height="1.25" padding-top="1pt">{_e(block["margin_note"])}</fo:block>'
                      f'</fo:list-item-label><fo:list-item-body start-indent="body-start()"><fo:block '
                      f'text-align="{h["align"]}" orphans="2" widows="2">{inner}</fo:block></fo:list-item-body>'
                      "</fo:list-item></fo:list-block>")
        else:
            self.emit(self.para(inner))

    def b_quote(self, block: dict[str, Any]) -> None:
        ind = self.note or "0mm"
        self.emit(f'<fo:block start-indent="{ind} + 8mm" end-indent="8mm" font-style="italic" color="#444444" '
                  f'border-left="2pt solid {self.h["accent"]}" padding-left="4mm" space-after="8pt">{_e(block["text"])}</fo:block>')

    def b_kader(self, block: dict[str, Any]) -> None:
        h = self.h
        title = f'<fo:block font-family="{h["head"]}" font-weight="bold" font-size="12pt" color="{h["accent"]}" ' \
                f'space-after="4pt">{_e(block["title"])}</fo:block>' if block.get("title") else ""
        text = f'<fo:block space-after="4pt">{_e(block["text"])}</fo:block>' if block.get("text") else ""
        src = f'<fo:block font-size="8pt" text-align="end">{_e(block["source"])}</fo:block>' if block.get("source") else ""
        pts = block.get("bullets") or []
        self.emit(f'<fo:block-container background-color="{h["light"]}" border-top="3pt solid {h["accent"]}" '
                  f'padding="6pt 9pt 3pt 9pt" space-after="12pt" keep-together.within-page="always"{self.indent()}>'
                  f'<fo:block start-indent="0mm" end-indent="0mm" text-align="start">{title}{text}'
                  + (self.bullets([_e(p) for p in pts], "0mm") if pts else "") + f"{src}</fo:block></fo:block-container>")

    def b_items(self, block: dict[str, Any]) -> None:
        items = [{**i, "type": block["type"]} for i in block["items"]]
        self.render_items(block["type"], block["style"], items, block)

    def b_repeat(self, block: dict[str, Any]) -> None:
        items = [self.items[r] for r in block["refs"]]
        kind = items[0]["type"] if items else "aanbeveling"
        self.render_items(kind, block["style"], items, block, short=bool(block.get("short")))

    def b_norm(self, block: dict[str, Any]) -> None:
        h = self.h
        self.emit(f'<fo:block keep-with-next="always" background-color="{h["dark"]}" color="white" padding="4pt 6pt" '
                  f'font-family="{h["head"]}" font-weight="bold" font-size="9pt" space-before="6pt"{self.indent()}>'
                  f'Norm {_e(block.get("number", ""))}  {_e(block.get("text", ""))}</fo:block>')
        for f in block.get("findings", []):
            self.emit(self.para(_e(f)))
        if block.get("verdict"):
            self.emit(self.para(f'<fo:inline font-weight="bold">{_e(block["verdict"])}</fo:inline>'))

    def b_findings(self, block: dict[str, Any]) -> None:
        for item in block["items"]:
            self.b_para({"text": item["text"], "margin_note": item.get("margin_note")})

    def b_columns(self, block: dict[str, Any]) -> None:
        if int(block.get("count", 1)) > 1:
            raise NotImplementedError("produce_fop: two-column running text is not supported")

    def b_page_break(self, block: dict[str, Any]) -> None:
        self.emit('<fo:block break-after="page"/>')

    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        if block.get("scanned"):
            raise NotImplementedError("produce_fop: scanned letters are not supported")
        gemeente = self.spec["meta"].get("gemeente", "").split(",")[0].strip()
        letterhead = block.get("letterhead") or f"Gemeente {gemeente}"
        brk = ' break-before="page"' if block.get("new_page") else ""
        parts = [f'<fo:block font-family="LiberationSans" font-size="14pt" font-weight="bold">{_e(letterhead)}</fo:block>',
                 f'<fo:block font-family="LiberationSans" font-size="7.5pt" color="#555555" space-after="8mm">'
                 f'{_e(block.get("letterhead_sub", "")) or "&#160;"}</fo:block>']
        for line in block.get("address", []):
            parts.append(f"<fo:block>{_e(line)}</fo:block>")
        if block.get("date_line"):
            parts.append(f'<fo:block space-before="6mm" font-size="9pt">{_e(block["date_line"])}</fo:block>')
        parts.append('<fo:block space-after="6mm"/>')
        for p in block.get("paragraphs", []):
            parts.append(f'<fo:block space-after="5pt">{_e(p)}</fo:block>')
        parts.append('<fo:block space-before="6mm" keep-together.within-page="always">'
                     + "".join(f'<fo:block white-space-collapse="false">{_e(s)}</fo:block>'
                               for s in block.get("signature", [])) + "</fo:block>")
        self.emit(f'<fo:block-container{brk} margin-left="{self.note or "0mm"}" border="0.6pt solid #999999" '
                  f'padding="8mm 10mm 6mm 10mm" space-after="12pt"><fo:block start-indent="0mm" end-indent="0mm" '
                  f'font-family="LiberationSerif" font-size="10pt" line-height="1.35" text-align="start">'
                  + "".join(parts) + "</fo:block></fo:block-container>")

    def b_reaction_table(self, block: dict[str, Any]) -> None:
        h = self.h
        cols = block.get("columns") or ["Aanbeveling", "Reactie college"]
        widths = block.get("widths") or ["proportional-column-width(1)"] * len(cols)
        if block.get("intro"):
            self.emit(self.para(_e(block["intro"])))
        rows = []
        for n, row in enumerate(block.get("rows", [])):
            item = self.items.get(row.get("ref"), {})
            cells = []
            for col in cols:
                low = col.lower()
                if low.rstrip(".") in ("nr", "nummer"):
                    cells.append(f'<fo:block font-weight="bold">{_e(item.get("number", ""))}</fo:block>')
                elif "standpunt" in low:
                    cells.append(f'<fo:block font-weight="bold" color="{h["accent"]}">{_e(row.get("standpunt", ""))}</fo:block>')
                elif "nawoord" in low:
                    cells.append(f"<fo:block>{_e(row.get('nawoord', ''))}</fo:block>")
                elif low.startswith("aanbeveling"):
                    num = "" if any(c.lower().rstrip(".") in ("nr", "nummer") for c in cols) else \
                        f'<fo:block font-weight="bold">Aanbeveling {_e(item.get("number", ""))}</fo:block>'
                    cells.append(f"{num}<fo:block>{_e(item.get('lead', ''))}</fo:block>")
                else:
                    cells.append(f"<fo:block>{_e(row.get('reaction', ''))}</fo:block>")
            bg = f' background-color="{h["light"]}"' if n % 2 else ""
            rows.append("<fo:table-row>" + "".join(
                f'<fo:table-cell padding="3pt 4pt" border-bottom="0.5pt solid #9a9a9a"{bg}>{c}</fo:table-cell>'
                for c in cells) + "</fo:table-row>")
        head = "".join(f'<fo:table-cell padding="3pt 4pt" background-color="{h["dark"]}" color="white">'
                       f'<fo:block font-family="{h["head"]}" font-weight="bold" font-size="8.5pt">{_e(c)}</fo:block>'
                       "</fo:table-cell>" for c in cols)
        self.emit(self.table(
            '<fo:table table-layout="fixed" width="100%" space-after="10pt" font-size="9pt" text-align="start" '
            'start-indent="0mm">' + "".join(f'<fo:table-column column-width="{w}"/>' for w in widths)
            + f"<fo:table-header><fo:table-row>{head}</fo:table-row></fo:table-header>"
            + f'<fo:table-body>{"".join(rows)}</fo:table-body></fo:table>'))


def _static(spec: dict[str, Any], h: dict[str, Any], landscape: bool) -> str:
    meta = spec["meta"]
    font = f'font-family="{h["head"]}" font-size="7.5pt" color="#555555"'
    header = ""
    rh = spec.get("running_header")
    if rh:
        if h["header"] == "split":
            inner = (f'<fo:block {font} text-align-last="justify" border-bottom="0.5pt solid {h["accent"]}" '
                     f'padding-bottom="2pt">{_e(meta.get("rekenkamer", ""))}<fo:leader leader-pattern="space"/>'
                     f'{_e(rh)}</fo:block>')
        else:
            text = _small_caps(rh) if h["small_caps"] else _e(rh)
            inner = (f'<fo:block {font} border-bottom="0.5pt solid {h["accent"]}" padding-bottom="2pt" '
                     f'letter-spacing="0.3pt">{text}</fo:block>')
        header = f'<fo:static-content flow-name="xsl-region-before">{inner}</fo:static-content>'
    if h["footer"] == "page_of":
        foot = (f'<fo:block {font} text-align="center">Pagina <fo:page-number/> van '
                f'<fo:page-number-citation ref-id="doc-end"/></fo:block>')
    else:
        foot = (f'<fo:block {font} text-align-last="justify">{_e(meta.get("rekenkamer", ""))}'
                f'<fo:leader leader-pattern="space"/><fo:inline font-weight="bold" color="{h["accent"]}" font-size="8.5pt">'
                f'<fo:page-number/></fo:inline></fo:block>')
    footer = f'<fo:static-content flow-name="xsl-region-after">{foot}</fo:static-content>'
    return header + footer


def _fo(spec: dict[str, Any], h: dict[str, Any]) -> tuple[str, str]:
    b = _Builder(spec, h)
    b.build()
    meta = spec["meta"]
    date = h.get("date") or f"{meta.get('year', 2020)}-06-01"
    stamp = f"{date}T12:00:00Z"
    desc = ['<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:xmp="http://ns.adobe.com/xap/1.0/">']
    if spec.get("pdf_info"):
        desc.append(f"<dc:title>{_e(meta['title'])}</dc:title><dc:creator>{_e(meta.get('rekenkamer', ''))}</dc:creator>")
    desc.append(f"<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
                 f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate><dc:date>{stamp}</dc:date></rdf:Description>")
    decl = ('<fo:declarations><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' + "".join(desc)
            + "</rdf:RDF></x:xmpmeta></fo:declarations>")
    masters = (
        '<fo:layout-master-set>'
        '<fo:simple-page-master master-name="cover" page-width="210mm" page-height="297mm" margin="0mm">'
        '<fo:region-body/></fo:simple-page-master>'
        '<fo:simple-page-master master-name="front" page-width="210mm" page-height="297mm" margin="25mm 24mm 25mm 26mm">'
        '<fo:region-body/></fo:simple-page-master>'
        '<fo:simple-page-master master-name="body" page-width="210mm" page-height="297mm" margin="12mm 22mm 10mm 24mm">'
        '<fo:region-body margin-top="15mm" margin-bottom="15mm"/><fo:region-before extent="10mm"/>'
        '<fo:region-after extent="8mm" display-align="after"/></fo:simple-page-master>'
        '<fo:simple-page-master master-name="landscape" page-width="297mm" page-height="210mm" margin="10mm 20mm 8mm 20mm">'
        '<fo:region-body margin-top="14mm" margin-bottom="13mm"/><fo:region-before extent="10mm"/>'
        '<fo:region-after extent="8mm" display-align="after"/></fo:simple-page-master>'
        '</fo:layout-master-set>')
    bookmarks = ""
    if spec.get("outline"):
        out, open_l1 = [], False
        for n, level, label, text in b.headings:
            title = f"<fo:bookmark-title>{_e((label + ' ' + text).strip())}</fo:bookmark-title>"
            if level == 1:
                if open_l1:
                    out.append("</fo:bookmark>")
                out.append(f'<fo:bookmark internal-destination="h{n}">{title}')
                open_l1 = True
            elif level == 2:
                out.append(f'<fo:bookmark internal-destination="h{n}">{title}</fo:bookmark>')
        if open_l1:
            out.append("</fo:bookmark>")
        bookmarks = "<fo:bookmark-tree>" + "".join(out) + "</fo:bookmark-tree>" if out else ""
    seqs = []
    for master, parts in b.sequences:
        if not parts:
            continue
        static = _static(spec, h, master == "landscape") if master in ("body", "landscape") else ""
        seqs.append(f'<fo:page-sequence master-reference="{master}" initial-page-number="auto">{static}'
                    f'<fo:flow flow-name="xsl-region-body">' + "\n".join(parts) + "</fo:flow></fo:page-sequence>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<fo:root xmlns:fo="{FO}" xml:lang="nl" language="nl" '
            f'font-family="{h["body"]}" font-size="{h["size"]}" line-height="1.4" color="{h["dark"]}">'
            + masters + decl + bookmarks + "\n".join(seqs) + "</fo:root>\n"), stamp


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
    source, stamp = _fo(spec, house)
    with tempfile.TemporaryDirectory(prefix="fop_render_") as tmp:
        work = Path(tmp)
        (work / "fop.xconf").write_text(_config(), encoding="utf-8")
        (work / "rapport.fo").write_text(source, encoding="utf-8")
        proc = subprocess.run(["fop", "-q", "-c", str(work / "fop.xconf"), "-fo", str(work / "rapport.fo"),
                               "-pdf", str(work / "out.pdf")], capture_output=True, text=True)
        if proc.returncode != 0 or not (work / "out.pdf").exists():
            raise RuntimeError(f"fop failed: {proc.stderr[-3000:]}")
        data = (work / "out.pdf").read_bytes()
    # same-length fixes: the clock's XMP dates and the random /ID
    data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp.encode("ascii"), data)
    ident = hashlib.md5(spec["id"].encode("utf-8")).hexdigest().upper().encode("ascii")
    data = re.sub(rb"/ID \[<[0-9A-Fa-f]{32}> <[0-9A-Fa-f]{32}>\]", b"/ID [<" + ident + b"> <" + ident + b">]", data)
    out_pdf.write_bytes(data)
