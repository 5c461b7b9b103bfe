"""Render a layout-corpus spec with wkhtmltopdf (QtWebKit): HTML + CSS → PDF, as a web team's "PDF export" does.

wkhtmltopdf takes several page objects in one run, and this renderer uses them the way its manual suggests:
  * a `cover` object (no header, no footer, not in the inhoudsopgave);
  * the colofon as its own page object, without running header;
  * wkhtmltopdf's own `toc` object when the spec has a toc block: QtWebKit collects the h1/h2 headings of the
    body and writes the inhoudsopgave with page numbers itself (one run, no second pass);
  * the body with the running header (--header-left, a rule under it) and the page number in the footer.
The PDF outline is wkhtmltopdf's own (--outline / --no-outline, depth 2).

What QtWebKit cannot do and how the renderer deals with it:
  * no CSS multi-column layout in print (the columns come out as one long column or are cut at the page end), so
    `columns: 2` is set as a two-cell table, the blocks divided over the cells by length, left cell first;
  * no footnotes at the page foot: a paragraph's note is numbered in the text and printed under a rule as
    "Noten" at the end of its chapter (as many web-made reports do);
  * no Author in the info dictionary and clock dates: a properties step afterwards fixes the dates in place
    and writes Title/Author (or blanks them) as an incremental update.
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

WKHTMLTOPDF = shutil.which("wkhtmltopdf") or "wkhtmltopdf"

THEMES = {
    "Capelle": {"accent": "#0b5c8a", "dark": "#1b2a36", "soft": "#e6f0f6", "body": "'Liberation Sans', sans-serif",
                "head": "'Liberation Sans', sans-serif", "size": "9.5pt", "align": "left"},
    "Vlaardingen": {"accent": "#8a3b12", "dark": "#262626", "soft": "#f7ece5", "body": "'DejaVu Serif', serif",
                    "head": "'DejaVu Sans', sans-serif", "size": "9.5pt", "align": "justify"},
}
DEFAULT_THEME = {"accent": "#335577", "dark": "#222", "soft": "#eef2f6", "body": "'DejaVu Serif', serif",
                 "head": "'DejaVu Sans', sans-serif", "size": "10pt", "align": "justify"}

# Debian's wkhtmltopdf is built on an unpatched Qt: --zoom, --dpi and --disable-smart-shrinking are ignored and
# the page is shrunk to fit, so 10pt in the CSS prints at about 8pt. A CSS zoom on the body brings it back.
ZOOM = 1.7

LABELS = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}
ADDRESSEE = {"college": "College van B en W", "raad": "Gemeenteraad", None: "", "": ""}


def _esc(text: str) -> str:
    return html.escape(str(text), quote=False)


def _theme(spec: dict[str, Any]) -> dict[str, str]:
    name = spec["meta"].get("rekenkamer", "")
    for key, theme in THEMES.items():
        if key in name:
            return theme
    return DEFAULT_THEME


def _mm(css: str) -> str:
    """The body is zoomed (see ZOOM); lengths in mm are divided by it so they come out as written."""
    return re.sub(r"(-?\d+(?:\.\d+)?)mm", lambda m: f"{float(m.group(1)) / ZOOM:.2f}mm", css)


def _css(t: dict[str, str]) -> str:
    return _mm(f"""
body {{ zoom: {ZOOM}; margin: 0; font-family: {t['body']}; font-size: {t['size']}; line-height: 1.42; color: {t['dark']};
       text-align: {t['align']}; }}
p {{ margin: 0 0 7pt 0; orphans: 2; widows: 2; }}
h1, h2, h3 {{ font-family: {t['head']}; text-align: left; page-break-after: avoid; }}
h1 {{ font-size: 18pt; color: {t['accent']}; margin: 0 0 10pt 0; padding-bottom: 4pt; border-bottom: 1.5pt solid {t['accent']}; }}
h1.brk {{ page-break-before: always; }}
h1 .num, h2 .num {{ margin-right: 9pt; }}
h2 {{ font-size: 12pt; color: {t['dark']}; margin: 14pt 0 5pt 0; }}
h3 {{ font-size: 10.5pt; margin: 10pt 0 4pt 0; }}
.pb {{ page-break-after: always; height: 0; }}
blockquote {{ margin: 6pt 12mm 10pt 12mm; padding: 5pt 7pt; background: {t['soft']}; font-style: italic; }}
blockquote .src {{ font-style: normal; font-size: 85%; color: #555; margin-top: 3pt; }}
ol.items {{ margin: 0 0 10pt 0; padding-left: 8mm; }}
ol.items li {{ margin-bottom: 6pt; }}
ul {{ margin: 0 0 8pt 0; padding-left: 7mm; }}
.nol {{ margin: 0 0 8pt 0; page-break-inside: avoid; }}
.nol .no {{ font: bold 13pt {t['head']}; color: {t['accent']}; margin-bottom: 1pt; }}
table {{ border-collapse: collapse; width: 100%; margin: 4pt 0 12pt 0; text-align: left; }}
tr {{ page-break-inside: avoid; }}
thead {{ display: table-header-group; }}
th {{ background: {t['accent']}; color: white; font: bold 8.5pt {t['head']}; padding: 4pt 5pt; text-align: left; }}
td {{ border: .5pt solid #a9b4bd; padding: 4pt 5pt; vertical-align: top; font-size: 92%; }}
td.nr {{ width: 9mm; font-weight: bold; }}
td.aan {{ width: 30mm; }}
td.ref {{ width: 36mm; }}
.box {{ border: 1pt solid {t['accent']}; margin: 0 0 10pt 0; page-break-inside: avoid; }}
.box .bh {{ background: {t['accent']}; color: white; font: bold 8.5pt {t['head']}; letter-spacing: 1.5pt; padding: 3pt 7pt; }}
.box p {{ margin: 5pt 7pt 5pt 7pt; }}
.norm {{ margin: 6pt 0 12pt 0; }}
.norm .nh {{ background: {t['soft']}; border-left: 4pt solid {t['accent']}; padding: 5pt 8pt; font: bold 9.5pt {t['head']};
            text-align: left; page-break-after: avoid; }}
.norm .nb {{ padding: 6pt 0 0 12pt; }}
.norm .verdict {{ font-style: italic; }}
.norm .verdict b {{ font-style: normal; font-family: {t['head']}; }}
.letter {{ border: .6pt solid #999; padding: 10mm 12mm 6mm 12mm; margin: 6pt 0 12pt 0; font-family: 'Liberation Serif', serif;
          font-size: 10.5pt; text-align: left; }}
.letter .lh {{ font: bold 13pt 'Liberation Sans', sans-serif; margin-bottom: 6mm; }}
.letter .adr p {{ margin: 0 0 1pt 0; }}
.letter .adr {{ margin-bottom: 6mm; }}
.letter .sig p {{ margin: 0 0 1pt 0; }}
.scanpage {{ page-break-before: always; page-break-after: always; text-align: center; }}
.scanpage img {{ width: 100%; }}
.notes {{ margin-top: 12pt; border-top: .5pt solid #777; padding-top: 3pt; font-size: 8pt; line-height: 1.3; text-align: left; }}
.notes .nt {{ font: bold 8pt {t['head']}; margin-bottom: 2pt; }}
.notes p {{ margin: 0 0 2pt 0; }}
sup.fn {{ font-size: 70%; line-height: 0; }}
table.twocol td {{ border: none; padding: 0; width: 50%; font-size: 100%; }}
table.twocol td.gap {{ width: 7mm; }}
table.twocol tr {{ page-break-inside: auto; }}
""")


class _Builder:
    def __init__(self, spec: dict[str, Any], scan_dir: Path):
        self.spec = spec
        self.items = spec_module.items_by_id(spec)
        self.scan_dir = scan_dir
        self.out: list[str] = []
        self.notes: list[str] = []
        self.note_no = 0
        self.cols: list[str] | None = None  # blocks collected for a two-column stretch
        self.scans = 0
        self.first_h1 = True

    def emit(self, s: str) -> None:
        (self.cols if self.cols is not None else self.out).append(s)

    def flush_notes(self) -> None:
        if not self.notes:
            return
        start = self.note_no - len(self.notes) + 1
        self.out.append('<div class="notes"><div class="nt">Noten</div>'
                        + "".join(f"<p>{start + k}. {_esc(n)}</p>" for k, n in enumerate(self.notes)) + "</div>")
        self.notes = []

    def close_cols(self) -> None:
        """Divide the collected blocks over two table cells, by length, keeping the order."""
        chunks, self.cols = self.cols or [], None
        if not chunks:
            return
        sizes = [len(re.sub(r"<[^>]+>", "", c)) for c in chunks]
        half, run, cut = sum(sizes) / 2, 0, len(chunks)
        for k, size in enumerate(sizes):
            if run + size / 2 > half:
                cut = k
                break
            run += size
        if cut > 0 and chunks[cut - 1].startswith("<h"):  # never leave a heading at the foot of the left cell
            cut -= 1
        self.out.append('<table class="twocol"><tr><td>' + "\n".join(chunks[:cut]) + '</td><td class="gap"></td><td>'
                        + "\n".join(chunks[cut:]) + "</td></tr></table>")

    def item_body(self, item: dict[str, Any], bold: bool = False, short: bool = False) -> str:
        lead, text = item.get("lead", ""), "" if short else item.get("text", "")
        lead_html = f"<b>{_esc(lead)}</b>" if bold and lead else _esc(lead)
        return (lead_html + (" " + _esc(text) if text else "")).strip()

    def render_items(self, kind: str, style: str, items: list[dict[str, Any]], columns: list[str] | None,
                     short: bool = False, show_number: bool = False) -> None:
        if style == "numbered":
            self.emit('<ol class="items">' + "".join(
                f'<li value="{_esc(item.get("number", ""))}">{self.item_body(item, short=short)}</li>' for item in items)
                + "</ol>")
        elif style == "number_own_line":
            for item in items:
                self.emit(f'<div class="nol"><div class="no">{_esc(item.get("number", ""))}.</div>'
                          f"<p>{self.item_body(item, bold=True, short=short)}</p></div>")
        elif style == "bold_lead":
            for item in items:
                num = f"<b>{_esc(item.get('number', ''))}. </b>" if show_number else ""
                self.emit(f"<p>{num}{self.item_body(item, bold=True, short=short)}</p>")
        elif style == "label":
            for item in items:
                label = LABELS.get(item.get("type", kind), "Aanbeveling")
                self.emit(f"<p><b>{label} {_esc(item.get('number', ''))}:</b> {self.item_body(item, short=short)}</p>")
        elif style == "table":
            cols = columns or ["Nr.", LABELS.get(kind, "Aanbeveling")]
            rows = []
            for item in items:
                cells = []
                for col in cols:
                    low = col.lower().rstrip(".")
                    if low in ("nr", "nummer", "#"):
                        cells.append(f'<td class="nr">{_esc(item.get("number", ""))}</td>')
                    elif "gericht" in low or low == "aan":
                        cells.append(f'<td class="aan">{_esc(ADDRESSEE.get(item.get("addressee"), item.get("addressee")))}</td>')
                    else:
                        cells.append(f"<td>{self.item_body(item, short=short)}</td>")
                rows.append("<tr>" + "".join(cells) + "</tr>")
            self.emit("<table><thead><tr>" + "".join(f"<th>{_esc(c)}</th>" for c in cols) + "</tr></thead><tbody>"
                      + "".join(rows) + "</tbody></table>")
        elif style == "boxes":
            for item in items:
                label = LABELS.get(item.get("type", kind), "Aanbeveling").upper()
                self.emit(f'<div class="box"><div class="bh">{label} {_esc(item.get("number", ""))}</div>'
                          f"<p>{self.item_body(item, bold=True, short=short)}</p></div>")
        else:
            raise ValueError(f"unknown item style {style!r}")

    def build(self) -> str:
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind in ("cover", "colofon", "toc"):
                continue  # their own page objects
            if kind == "heading":
                level = int(block.get("level", 1))
                number = str(block.get("number", ""))
                num = f'<span class="num">{_esc(number)}</span>' if number else ""
                if level == 1:
                    if self.cols is not None:
                        self.close_cols()
                    self.flush_notes()
                    cls = "" if self.first_h1 or block.get("same_page") else ' class="brk"'
                    self.first_h1 = False
                    self.emit(f"<h1{cls}>{num}{_esc(block['text'])}</h1>")
                else:
                    self.emit(f"<h{min(level, 3)}>{num}{_esc(block['text'])}</h{min(level, 3)}>")
            elif kind == "para":
                note = ""
                if block.get("footnote"):
                    self.note_no += 1
                    self.notes.append(block["footnote"])
                    note = f'<sup class="fn">{self.note_no}</sup>'
                bullets = "".join(f"<li>{_esc(b)}</li>" for b in block.get("bullets", []))
                self.emit(f"<p>{_esc(block['text'])}{note}</p>" + (f"<ul>{bullets}</ul>" if bullets else ""))
            elif kind == "quote":
                src = f'<div class="src">{_esc(block["source"])}</div>' if block.get("source") else ""
                self.emit(f"<blockquote>{_esc(block['text'])}{src}</blockquote>")
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
                findings = "".join(f"<p>{_esc(f)}</p>" for f in block.get("findings", []))
                verdict = block.get("verdict", "")
                self.emit(f'<div class="norm"><div class="nh">Norm {_esc(block.get("number", ""))} &#8211; '
                          f'{_esc(block.get("text", ""))}</div><div class="nb">{findings}'
                          + (f'<p class="verdict"><b>Oordeel:</b> {_esc(verdict)}</p>' if verdict else "") + "</div></div>")
            elif kind == "findings":
                for item in block["items"]:
                    self.emit(f"<p>{_esc(item['text'])}</p>")
            elif kind == "reaction_letter":
                self.reaction_letter(block)
            elif kind == "reaction_table":
                self.reaction_table(block)
            elif kind == "columns":
                if int(block.get("count", 1)) > 1 and self.cols is None:
                    self.cols = []
                elif int(block.get("count", 1)) == 1 and self.cols is not None:
                    self.close_cols()
            elif kind == "page_break":
                if self.cols is not None:
                    self.close_cols()
                self.flush_notes()
                self.emit('<div class="pb"></div>')
        if self.cols is not None:
            self.close_cols()
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
                self.emit(f'<div class="scanpage"><img src="{name}" alt=""></div>')
            return
        address = "".join(f"<p>{_esc(a)}</p>" for a in block.get("address", []))
        self.emit(f'<div class="letter"><div class="lh">{_esc(letterhead)}</div>'
                  + (f'<div class="adr">{address}</div>' if address else "")
                  + "".join(f"<p>{_esc(p)}</p>" for p in paragraphs)
                  + '<div class="sig">' + "".join(f"<p>{_esc(s)}</p>" for s in signature) + "</div></div>")

    def reaction_table(self, block: dict[str, Any]) -> None:
        cols = block.get("columns") or ["Aanbeveling", "Reactie college"]
        rows = []
        for row in block.get("rows", []):
            item = self.items.get(row.get("ref"), {})
            cells = [f'<td class="ref"><b>Aanbeveling {_esc(item.get("number", ""))}</b><br>{_esc(item.get("lead", ""))}</td>',
                     f"<td>{_esc(row.get('reaction', ''))}</td>"]
            if len(cols) > 2:
                cells.append(f"<td>{_esc(row.get('nawoord', ''))}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        self.emit("<table><thead><tr>" + "".join(f"<th>{_esc(c)}</th>" for c in cols) + "</tr></thead><tbody>"
                  + "".join(rows) + "</tbody></table>")


def _front_html(spec: dict[str, Any], toc_pages: list[int] | None) -> str:
    """Cover, colofon and inhoudsopgave as the first pages of the one HTML document."""
    out = []
    for block in spec["blocks"]:
        if block["kind"] == "cover":
            lines = list(block.get("lines", []))
            org, title = (lines + ["", ""])[:2]
            sub = lines[2] if len(lines) > 2 else ""
            rest = lines[3:]
            date = rest[-1] if rest else ""
            out.append('<div class="cover"><div class="band">'
                       f'<div class="org">{_esc(org)}</div><div class="title">{_esc(title)}</div></div>'
                       + (f'<div class="sub">{_esc(sub)}</div>' if sub else "")
                       + "".join(f'<div class="more">{_esc(m)}</div>' for m in rest[:-1])
                       + f'<div class="date">{_esc(date)}</div></div>')
        elif block["kind"] == "colofon":
            out.append('<div class="colofon"><div class="ttl">Colofon</div>'
                       + "".join(f"<div>{_esc(line) or '&nbsp;'}</div>" for line in block.get("lines", [])) + "</div>")
        elif block["kind"] == "toc":
            rows = []
            headings = [b for b in spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]
            for n, h in enumerate(headings):
                page = toc_pages[n] if toc_pages and n < len(toc_pages) else 88
                lvl = int(h.get("level", 1))
                rows.append(f'<tr class="l{lvl}"><td class="n">{_esc(h.get("number", ""))}</td>'
                            f'<td class="t">{_esc(h["text"])}</td><td class="p">{page}</td></tr>')
            out.append('<div class="toc"><div class="ttl">Inhoud</div><table>' + "".join(rows) + "</table></div>")
    return "\n".join(out)


def _front_css(t: dict[str, str]) -> str:
    return _mm(f"""
.cover {{ page-break-after: always; height: 250mm; margin: -22mm -22mm 0 -22mm; font-family: {t['head']}; text-align: left; }}
.cover .band {{ background: {t['accent']}; color: white; padding: 60mm 22mm 14mm 22mm; }}
.cover .org {{ font-size: 11pt; font-weight: bold; letter-spacing: 3pt; text-transform: uppercase; margin-bottom: 22mm; }}
.cover .title {{ font-size: 30pt; font-weight: bold; line-height: 1.15; }}
.cover .sub {{ font-size: 13pt; margin: 10mm 22mm 0 22mm; line-height: 1.35; }}
.cover .more {{ font-size: 11pt; margin: 4mm 22mm 0 22mm; color: #555; }}
.cover .date {{ font-size: 10pt; margin: 80mm 22mm 0 22mm; color: #555; }}
.colofon {{ page-break-after: always; padding-top: 170mm; font: 8.5pt/1.5 {t['head']}; text-align: left; }}
.colofon .ttl {{ font-weight: bold; color: {t['accent']}; text-transform: uppercase; letter-spacing: 1.5pt; margin-bottom: 3mm; }}
.toc {{ page-break-after: always; font-family: {t['head']}; }}
.toc .ttl {{ font-size: 18pt; font-weight: bold; color: {t['accent']}; margin-bottom: 9mm; }}
.toc table {{ width: 100%; }}
.toc td {{ border: none; border-bottom: .5pt dotted #999; padding: 3pt 2pt; font-size: 10pt; }}
.toc tr.l1 td {{ font-weight: bold; padding-top: 8pt; }}
.toc tr.l2 td.t {{ padding-left: 8mm; }}
.toc td.n {{ width: 12mm; }}
.toc td.p {{ width: 12mm; text-align: right; }}
""")


def _document_html(spec: dict[str, Any], t: dict[str, str], scan_dir: Path, toc_pages: list[int] | None) -> str:
    body = _Builder(spec, scan_dir).build()
    return (f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
            f"<style>{_css(t)}{_front_css(t)}</style></head><body>\n{_front_html(spec, toc_pages)}\n{body}\n</body></html>\n")


def _pdf_string(text: str) -> bytes:
    try:
        text.encode("ascii")
        return b"(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii") + b")"
    except UnicodeEncodeError:
        return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _document_properties(pdf_path: Path, spec: dict[str, Any], creator_default: bytes = b"(wkhtmltopdf 0.12.6)",
                         producer_default: bytes = b"(Qt 5.15.8)") -> None:
    """Fix wkhtmltopdf's clock date in place; write Title/Author (or blank ones) as an incremental update."""
    data = pdf_path.read_bytes()
    year = int(spec["meta"].get("year") or 2020)
    stamp = f"D:{year:04d}0915100000".encode()
    data = re.sub(rb"D:\d{14}", stamp, data)
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
    info_num = int(re.findall(rb"/Info (\d+) 0 R", data)[-1])
    m = re.search(rb"/Producer (\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]+>)(?=\s*(?:/|>>))", data)
    producer = m.group(1) if m else producer_default
    m = re.search(rb"/Creator (\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]+>)", data)
    creator = m.group(1) if m else creator_default
    if spec.get("pdf_info"):
        title, author = spec["meta"]["title"], spec["meta"].get("rekenkamer", "")
    else:
        title, author = "", ""
    if not data.endswith(b"\n"):
        data += b"\n"
    offset = len(data)
    obj = (f"{info_num} 0 obj\n".encode() + b"<<\n/Title " + _pdf_string(title) + b"\n/Author " + _pdf_string(author)
           + b"\n/Creator " + creator + b"\n/Producer " + producer + b"\n/CreationDate (" + stamp + b")\n>>\nendobj\n")
    xref_at = offset + len(obj)
    tail = (b"xref\n" + f"{info_num} 1\n{offset:010d} 00000 n \n".encode() + b"trailer\n"
            + f"<<\n/Size {size}\n/Root ".encode() + root + f"\n/Info {info_num} 0 R\n/Prev {startxref}\n>>\n".encode()
            + f"startxref\n{xref_at}\n%%EOF\n".encode())
    pdf_path.write_bytes(data + obj + tail)


def _heading_pages(pdf_path: Path, headings: list[dict[str, Any]]) -> list[int]:
    """Pages of the h1/h2 headings in a first print, found in pypdfium2's page text (no outline to read)."""
    import pypdfium2 as pdfium

    def squash(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "", text.lower())

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        texts = [squash(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()
    pages, page, pos = [], 0, 0
    body_from = 3  # cover, colofon, inhoudsopgave
    page, pos = body_from, 0
    for h in headings:
        want = squash(f"{h.get('number', '')} {h['text']}")
        found = 0
        for k in range(page, len(texts)):
            at = texts[k].find(want, pos if k == page else 0)
            if at >= 0:
                found, page, pos = k + 1, k, at + len(want)
                break
        pages.append(found)
    return pages


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    t = _theme(spec)
    with tempfile.TemporaryDirectory(prefix="wk_render_") as tmp:
        tmpdir = Path(tmp)
        html_path = tmpdir / "rapport.html"
        pdf = tmpdir / "out.pdf"
        headings = [b for b in spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]
        toc_pages: list[int] | None = None
        for _ in range(2 if any(b["kind"] == "toc" for b in spec["blocks"]) else 1):
            html_path.write_text(_document_html(spec, t, tmpdir, toc_pages), encoding="utf-8")
            cmd = [WKHTMLTOPDF, "--quiet", "--page-size", "A4", "--margin-top", "22mm", "--margin-bottom", "22mm",
                   "--margin-left", "22mm", "--margin-right", "22mm", "--encoding", "utf-8",
                   "--enable-local-file-access", "--title", spec["meta"]["title"] if spec.get("pdf_info") else " ",
                   str(html_path), str(pdf)]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300,
                           env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmpdir),
                                "XDG_RUNTIME_DIR": str(tmpdir)})
            toc_pages = _heading_pages(pdf, headings)
        _document_properties(pdf, spec)
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)
