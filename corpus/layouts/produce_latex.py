"""Render a layout-corpus spec with LaTeX (pdfLaTeX from Debian's TeX Live).

The spec becomes a `report`-class document as a Dutch rekenkamer would typeset it: babel
dutch (hyphenation, "Inhoudsopgave"), T1/UTF-8 input, a PostScript text font from psnfss,
titlesec headings in the house colour (manual numbers from the spec, so \\chapter*/\\section*
plus \\addcontentsline), \\tableofcontents, fancyhdr running header and page numbers,
\\footnote, enumitem lists, booktabs/xltabular tables, tcolorbox boxes, multicol two-column
text, a TikZ cover page and a colofon. hyperref writes the outline (bookmarks=false when
`outline: false`) and the info Title/Author when `pdf_info: true`. A scanned reaction letter
becomes full-page PNGs from `scan.letter_pages`, put on empty pages with eso-pic (no text layer).

Deterministic: SOURCE_DATE_EPOCH/FORCE_SOURCE_DATE from `house.date` and \\pdftrailerid{}.

Optional spec keys this renderer reads (ignored by spec.py):
  house: {font: palatino|charter|times|lmodern|pagella, sans_headings: bool, size: 10|11|12,
          accent: "RRGGBB", light: "RRGGBB", date: [y, m, d]}
  reaction_letter.letterhead / .lines        letterhead and address lines
  items.columns / repeat.columns             table header row
  items.label / repeat.label                 "Aanbeveling" / "Conclusie" label word
  heading.no_break                           a level-1 heading that does not start a new page
  para.vspace                                extra vertical space before a paragraph (e.g. "2\\baselineskip")
  para.runin / findings item.runin           a paragraph number set in bold before the text ("3.2.1"), run in,
                                             not a heading (not part of the gold text)
  findings item.footnote                     a footnote at the end of a findings paragraph (as para.footnote)
  items.box: framed                          style `boxes`: a box framed on all four sides, white inside, with a
                                             title bar "<label> <number>" in the label's own case (not upper case)
  item.label_suffix                          words after the label in a framed box's title ("(aan de raad)");
                                             not part of the gold text
  items.bold_lead: true                      style `label`: the lead in bold after "Conclusie I:"

(h17b) Rotated tables; any of these keys also loads rotating, pdflscape and multirow (nothing is loaded otherwise):
  items.pair: next + items.sideways: true    a conclusie `table` block set with the next `items` block in one
                                             `sidewaystable` (rotating): the float stands on a page of its own, the
                                             page stays portrait in the PDF and its content is drawn turned 90°
                                             (the text runs bottom-to-top). Columns from `columns` (e.g. Conclusie |
                                             Aanbeveling | Gericht aan); each aanbeveling goes in the row of the first
                                             conclusion its `conclusies` list names; a conclusion with several
                                             recommendations spans their rows (\\multirow), one without gets an empty
                                             cell. `caption` is printed as a bold line above the table ("Tabel 4.1 …").
                                             The partner block is not rendered again.
  reaction_table.landscape: true             the reaction table in a `landscape` environment (pdflscape): new pages
                                             whose content is turned and that carry /Rotate 90, so a viewer shows
                                             them upright; the running header and page number stay where the
                                             portrait page has them. Columns by name: "Nr." (the number),
                                             "Aanbeveling" (the lead), "Standpunt college" (`row.standpunt`), any
                                             other (`row.reaction`); `caption` as above; `widths` (a LaTeX column
                                             spec per column, optional).
  norm.table: true                           consecutive norm blocks with `table` become one longtable (xltabular)
                                             Norm | Bevindingen | Oordeel: the norm number and text, the findings
                                             paragraphs, the verdict; the header is repeated on the next page with
                                             "(vervolg)" after the caption, and "vervolg op volgende pagina" stands
                                             under the part before a page break. The first block of the run may
                                             carry `table_caption` and `table_columns`.
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

import scan  # noqa: E402
import spec as spec_module  # noqa: E402

DEFAULT_HOUSE = {
    "font": "palatino",
    "sans_headings": True,
    "size": 11,
    "accent": "1F4E79",
    "light": "E8EEF5",
    "date": [2021, 11, 1],
}
FONTS = {
    "palatino": "\\usepackage{mathpazo}",
    "pagella": "\\usepackage{tgpagella}",
    "charter": "\\usepackage{charter}",
    "times": "\\usepackage{mathptmx}",
    "lmodern": "\\usepackage{lmodern}",
}
ADDRESSEE = {"college": "College", "raad": "Raad", None: "", "": ""}


# ---------------------------------------------------------------------- escaping
def _smart_quotes(text: str) -> str:
    text = re.sub(r'(^|[\s(\[])"', "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[])'", "\\1‘", text)
    return text.replace("'", "’")


_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
    "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def esc(text: Any) -> str:
    """Plain text → LaTeX that prints it literally (straight quotes become curly ones)."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    text = _smart_quotes(text)
    text = "".join(_SPECIALS.get(ch, ch) for ch in text)
    text = text.replace("--", "-{}-")
    return text


def _label_word(block: dict[str, Any], kind: str) -> str:
    if block.get("label"):
        return block["label"]
    return {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}.get(kind, "Aanbeveling")


# ---------------------------------------------------------------------- builder
class Builder:
    def __init__(self, spec: dict[str, Any], workdir: Path):
        self.spec = spec
        self.workdir = workdir
        self.items = spec_module.items_by_id(spec)
        self.house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
        self.out: list[str] = []
        self.in_columns = False
        self.column_count = 2
        self.scan_count = 0
        self.paired: set[int] = set()   # (h17b) ids of items blocks set inside a sideways paired table
        self.rotation = any(b.get("sideways") or (b["kind"] == "reaction_table" and b.get("landscape"))
                            or (b["kind"] == "norm" and b.get("table")) for b in spec["blocks"])

    def emit(self, tex: str) -> None:
        self.out.append(tex)

    # ------------------------------------------------------------------ preamble
    def preamble(self) -> str:
        s, h = self.spec, self.house
        meta = s["meta"]
        running = s.get("running_header") or ""
        accent = str(h["accent"]).lstrip("#").upper()
        light = str(h["light"]).lstrip("#").upper()
        heading_family = "\\sffamily" if h.get("sans_headings", True) else "\\rmfamily"
        font = FONTS.get(h.get("font", "palatino"), FONTS["palatino"])
        sans = "\\usepackage[scaled=0.9]{helvet}" if h.get("sans_headings", True) and h.get("font") != "lmodern" else ""
        hyper_opts = ["hidelinks", "pdfencoding=auto", "unicode"]
        if s.get("outline", True):
            hyper_opts += ["bookmarks=true", "bookmarksnumbered=true", "bookmarksopen=true", "pdfpagemode=UseOutlines"]
        else:
            hyper_opts += ["bookmarks=false", "pdfpagemode=UseNone"]
        info = ""
        if s.get("pdf_info", True):
            info = (f"\\hypersetup{{pdftitle={{{esc(meta['title'])}}}, pdfauthor={{{esc(meta['rekenkamer'])}}}, "
                    f"pdfsubject={{Rekenkameronderzoek jeugdhulp {esc(meta.get('gemeente', ''))}}}, "
                    f"pdfkeywords={{jeugdhulp, rekenkamer, {esc(meta.get('gemeente', ''))}}}}}")
        header = ""
        if running:
            header = (f"\\fancyhead[L]{{\\footnotesize\\color{{darkgray}}{esc(running)}}}\n"
                      f"\\fancyhead[R]{{\\footnotesize\\bfseries\\color{{accent}}{esc(meta['rekenkamer'])}}}\n"
                      "\\renewcommand{\\headrulewidth}{0.4pt}\n"
                      "\\renewcommand{\\headrule}{{\\color{accent}\\hrule width\\headwidth height\\headrulewidth}}\n")
        else:
            header = "\\renewcommand{\\headrulewidth}{0pt}\n"
        if running:  # the house style repeats the running header on chapter openings too
            plain_style = "\\fancypagestyle{plain}{}"
        else:
            plain_style = "\\fancypagestyle{plain}{\\fancyhf{}\\fancyfoot[C]{\\small\\thepage}\\renewcommand{\\headrulewidth}{0pt}}"
        rotation = ("\n\\usepackage{rotating}\n\\usepackage{pdflscape}\n\\usepackage{multirow}"
                    if self.rotation else "")
        return rf"""\pdftrailerid{{}}
\documentclass[{int(h.get('size', 11))}pt,a4paper,oneside,openany]{{report}}
\usepackage[T1]{{fontenc}}
\usepackage[utf8]{{inputenc}}
\usepackage[dutch]{{babel}}
{font}
{sans}
\usepackage{{textcomp}}
\usepackage[a4paper,top=2.8cm,bottom=2.6cm,left=2.6cm,right=2.4cm,headheight=14pt,headsep=0.8cm,footskip=1.2cm]{{geometry}}
\usepackage[table]{{xcolor}}
\usepackage{{microtype}}
\usepackage{{graphicx}}
\usepackage{{eso-pic}}
\usepackage{{tikz}}
\usepackage{{titlesec}}
\usepackage{{fancyhdr}}
\usepackage{{enumitem}}
\usepackage{{multicol}}
\usepackage{{booktabs}}
\usepackage{{tabularx}}
\usepackage{{xltabular}}
\usepackage{{array}}
\usepackage[most]{{tcolorbox}}
\usepackage{{needspace}}{rotation}
\usepackage{{tocloft}}
\usepackage[{','.join(hyper_opts)}]{{hyperref}}
{info}
\input{{glyphtounicode}}
\pdfgentounicode=1
\definecolor{{accent}}{{HTML}}{{{accent}}}
\definecolor{{light}}{{HTML}}{{{light}}}
\setlength{{\parindent}}{{0pt}}
\setlength{{\parskip}}{{0.55\baselineskip plus 2pt}}
\setlength{{\columnsep}}{{7mm}}
\renewcommand{{\arraystretch}}{{1.25}}
\setlength{{\aboverulesep}}{{0pt}}
\setlength{{\belowrulesep}}{{0pt}}
\titleformat{{\chapter}}[block]{{{heading_family}\bfseries\LARGE\color{{accent}}\raggedright\hyphenpenalty=10000}}{{}}{{0pt}}{{}}
\titlespacing*{{\chapter}}{{0pt}}{{0pt}}{{16pt}}
\titleformat{{\section}}[block]{{{heading_family}\bfseries\large\color{{accent}}\raggedright\hyphenpenalty=10000}}{{}}{{0pt}}{{}}
\titlespacing*{{\section}}{{0pt}}{{14pt}}{{4pt}}
\titleformat{{\subsection}}[block]{{{heading_family}\bfseries\itshape\normalsize\color{{accent}}\raggedright\hyphenpenalty=10000}}{{}}{{0pt}}{{}}
\titlespacing*{{\subsection}}{{0pt}}{{10pt}}{{2pt}}
\renewcommand{{\cftchapfont}}{{{heading_family}\bfseries}}
\renewcommand{{\cftchappagefont}}{{{heading_family}\bfseries}}
\renewcommand{{\cftchapleader}}{{\cftdotfill{{\cftdotsep}}}}
\setlength{{\cftbeforechapskip}}{{6pt}}
\setlength{{\cftchapnumwidth}}{{2em}}
\setlength{{\cftsecnumwidth}}{{2.6em}}
\renewcommand{{\cfttoctitlefont}}{{{heading_family}\bfseries\LARGE\color{{accent}}}}
\setlength{{\cftbeforetoctitleskip}}{{0pt}}
\setlength{{\cftaftertoctitleskip}}{{16pt}}
\pagestyle{{fancy}}
\fancyhf{{}}
{header}\fancyfoot[C]{{\small\thepage}}
{plain_style}
\renewcommand{{\footnoterule}}{{{{\color{{accent}}\hrule width 0.3\columnwidth height 0.4pt}}\vspace{{4pt}}}}
\setlist{{itemsep=0.45\baselineskip,topsep=0.3\baselineskip}}
\makeatletter\@itempenalty=\z@\makeatother
\tcbset{{colback=light,colframe=accent,arc=0pt,outer arc=0pt,boxrule=0pt,leftrule=3pt,
  left=9pt,right=9pt,top=6pt,bottom=6pt,before skip=8pt,after skip=8pt}}
\begin{{document}}
"""

    # ------------------------------------------------------------------ blocks
    def cover(self, block: dict[str, Any]) -> None:
        lines = [esc(x) for x in block.get("lines", [])]
        while len(lines) < 4:
            lines.append("")
        org, title, sub, *rest = lines
        rest_tex = "\\\\\n".join(r for r in rest if r)
        fam = "\\sffamily" if self.house.get("sans_headings", True) else "\\rmfamily"
        self.emit(rf"""\begin{{titlepage}}
\hyphenpenalty=10000\exhyphenpenalty=10000
\begin{{tikzpicture}}[remember picture,overlay]
\fill[accent] (current page.north west) rectangle ([yshift=-11.5cm]current page.north east);
\fill[light] (current page.south west) rectangle ([yshift=1.4cm]current page.south east);
\node[anchor=north west,text width=15cm,align=left,text=white,font={fam}\bfseries\large] at ([xshift=2.6cm,yshift=-2.4cm]current page.north west) {{{org}}};
\node[anchor=north west,text width=15.5cm,align=left,text=white,font={fam}\bfseries\fontsize{{30}}{{36}}\selectfont] at ([xshift=2.6cm,yshift=-5.0cm]current page.north west) {{{title}}};
\node[anchor=north west,text width=15cm,align=left,text=accent,font=\Large] at ([xshift=2.6cm,yshift=-13.2cm]current page.north west) {{{sub}}};
\node[anchor=south west,text width=15cm,align=left,text=darkgray,font=\normalsize] at ([xshift=2.6cm,yshift=3cm]current page.south west) {{{rest_tex}}};
\end{{tikzpicture}}
\end{{titlepage}}
\setcounter{{page}}{{2}}
""")

    def colofon(self, block: dict[str, Any]) -> None:
        lines = "\\\\\n".join(esc(x) if x else "\\mbox{}" for x in block.get("lines", []))
        self.emit(rf"""\clearpage
\thispagestyle{{empty}}
\vspace*{{\fill}}
{{\sffamily\bfseries\color{{accent}}Colofon}}\par
{{\small
{lines}\par}}
\clearpage
""")

    def toc(self, block: dict[str, Any]) -> None:
        self.close_columns_if_open()
        self.emit("\\tableofcontents\n\\clearpage\n")

    def heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        number = esc(block.get("number", ""))
        text = esc(block["text"])
        shown = f"{number}\\quad {text}" if number else text
        toc_text = f"\\protect\\numberline{{{number}}}{text}" if number else text
        if level == 1:
            reopen = self.in_columns and not block.get("no_break")
            if reopen:
                self.close_columns()
            if block.get("no_break"):
                self.emit(f"\\Needspace{{6\\baselineskip}}\\phantomsection\\addcontentsline{{toc}}{{chapter}}{{{toc_text}}}\n"
                          f"\\section*{{\\Large {shown}}}\n")
            else:
                self.emit(f"\\chapter*{{{shown}}}\\addcontentsline{{toc}}{{chapter}}{{{toc_text}}}\n")
            if reopen:
                self.open_columns(self.column_count)
        else:
            cmd = "section" if level == 2 else "subsection"
            toc = "section" if level == 2 else "subsection"
            self.emit(f"\\{cmd}*{{{shown}}}\\addcontentsline{{toc}}{{{toc}}}{{{toc_text}}}\n")

    def para(self, block: dict[str, Any]) -> None:
        note = f"\\footnote{{{esc(block['footnote'])}}}" if block.get("footnote") else ""
        space = f"\\vspace*{{{block['vspace']}}}\n" if block.get("vspace") else ""
        self.emit(f"{space}{self._runin(block)}{esc(block['text'])}{note}\n\n")

    @staticmethod
    def _runin(block: dict[str, Any]) -> str:
        """A run-in paragraph number ("3.2.1") in bold before the text; empty without `runin`."""
        if not block.get("runin"):
            return ""
        return f"{{\\bfseries\\color{{accent}}{esc(block['runin'])}}}\\enspace "

    def quote(self, block: dict[str, Any]) -> None:
        source = f"\\par\\hfill{{\\upshape\\footnotesize {esc(block['source'])}}}" if block.get("source") else ""
        self.emit(f"\\begin{{quote}}\\itshape\\small {esc(block['text'])}{source}\\end{{quote}}\n\n")

    def _parts(self, item: dict[str, Any], short: bool) -> tuple[str, str]:
        return esc(item.get("lead", "")), ("" if short else esc(item.get("text", "")))

    def render_items(self, block: dict[str, Any], items: list[dict[str, Any]], kind: str, short: bool) -> None:
        style = block["style"]
        word = _label_word(block, kind)
        if style == "numbered":
            rows = []
            for it in items:
                lead, text = self._parts(it, short)
                rows.append(f"\\item[{esc(it.get('number', ''))}.] {lead} {text}".rstrip())
            self.emit("\\begin{enumerate}[leftmargin=2em,labelsep=0.6em,font=\\bfseries\\color{accent}]\n"
                      + "\n".join(rows) + "\n\\end{enumerate}\n\n")
        elif style == "number_own_line":
            for it in items:
                lead, text = self._parts(it, short)
                self.emit(f"\\Needspace{{3\\baselineskip}}{{\\bfseries\\color{{accent}}{esc(it.get('number', ''))}.}}\\par\\nopagebreak\n"
                          f"{lead} {text}\n\n")
        elif style == "bold_lead":
            for it in items:
                lead, text = self._parts(it, short)
                num = f"{esc(it.get('number', ''))}. " if block.get("show_number") else ""
                self.emit(f"\\textbf{{{num}{lead}}} {text}\n\n")
        elif style == "label":
            for it in items:
                lead, text = self._parts(it, short)
                if block.get("bold_lead") and lead:
                    lead = f"\\textbf{{{lead}}}"
                self.emit(f"{{\\bfseries\\color{{accent}}{esc(word)} {esc(it.get('number', ''))}:}} {lead} {text}\n\n")
        elif style == "table":
            columns = block.get("columns") or (["Nr.", word, "Gericht aan"] if kind == "aanbeveling" else ["Nr.", word])
            spec_cols = {1: "X", 2: "@{\\hspace{4pt}}r X", 3: "@{\\hspace{4pt}}r X l"}.get(len(columns), "X" * len(columns))
            head = " & ".join(f"\\textcolor{{white}}{{\\bfseries {esc(c)}}}" for c in columns)
            body = []
            for n, it in enumerate(items):
                lead, text = self._parts(it, short)
                cells = [esc(it.get("number", "")), f"{lead} {text}".strip()]
                if len(columns) >= 3:
                    cells.append(esc(ADDRESSEE.get(it.get("addressee"), it.get("addressee") or "")))
                cells += [""] * (len(columns) - len(cells))
                shade = "\\rowcolor{light}" if n % 2 else ""
                body.append(shade + " & ".join(cells[: len(columns)]) + " \\\\")
            self._table(spec_cols, head, body)
        elif style == "boxes" and block.get("box") == "framed":
            for it in items:
                lead, text = self._parts(it, short)
                suffix = f" {esc(it['label_suffix'])}" if it.get("label_suffix") else ""
                head = f"{esc(word)} {esc(it.get('number', ''))}{suffix}"
                self.emit("\\begin{tcolorbox}[breakable,enhanced jigsaw,colback=white,colframe=accent,boxrule=0.8pt,"
                          "leftrule=0.8pt,colbacktitle=light,coltitle=accent,toptitle=3pt,bottomtitle=3pt,"
                          f"fonttitle=\\sffamily\\bfseries,title={{{head}}}]\n"
                          f"\\textbf{{{lead}}} {text}\n\\end{{tcolorbox}}\n\n")
        elif style == "boxes":
            for it in items:
                lead, text = self._parts(it, short)
                head = f"{word.upper()} {esc(it.get('number', ''))}"
                self.emit("\\begin{tcolorbox}[breakable,enhanced jigsaw]\n"
                          f"{{\\sffamily\\bfseries\\footnotesize\\color{{accent}}{head}}}\\par\\smallskip\n"
                          f"\\textbf{{{lead}}} {text}\n\\end{{tcolorbox}}\n\n")
        else:  # pragma: no cover - spec.py rejects unknown styles
            raise ValueError(style)

    def _table(self, colspec: str, head: str, body: list[str]) -> None:
        env = "tabularx" if self.in_columns else "xltabular"
        if env == "xltabular":
            self.emit(f"\\begin{{xltabular}}{{\\linewidth}}{{{colspec}}}\n\\toprule\\rowcolor{{accent}}{head} \\\\\n\\midrule\n"
                      f"\\endfirsthead\n\\toprule\\rowcolor{{accent}}{head} \\\\\n\\midrule\n\\endhead\n\\bottomrule\n\\endlastfoot\n"
                      + "\n".join(body) + "\n\\end{xltabular}\n\n")
        else:
            self.emit(f"\\par\\noindent\\begin{{tabularx}}{{\\linewidth}}{{{colspec}}}\n\\toprule\\rowcolor{{accent}}{head} \\\\\n"
                      f"\\midrule\n" + "\n".join(body) + "\n\\bottomrule\n\\end{tabularx}\n\n")

    def items_block(self, block: dict[str, Any]) -> None:
        if id(block) in self.paired:   # (h17b) already set in the sideways table before it
            return
        if block.get("pair") == "next" and block.get("sideways") and block.get("style") == "table":
            self._sideways_pair(block)
            return
        self.render_items(block, block["items"], block["type"], short=False)

    # ------------------------------------------------------------------ (h17b) rotated tables
    def _caption(self, text: str) -> str:
        """A table caption "Tabel 4.1  Conclusies …": the label in bold, set as a line of its own."""
        label, _, rest = str(text).partition("  ")
        return (f"{{\\sffamily\\small\\bfseries\\color{{accent}}{esc(label)}\\quad {esc(rest)}}}"
                if rest else f"{{\\sffamily\\small\\bfseries\\color{{accent}}{esc(text)}}}")

    def _item_cell(self, item: dict[str, Any]) -> str:
        lead, text = self._parts(item, False)
        return (f"\\leavevmode{{\\bfseries\\color{{accent}}{esc(item.get('number', ''))}.}}\\enspace "
                f"\\textbf{{{lead}}} {text}").rstrip()

    def _sideways_pair(self, block: dict[str, Any]) -> None:
        """Conclusions | recommendations | addressee in one sidewaystable, one row per recommendation."""
        blocks = self.spec["blocks"]
        index = next(n for n, b in enumerate(blocks) if b is block)
        partner = next(b for b in blocks[index + 1:] if b["kind"] == "items")
        self.paired.add(id(partner))
        by_conclusion: dict[str, list[dict[str, Any]]] = {}
        for item in partner["items"]:
            by_conclusion.setdefault((item.get("conclusies") or [""])[0], []).append(item)
        columns = block.get("columns") or ["Conclusie", "Aanbeveling", "Gericht aan"]
        head = " & ".join(f"\\textcolor{{white}}{{\\sffamily\\bfseries {esc(c)}}}" for c in columns)
        colspec = (">{\\raggedright\\arraybackslash\\hsize=0.94\\hsize}X "
                   ">{\\raggedright\\arraybackslash\\hsize=1.06\\hsize}X "
                   ">{\\raggedright\\arraybackslash}p{2.1cm}")
        body: list[str] = []
        items = block["items"]
        for n, conclusion in enumerate(items):
            recs = by_conclusion.get(conclusion["id"], [])
            cell = self._item_cell(conclusion)
            if len(recs) > 1:
                cell = f"\\multirow[t]{{{len(recs)}}}{{=}}{{{cell}}}"
            for k, rec in enumerate(recs or [None]):
                first = cell if k == 0 else ""
                rec_cell = self._item_cell(rec) if rec else ""
                to = esc(ADDRESSEE.get(rec.get("addressee"), rec.get("addressee") or "")) if rec else ""
                body.append(f"{first} & {rec_cell} & {to} \\\\")
                if k < len(recs) - 1:
                    body.append("\\addlinespace[2pt]\\cmidrule(l{4pt}){2-3}\\addlinespace[3pt]")
            if n < len(items) - 1:
                body.append("\\addlinespace[2pt]\\midrule\\addlinespace[3pt]")
        size = block.get("size", "small")
        self.emit("\\begin{sidewaystable}\n"
                  f"\\{size}\\setlength{{\\parskip}}{{0pt}}\\renewcommand{{\\arraystretch}}{{1.2}}\n"
                  + (f"{self._caption(block['caption'])}\\par\\smallskip\n" if block.get("caption") else "")
                  + f"\\begin{{tabularx}}{{\\linewidth}}{{{colspec}}}\n\\toprule\\rowcolor{{accent}}{head} \\\\\n"
                  "\\midrule\\addlinespace[3pt]\n" + "\n".join(body) + "\n\\addlinespace[2pt]\\bottomrule\n\\end{tabularx}\n"
                  + (f"\\par\\smallskip{{\\footnotesize {esc(block['note'])}}}\n" if block.get("note") else "")
                  + "\\end{sidewaystable}\n\n")

    def _norm_table(self, run: list[dict[str, Any]]) -> None:
        """(h17b) A run of norm blocks as one longtable Norm | Bevindingen | Oordeel."""
        first = run[0]
        columns = first.get("table_columns") or ["Norm", "Bevindingen", "Oordeel"]
        head = " & ".join(f"\\textcolor{{white}}{{\\sffamily\\bfseries {esc(c)}}}" for c in columns)
        caption = first.get("table_caption", "")
        colspec = (">{\\raggedright\\arraybackslash\\small}p{3.7cm} "
                   ">{\\small\\setlength{\\parskip}{4pt}}X "
                   ">{\\raggedright\\arraybackslash\\small}p{1.9cm}")
        rows = []
        for n, block in enumerate(run):
            norm = (f"{{\\sffamily\\bfseries\\color{{accent}}Norm {esc(block.get('number', ''))}}}\\par "
                    f"\\emph{{{esc(block.get('text', ''))}}}")
            findings = "\\par ".join(esc(p) for p in block.get("findings", []))
            verdict = f"\\textbf{{{esc(block.get('verdict', ''))}}}" if block.get("verdict") else ""
            rows.append(f"{norm} & {findings} & {verdict} \\\\" + ("\n\\midrule" if n < len(run) - 1 else ""))
        cap1 = f"\\multicolumn{{3}}{{@{{}}l}}{{{self._caption(caption)}}} \\\\[2pt]\n" if caption else ""
        cap2 = (f"\\multicolumn{{3}}{{@{{}}l}}{{{self._caption(caption + ' (vervolg)')}}} \\\\[2pt]\n"
                if caption else "")
        self.emit(f"\\begin{{xltabular}}{{\\linewidth}}{{{colspec}}}\n{cap1}\\toprule\\rowcolor{{accent}}{head} \\\\\n"
                  f"\\midrule\n\\endfirsthead\n{cap2}\\toprule\\rowcolor{{accent}}{head} \\\\\n\\midrule\n\\endhead\n"
                  "\\midrule\n\\multicolumn{3}{r}{\\footnotesize\\itshape vervolg op volgende pagina} \\\\\n\\endfoot\n"
                  "\\bottomrule\n\\endlastfoot\n" + "\n".join(rows) + "\n\\end{xltabular}\n\n")

    def _landscape_reaction_table(self, block: dict[str, Any]) -> None:
        """(h17b) The college's table on pages turned by pdflscape (/Rotate 90)."""
        columns = block.get("columns") or ["Nr.", "Aanbeveling", "Standpunt college", "Toelichting"]
        head = " & ".join(f"\\textcolor{{white}}{{\\sffamily\\bfseries {esc(c)}}}" for c in columns)
        default = {"nr.": "r", "aanbeveling": ">{\\raggedright\\arraybackslash\\hsize=0.9\\hsize}X",
                   "standpunt college": ">{\\raggedright\\arraybackslash}p{3.2cm}"}
        widths = block.get("widths") or [default.get(c.lower(), ">{\\raggedright\\arraybackslash\\hsize=1.1\\hsize}X")
                                         for c in columns]
        body = []
        for n, row in enumerate(block["rows"]):
            item = self.items.get(row.get("ref"), {})
            cells = []
            for c in columns:
                key = c.lower()
                if key in ("nr.", "nr"):
                    cells.append(esc(item.get("number", "")))
                elif key == "aanbeveling":
                    cells.append(esc(item.get("lead", "")))
                elif key.startswith("standpunt"):
                    cells.append(f"\\textbf{{{esc(row.get('standpunt', ''))}}}")
                else:
                    cells.append(esc(row.get("reaction", "")))
            shade = "\\rowcolor{light}" if n % 2 else ""
            body.append(shade + " & ".join(cells) + " \\\\")
        caption = block.get("caption", "")
        cap = f"{self._caption(caption)}\\par\\smallskip\n" if caption else ""
        self.emit("\\begin{landscape}\n" + cap
                  + f"\\begin{{xltabular}}{{\\linewidth}}{{{' '.join(widths)}}}\n\\toprule\\rowcolor{{accent}}{head} \\\\\n"
                  f"\\midrule\n\\endfirsthead\n\\toprule\\rowcolor{{accent}}{head} \\\\\n\\midrule\n\\endhead\n"
                  "\\bottomrule\n\\endlastfoot\n" + "\n".join(body) + "\n\\end{xltabular}\n"
                  + (f"{{\\footnotesize {esc(block['note'])}}}\n" if block.get("note") else "")
                  + "\\end{landscape}\n\n")

    def repeat(self, block: dict[str, Any]) -> None:
        items = [self.items[ref] for ref in block["refs"]]
        kind = items[0]["type"] if items else "aanbeveling"
        self.render_items(block, items, kind, short=bool(block.get("short")))

    def norm(self, block: dict[str, Any]) -> None:
        number = esc(block.get("number", ""))
        self.emit("\\Needspace{8\\baselineskip}\\begin{tcolorbox}[leftrule=0pt,toprule=0.8pt,colframe=accent]\n"
                  f"{{\\sffamily\\bfseries\\color{{accent}}Norm {number}}}\\quad\\emph{{{esc(block.get('text', ''))}}}\n"
                  "\\end{tcolorbox}\n\n")
        for p in block.get("findings", []):
            self.emit(f"{esc(p)}\n\n")
        if block.get("verdict"):
            self.emit(f"\\textbf{{{esc(block['verdict'])}}}\n\n")

    def findings(self, block: dict[str, Any]) -> None:
        for it in block["items"]:
            note = f"\\footnote{{{esc(it['footnote'])}}}" if it.get("footnote") else ""
            self.emit(f"{self._runin(it)}{esc(it['text'])}{note}\n\n")

    def reaction_letter(self, block: dict[str, Any]) -> None:
        letterhead = block.get("letterhead") or f"Gemeente {self.spec['meta'].get('gemeente', '')}"
        if block.get("scanned"):
            pngs = scan.letter_pages(block.get("paragraphs", []), block.get("signature"), letterhead=letterhead,
                                     seed=int(block.get("seed", 7)))
            reopen = self.in_columns
            self.close_columns_if_open()
            for png in pngs:
                self.scan_count += 1
                name = f"scan_{self.scan_count}.png"
                (self.workdir / name).write_bytes(png)
                self.emit("\\clearpage\\thispagestyle{empty}\n"
                          "\\AddToShipoutPictureBG*{\\AtPageLowerLeft{\\includegraphics[width=\\paperwidth,"
                          f"height=\\paperheight]{{{name}}}}}}}\n\\null\\clearpage\n")
            if reopen:
                self.open_columns(self.column_count)
            return
        lines = "\\\\\n".join(esc(x) for x in block.get("lines", []))
        paras = "\n\n".join(esc(p) for p in block.get("paragraphs", []))
        sig = "\\\\\n".join(esc(x) for x in block.get("signature", []))
        self.emit("\\begin{tcolorbox}[breakable,enhanced jigsaw,colback=white,colframe=gray!60,boxrule=0.5pt,"
                  "leftrule=0.5pt,left=14pt,right=14pt,top=12pt,bottom=12pt,parbox=false]\n"
                  "\\setlength{\\parskip}{0.6\\baselineskip}\\setlength{\\parindent}{0pt}\n"
                  f"{{\\sffamily\\bfseries\\large {esc(letterhead)}}}\\par\n"
                  + (f"{{\\footnotesize {lines}\\par}}\n" if lines else "")
                  + f"{paras}\\par\\medskip\n{sig}\n\\end{{tcolorbox}}\n\n")

    def reaction_table(self, block: dict[str, Any]) -> None:
        if block.get("landscape"):   # (h17b)
            self._landscape_reaction_table(block)
            return
        columns = block.get("columns") or ["Aanbeveling", "Reactie college", "Nawoord"]
        head = " & ".join(f"\\textcolor{{white}}{{\\bfseries {esc(c)}}}" for c in columns)
        body = []
        for n, row in enumerate(block["rows"]):
            item = self.items.get(row.get("ref"), {})
            first = f"{esc(item.get('number', ''))}. {esc(item.get('lead', ''))}" if item else esc(row.get("label", ""))
            vals = [first, esc(row.get("reaction", "")), esc(row.get("nawoord", ""))][: len(columns)]
            shade = "\\rowcolor{light}" if n % 2 else ""
            body.append(shade + " & ".join(vals) + " \\\\")
        colspec = ">{\\raggedright\\arraybackslash\\small}X" * len(columns)
        self._table(colspec, head, body)

    def columns(self, block: dict[str, Any]) -> None:
        count = int(block.get("count", 1))
        if count >= 2 and not self.in_columns:
            self.open_columns(count)
        elif count < 2 and self.in_columns:
            self.close_columns()

    def open_columns(self, count: int) -> None:
        self.column_count = count
        self.in_columns = True
        self.emit(f"\\begin{{multicols}}{{{count}}}\n")

    def close_columns(self) -> None:
        self.in_columns = False
        self.emit("\\end{multicols}\n")

    def close_columns_if_open(self) -> None:
        if self.in_columns:
            self.close_columns()

    def page_break(self, block: dict[str, Any]) -> None:
        self.emit("\\columnbreak\n" if self.in_columns else "\\clearpage\n")

    def build(self) -> str:
        blocks = self.spec["blocks"]
        n = 0
        while n < len(blocks):
            block = blocks[n]
            kind = block["kind"]
            if kind == "norm" and block.get("table"):   # (h17b) a run of norms in one longtable
                run = [block]
                while n + 1 < len(blocks) and blocks[n + 1]["kind"] == "norm" and blocks[n + 1].get("table"):
                    n += 1
                    run.append(blocks[n])
                self._norm_table(run)
            elif kind == "items":
                self.items_block(block)
            else:
                getattr(self, kind)(block)
            n += 1
        self.close_columns_if_open()
        return self.preamble() + "".join(self.out) + "\\end{document}\n"


def source(spec: dict[str, Any], workdir: Path) -> str:
    return Builder(spec, workdir).build()


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
    y, m, d = house.get("date") or [int(spec["meta"].get("year") or 2021), 11, 1]
    stamp = int(_dt.datetime(y, m, d, 10, 0, tzinfo=_dt.timezone.utc).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(stamp), "FORCE_SOURCE_DATE": "1", "TZ": "UTC"}
    with tempfile.TemporaryDirectory(prefix="latex_") as tmp:
        work = Path(tmp)
        (work / "report.tex").write_text(source(spec, work), encoding="utf-8")
        for _ in range(3):  # toc, page references and TikZ overlay positions settle after reruns
            run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
                                 cwd=work, env=env, capture_output=True, text=True, errors="replace")
            if run.returncode != 0:
                keep = out_pdf.with_suffix(".log")
                shutil.copy(work / "report.log", keep) if (work / "report.log").exists() else None
                raise RuntimeError(f"pdflatex failed for {spec['id']} (log kept at {keep}):\n{run.stdout[-3000:]}")
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / "report.pdf", out_pdf)


if __name__ == "__main__":  # debugging aid: print the generated LaTeX of one spec
    print(source(spec_module.load(Path(sys.argv[1])), Path(tempfile.mkdtemp())))
