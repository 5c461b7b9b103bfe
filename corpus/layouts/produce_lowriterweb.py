"""Render a layout-corpus spec with LibreOffice's HTML import: an old-style HTML 4 report → Writer/Web → PDF.

`soffice --headless --convert-to pdf:writer_web_pdf_Export rapport.html` opens the file in Writer/Web (the HTML
import filter) and prints it with the PDF export. That is a different layout path from produce_libreoffice.py,
which writes a .docx. The HTML is written the way a web CMS export or an old HTML report is: formatting in HTML
attributes (`<font>`, `bgcolor`, `border`, `cellpadding`, `width`, `align`) and only a little CSS, because the
import keeps little of it. What the import does with it, found by trying (see README, "The h5 set"):
  * kept: `@page` size and margins, font-family/size/colour on elements, `page-break-before`, `<ol start>`,
    table widths in `%`, `bgcolor`, `<font color>`, `border="1"` (an outer frame and cell rules);
  * LibreOffice's own HTML dialect is understood: `<div title="header">`/`<div title="footer">` become the page
    header and footer, `<sdfield type=PAGE>` a page-number field, `<a class="sdfootnoteanc">` with a
    `<div id="sdfootnoteN">` a real footnote at the page foot, and Netscape's `<multicol cols=2>` a two-column
    section;
  * lost or odd: CSS borders and padding on `<div>` (a "box" is a one-cell table with `bgcolor`), and the header
    and footer appear on odd pages only (the page style the import sets up has different left and right pages,
    the HTML gives only one header), so the running header and the page number are on pages 1, 3, 5, …;
  * a line ended by `<br>` in a justified paragraph is justified too (spread over the full width).
The PDF outline is LibreOffice's (bookmarks from the h1–h3 headings) or none (ExportBookmarks false). Title and
Author come from `<title>` and `<meta name="author">`; the PDF export writes the clock time, a random /ID and a /DocChecksum,
which the renderer fixes in place afterwards (same length), so the bytes repeat.
"""
from __future__ import annotations

import hashlib
import html
import json
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
from produce_mupdf import heading_pages, page_texts  # noqa: E402

SOFFICE = shutil.which("soffice") or "soffice"
LABELS = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}
ADDRESSEE = {"college": "College van B en W", "raad": "Gemeenteraad", None: "", "": ""}


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def house(spec: dict[str, Any]) -> dict[str, Any]:
    h = {"font": "Liberation Serif", "head_font": "Liberation Sans", "color": "1F4E79", "light": "E8EEF5",
         "size": 11, "align": "left", "table_rules": True}
    h.update(spec.get("house") or {})
    return h


class Builder:
    def __init__(self, spec: dict[str, Any], scan_dir: Path, toc_pages: list[int] | None):
        self.spec = spec
        self.h = house(spec)
        self.items = spec_module.items_by_id(spec)
        self.scan_dir = scan_dir
        self.toc_pages = toc_pages
        self.out: list[str] = []
        self.footnotes: list[str] = []
        self.scans = 0
        self.first_h1 = True
        self.in_cols = False

    # --- pieces -----------------------------------------------------------------------------------------------
    def head_font(self, text: str, size: int | None = None, color: str | None = None, bold: bool = True) -> str:
        attrs = f' face="{esc(self.h["head_font"])}"' + (f' size="{size}"' if size else "") + (
            f' color="#{color}"' if color else "")
        inner = f"<b>{text}</b>" if bold else text
        return f"<font{attrs}>{inner}</font>"

    @staticmethod
    def body(item: dict[str, Any], bold: bool = False, short: bool = False) -> str:
        lead, text = item.get("lead", ""), "" if short else item.get("text", "")
        lead_html = f"<b>{esc(lead)}</b>" if bold and lead else esc(lead)
        return (lead_html + (" " + esc(text) if text else "")).strip()

    def table(self, header: list[str], rows: list[list[str]], widths: list[int]) -> str:
        c = self.h["color"]
        rules = self.h.get("table_rules", True)
        border = ' border="1" bordercolor="#8A8A8A"' if rules else ' border="0"'
        if rules:
            th = "".join(f'<th width="{w}%" align="left" valign="top" bgcolor="#{c}">'
                         f'{self.head_font(esc(t), 2, "FFFFFF")}</th>' for t, w in zip(header, widths))
        else:
            th = "".join(f'<th width="{w}%" align="left" valign="top">{self.head_font(esc(t), 2, c)}</th>'
                         for t, w in zip(header, widths))
        body = "".join("<tr>" + "".join(f'<td valign="top"><font size="2">{cell}</font></td>' for cell in row)
                       + "</tr>" for row in rows)
        return (f'<table width="100%"{border} cellpadding="5" cellspacing="0"><thead><tr>{th}</tr></thead>'
                f"<tbody>{body}</tbody></table>\n<p></p>")

    # --- items ------------------------------------------------------------------------------------------------
    def render_items(self, kind: str, style: str, items: list[dict[str, Any]], columns: list[str] | None,
                     short: bool = False, show_number: bool = False, widths: list[int] | None = None) -> None:
        c = self.h["color"]
        if style == "numbered":
            start = items[0].get("number", "1") if items else "1"
            start_attr = f' start="{esc(start)}"' if str(start) != "1" else ""
            self.out.append(f"<ol{start_attr}>" + "".join(f"<li><p>{self.body(i, short=short)}</p></li>"
                                                          for i in items) + "</ol>")
        elif style == "number_own_line":
            for i in items:
                self.out.append(f'<p style="margin-bottom: 0">{self.head_font(esc(i.get("number", "")), 4, c)}</p>'
                                f"<p>{self.body(i, bold=True, short=short)}</p>")
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
                        cells.append(esc(i.get("number", "")))
                    elif "gericht" in low or low == "aan":
                        cells.append(esc(ADDRESSEE.get(i.get("addressee"), i.get("addressee"))))
                    else:
                        cells.append(self.body(i, bold=bool(i.get("text")) and not short, short=short))
                rows.append(cells)
            if not widths:
                widths = [8, 72, 20] if len(cols) == 3 else [8, 92] if len(cols) == 2 else [100 // len(cols)] * len(cols)
            self.out.append(self.table(cols, rows, widths))
        elif style == "boxes":
            for i in items:
                label = LABELS.get(i.get("type", kind), "Aanbeveling").upper()
                self.out.append(f'<table width="100%" border="0" cellpadding="7" cellspacing="0"><tr>'
                                f'<td bgcolor="#{c}">{self.head_font(label + " " + esc(i.get("number", "")), 2, "FFFFFF")}</td></tr>'
                                f'<tr><td bgcolor="#{self.h["light"]}">{self.body(i, bold=True, short=short)}</td></tr></table>'
                                "\n<p></p>")
        else:
            raise ValueError(f"unknown item style {style!r}")

    # --- front matter -----------------------------------------------------------------------------------------
    def front(self, block: dict[str, Any]) -> None:
        c = self.h["color"]
        if block["kind"] == "cover":
            lines = list(block.get("lines", []))
            org, title = (lines + ["", ""])[:2]
            sub = lines[2] if len(lines) > 2 else ""
            rest = lines[3:]
            date = rest[-1] if rest else ""
            self.out.append(
                f'<table width="100%" border="0" cellpadding="18" cellspacing="0"><tr><td bgcolor="#{c}">'
                f'<p>{self.head_font(esc(org), 3, "FFFFFF")}</p><p>&nbsp;</p><p>&nbsp;</p>'
                f'<p>{self.head_font(esc(title), 7, "FFFFFF")}</p></td></tr></table>'
                f'<p>&nbsp;</p><p>{self.head_font(esc(sub), 4, "333333", bold=False)}</p>'
                + "".join(f"<p>{self.head_font(esc(m), 3, '555555', bold=False)}</p>" for m in rest[:-1])
                + "<p>&nbsp;</p>" * 12 + f"<p>{self.head_font(esc(date), 3, '555555', bold=False)}</p>")
        elif block["kind"] == "colofon":
            self.out.append('<p style="page-break-before: always">&nbsp;</p>' + "<p>&nbsp;</p>" * 22
                            + f"<p>{self.head_font('Colofon', 2, c)}</p>"
                            + "".join(f'<p style="margin-bottom: 0"><font size="2">{esc(line) or "&nbsp;"}</font></p>'
                                      for line in block.get("lines", [])))
        elif block["kind"] == "toc":
            heads = [b for b in self.spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]
            rows = []
            for n, h in enumerate(heads):
                page = self.toc_pages[n] if self.toc_pages and n < len(self.toc_pages) else 88
                lvl = int(h.get("level", 1))
                text = f"{esc(h.get('number', ''))} {esc(h['text'])}".strip()
                cell = f"<b>{text}</b>" if lvl == 1 else f"&nbsp;&nbsp;&nbsp;&nbsp;{text}"
                rows.append(f'<tr><td width="90%"><font size="2">{cell}</font></td>'
                            f'<td width="10%" align="right"><font size="2">{page}</font></td></tr>')
            self.out.append(f'<p style="page-break-before: always">{self.head_font("Inhoud", 5, c)}</p>'
                            f'<table width="100%" border="0" cellpadding="3" cellspacing="0">{"".join(rows)}</table>')

    # --- body -------------------------------------------------------------------------------------------------
    def heading(self, block: dict[str, Any]) -> None:
        c = self.h["color"]
        level = int(block.get("level", 1))
        number = str(block.get("number", ""))
        text = esc(f"{number} {block['text']}".strip())
        if level == 1:
            brk = "" if block.get("same_page") else ' style="page-break-before: always"'
            self.first_h1 = False
            self.out.append(f'<h1{brk}>{self.head_font(text, 5, c)}</h1>'
                            f'<hr size="2" noshade color="#{c}">')
        else:
            self.out.append(f"<h{min(level, 3)}>{self.head_font(text, 4 if level == 2 else 3, c)}</h{min(level, 3)}>")

    def build(self) -> str:
        align = ' align="justify"' if self.h["align"] == "justify" else ""
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind in ("cover", "colofon", "toc"):
                self.front(block)
            elif kind == "heading":
                if self.in_cols and int(block.get("level", 1)) == 1:
                    self.out.append("</multicol>")
                    self.in_cols = False
                self.heading(block)
            elif kind == "para":
                note = ""
                if block.get("footnote"):
                    self.footnotes.append(block["footnote"])
                    n = len(self.footnotes)
                    note = (f'<a class="sdfootnoteanc" name="sdfootnote{n}anc" href="#sdfootnote{n}sym">'
                            f"<sup>{n}</sup></a>")
                bullets = "".join(f"<li>{esc(b)}</li>" for b in block.get("bullets", []))
                self.out.append(f"<p{align}>{esc(block['text'])}{note}</p>" + (f"<ul>{bullets}</ul>" if bullets else ""))
            elif kind == "quote":
                src = f'<br><font size="2">{esc(block["source"])}</font>' if block.get("source") else ""
                self.out.append(f'<blockquote><i>{esc(block["text"])}</i>{src}</blockquote>')
            elif kind == "items":
                items = [{**i, "type": block["type"]} for i in block["items"]]
                self.render_items(block["type"], block["style"], items, block.get("columns"),
                                  show_number=bool(block.get("show_number")), widths=block.get("widths"))
            elif kind == "repeat":
                items = [self.items[r] for r in block["refs"]]
                self.render_items(items[0]["type"] if items else "aanbeveling", block["style"], items,
                                  block.get("columns"), short=bool(block.get("short")),
                                  show_number=bool(block.get("show_number")), widths=block.get("widths"))
            elif kind == "norm":
                c, light = self.h["color"], self.h["light"]
                findings = "".join(f"<p{align}>{esc(f)}</p>" for f in block.get("findings", []))
                verdict = block.get("verdict", "")
                self.out.append(f'<table width="100%" border="0" cellpadding="5" cellspacing="0"><tr>'
                                f'<td bgcolor="#{light}">{self.head_font("Norm " + esc(block.get("number", "")) + " – " + esc(block.get("text", "")), 3, c)}'
                                "</td></tr></table>" + findings
                                + (f"<p><i><b>{esc(verdict)}</b></i></p>" if verdict else ""))
            elif kind == "findings":
                for item in block["items"]:
                    self.out.append(f"<p{align}>{esc(item['text'])}</p>")
            elif kind == "reaction_letter":
                self.reaction_letter(block)
            elif kind == "reaction_table":
                self.reaction_table(block)
            elif kind == "columns":
                if int(block.get("count", 1)) > 1 and not self.in_cols:
                    self.out.append(f'<multicol cols="{int(block["count"])}" gutter="24">')
                    self.in_cols = True
                elif int(block.get("count", 1)) == 1 and self.in_cols:
                    self.out.append("</multicol>")
                    self.in_cols = False
            elif kind == "page_break":
                self.out.append('<p style="page-break-before: always"></p>')
        if self.in_cols:
            self.out.append("</multicol>")
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
                # 200 dpi A4 scan, shown at the text width (16 cm) on its own page
                self.out.append(f'<p style="page-break-before: always"><img src="{name}" width="605" height="856" '
                                'alt="" border="0"></p>')
            return
        address = "".join(f'<p style="margin-bottom: 0">{esc(a)}</p>' for a in block.get("address", []))
        inner = (f"<p>{self.head_font(esc(letterhead), 4)}</p>" + address + "<p>&nbsp;</p>"
                 + "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
                 + "".join(f'<p style="margin-bottom: 0">{esc(s)}</p>' for s in signature))
        self.out.append(f'<table width="100%" border="1" bordercolor="#999999" cellpadding="14" cellspacing="0">'
                        f"<tr><td>{inner}</td></tr></table>\n<p></p>")

    def reaction_table(self, block: dict[str, Any]) -> None:
        cols = block.get("columns") or ["Aanbeveling", "Reactie college"]
        rows = []
        for row in block.get("rows", []):
            item = self.items.get(row.get("ref"), {})
            cells = [f"<b>Aanbeveling {esc(item.get('number', ''))}</b><br>{esc(item.get('lead', ''))}",
                     esc(row.get("reaction", ""))]
            if len(cols) > 2:
                cells.append(esc(row.get("nawoord", "")))
            rows.append(cells)
        widths = block.get("widths") or ([30, 35, 35] if len(cols) > 2 else [35, 65])
        self.out.append(self.table(cols, rows, widths))

    def footnote_divs(self) -> str:
        return "".join(f'<div id="sdfootnote{n}"><p class="sdfootnote"><a class="sdfootnotesym" name="sdfootnote{n}sym" '
                       f'href="#sdfootnote{n}anc">{n}</a>{esc(text)}</p></div>'
                       for n, text in enumerate(self.footnotes, start=1))


def document(spec: dict[str, Any], scan_dir: Path, toc_pages: list[int] | None) -> str:
    b = Builder(spec, scan_dir, toc_pages)
    h = b.h
    body = b.build()
    header = spec.get("running_header")
    head_div = (f'<div title="header"><p align="right"><font face="{esc(h["head_font"])}" size="1" color="#666666">'
                f"{esc(header)}</font></p></div>\n") if header else ""
    foot_div = (f'<div title="footer"><p align="center"><font face="{esc(h["head_font"])}" size="1">'
                '<sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield></font></p></div>\n')
    meta = spec["meta"]
    title = meta["title"] if spec.get("pdf_info") else ""
    author = meta.get("rekenkamer", "") if spec.get("pdf_info") else ""
    return (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html lang="nl"><head>\n'
        '<meta http-equiv="content-type" content="text/html; charset=utf-8">\n'
        f"<title>{esc(title)}</title>\n" + (f'<meta name="author" content="{esc(author)}">\n' if author else "")
        + '<style type="text/css">\n'
        "@page { size: 21cm 29.7cm; margin: 2.2cm 2.3cm 2cm 2.3cm }\n"
        f'body {{ font-family: "{h["font"]}"; font-size: {h["size"]}pt }}\n'
        "p { margin-top: 0; margin-bottom: 0.18cm }\n"
        "h1 { margin-top: 0; margin-bottom: 0.1cm }\n"
        "h2 { margin-top: 0.35cm; margin-bottom: 0.15cm }\n"
        "h3 { margin-top: 0.25cm; margin-bottom: 0.1cm }\n"
        "blockquote { margin-left: 1cm; margin-right: 1cm }\n"
        "</style></head>\n"
        f'<body lang="nl-NL" text="#1E1E1E">\n{head_div}{body}\n{foot_div}{b.footnote_divs()}\n</body></html>\n'
    )


def fix_pdf(pdf_path: Path, spec: dict[str, Any]) -> None:
    """Fix the clock dates and the random /ID in place (same lengths, so the xref offsets stay right)."""
    data = pdf_path.read_bytes()
    year = int(spec["meta"].get("year") or 2020)
    data = re.sub(rb"D:\d{14}", f"D:{year:04d}0915100000".encode(), data)
    digest = hashlib.md5(spec["id"].encode()).hexdigest().upper().encode()
    data = re.sub(rb"/ID \[\s*<[0-9A-Fa-f]{32}>\s*<[0-9A-Fa-f]{32}>\s*\]",
                  lambda m: re.sub(rb"<[0-9A-Fa-f]{32}>", b"<" + digest + b">", m.group(0)), data)
    data = re.sub(rb"/DocChecksum /[0-9A-Fa-f]{32}", b"/DocChecksum /" + digest, data)
    pdf_path.write_bytes(data)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    front = sum(1 for b in spec["blocks"] if b["kind"] in ("cover", "colofon", "toc"))
    headings = [b for b in spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]
    options = {"ExportBookmarks": {"type": "boolean", "value": "true" if spec.get("outline") else "false"}}
    target = "pdf:writer_web_pdf_Export:" + json.dumps(options, separators=(",", ":"))
    with tempfile.TemporaryDirectory(prefix="lw_render_") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "rapport.html"
        toc_pages: list[int] | None = None
        for _ in range(2 if any(b["kind"] == "toc" for b in spec["blocks"]) else 1):
            src.write_text(document(spec, tmpdir, toc_pages), encoding="utf-8")
            subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmpdir}/profile", "--headless", "--convert-to",
                            target, "--outdir", str(tmpdir / "out"), str(src)], check=True, timeout=300,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env={"PATH": "/usr/bin:/bin", "HOME": str(tmpdir), "LC_ALL": "C.UTF-8", "TZ": "UTC"})
            toc_pages = heading_pages(page_texts(tmpdir / "out" / "rapport.pdf"), headings, front)
        pdf = tmpdir / "out" / "rapport.pdf"
        fix_pdf(pdf, spec)
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)
