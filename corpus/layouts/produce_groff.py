"""Render a layout-corpus spec with GNU groff: the -ms macros, tbl, and gropdf (`groff -Tpdf`).

The spec becomes troff input for the ms macro package, the way a report typeset with
troff looks:

- headings are ms paragraphs with a larger bold font (numbers written out), kept with the
  next lines by `.ne`; an inhoudsopgave with dot leaders, its page numbers from a first run
  (each heading reports its page with `.tm`; two runs, the same layout);
- PDF bookmarks through gropdf's `.pdfbookmark` only when `outline: true`;
- `.pdfinfo /Title` and `/Author` only when `pdf_info: true` (gropdf always writes Creator,
  Producer and the dates);
- footnotes with ms `\\**` / `.FS` … `.FE` (in two-column text they are as wide as the column);
- two-column running text with ms `.2C` (starts below what is on the page) and `.1C` (which
  starts a new page);
- tables with tbl (`.TS H` … `.TH` repeats the header row; a row never splits over a page);
- boxes with ms `.B1` … `.B2` and a filled header bar drawn with `\\D'P …'`;
- a cover with a coloured band, a colofon at the foot of page 2, running header (ms LH) and
  page numbers (ms CF or RF);
- a scanned reaction letter as full-page images without text layer (`scan.letter_pages`,
  turned into one-page image PDFs by Pillow and placed with gropdf's `pdfpic`); the header and
  footer are switched off on those pages;
- fonts are the PDF base fonts (Times, Helvetica: not embedded) or URW fonts gropdf embeds
  (Palatino, Bookman, New Century Schoolbook); no ligatures, no hyphenation;
- SOURCE_DATE_EPOCH fixes the dates, so re-rendering gives the same bytes.

Optional spec keys this renderer reads (ignored by spec.py):
  house: {body: T|H|P|BM|N, head: H|T|…, size, vs, accent, tint, adjust: b|l, indent (first-line
          indent of paragraphs, e.g. "1.2m"), footer: center|right, cover: band|rule,
          hyphenate: true|false, date: "YYYY-MM-DD"}
  quote.source, para.bullets, findings item footnote, reaction_letter.letterhead / .address /
  .lines / .seed / .scanned, items.columns / repeat.columns (table header), items.show_number
"""
from __future__ import annotations

import datetime as _dt
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import scan  # noqa: E402
import spec as spec_module  # noqa: E402

DEFAULT_HOUSE = {"body": "T", "head": "H", "size": 10.5, "vs": 14, "accent": "#1f4e79", "tint": "#e6eef5",
                 "adjust": "b", "indent": "0", "footer": "center", "cover": "band", "hyphenate": False}
ADDRESSEE = {"college": "College van B&W", "raad": "Gemeenteraad", None: "", "": ""}
LABEL = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}
LINE_LENGTH_CM = 16.0


def esc(text: Any) -> str:
    """Plain text → troff text (one line; never starts a request)."""
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    text = text.replace("\\", "\\e")
    return text


def arg(text: Any) -> str:
    """Plain text → a quoted macro argument."""
    return '"' + esc(text).replace('"', "\\[dq]") + '"'


class Builder:
    def __init__(self, spec: dict[str, Any], workdir: Path, toc: list[tuple[int, str, int]] | None):
        self.spec = spec
        self.meta = spec["meta"]
        self.work = workdir
        self.toc = toc
        self.items = spec_module.items_by_id(spec)
        self.house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
        self.out: list[str] = []
        self.body = self.house["body"]
        self.head = self.house["head"]
        self.outline = bool(spec.get("outline", False))
        self.columns = 1
        self.has_columns = any(b["kind"] == "columns" and int(b.get("count", 1)) > 1 for b in spec["blocks"])
        self.fresh = True        # at the top of a page (a page break would leave an empty page)
        self.scans = 0
        self.headings_planned = [
            (int(b.get("level", 1)), f"{b.get('number', '') or ''} {b['text']}".strip())
            for b in spec["blocks"] if b["kind"] == "heading"
        ]

    # ------------------------------------------------------------------ helpers
    def emit(self, *lines: str) -> None:
        self.out.extend(lines)

    def text(self, line: str) -> None:
        self.out.append("\\&" + line)
        self.fresh = False

    def bp(self) -> None:
        if not self.fresh:
            self.emit(".bp")
        self.fresh = True

    def header_on(self) -> None:
        rh = self.spec.get("running_header")
        self.emit(f".ds LH {esc(rh)}" if rh else ".ds LH", ".ds CH", ".ds RH")

    def header_off(self) -> None:
        self.emit(".ds LH", ".ds CH", ".ds RH")

    def footer_on(self) -> None:
        if self.house["footer"] == "right":
            self.emit(".ds CF", ".ds RF \\\\n%")
        else:
            self.emit(".ds CF \\\\n%", ".ds RF")

    def footer_off(self) -> None:
        self.emit(".ds CF", ".ds RF", ".ds LF")

    # ------------------------------------------------------------------ preamble
    def preamble(self) -> None:
        h = self.house
        size = float(h["size"])
        self.emit(
            '.\\" generated by corpus/layouts/produce_groff.py',
            ".nr PO 2.5c", f".nr LL {LINE_LENGTH_CM}c", ".nr HM 2.2c", ".nr FM 2.6c",
            f".nr PS {size:g}", f".nr VS {float(h['vs']):g}", f".nr PI {h['indent']}", ".nr PD 0.45v",
            # footnotes as wide as a column when the report has two-column pages, else the full line
            ".nr GW 0.9c", f".nr FL {(LINE_LENGTH_CM - 0.9) / 2 if self.has_columns else LINE_LENGTH_CM:.2f}c",
            ".nr QI 1c",
            f".fam {self.body}",
            ".lg 0", f".ad {h['adjust']}",
            # ms sets .hy from HY at every paragraph: 0 switches hyphenation off; with `hyphenate: true`
            # groff's (English) patterns break the Dutch words, as an English-configured troff would
            ".nr HY 6" if h.get("hyphenate") else ".nr HY 0",
            ".hy 6" if h.get("hyphenate") else ".nh",
            f".defcolor accent rgb {h['accent']}",
            f".defcolor tint rgb {h['tint']}",
            ".defcolor grey rgb #5a5a5a",
        )
        self.header_off()
        self.footer_off()
        if self.spec.get("pdf_info", True):
            self.emit(f".pdfinfo /Title {esc(self.meta.get('title', ''))}",
                      f".pdfinfo /Author {esc(self.meta.get('rekenkamer', ''))}",
                      f".pdfinfo /Subject Rekenkameronderzoek {esc(self.meta.get('gemeente', ''))} "
                      f"{esc(self.meta.get('year', ''))}")
        if self.outline:
            self.emit(".pdfview /PageMode /UseOutlines")

    # ------------------------------------------------------------------ blocks
    def b_cover(self, block: dict[str, Any]) -> None:
        lines = [esc(x) for x in block.get("lines", [])]
        self.emit(".LP")
        if self.house["cover"] == "band":
            # a coloured band over the top of the page, from the paper's left edge
            self.emit(".nr cv*up \\n[HM]u+1v",
                      "\\h'-\\n[PO]u'\\v'-\\n[cv*up]u'\\M[accent]\\D'P 21c 0 0 16c -21c 0'\\M[]",
                      ".br", ".rs", ".sp |4.5c")
            colour = "white"
        else:
            self.emit("\\h'-\\n[PO]u'\\v'-\\n[HM]u'\\M[accent]\\D'P 1.2c 0 0 29.7c -1.2c 0'\\M[]",
                      ".br", ".rs", ".sp |7c")
            colour = "accent"
        sizes = [13, 26, 13] + [11] * max(0, len(lines) - 3)
        fonts = ["B", "B", "R"] + ["R"] * max(0, len(lines) - 3)
        gaps = ["1.2c", "1c", "0.5c"] + ["0.3c"] * max(0, len(lines) - 3)
        self.emit(".ad l")
        for line, size, font, gap in zip(lines, sizes, fonts, gaps):
            self.emit(f".ps {size}", f".vs {size * 1.25:g}p", f".ft {self.head}{font}", f".gcolor {colour}")
            self.text(line)
            self.emit(".br", ".gcolor", ".ft", f".sp {gap}")
        self.emit(f".ad {self.house['adjust']}", ".ps", ".vs")
        self.fresh = False

    def b_colofon(self, block: dict[str, Any]) -> None:
        self.bp()
        lines = block.get("lines", [])
        self.emit(".LP", ".rs", f".sp |{25.0 - 0.45 * (len(lines) + 2):.2f}c", ".ps 8.5", ".vs 11p", ".ad l")
        self.text("\\fBColofon\\fP")
        self.emit(".sp 0.4v")
        for line in lines:
            if esc(line):
                self.text(esc(line))
                self.emit(".br")
            else:
                self.emit(".sp 0.6v")
        self.emit(".ps", ".vs", f".ad {self.house['adjust']}")
        self.fresh = False

    def start_body(self) -> None:
        """Switch the running header and page numbers on, from the next page on."""
        self.header_on()
        self.bp()
        self.footer_on()

    def b_toc(self, block: dict[str, Any]) -> None:
        self.header_on()
        self.bp()
        self.footer_on()
        self.heading_line(1, "", "Inhoud", record=False)
        entries = self.toc if self.toc is not None else [(lvl, txt, 0) for lvl, txt in self.headings_planned]
        self.emit(".LP", ".nr PD 0.25v", ".ta \\n[.l]uR", ".tc .")
        for level, text, page in entries:
            indent = "" if level == 1 else "\\h'0.7c'"
            font = "\\fB" if level == 1 else ""
            end = "\\fP" if level == 1 else ""
            if level == 1:
                self.emit(".sp 0.35v")
            self.text(f"{indent}{font}{esc(text)}{end}\t{page}")   # a real tab: filled with dots by .tc
            self.emit(".br")
        self.emit(".tc", ".nr PD 0.45v")
        self.bp()

    def heading_line(self, level: int, number: str, text: str, record: bool = True, follow: int = 0) -> None:
        sizes = {1: 16, 2: 12.5, 3: float(self.house["size"]) + 0.5}
        size = sizes.get(level, 11)
        plain = f"{number} {text}".strip()
        self.emit(".LP", f".ne {(6 if level == 1 else 4) + follow}v")
        if not self.fresh:
            self.emit(f".sp {0.9 if level == 1 else 0.5}v")
        if record and self.outline:
            self.emit(f".pdfbookmark {min(level, 3)} {arg(plain)}")
        self.emit(f".ps {size:g}", f".vs {size * 1.25:g}p", f".ft {self.head}B", ".ad l")
        if level < 3:
            self.emit(".gcolor accent")
        shown = f"{esc(number)}\\h'0.45c'{esc(text)}" if number else esc(text)
        self.text(shown)
        self.emit(".br", ".gcolor", ".ft", ".ps", ".vs", f".ad {self.house['adjust']}")
        if record:
            self.emit(f".tm H3TOC|{level}|\\n%|{esc(plain)}")
        self.emit(".sp 0.2v")

    def b_heading(self, block: dict[str, Any], follow: int = 0) -> None:
        self.heading_line(int(block.get("level", 1)), str(block.get("number", "") or ""), block["text"],
                          follow=follow)

    def para(self, text: str, footnote: str | None = None, font: str = "") -> None:
        self.emit(".LP" if self.house["indent"] in ("0", 0) else ".PP")
        body = esc(text)
        if font:
            body = f"\\f{font}{body}\\fP"
        if footnote:
            self.text(body + "\\**")
            self.emit(".FS")
            self.text(esc(footnote))
            self.emit(".FE")
        else:
            self.text(body)

    def b_para(self, block: dict[str, Any]) -> None:
        self.para(block["text"], block.get("footnote"))
        for bullet in block.get("bullets", []) or []:
            self.emit(".IP \\(bu 0.6c")
            self.text(esc(bullet))

    def b_quote(self, block: dict[str, Any]) -> None:
        self.emit(".QP")
        self.text(f"\\fI{esc(block['text'])}\\fP")
        if block.get("source"):
            self.emit(".br", ".ps -1.5")
            self.text(f"\\m[grey]{esc(block['source'])}\\m[]")
            self.emit(".ps")

    def b_columns(self, block: dict[str, Any]) -> None:
        count = 2 if int(block.get("count", 1)) > 1 else 1
        if count == self.columns:
            return
        if count == 2:
            self.emit(".2C")
        else:
            self.emit(".1C")      # ms starts a new page here
            self.fresh = True
        self.columns = count

    def b_page_break(self, block: dict[str, Any]) -> None:
        self.bp()

    # items ------------------------------------------------------------------------------------
    @staticmethod
    def _parts(item: dict[str, Any], short: bool) -> tuple[str, str]:
        lead, text = esc(item.get("lead", "")), esc(item.get("text", ""))
        if short:
            return (lead or text), ""
        return lead, text

    def render_items(self, items: list[dict[str, Any]], style: str, kind: str, block: dict[str, Any],
                     short: bool = False) -> None:
        label = LABEL.get(kind, kind.capitalize())
        if style == "table":
            self.item_table(items, kind, block, short)
            return
        for n, item in enumerate(items, start=1):
            number = esc(item.get("number") or n)
            lead, text = self._parts(item, short)
            full = " ".join(p for p in (lead, text) if p)
            if style == "numbered":
                self.emit(f".IP \"\\m[accent]\\fB{number}.\\fP\\m[]\" 0.8c")
                self.text(full)
            elif style == "number_own_line":
                self.emit(".LP", ".ne 4v")
                self.text(f"\\f[{self.head}B]\\s[+2]\\m[accent]{number}.\\m[]\\s0\\fP")
                self.emit(".RS", ".nr PD 0.15v", ".LP")
                self.text(full)
                self.emit(".nr PD 0.45v", ".RE")
            elif style == "bold_lead":
                prefix = f"{number}. " if block.get("show_number") else ""
                self.emit(".LP")
                if lead:
                    self.text(f"\\fB{prefix}{lead}\\fP" + (f" {text}" if text else ""))
                else:
                    self.text(prefix + text)
            elif style == "label":
                self.emit(".LP")
                self.text(f"\\fB{label} {number}:\\fP {full}")
            elif style == "boxes":
                self.box(f"{label.upper()} {number}", lead, text)
            else:
                raise ValueError(f"unknown item style {style!r}")

    def box(self, title: str, lead: str, text: str) -> None:
        self.emit(".LP", ".ne 6v", ".B1")
        # the header bar: a filled polygon under the title, across the box
        self.text("\\Z'\\h'-0.35n'\\v'0.32v'\\M[accent]\\D'P \\n[.l]u-\\n[.i]u+0.7n 0 0 -1.25v "
                  "-(\\n[.l]u-\\n[.i]u+0.7n) 0'\\M[]'"
                  f"\\m[white]\\f[{self.head}B]{esc(title)}\\fP\\m[]")
        self.emit(".sp 0.35v")
        body = (f"\\fB{lead}\\fP" if lead else "") + ((" " if lead else "") + text if text else "")
        self.emit(".nr PD 0.2v", ".LP")
        self.text(body)
        self.emit(".nr PD 0.45v", ".sp 0.3v", ".B2", ".sp 0.4v")

    def _tbl(self, header: list[str], rows: list[list[str]], widths_cm: list[float]) -> None:
        spec_row = " ".join(f"lw({w:.2f}c)" for w in widths_cm)
        head_row = " ".join("lb" for _ in widths_cm)
        self.emit(".LP", ".ne 5v", ".TS H", "allbox tab(\t);", head_row, spec_row + " .")
        # header cells as text blocks too, so a long header wraps instead of widening the column
        self.emit("\t".join(f"T{{\n\\&\\fB\\m[accent]{esc(h)}\\m[]\\fP\nT}}" for h in header))
        self.emit(".TH")
        for row in rows:
            cells = [f"T{{\n\\&{cell}\nT}}" for cell in row]
            self.emit("\t".join(cells))
        self.emit(".TE")
        self.fresh = False

    def item_table(self, items: list[dict[str, Any]], kind: str, block: dict[str, Any], short: bool) -> None:
        default = {"aanbeveling": ["Nr.", "Aanbeveling", "Gericht aan"], "conclusie": ["Nr.", "Conclusie"]}
        columns = block.get("columns") or default.get(kind, ["Nr.", kind.capitalize()])
        keys = [c.lower().rstrip(".") for c in columns]
        fixed = {"nr": 1.1, "nummer": 1.4, "#": 1.0, "gericht aan": 3.0, "onderdeel": 3.5, "thema": 3.5}
        usable = LINE_LENGTH_CM if self.columns == 1 else (LINE_LENGTH_CM - 0.9) / 2
        usable -= 0.75 * len(keys)   # tbl's column separation (3n) and rules
        free = usable - sum(fixed.get(k, 0.0) for k in keys)
        n_free = sum(1 for k in keys if k not in fixed) or 1
        widths = [fixed.get(k, free / n_free) for k in keys]
        rows = []
        for n, item in enumerate(items, start=1):
            lead, text = self._parts(item, short)
            row = []
            for key in keys:
                if key in ("nr", "nummer", "#"):
                    row.append(f"\\fB{esc(item.get('number') or n)}\\fP")
                elif key == "gericht aan":
                    row.append(esc(ADDRESSEE.get(item.get("addressee"), item.get("addressee") or "")))
                elif key in ("aanbeveling", "conclusie", "bevinding", kind):
                    row.append(" ".join(p for p in (lead, text) if p))
                else:
                    row.append(esc(item.get(key, "")))
            rows.append(row)
        self._tbl(columns, rows, widths)

    def b_items(self, block: dict[str, Any]) -> None:
        self.render_items(block["items"], block["style"], block["type"], block)

    def b_repeat(self, block: dict[str, Any]) -> None:
        items = [self.items[ref] for ref in block["refs"]]
        kind = items[0]["type"] if items else "aanbeveling"
        self.render_items(items, block["style"], kind, block, short=bool(block.get("short")))

    def b_norm(self, block: dict[str, Any]) -> None:
        label = f"Norm {esc(block.get('number'))}: " if block.get("number") else "Norm: "
        self.emit(".LP", ".ne 5v", ".B1", ".LP")
        self.text(f"\\m[accent]\\f[{self.head}B]{label}{esc(block.get('text', ''))}\\fP\\m[]")
        self.emit(".sp 0.3v", ".B2")
        for para in block.get("findings", []):
            self.para(para)
        if block.get("verdict"):
            self.para(block["verdict"], font="[BI]")

    def b_findings(self, block: dict[str, Any]) -> None:
        for item in block["items"]:
            self.para(item["text"], item.get("footnote"))

    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        letterhead = block.get("letterhead") or f"Gemeente {self.meta.get('gemeente', '').split(',')[0]}"
        if block.get("scanned"):
            self.scanned(block, letterhead)
            return
        self.emit(".LP", ".ne 3v")
        self.text(f"\\f[{self.head}B]\\s[+2]{esc(letterhead)}\\s0\\fP")
        address = block.get("address") or block.get("lines") or []
        if address:
            self.emit(".br", ".ps -1", ".sp 0.3v")
            for line in address:
                self.text(esc(line))
                self.emit(".br")
            self.emit(".ps")
        self.emit(".RS")
        for para in block.get("paragraphs", []):
            self.para(para)
        if block.get("signature"):
            self.emit(".LP")
            for line in block["signature"]:
                self.text(esc(line))
                self.emit(".br")
        self.emit(".RE")

    def scanned(self, block: dict[str, Any], letterhead: str) -> None:
        from PIL import Image

        pngs = scan.letter_pages(block.get("paragraphs", []), block.get("signature"), letterhead=letterhead,
                                 seed=int(block.get("seed", 7)))
        stamp = time.gmtime(self.epoch)
        if self.columns > 1:
            self.emit(".1C")
            self.columns = 1
            self.fresh = True
        self.header_off()
        self.bp()
        for n, png in enumerate(pngs):
            self.scans += 1
            path = self.work / f"scan{self.scans}.pdf"
            Image.open(io.BytesIO(png)).save(path, resolution=200.0, creationDate=stamp, modDate=stamp)
            self.footer_off()
            self.emit(".LP", ".nr sc*up \\n[HM]u+1v",
                      f"\\h'-\\n[PO]u'\\v'-\\n[sc*up]u'\\X'pdf: pdfpic {path} -L 21c 29.7c'")
            self.fresh = False
            if n == len(pngs) - 1:
                self.header_on()
            self.emit(".bp")
            self.fresh = True
        self.footer_on()

    def b_reaction_table(self, block: dict[str, Any]) -> None:
        columns = block.get("columns") or ["Aanbeveling", "Reactie college", "Nawoord"]
        rows = []
        for row in block.get("rows", []):
            item = self.items.get(row.get("ref"), {})
            full = " ".join(p for p in (esc(item.get("lead", "")), esc(item.get("text", ""))) if p)
            cells = [f"\\fB{esc(item.get('number', ''))}.\\fP {full}", esc(row.get("reaction", ""))]
            if len(columns) > 2:
                cells.append(esc(row.get("nawoord", "")))
            rows.append(cells[: len(columns)])
        usable = LINE_LENGTH_CM - 0.75 * len(columns)
        shares = [0.37, 0.33, 0.30] if len(columns) > 2 else [0.45, 0.55]
        self._tbl(columns, rows, [usable * s for s in shares[: len(columns)]])

    # ------------------------------------------------------------------ the whole document
    def source(self, epoch: int) -> str:
        self.epoch = epoch
        self.preamble()
        blocks = self.spec["blocks"]
        started = False
        for n, block in enumerate(blocks):
            kind = block["kind"]
            if kind not in ("cover", "colofon", "toc") and not started:
                started = True
                self.start_body()
            if kind == "heading":
                follow = 0
                for nxt in blocks[n + 1:]:
                    if nxt["kind"] == "heading":
                        follow += 3
                    elif nxt["kind"] == "norm":
                        follow += 3
                        break
                    else:
                        break
                self.b_heading(block, follow)
                continue
            getattr(self, f"b_{kind}")(block)
        return "\n".join(self.out) + "\n"


def _run(source: str, work: Path, epoch: int) -> tuple[bytes, str]:
    path = work / "report.ms"
    path.write_text(source, encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "LC_ALL": "C.UTF-8"}
    proc = subprocess.run(["groff", "-ms", "-t", "-k", "-Tpdf", "-dpaper=a4", "-P-pa4", str(path)],
                          cwd=work, env=env, capture_output=True, check=False)
    if proc.returncode != 0 or not proc.stdout.startswith(b"%PDF"):
        raise RuntimeError(f"groff failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace')[-2000:]}")
    return proc.stdout, proc.stderr.decode("utf-8", "replace")


def _toc(log: str) -> list[tuple[int, str, int]]:
    out = []
    for line in log.splitlines():
        if line.startswith("H3TOC|"):
            _, level, page, text = line.split("|", 3)
            out.append((int(level), text, int(page)))
    return out


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    meta = spec["meta"]
    house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
    when = str(house.get("date") or spec.get("date") or f"{meta.get('year') or 2000}-06-30")
    epoch = int(_dt.datetime.strptime(when, "%Y-%m-%d").replace(hour=10, tzinfo=_dt.timezone.utc).timestamp())
    # (gropdf does not write the image PDFs' paths into the output, so a fresh folder is fine)
    with tempfile.TemporaryDirectory(prefix="groff-") as tmp:
        work = Path(tmp)
        _, log = _run(Builder(spec, work, None).source(epoch), work, epoch)
        toc = _toc(log)
        pdf, log2 = _run(Builder(spec, work, toc).source(epoch), work, epoch)
    if _toc(log2) != toc:
        raise RuntimeError("groff: the table of contents changed the page numbers; give it more room")
    warnings = [line for line in log2.splitlines() if line and not line.startswith("H3TOC|")]
    if warnings:
        print("\n".join(warnings[:20]), file=sys.stderr)
    out_pdf.write_bytes(pdf)
