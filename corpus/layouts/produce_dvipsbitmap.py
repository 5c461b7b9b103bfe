"""Render a layout-corpus spec as an older LaTeX report: `latex` → `dvips` with bitmap (PK) fonts → `ps2pdf`.

Many rekenkamer reports of the 2000s and 2010s were typeset with a plain LaTeX installation: the standard `report`
class, `babel` dutch, `\\usepackage[T1]{fontenc}` for the Dutch accents and hyphenation — and no Type 1 version of
the T1 (EC) fonts, because `cm-super` was not installed (it is a large, optional package). `latex` writes DVI,
`dvips` finds no Type 1 font for `ecrm1095`, `ecbx1440`, … in its map files and calls `mktexpk`, which has METAFONT
draw the glyphs at the printer's resolution (mode ljfour, 600 dpi); the PostScript then holds **Type 3 fonts made of
bitmaps**, and Ghostscript's `ps2pdf` keeps them as Type 3 fonts whose glyphs are image masks. The pages look right
(a little soft when zoomed in), but the fonts have no /ToUnicode map: only an /Encoding with /Differences naming the
glyphs (dvips' "bitmap font encoding", on by default since TeX Live 2016: /fi, /quotedblleft, /eacute …) — a reader
that takes the character codes as text gets the T1 codes, which agree with ASCII and Latin-1 for letters, digits and
most accented letters, but not for the ligatures (fi = 0x1C, ff = 0x1B, fl = 0x1D, ffi = 0x1E, ffl = 0x1F), the
quotes, the dashes or the euro sign of the TS1 font.

This is the installation this Debian machine has (TeX Live 2022 without `cm-super`), so nothing is forced: the EC
fonts exist only as METAFONT sources. OT1 math fonts (cmsy, cmmi in math) would have Type 1 versions and stay Type 1;
with T1 and textcomp even the itemize bullet, €, and × come from a bitmap font (tcrm, TS1), so a report without math
has nothing but Type 3 fonts.

The LaTeX source is written by a subclass of `produce_latex.Builder` (its escaping, paragraphs, footnotes, quotes and
block dispatch are reused) that replaces what the modern house style of that module adds — TikZ cover, tcolorbox,
titlesec, fancyhdr, hyperref, microtype, PostScript text fonts — by what a plain report had:
  - `\\documentclass[<house.size>pt,a4paper,oneside]{report}` (10 pt, LaTeX's default, if the spec says so), `a4wide`, `parskip`-like spacing, Computer Modern in T1 (EC);
  - LaTeX's own numbered `\\chapter` ("Hoofdstuk 2" on a line of its own above the title) and `\\section`; the spec's
    heading numbers must be the ones LaTeX gives (checked); `\\tableofcontents` ("Inhoudsopgave");
  - `\\pagestyle{headings}`: the running head is LaTeX's, "HOOFDSTUK 2. TOEGANG TOT JEUGDHULP" in slanted capitals
    at the left and the page number at the right of the **header**; chapter openings (`plain`) have the number
    centred in the footer; the front matter is numbered in Roman numerals, the body from 1;
  - a `titlepage` made of centred lines; the colofon at the foot of the page after it, or under the inhoudsopgave
    when the spec puts it after the toc block;
  - no hyperref: no bookmarks, no links, no info dictionary of LaTeX's own.

Producer-only keys (ignored by spec.py and the gold):
  dvipsbitmap.jobname: "rapport"        the .tex/.dvi file name; dvips writes "%%Title: <jobname>.dvi", which
                                        ps2pdf turns into the info Title (the only Title the PDF has)
  dvipsbitmap.dpi: 600                  the PK resolution (mode ljfour)
  para.list: [..]                       an itemize list after the paragraph's text (e.g. the deelvragen; never items)
  items.layout: description             a LaTeX description list: each item's `term` in bold, run in before the
                                        lead (the term is not part of the gold text)
  items.intro                           (numbered) a sentence before the list, in the same paragraph flow
  reaction_letter.lines                 address and reference lines under the letterhead ("" = a blank line)
  reaction_letter.signature             lines; a line "left | right" sets two signature columns side by side
  table: {caption, columns, data, align, source}   a `table` float ([ht]) with \\caption ("Tabel 3.1: …"), never
                                        an item

Deterministic: SOURCE_DATE_EPOCH/FORCE_SOURCE_DATE for latex and dvips (dvips' %%CreationDate), the PK fonts made
afresh into the work folder each time (METAFONT is deterministic), and the pdfwrite dates, XMP uuids and /ID frozen
by `produce_distilled` (whose `_distil` and `_freeze` are called, not copied).

Gold pages: pypdfium2 returns the ligatures as control codes, so the item texts ("financiële", "officieel") are not
found in the raw page text; `gold_page_texts` (registered in make.py) maps the T1 codes back to what is printed before
the gold pages are located. The PDF is not changed by it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import clean_text  # noqa: E402
import produce_distilled  # noqa: E402
import produce_latex  # noqa: E402
from produce_latex import esc  # noqa: E402

# T1 (Cork) codes that pdfium takes literally from the Type 3 fonts, and what they print
T1_CODES = {
    "\x1b": "ff", "\x1c": "fi", "\x1d": "fl", "\x1e": "ffi", "\x1f": "ffl",
    "\x10": "“", "\x11": "”", "\x15": "–", "\x16": "—", "\x12": "„", "\x0e": "‹", "\x0f": "›",
}


class Builder(produce_latex.Builder):
    def __init__(self, spec: dict[str, Any], workdir: Path):
        super().__init__(spec, workdir)
        self.chapter = 0
        self.section = 0
        self.subsection = 0
        self.front = True   # Roman page numbers until the first chapter
        self.after_toc = False

    # ------------------------------------------------------------------ preamble
    def preamble(self) -> str:
        size = int(self.house.get("size", 11))
        return rf"""\documentclass[{size}pt,a4paper,oneside]{{report}}
\usepackage[utf8]{{inputenc}}
\usepackage[T1]{{fontenc}}
\usepackage[dutch]{{babel}}
\usepackage{{textcomp}}
\usepackage{{a4wide}}
\setlength{{\parindent}}{{0pt}}
\setlength{{\parskip}}{{1ex plus 0.5ex minus 0.2ex}}
\pagestyle{{headings}}
\begin{{document}}
"""

    # ------------------------------------------------------------------ front matter
    def cover(self, block: dict[str, Any]) -> None:
        lines = [esc(x) for x in block.get("lines", [])]
        while len(lines) < 4:
            lines.append("")
        org, title, sub, *rest = lines
        rest_tex = "\\\\[1ex]\n".join(r for r in rest if r)
        self.emit(rf"""\begin{{titlepage}}
\begin{{center}}
\vspace*{{2cm}}
{{\Large {org}}}\\[3cm]
{{\Huge\bfseries {title}}}\\[1.2cm]
\begin{{minipage}}{{0.8\textwidth}}\centering\Large {sub}\end{{minipage}}
\vfill
{{\large {rest_tex}}}
\vspace*{{1cm}}
\end{{center}}
\end{{titlepage}}
\pagenumbering{{roman}}
""")

    def colofon(self, block: dict[str, Any]) -> None:
        """The colofon at the foot of its page: a page of its own after the title page, or, when it follows the
        inhoudsopgave in the spec, at the foot of the inhoudsopgave's page."""
        lines = "\\\\\n".join(esc(x) if x else "\\mbox{}" for x in block.get("lines", []))
        style = "" if self.after_toc else "\\thispagestyle{empty}\n"
        self.emit(rf"""{style}\vspace*{{\fill}}
\noindent{{\small\textbf{{Colofon}}\\
{lines}\par}}
\clearpage
""")

    def toc(self, block: dict[str, Any]) -> None:
        blocks = self.spec["blocks"]
        index = next(n for n, b in enumerate(blocks) if b is block)
        self.after_toc = index + 1 < len(blocks) and blocks[index + 1]["kind"] == "colofon"
        self.emit("\\tableofcontents\n" + ("" if self.after_toc else "\\clearpage\n"))

    # ------------------------------------------------------------------ headings: LaTeX numbers them
    def heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        number = str(block.get("number", ""))
        text = esc(block["text"])
        if level == 1:
            if self.front:
                self.emit("\\clearpage\n\\pagenumbering{arabic}\n")
                self.front = False
            if number:
                self.chapter += 1
                self.section = 0
                self._check(number, f"{self.chapter}", block)
                self.emit(f"\\chapter{{{text}}}\n")
            else:
                self.emit(f"\\chapter*{{{text}}}\\addcontentsline{{toc}}{{chapter}}{{{text}}}\\markright{{\\MakeUppercase{{{text}}}}}\n")
        else:
            cmd = "section" if level == 2 else "subsection"
            if number:
                if level == 2:
                    self.section += 1
                    self.subsection = 0
                    expect = f"{self.chapter}.{self.section}"
                else:
                    self.subsection += 1
                    expect = f"{self.chapter}.{self.section}.{self.subsection}"
                self._check(number, expect, block)
                self.emit(f"\\{cmd}{{{text}}}\n")
            else:
                self.emit(f"\\{cmd}*{{{text}}}\n")

    @staticmethod
    def _check(number: str, expect: str, block: dict[str, Any]) -> None:
        if number != expect:
            raise ValueError(f"dvipsbitmap: heading {block['text']!r} has number {number}, LaTeX gives {expect}")

    # ------------------------------------------------------------------ paragraphs and lists
    def para(self, block: dict[str, Any]) -> None:
        super().para(block)
        if block.get("list"):
            rows = "\n".join(f"\\item {esc(x)}" for x in block["list"])
            self.emit(f"\\begin{{itemize}}\n{rows}\n\\end{{itemize}}\n\n")

    def render_items(self, block: dict[str, Any], items: list[dict[str, Any]], kind: str, short: bool) -> None:
        intro = f"{esc(block['intro'])}\n\n" if block.get("intro") else ""
        if block.get("layout") == "description":
            rows = []
            for it in items:
                lead, text = self._parts(it, short)
                rows.append(f"\\item[{esc(it.get('term', ''))}] {lead} {text}".rstrip())
            self.emit(intro + "\\begin{description}\n" + "\n".join(rows) + "\n\\end{description}\n\n")
        elif block["style"] == "numbered":
            rows = []
            first = int(items[0].get("number") or 1) if items else 1
            for n, it in enumerate(items):
                lead, text = self._parts(it, short)
                if str(it.get("number", "")) != str(first + n):
                    raise ValueError(f"dvipsbitmap: {it['id']} must be numbered {first + n} (enumerate counts)")
                rows.append(f"\\item {lead} {text}".rstrip())
            start = f"\\setcounter{{enumi}}{{{first - 1}}}\n" if first > 1 else ""
            self.emit(intro + "\\begin{enumerate}\n" + start + "\n".join(rows) + "\n\\end{enumerate}\n\n")
        else:
            if intro:
                self.emit(intro)
            super().render_items(block, items, kind, short)

    def table(self, block: dict[str, Any]) -> None:
        columns = block.get("columns", [])
        align = block.get("align") or ("l" + "r" * (len(columns) - 1))
        head = " & ".join(f"\\textbf{{{esc(c)}}}" for c in columns)
        rows = []
        for row in block.get("data", []):
            cells = [esc(c) for c in row]
            if str(row[0]).lower().startswith("totaal"):
                rows.append("\\hline")
                cells = [f"\\textbf{{{c}}}" for c in cells]
            rows.append(" & ".join(cells) + " \\\\")
        source = f"\n\\par\\vspace{{2pt}}{{\\footnotesize {esc(block['source'])}}}" if block.get("source") else ""
        self.emit(f"\\begin{{table}}[{block.get('place', 'ht')}]\n\\centering\n\\caption{{{esc(block['caption'])}}}\n"
                  f"\\begin{{tabular}}{{{align}}}\n\\hline\n{head} \\\\\n\\hline\n" + "\n".join(rows)
                  + f"\n\\hline\n\\end{{tabular}}{source}\n\\end{{table}}\n\n")

    # ------------------------------------------------------------------ the college's letter, set in the report
    def reaction_letter(self, block: dict[str, Any]) -> None:
        if block.get("scanned"):
            raise ValueError("dvipsbitmap: scanned letters are not supported")
        letterhead = block.get("letterhead") or f"Gemeente {self.spec['meta'].get('gemeente', '')}"
        lines = "\\\\\n".join(esc(x) if x else "\\mbox{}" for x in block.get("lines", []))
        paras = "\n\n".join(esc(p) for p in block.get("paragraphs", []))
        sig_rows = []
        for line in block.get("signature", []):
            if " | " in line:
                left, right = line.split(" | ", 1)
                sig_rows.append(f"\\begin{{tabular}}{{@{{}}p{{0.45\\linewidth}}@{{}}l}}{esc(left)} & {esc(right)}"
                                "\\end{tabular}\\\\")
            else:
                sig_rows.append((esc(line) if line else "\\mbox{}") + "\\\\")
        sig = "\n".join(sig_rows)
        self.emit("\\par\\noindent\\rule{\\linewidth}{0.4pt}\\par\n"
                  "\\begin{list}{}{\\setlength{\\leftmargin}{1.5em}\\setlength{\\rightmargin}{1.5em}"
                  "\\setlength{\\parsep}{1ex}}\\item[]\\small\n"
                  f"{{\\large\\bfseries {esc(letterhead)}}}\\par\\medskip\n"
                  + (f"\\noindent {lines}\\par\\medskip\n" if lines else "")
                  + f"{paras}\\par\\medskip\n\\noindent {sig}\n\\end{{list}}\n"
                  "\\par\\noindent\\rule{\\linewidth}{0.4pt}\\par\n\n")


def source(spec: dict[str, Any], workdir: Path) -> str:
    return Builder(spec, workdir).build()


def _options(spec: dict[str, Any]) -> dict[str, Any]:
    return {"jobname": "rapport", "dpi": 600, **(spec.get("dvipsbitmap") or {})}


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    opts = _options(spec)
    job = str(opts["jobname"])
    epoch = produce_distilled._epoch(spec)
    with tempfile.TemporaryDirectory(prefix="dvipsbitmap_") as tmp:
        work = Path(tmp)
        (work / f"{job}.tex").write_text(source(spec, work), encoding="utf-8")
        # a private font cache: the PK fonts are made by mktexpk/METAFONT in every run, whatever the user's cache holds
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "FORCE_SOURCE_DATE": "1", "TZ": "UTC",
               "TEXMFVAR": str(work / "texmf-var"), "VARTEXFONTS": str(work / "texfonts")}
        for _ in range(3):  # the inhoudsopgave and the chapter marks settle after reruns
            run = subprocess.run(["latex", "-interaction=nonstopmode", "-halt-on-error", f"{job}.tex"], cwd=work,
                                 env=env, capture_output=True, text=True, errors="replace")
            if run.returncode != 0:
                raise RuntimeError(f"latex failed for {spec['id']}:\n{run.stdout[-3000:]}")
        dpi = str(int(opts["dpi"]))
        run = subprocess.run(["dvips", "-D", dpi, "-mode", "ljfour", "-t", "a4", "-o", f"{job}.ps", f"{job}.dvi"],
                             cwd=work, env=env, capture_output=True, text=True, errors="replace")
        if run.returncode != 0:
            raise RuntimeError(f"dvips failed for {spec['id']}:\n{run.stderr[-3000:]}")
        ps = (work / f"{job}.ps").read_text(encoding="latin-1")
        if "/BuildChar{CharBuilder}" not in ps and "CharBuilder" not in ps:
            raise RuntimeError("dvipsbitmap: dvips wrote no bitmap fonts (is cm-super installed?)")
        pdf = work / f"{job}.pdf"
        produce_distilled._distil(work / f"{job}.ps", pdf, epoch)
        produce_distilled._freeze(pdf, epoch)
        if os.environ.get("DVIPSBITMAP_KEEP"):
            shutil.copyfile(work / f"{job}.tex", out_pdf.with_suffix(".tex"))
            shutil.copyfile(work / f"{job}.log", out_pdf.with_suffix(".log"))
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)


def gold_page_texts(spec: dict[str, Any], out_pdf: Path) -> list[str]:
    """The page texts the gold pages are located in: pypdfium2's text with the T1 codes it returns for the
    ligatures, quotes and dashes mapped to what they print (the letters of "financiële" are otherwise not found)."""
    return ["".join(T1_CODES.get(ch, ch) for ch in text) for text in clean_text.page_texts(out_pdf)]


if __name__ == "__main__":  # debugging aid: print the generated LaTeX of one spec
    import spec as spec_module
    print(source(spec_module.load(Path(sys.argv[1])), Path(tempfile.mkdtemp())))
