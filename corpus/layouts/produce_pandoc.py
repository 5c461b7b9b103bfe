"""Render a layout-corpus spec with pandoc → LuaLaTeX (Debian's pandoc 2.17 and TeX Live's LuaTeX).

The way a researcher or a small rekenkamer writes a report in Markdown: the spec becomes one
Markdown file with a YAML metadata block (`lang: nl`, `documentclass: report`, `mainfont`/`sansfont`
as OpenType fonts through fontspec, `geometry`; a header file given with `-H` (pandoc's
`--include-in-header`) with titlesec, fancyhdr, caption and xcolor) and is converted with `pandoc --pdf-engine=lualatex` using pandoc's own default LaTeX template.
So the typesetting is LuaLaTeX's: babel's Dutch hyphenation patterns (`lang: nl` → `\\babelprovide
[main,import]{dutch}`), microtype (the template loads it), and the fonts' real ligatures (fi, fl, ff,
ffi through the OpenType `liga` feature, not disabled); paragraphs are justified and hyphenated.

What is Markdown and what is raw LaTeX (```{=latex}``` blocks, as pandoc users write them):
- Markdown: headings (`# 1 Inleiding {-}`: the spec's numbers are typed in the heading text, the
  headings are unnumbered for LaTeX, and pandoc adds the TOC entries), paragraphs, footnotes
  (`[^n]`), bullet lists, definition lists, pipe tables with a `Table:` caption;
- raw LaTeX: the cover (`titlepage` with a TikZ band down the left edge), the colofon page, the
  `\\tableofcontents`, the reaction letter (a framed block), norm heads and boxes.
hyperref (from the template) writes the outline (`hyperrefoptions: bookmarks=false` when `outline:
false`) and, with `pdf_info: true`, Title/Author through the template's `title-meta`/`author-meta`
(no `title` variable, so pandoc's `\\maketitle` is not used).

Spec keys this renderer reads beyond the README schema (spec.py ignores them; the gold derivation is
unchanged):
  house: {mainfont, sansfont, size, accent: "RRGGBB", date: [y, m, d]}
  items.layout: description    an items block with style `label` as a definition list: the term
                               "Aanbeveling 1 —" (label word, number, em dash), the definition the
                               bold lead and the text run in after it
  items.label_own_line: true   style `label`: the label ("Conclusie A") on a line of its own in the
                               heading font, the bold lead and the text as the paragraph below
  item.bullets: true           the item's `text` is printed as an intro up to its first colon and
                               the rest, split at "; ", as a bulleted list (the semicolons stay on
                               the points); the gold text is the spec's text as always
  para.list: [...]             a bulleted list after the paragraph's text (e.g. "Geraadpleegde
                               documenten"); never an item
  para.table: {caption, columns, rows, source}   a pipe table after the paragraph, caption above it
                               ("Tabel 2.1 …", the caption package with an empty label format so the
                               spec's own number is the one printed), the source line below it
Not supported: scanned reaction letters, `kader`, two-column text (`columns`) — none of the pandoc
specs uses them, and `render` raises for them rather than drawing something else.

Deterministic: SOURCE_DATE_EPOCH and FORCE_SOURCE_DATE from `house.date` fix the dates; LuaTeX's own
trailer /ID hashes the (temporary) file path, so the header sets `\\pdfvariable trailerid` to the md5 of the
spec id; pandoc writes no random identifiers into the LaTeX. The committed PDF
comes out byte for byte (checked by rendering twice).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import spec as spec_module  # noqa: E402
from produce_latex import esc  # noqa: E402  (plain text → LaTeX, for the raw blocks)

DEFAULT_HOUSE = {"mainfont": "TeX Gyre Pagella", "sansfont": "TeX Gyre Heros", "size": 11, "accent": "1F4E79",
                 "date": [2022, 6, 1]}
ADDRESSEE = {"college": "College", "raad": "Raad"}


def md(text: Any) -> str:
    """Plain text → Markdown that prints it literally."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    text = re.sub(r"([\\`*_\[\]#<>$^~|@])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", text)  # "2021. Het …" is no list


def raw(tex: str) -> str:
    return "```{=latex}\n" + tex.strip("\n") + "\n```\n\n"


class Builder:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.items = spec_module.items_by_id(spec)
        self.house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
        self.out: list[str] = []
        self.notes = 0

    def emit(self, text: str) -> None:
        self.out.append(text)

    # ------------------------------------------------------------------ metadata
    def metadata(self) -> dict[str, Any]:
        s, h = self.spec, self.house
        accent = str(h["accent"]).lstrip("#").upper()
        running = s.get("running_header") or ""
        trailer = hashlib.md5(s["id"].encode()).hexdigest().upper()
        header = [
            rf"\pdfvariable trailerid {{[<{trailer}> <{trailer}>]}}",  # LuaTeX's own /ID hashes the temp path
            r"\usepackage{xcolor}",
            rf"\definecolor{{accent}}{{HTML}}{{{accent}}}",
            r"\usepackage{titlesec}",
            r"\titleformat{\chapter}[display]{\sffamily\bfseries\Huge\color{accent}\raggedright}{}{0pt}{}",
            r"\titlespacing*{\chapter}{0pt}{-10pt}{24pt}",
            r"\titleformat{\section}{\sffamily\bfseries\Large\color{accent}\raggedright}{}{0pt}{}",
            r"\titlespacing*{\section}{0pt}{18pt}{6pt}",
            r"\titleformat{\subsection}{\sffamily\bfseries\large\raggedright}{}{0pt}{}",
            r"\usepackage{fancyhdr}",
            r"\pagestyle{fancy}",
            r"\fancyhf{}",
            r"\fancyfoot[R]{\sffamily\small\thepage}",
            r"\usepackage{caption}",
            r"\captionsetup{labelformat=empty,font={sf,small,bf},justification=raggedright,singlelinecheck=false,"
            r"position=above,skip=4pt}",
            r"\usepackage{tikz}",
            r"\usepackage{enumitem}",
            r"\usepackage{needspace}",
            r"\setlist[description]{font=\sffamily\bfseries\color{accent},leftmargin=0pt,itemsep=8pt}",
            r"\setlist[itemize]{itemsep=2pt,topsep=4pt}",
            r"\usepackage[most]{tcolorbox}",
            r"\setlength{\footnotesep}{10pt}",
            r"\usepackage{tocloft}",
            r"\renewcommand{\cftchapfont}{\sffamily\bfseries}",
            r"\renewcommand{\cftchappagefont}{\sffamily\bfseries}",
            r"\renewcommand{\cfttoctitlefont}{\sffamily\bfseries\Huge\color{accent}}",
            r"\setlength{\cftchapnumwidth}{0pt}\setlength{\cftsecnumwidth}{0pt}",
            r"\setlength{\cftsecindent}{1.5em}",
        ]
        if running:
            header += [rf"\fancyhead[L]{{\sffamily\footnotesize\color{{accent}}{esc(running)}}}",
                       rf"\fancyhead[R]{{\sffamily\footnotesize {esc(s['meta']['rekenkamer'])}}}",
                       r"\renewcommand{\headrulewidth}{0.3pt}",
                       r"\fancypagestyle{plain}{}"]  # chapter openings keep the running header
        else:
            header += [r"\renewcommand{\headrulewidth}{0pt}",
                       r"\fancypagestyle{plain}{\fancyhf{}\fancyfoot[R]{\sffamily\small\thepage}}"]
        meta: dict[str, Any] = {
            "lang": "nl",
            "documentclass": "report",
            "classoption": ["a4paper", "oneside", "openany"],
            "fontsize": f"{int(h.get('size', 11))}pt",
            "mainfont": h["mainfont"],
            "sansfont": h["sansfont"],
            "geometry": ["a4paper", "top=3cm", "bottom=3cm", "left=3cm", "right=2.6cm", "headsep=0.9cm",
                         "footskip=1.3cm"],
            "linestretch": 1.12,
            "colorlinks": False,
            "hyperrefoptions": ["hidelinks", "bookmarksopen=true"] if s.get("outline", True) else
                               ["hidelinks", "bookmarks=false"],
        }
        if s.get("pdf_info", True):
            meta["title-meta"] = s["meta"]["title"]
            meta["author-meta"] = s["meta"]["rekenkamer"]
        self.header_tex = "\n".join(header) + "\n"
        return meta

    # ------------------------------------------------------------------ blocks
    def cover(self, block: dict[str, Any]) -> None:
        lines = [esc(x) for x in block.get("lines", [])] + ["", "", "", ""]
        org, title, sub, *rest = lines
        rest_tex = r"\\ ".join(r for r in rest if r)
        self.emit(raw(rf"""
\begin{{titlepage}}
\begin{{tikzpicture}}[remember picture,overlay]
\fill[accent] (current page.north west) rectangle ([xshift=2.2cm]current page.south west);
\end{{tikzpicture}}
\hyphenpenalty=10000
\vspace*{{1.5cm}}
{{\sffamily\large\color{{accent}} {org}\par}}
\vspace{{5cm}}
{{\sffamily\bfseries\fontsize{{32}}{{38}}\selectfont\raggedright {title}\par}}
\vspace{{1cm}}
{{\Large\itshape\raggedright {sub}\par}}
\vfill
{{\sffamily {rest_tex}\par}}
\end{{titlepage}}
\setcounter{{page}}{{2}}
"""))

    def colofon(self, block: dict[str, Any]) -> None:
        lines = r"\\ ".join(esc(x) if x else r"\mbox{}" for x in block.get("lines", []))
        self.emit(raw(rf"""
\thispagestyle{{empty}}
\vspace*{{\fill}}
\noindent{{\sffamily\bfseries\color{{accent}} Colofon}}\par\smallskip
\noindent{{\small {lines}\par}}
\clearpage
"""))

    def toc(self, block: dict[str, Any]) -> None:
        self.emit(raw(r"\tableofcontents"))

    def heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        number = block.get("number", "")
        text = f"{number} {block['text']}" if number else block["text"]
        self.emit("#" * level + " " + md(text) + " {-}\n\n")

    def _note(self, text: str) -> tuple[str, str]:
        self.notes += 1
        return f"[^{self.notes}]", f"[^{self.notes}]: {md(text)}\n\n"

    def para(self, block: dict[str, Any]) -> None:
        ref, note = self._note(block["footnote"]) if block.get("footnote") else ("", "")
        if block.get("text"):
            self.emit(md(block["text"]) + ref + "\n\n" + note)
        for entry in block.get("list", []):
            self.emit(f"- {md(entry)}\n")
        if block.get("list"):
            self.emit("\n")
        if block.get("table"):
            t = block["table"]
            self.emit("| " + " | ".join(md(c) for c in t["columns"]) + " |\n")
            self.emit("|" + "|".join([":---"] + ["---:"] * (len(t["columns"]) - 1)) + "|\n")
            for row in t["rows"]:
                self.emit("| " + " | ".join(md(c) for c in row) + " |\n")
            self.emit(f"\nTable: {md(t['caption'])}\n\n")
            if t.get("source"):
                self.emit(raw(rf"\vspace{{-6pt}}{{\footnotesize\itshape {esc(t['source'])}\par}}"))

    def quote(self, block: dict[str, Any]) -> None:
        self.emit("> " + md(block["text"]) + "\n\n")

    def _item_body(self, it: dict[str, Any], short: bool, bold_lead: bool = True) -> str:
        lead = md(it.get("lead", ""))
        lead = f"**{lead}**" if lead and bold_lead else lead
        text = "" if short else it.get("text", "")
        if not text:
            return lead
        if it.get("bullets") and ":" in text:
            intro, rest = text.split(":", 1)
            points = [p.strip() for p in rest.split("; ")]
            points = [p if p.endswith((".", ";")) else p + ";" for p in points[:-1]] + [points[-1]]
            body = f"{lead} {md(intro)}:\n\n" + "".join(f"    - {md(p)}\n" for p in points)
            return body
        return f"{lead} {md(text)}"

    def render_items(self, block: dict[str, Any], items: list[dict[str, Any]], kind: str, short: bool) -> None:
        style = block["style"]
        word = block.get("label") or {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie"}.get(kind, "Aanbeveling")
        if style == "label" and block.get("layout") == "description":
            for it in items:
                body = self._item_body(it, short)
                first, *more = body.split("\n\n", 1)
                self.emit(f"{md(word)} {md(it.get('number', ''))} —\n:   {first}\n\n")
                if more:
                    self.emit(more[0] + "\n")
        elif style == "label" and block.get("label_own_line"):
            for it in items:
                self.emit(raw(rf"\par\needspace{{4\baselineskip}}\noindent{{\sffamily\bfseries\large\color{{accent}}"
                              rf"{esc(word)} {esc(it.get('number', ''))}}}\par\nopagebreak\vspace{{2pt}}"))
                self.emit(self._item_body(it, short) + "\n\n")
        elif style == "label":
            for it in items:
                self.emit(f"**{md(word)} {md(it.get('number', ''))}:** " + self._item_body(it, short, False) + "\n\n")
        elif style == "numbered":
            for it in items:
                body = self._item_body(it, short).replace("\n    - ", "\n        - ")
                self.emit(f"{md(it.get('number', ''))}.  {body}\n\n")
        elif style == "bold_lead":
            for it in items:
                self.emit(self._item_body(it, short) + "\n\n")
        elif style == "number_own_line":
            for it in items:
                self.emit(f"**{md(it.get('number', ''))}.**\\\n" + self._item_body(it, short, False) + "\n\n")
        elif style == "table":
            cols = block.get("columns") or (["Nr.", word, "Gericht aan"] if kind == "aanbeveling" else ["Nr.", word])
            self.emit("| " + " | ".join(md(c) for c in cols) + " |\n")
            widths = {2: ["-", "-" * 20], 3: ["-", "-" * 20, "---"]}.get(len(cols), ["-"] * len(cols))
            self.emit("|" + "|".join(widths) + "|\n")
            for it in items:
                cells = [md(it.get("number", "")), self._item_body(it, short).replace("\n", " ")]
                if len(cols) >= 3:
                    cells.append(ADDRESSEE.get(it.get("addressee"), ""))
                self.emit("| " + " | ".join(cells[: len(cols)]) + " |\n")
            self.emit("\n")
        elif style == "boxes":
            for it in items:
                self.emit(raw(r"\begin{tcolorbox}[colback=accent!6,colframe=accent,boxrule=0.6pt,arc=0pt,breakable]"
                              rf"{{\sffamily\bfseries\small\color{{accent}}{esc(word.upper())} "
                              rf"{esc(it.get('number', ''))}}}\par"))
                self.emit(self._item_body(it, short) + "\n\n")
                self.emit(raw(r"\end{tcolorbox}"))

    def items_block(self, block: dict[str, Any]) -> None:
        self.render_items(block, block["items"], block["type"], short=False)

    def repeat(self, block: dict[str, Any]) -> None:
        items = [self.items[ref] for ref in block["refs"]]
        self.render_items(block, items, items[0]["type"] if items else "aanbeveling", short=bool(block.get("short")))

    def norm(self, block: dict[str, Any]) -> None:
        self.emit(raw(rf"\par\medskip\noindent{{\sffamily\bfseries\color{{accent}}Norm {esc(block.get('number', ''))}}}"
                      rf"\quad{{\itshape {esc(block.get('text', ''))}}}\par\nopagebreak"))
        for p in block.get("findings", []):
            self.emit(md(p) + "\n\n")
        if block.get("verdict"):
            self.emit(f"**{md(block['verdict'])}**\n\n")

    def findings(self, block: dict[str, Any]) -> None:
        for it in block["items"]:
            self.emit(md(it["text"]) + "\n\n")

    def reaction_letter(self, block: dict[str, Any]) -> None:
        if block.get("scanned"):
            raise NotImplementedError("produce_pandoc: scanned reaction letters are not supported")
        head = esc(block.get("letterhead") or f"Gemeente {self.spec['meta'].get('gemeente', '')}")
        lines = r"\\ ".join(esc(x) for x in block.get("lines", []))
        paras = "\n\n".join(esc(p) for p in block.get("paragraphs", []))
        sig = r"\\ ".join(esc(x) for x in block.get("signature", []))
        self.emit(raw(rf"""
\begin{{tcolorbox}}[breakable,enhanced jigsaw,colback=white,colframe=black!35,boxrule=0.4pt,arc=0pt,
  left=16pt,right=16pt,top=14pt,bottom=14pt,parbox=false]
\setlength{{\parskip}}{{6pt}}\setlength{{\parindent}}{{0pt}}
{{\sffamily\bfseries\Large {head}}}\par
{{\small {lines}\par}}
\bigskip
{paras}

\medskip
{sig}
\end{{tcolorbox}}
"""))

    def reaction_table(self, block: dict[str, Any]) -> None:
        cols = block.get("columns") or ["Aanbeveling", "Reactie college", "Nawoord"]
        self.emit("| " + " | ".join(md(c) for c in cols) + " |\n")
        self.emit("|" + "|".join(["-" * 10] * len(cols)) + "|\n")
        for row in block["rows"]:
            item = self.items.get(row.get("ref"), {})
            first = f"{item.get('number', '')}. {item.get('lead', '')}" if item else row.get("label", "")
            vals = [md(first), md(row.get("reaction", "")), md(row.get("nawoord", ""))][: len(cols)]
            self.emit("| " + " | ".join(vals) + " |\n")
        self.emit("\n")

    def columns(self, block: dict[str, Any]) -> None:
        if int(block.get("count", 1)) > 1:
            raise NotImplementedError("produce_pandoc: two-column text is not supported")

    def kader(self, block: dict[str, Any]) -> None:
        raise NotImplementedError("produce_pandoc: kader blocks are not supported")

    def page_break(self, block: dict[str, Any]) -> None:
        self.emit(raw(r"\clearpage"))

    def build(self) -> str:
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind == "items":
                self.items_block(block)
            else:
                getattr(self, kind)(block)
        head = "---\n" + yaml.safe_dump(self.metadata(), allow_unicode=True, sort_keys=True, width=1000) + "---\n\n"
        return head + "".join(self.out)


def source(spec: dict[str, Any]) -> str:
    return Builder(spec).build()


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
    y, m, d = house["date"]
    stamp = int(_dt.datetime(y, m, d, 10, 0, tzinfo=_dt.timezone.utc).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(stamp), "FORCE_SOURCE_DATE": "1", "TZ": "UTC"}
    with tempfile.TemporaryDirectory(prefix="pandoc_") as tmp:
        work = Path(tmp)
        builder = Builder(spec)
        (work / "report.md").write_text(builder.build(), encoding="utf-8")
        (work / "header.tex").write_text(builder.header_tex, encoding="utf-8")
        # pandoc runs lualatex as often as the toc needs; the .tex is kept for debugging only
        subprocess.run(["pandoc", "report.md", "-f", "markdown", "-H", "header.tex", "-s", "-o", "report.tex"], cwd=work, env=env, check=True)
        run = subprocess.run(["pandoc", "report.md", "-f", "markdown", "-H", "header.tex", "--pdf-engine=lualatex",
                              "-o", "report.pdf"],
                             cwd=work, env=env, capture_output=True, text=True, errors="replace")
        if run.returncode != 0:
            keep = out_pdf.with_suffix(".tex")
            shutil.copy(work / "report.tex", keep)
            raise RuntimeError(f"pandoc/lualatex failed for {spec['id']} (LaTeX kept at {keep}):\n{run.stderr[-3000:]}")
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / "report.pdf", out_pdf)


if __name__ == "__main__":  # debugging aid: print the generated Markdown of one spec
    print(source(spec_module.load(Path(sys.argv[1]))))
