"""Render a layout-corpus spec with MuPDF's HTML engine: XHTML + CSS → `mutool convert` → PDF.

MuPDF (Debian `mupdf-tools`, mutool 1.21) lays out (X)HTML and EPUB with its own small CSS engine, the way an
e-reader does. What it can and cannot do, found by trying (see README, "The h5 set"):
  * the page size comes from `-W/-H` (points), not from `@page { size }`; `@page { margin }` is honoured;
  * only fonts named in `@font-face` (a file path) are used; any other family falls back to MuPDF's built-in
    Charis SIL (serif) — the house style's `font` may be "builtin" for that;
  * no CSS columns, floats or inline-blocks, no footnotes, no `page-break-inside: avoid`, no `<ol start>` or
    `<li value>`; `page-break-before/after: always`, borders, padding and background colours work;
  * tables: every column gets the same width whatever `width`/`<col>` say, a cell is only as tall as its own
    text (the borders of one row end at different heights) and a block (`<p>`) inside a cell breaks the table,
    so cell text is inline with `<br/>`;
  * no running header, no page numbers, no outline and no info dictionary at all: the renderer stamps the
    running header and the page numbers on the laid-out pages with `mutool run` (MuPDF's JavaScript), which also
    writes Title/Author when the spec asks for them. There is never an outline (no bookmarks API used).
A norm's verdict is printed bold and italic without an "Oordeel:" label: the gold text of a norm is its findings
and verdict joined, and a label between them makes spec.locate_pages miss the end of a norm that runs over a page.
Notes are chapter endnotes ("Noten") under a rule. With a toc block the document is converted twice: the second
run prints the heading pages found in the first run's text (physical page numbers; the cover is page 1).
mutool writes no dates and no /ID, so the output repeats byte for byte.
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

MUTOOL = shutil.which("mutool") or "mutool"
A4 = (595, 842)
FONT_FILES = {
    "Liberation Sans": "/usr/share/fonts/truetype/liberation/LiberationSans-{}.ttf",
    "Liberation Serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-{}.ttf",
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans{}.ttf",
    "DejaVu Serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif{}.ttf",
    "Lato": "/usr/share/fonts/truetype/lato/Lato-{}.ttf",
}
FACE_SUFFIX = {
    "Liberation Sans": ("Regular", "Bold", "Italic", "BoldItalic"),
    "Liberation Serif": ("Regular", "Bold", "Italic", "BoldItalic"),
    "DejaVu Sans": ("", "-Bold", "-Oblique", "-BoldOblique"),
    "DejaVu Serif": ("", "-Bold", "-Italic", "-BoldItalic"),
    "Lato": ("Regular", "Bold", "Italic", "BoldItalic"),
}
LABELS = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}
ADDRESSEE = {"college": "College van B en W", "raad": "Gemeenteraad", None: "", "": ""}


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def font_faces(names: list[str]) -> str:
    out = []
    for name in dict.fromkeys(names):
        if name not in FONT_FILES:
            continue  # "builtin": MuPDF's Charis SIL / its own sans
        for (weight, style), suffix in zip((("normal", "normal"), ("bold", "normal"), ("normal", "italic"),
                                            ("bold", "italic")), FACE_SUFFIX[name]):
            path = FONT_FILES[name].format(suffix)
            if Path(path).exists():
                out.append(f'@font-face {{ font-family: "{name}"; font-weight: {weight}; font-style: {style}; '
                           f'src: url("{path}"); }}')
    return "\n".join(out)


def house(spec: dict[str, Any]) -> dict[str, Any]:
    h = {"font": "builtin", "head_font": "builtin", "color": "1F4E79", "light": "E8EEF5", "size": 10,
         "align": "left", "table_rules": True}
    h.update(spec.get("house") or {})
    return h


def css(h: dict[str, Any]) -> str:
    fam = (lambda f: f'"{f}"' if f != "builtin" else "serif")
    body, head = fam(h["font"]), fam(h["head_font"])
    c, light = "#" + h["color"], "#" + h["light"]
    rules = h.get("table_rules", True)
    cell_border = "border: 0.5pt solid #8a8a8a;" if rules else "border: none;"
    th = (f"background-color: {c}; color: white;" if rules else f"border-bottom: 1pt solid {c}; color: {c};")
    return f"""{font_faces([h['font'], h['head_font']])}
@page {{ margin: 24mm 21mm 22mm 21mm; }}
body {{ font-family: {body}; font-size: {h['size']}pt; line-height: 1.38; text-align: {h['align']}; color: #1e1e1e; }}
p {{ margin: 0 0 6pt 0; }}
h1, h2, h3 {{ font-family: {head}; text-align: left; }}
h1 {{ font-size: 17pt; color: {c}; margin: 0 0 10pt 0; padding-bottom: 3pt; border-bottom: 1.2pt solid {c}; }}
h1.brk {{ page-break-before: always; }}
h2 {{ font-size: 12pt; color: {c}; margin: 12pt 0 4pt 0; }}
h3 {{ font-size: 10.5pt; margin: 9pt 0 3pt 0; }}
.pb {{ page-break-after: always; }}
.cover {{ page-break-after: always; text-align: left; }}
.cover .band {{ background-color: {c}; color: white; padding: 40mm 10mm 12mm 10mm; font-family: {head}; }}
.cover .org {{ font-size: 11pt; font-weight: bold; margin-bottom: 18mm; }}
.cover .title {{ font-size: 28pt; font-weight: bold; line-height: 1.15; }}
.cover .sub {{ font-size: 13pt; margin: 10mm 10mm 0 10mm; font-family: {head}; }}
.cover .more {{ font-size: 11pt; margin: 3mm 10mm 0 10mm; color: #555555; }}
.cover .date {{ font-size: 10pt; margin: 60mm 10mm 0 10mm; color: #555555; }}
.colofon {{ page-break-after: always; padding-top: 150mm; font-size: 8.5pt; text-align: left; }}
.colofon .ttl {{ font-weight: bold; color: {c}; margin-bottom: 3mm; }}
.toc {{ page-break-after: always; font-family: {head}; }}
.toc .ttl {{ font-size: 17pt; font-weight: bold; color: {c}; margin-bottom: 8mm; }}
.toc p {{ margin: 0 0 3pt 0; text-align: left; }}
.toc p.l1 {{ font-weight: bold; margin-top: 6pt; }}
.toc p.l2 {{ margin-left: 8mm; }}
blockquote {{ margin: 4pt 10mm 9pt 10mm; padding: 5pt 7pt; background-color: {light}; font-style: italic; }}
blockquote .src {{ font-style: normal; font-size: 85%; color: #555555; margin-top: 3pt; }}
ol.items {{ margin: 0 0 9pt 0; padding-left: 8mm; }}
ol.items li {{ margin-bottom: 5pt; }}
p.num {{ margin-left: 8mm; text-indent: -8mm; }}
ul {{ margin: 0 0 8pt 0; padding-left: 7mm; }}
.nol {{ margin: 0 0 8pt 0; }}
.nol .no {{ font-family: {head}; font-weight: bold; font-size: 14pt; color: {c}; margin: 0; }}
table {{ border-collapse: collapse; margin: 4pt 0 12pt 0; text-align: left; }}
th {{ {th} font-family: {head}; font-weight: bold; font-size: 8.5pt; padding: 3pt 4pt; text-align: left; vertical-align: top; }}
td {{ {cell_border} padding: 3pt 4pt; vertical-align: top; font-size: 9pt; text-align: left; }}
.box {{ border: 1pt solid {c}; background-color: {light}; margin: 0 0 10pt 0; padding: 0 0 2pt 0; }}
.box .bh {{ background-color: {c}; color: white; font-family: {head}; font-weight: bold; font-size: 8.5pt; padding: 3pt 7pt; }}
.box p {{ margin: 5pt 7pt 4pt 7pt; }}
.norm {{ margin: 6pt 0 12pt 0; }}
.norm .nh {{ background-color: {light}; border-left: 4pt solid {c}; padding: 4pt 8pt; font-family: {head}; font-weight: bold; font-size: 9.5pt; }}
.norm .nb {{ padding: 5pt 0 0 10pt; }}
.norm .verdict {{ font-style: italic; }}
.letter {{ border: 0.6pt solid #999999; padding: 9mm 11mm 5mm 11mm; margin: 6pt 0 12pt 0; text-align: left; }}
.letter .lh {{ font-family: {head}; font-weight: bold; font-size: 13pt; margin-bottom: 6mm; }}
.letter .adr p, .letter .sig p {{ margin: 0 0 1pt 0; }}
.letter .adr {{ margin-bottom: 6mm; }}
.scanpage {{ page-break-before: always; page-break-after: always; }}
.notes {{ margin-top: 12pt; border-top: 0.5pt solid #777777; padding-top: 3pt; font-size: 8pt; line-height: 1.3; text-align: left; }}
.notes .nt {{ font-weight: bold; margin-bottom: 2pt; }}
.notes p {{ margin: 0 0 2pt 0; }}
sup {{ font-size: 70%; }}
"""


class Builder:
    def __init__(self, spec: dict[str, Any], scan_dir: Path, toc_pages: list[int] | None):
        self.spec = spec
        self.items = spec_module.items_by_id(spec)
        self.scan_dir = scan_dir
        self.toc_pages = toc_pages
        self.out: list[str] = []
        self.notes: list[str] = []
        self.note_no = 0
        self.scans = 0
        self.first_h1 = True

    def flush_notes(self) -> None:
        if not self.notes:
            return
        start = self.note_no - len(self.notes) + 1
        self.out.append('<div class="notes"><p class="nt">Noten</p>'
                        + "".join(f"<p>{start + k}. {esc(n)}</p>" for k, n in enumerate(self.notes)) + "</div>")
        self.notes = []

    @staticmethod
    def body(item: dict[str, Any], bold: bool = False, short: bool = False) -> str:
        lead, text = item.get("lead", ""), "" if short else item.get("text", "")
        lead_html = f"<b>{esc(lead)}</b>" if bold and lead else esc(lead)
        return (lead_html + (" " + esc(text) if text else "")).strip()

    def render_items(self, kind: str, style: str, items: list[dict[str, Any]], columns: list[str] | None,
                     short: bool = False, show_number: bool = False) -> None:
        if style == "numbered":
            numbers = [str(i.get("number", "")) for i in items]
            if numbers == [str(k) for k in range(1, len(items) + 1)]:  # MuPDF ignores start/value
                self.out.append('<ol class="items">' + "".join(f"<li>{self.body(i, short=short)}</li>" for i in items)
                                + "</ol>")
            else:
                for i in items:
                    self.out.append(f'<p class="num">{esc(i.get("number", ""))}.&#160;&#160;{self.body(i, short=short)}</p>')
        elif style == "number_own_line":
            for i in items:
                self.out.append(f'<div class="nol"><p class="no">{esc(i.get("number", ""))}</p>'
                                f"<p>{self.body(i, bold=True, short=short)}</p></div>")
        elif style == "bold_lead":
            for i in items:
                num = f"<b>{esc(i.get('number', ''))}. </b>" if show_number else ""
                self.out.append(f"<p>{num}{self.body(i, bold=True, short=short)}</p>")
        elif style == "label":
            for i in items:
                label = LABELS.get(i.get("type", kind), "Aanbeveling")
                self.out.append(f"<p><b>{label} {esc(i.get('number', ''))}:</b> {self.body(i, short=short)}</p>")
        elif style == "table":
            cols = columns or ["Nr.", LABELS.get(kind, "Aanbeveling")]
            rows = []
            for i in items:
                cells = []
                for col in cols:
                    low = col.lower().rstrip(".")
                    if low in ("nr", "nummer", "#"):
                        cells.append(f"<td>{esc(i.get('number', ''))}</td>")
                    elif "gericht" in low or low == "aan":
                        cells.append(f"<td>{esc(ADDRESSEE.get(i.get('addressee'), i.get('addressee')))}</td>")
                    else:
                        cells.append(f"<td>{self.body(i, bold=bool(i.get('text')) and not short, short=short)}</td>")
                rows.append("<tr>" + "".join(cells) + "</tr>")
            self.out.append("<table><tr>" + "".join(f"<th>{esc(c)}</th>" for c in cols) + "</tr>" + "".join(rows)
                            + "</table>")
        elif style == "boxes":
            for i in items:
                label = LABELS.get(i.get("type", kind), "Aanbeveling").upper()
                self.out.append(f'<div class="box"><p class="bh">{label} {esc(i.get("number", ""))}</p>'
                                f"<p>{self.body(i, bold=True, short=short)}</p></div>")
        else:
            raise ValueError(f"unknown item style {style!r}")

    def front(self, block: dict[str, Any]) -> None:
        if block["kind"] == "cover":
            lines = list(block.get("lines", []))
            org, title = (lines + ["", ""])[:2]
            sub = lines[2] if len(lines) > 2 else ""
            rest = lines[3:]
            date = rest[-1] if rest else ""
            self.out.append('<div class="cover"><div class="band">'
                            f'<p class="org">{esc(org)}</p><p class="title">{esc(title)}</p></div>'
                            + (f'<p class="sub">{esc(sub)}</p>' if sub else "")
                            + "".join(f'<p class="more">{esc(m)}</p>' for m in rest[:-1])
                            + f'<p class="date">{esc(date)}</p></div>')
        elif block["kind"] == "colofon":
            self.out.append('<div class="colofon"><p class="ttl">Colofon</p>'
                            + "".join(f"<p>{esc(line) or '&#160;'}</p>" for line in block.get("lines", [])) + "</div>")
        elif block["kind"] == "toc":
            heads = [b for b in self.spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]
            rows = []
            for n, h in enumerate(heads):
                page = self.toc_pages[n] if self.toc_pages and n < len(self.toc_pages) else 88
                lvl = int(h.get("level", 1))
                num = f"{esc(h.get('number', ''))}&#160;&#160;" if h.get("number") else ""
                rows.append(f'<p class="l{lvl}">{num}{esc(h["text"])} &#160;. . . . . . &#160;{page}</p>')
            self.out.append('<div class="toc"><p class="ttl">Inhoud</p>' + "".join(rows) + "</div>")

    def build(self) -> str:
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind in ("cover", "colofon", "toc"):
                self.front(block)
            elif kind == "heading":
                level = int(block.get("level", 1))
                number = str(block.get("number", ""))
                text = (f"{esc(number)}&#160;&#160;" if number else "") + esc(block["text"])
                if level == 1:
                    self.flush_notes()
                    cls = "" if self.first_h1 or block.get("same_page") else ' class="brk"'
                    self.first_h1 = False
                    self.out.append(f"<h1{cls}>{text}</h1>")
                else:
                    self.out.append(f"<h{min(level, 3)}>{text}</h{min(level, 3)}>")
            elif kind == "para":
                note = ""
                if block.get("footnote"):
                    self.note_no += 1
                    self.notes.append(block["footnote"])
                    note = f"<sup>{self.note_no}</sup>"
                bullets = "".join(f"<li>{esc(b)}</li>" for b in block.get("bullets", []))
                self.out.append(f"<p>{esc(block['text'])}{note}</p>" + (f"<ul>{bullets}</ul>" if bullets else ""))
            elif kind == "quote":
                src = f'<p class="src">{esc(block["source"])}</p>' if block.get("source") else ""
                self.out.append(f"<blockquote><p>{esc(block['text'])}</p>{src}</blockquote>")
            elif kind == "items":
                items = [{**i, "type": block["type"]} for i in block["items"]]
                self.render_items(block["type"], block["style"], items, block.get("columns"),
                                  show_number=bool(block.get("show_number")))
            elif kind == "repeat":
                items = [self.items[r] for r in block["refs"]]
                self.render_items(items[0]["type"] if items else "aanbeveling", block["style"], items,
                                  block.get("columns"), short=bool(block.get("short")),
                                  show_number=bool(block.get("show_number")))
            elif kind == "norm":
                findings = "".join(f"<p>{esc(f)}</p>" for f in block.get("findings", []))
                verdict = block.get("verdict", "")
                self.out.append(f'<div class="norm"><p class="nh">Norm {esc(block.get("number", ""))}: '
                                f'{esc(block.get("text", ""))}</p><div class="nb">{findings}'
                                + (f'<p class="verdict"><b>{esc(verdict)}</b></p>' if verdict else "")
                                + "</div></div>")
            elif kind == "findings":
                for item in block["items"]:
                    self.out.append(f"<p>{esc(item['text'])}</p>")
            elif kind == "reaction_letter":
                self.reaction_letter(block)
            elif kind == "reaction_table":
                self.reaction_table(block)
            elif kind == "columns":
                pass  # MuPDF has no columns (see the module text); the specs for it have none
            elif kind == "page_break":
                self.flush_notes()
                self.out.append('<div class="pb"></div>')
        self.flush_notes()
        return "\n".join(self.out)

    def reaction_letter(self, block: dict[str, Any]) -> None:
        paragraphs = block.get("paragraphs", [])
        signature = block.get("signature", [])
        letterhead = block.get("letterhead") or f"Gemeente {self.spec['meta'].get('gemeente', '').split(',')[0]}"
        if block.get("scanned"):
            for png in scan.letter_pages([*block.get("address", []), *paragraphs], signature, letterhead=letterhead,
                                         seed=int(block.get("seed", 7))):
                self.scans += 1
                name = f"scan{self.scans}.png"
                (self.scan_dir / name).write_bytes(png)
                self.out.append(f'<div class="scanpage"><img src="{name}" alt="" style="width: 160mm"/></div>')
            return
        address = "".join(f"<p>{esc(a)}</p>" for a in block.get("address", []))
        self.out.append(f'<div class="letter"><p class="lh">{esc(letterhead)}</p>'
                        + (f'<div class="adr">{address}</div>' if address else "")
                        + "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
                        + '<div class="sig">' + "".join(f"<p>{esc(s)}</p>" for s in signature) + "</div></div>")

    def reaction_table(self, block: dict[str, Any]) -> None:
        cols = block.get("columns") or ["Aanbeveling", "Reactie college"]
        rows = []
        for row in block.get("rows", []):
            item = self.items.get(row.get("ref"), {})
            cells = [f'<td><b>Aanbeveling {esc(item.get("number", ""))}</b><br/>{esc(item.get("lead", ""))}</td>',
                     f"<td>{esc(row.get('reaction', ''))}</td>"]
            if len(cols) > 2:
                cells.append(f"<td>{esc(row.get('nawoord', ''))}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        self.out.append("<table><tr>" + "".join(f"<th>{esc(c)}</th>" for c in cols) + "</tr>" + "".join(rows)
                        + "</table>")


def document(spec: dict[str, Any], scan_dir: Path, toc_pages: list[int] | None) -> str:
    h = house(spec)
    body = Builder(spec, scan_dir, toc_pages).build()
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="nl">'
            f'<head><title>{esc(spec["meta"]["title"])}</title><style>\n{css(h)}</style></head>\n<body>\n{body}\n'
            "</body></html>\n")


def pdf_literal(text: str) -> str:
    """A PDF string for a WinAnsi-encoded simple font, ASCII only (octal escapes), for the JS source."""
    out = []
    for ch in text.encode("cp1252", errors="replace"):
        c = chr(ch)
        if c in "()\\":
            out.append("\\\\" + c)
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append("\\\\%03o" % ch)
    return "(" + "".join(out) + ")"


def js_string(text: str) -> str:
    return '"' + "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "\\u%04x" % ord(c) for c in text) + '"'


STAMP_JS = """
var doc = new PDFDocument(scriptArgs[0]);
var font = doc.addSimpleFont(new Font("Helvetica"), "Latin");
var n = doc.countPages();
for (var i = 0; i < n; i++) {
  if (i < FIRST) continue;
  var page = doc.findPage(i);
  var res = page.Resources;
  if (!res.Font) res.Font = doc.newDictionary();
  res.Font.MdHdr = font;
  var s = "q 0.35 g BT /MdHdr 8 Tf " + FOOTX + " 34 Td (" + (i + 1) + ") Tj ET Q\\n";
  if (HEADER) s += "q 0.35 g BT /MdHdr 8 Tf 59.5 802 Td " + HEADER + " Tj ET 0.5 w 0.6 G 59.5 796 m 535.5 796 l S Q\\n";
  // MuPDF's own content flips the y axis without restoring it: wrap it in q ... Q first.
  var a = doc.newArray();
  a.push(doc.addStream("q\\n", {}));
  var c = page.Contents;
  if (c.isArray()) { for (var k = 0; k < c.length; k++) a.push(c[k]); } else a.push(c);
  a.push(doc.addStream("Q\\n" + s, {}));
  page.Contents = a;
}
if (TITLE !== null) {
  var info = doc.newDictionary();
  info.Title = doc.newString(TITLE);
  info.Author = doc.newString(AUTHOR);
  doc.getTrailer().Info = doc.addObject(info);
}
doc.save(scriptArgs[1], "garbage,compress");
"""


def stamp(pdf_in: Path, pdf_out: Path, spec: dict[str, Any], first: int, tmp: Path) -> None:
    header = spec.get("running_header")
    js = (STAMP_JS.replace("FIRST", str(first)).replace("FOOTX", "295")
          .replace("HEADER", '"' + pdf_literal(header) + '"' if header else '""'))
    if spec.get("pdf_info"):
        js = js.replace("TITLE", js_string(spec["meta"]["title"])).replace("AUTHOR",
                                                                          js_string(spec["meta"].get("rekenkamer", "")))
    else:
        js = js.replace("TITLE", "null").replace("AUTHOR", '""')
    script = tmp / "stamp.js"
    script.write_text(js, encoding="ascii")
    subprocess.run([MUTOOL, "run", str(script), str(pdf_in), str(pdf_out)], check=True, timeout=120,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def page_texts(pdf_path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def heading_pages(texts: list[str], headings: list[dict[str, Any]], body_from: int) -> list[int]:
    """Pages of the headings in a first run, found in the page text after the front matter."""
    squash = (lambda t: re.sub(r"[^a-z0-9]+", "", t.lower()))
    squashed = [squash(t) for t in texts]
    pages, page, pos = [], body_from, 0
    for h in headings:
        want = squash(f"{h.get('number', '')} {h['text']}")
        found = 0
        for k in range(page, len(squashed)):
            at = squashed[k].find(want, pos if k == page else 0)
            if at >= 0:
                found, page, pos = k + 1, k, at + len(want)
                break
        pages.append(found)
    return pages


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    front = sum(1 for b in spec["blocks"] if b["kind"] in ("cover", "colofon", "toc"))
    headings = [b for b in spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]
    with tempfile.TemporaryDirectory(prefix="mu_render_") as tmp:
        tmpdir = Path(tmp)
        src, laid, final = tmpdir / "rapport.xhtml", tmpdir / "laid.pdf", tmpdir / "final.pdf"
        toc_pages: list[int] | None = None
        for _ in range(2 if any(b["kind"] == "toc" for b in spec["blocks"]) else 1):
            src.write_text(document(spec, tmpdir, toc_pages), encoding="utf-8")
            subprocess.run([MUTOOL, "convert", "-W", str(A4[0]), "-H", str(A4[1]), "-o", str(laid), str(src)],
                           check=True, timeout=300, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmpdir)
            toc_pages = heading_pages(page_texts(laid), headings, front)
        stamp(laid, final, spec, first=min(front, 2) if front else 0, tmp=tmpdir)
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(final, out_pdf)
