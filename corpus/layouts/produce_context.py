"""Render a layout-corpus spec with ConTeXt MkIV (Debian's `context` package: ConTeXt 2021.03.05 on LuaTeX 1.15).

The spec becomes ConTeXt source written directly, in the house style ConTeXt users reach for: a
wide left margin that holds the heading numbers (`alternative=margin`), margin notes and item
numbers; `\\mainlanguage[nl]` (Dutch hyphenation patterns, "Inhoud", "Figuur"); a typeface from the
TeX Gyre collection as OpenType fonts (`house.font`, default Bonum, headings in `house.head_font`,
default Heros) with ConTeXt's default features, so the ligatures fi/fl/ff/ffi are real; justified
text (ConTeXt's default alignment), `\\setupwhitespace[medium]`, no indentation.

- cover and colofon: `\\startstandardmakeup` pages (no header, no page number);
- inhoudsopgave: `\\completecontent` (chapters and sections, page numbers from ConTeXt's list);
- headings: `\\chapter{number}{title}` / `\\section{…}` with `ownnumber=yes` (the spec's numbers);
  a section number is printed with a section sign ("§ 2.1") in the margin (`numbercommand`);
  every chapter starts a new page; the outline comes from `\\placebookmarks` (none when
  `outline: false`); Title/Author/Subject from `\\setupinteraction` when `pdf_info: true`;
- running header `\\setupheadertexts` (with a rule), page number right in the footer;
- footnotes `\\footnote`; a reaction letter as a split-able `textbackground` frame.

Spec keys this renderer reads beyond the README schema (spec.py ignores them; the gold derivation
is unchanged):
  house: {font: bonum|pagella|termes|schola|heros, head_font, size: "10pt", accent: "RRGGBB", date: [y, m, d]}
  para.margin: "…"             a margin note (`\\inleft`, small italic sans in the house colour) beside
                               the first line of the paragraph; never an item, and not part of the
                               paragraph's gold text (it precedes the paragraph in the page text)
  para.figure: {caption, bars: [[label, value], …]}   a bar chart drawn with MetaFun below the
                               paragraph, captioned with the spec's own caption ("Figuur 2.1 …",
                               `\\startplacefigure[number=no]`: ConTeXt's own figure number is not
                               printed); the bar labels and values are text in the PDF
  items.margin_numbers: true   style `numbered`: each item a paragraph with its number ("4.1") set
                               in the left margin beside its first line (like the headings), the
                               lead in bold, the explanation after it
Not supported: scanned reaction letters and `kader` (render raises). `columns` uses
`\\startcolumns` (untested by a spec).

Deterministic: ConTeXt 2021.03.05 ignores `--trailerid=<string>` (the trailer /ID still changes from run to run),
so the /ID is overwritten with the md5 of the spec id; it also ignores
SOURCE_DATE_EPOCH and `--nodates=<date>` for the dates it writes, so the clock time in the info dictionary
(CreationDate, ModDate, ConTeXt.Time, the info's /ID entry "report | <time>"), the XMP dates and the two XMP uuids are
overwritten in place with the spec's date and an md5 of the spec id (same lengths; `_fix_clock`). The PDF then
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

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import spec as spec_module  # noqa: E402

DEFAULT_HOUSE = {"font": "bonum", "head_font": "heros", "size": "10pt", "accent": "00665E", "date": [2020, 10, 1]}
ADDRESSEE = {"college": "College", "raad": "Raad"}

_SPECIALS = {
    "\\": r"\letterbackslash{}", "{": r"\letterleftbrace{}", "}": r"\letterrightbrace{}", "$": r"\$", "&": r"\&",
    "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\letterhat{}", "~": r"\lettertilde{}", "|": r"\letterbar{}",
}


def esc(text: Any) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip()
    text = "".join(_SPECIALS.get(ch, ch) for ch in text)
    return text.replace("€ ", "€~")  # the amount stays with its euro sign


class Builder:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.items = spec_module.items_by_id(spec)
        self.house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
        self.out: list[str] = []
        self.figures = 0

    def emit(self, tex: str) -> None:
        self.out.append(tex)

    def preamble(self) -> str:
        s, h = self.spec, self.house
        meta = s["meta"]
        accent = str(h["accent"]).lstrip("#").upper()
        info = ""
        if s.get("pdf_info", True):
            info = (f",\n  title={{{esc(meta['title'])}}},\n  author={{{esc(meta['rekenkamer'])}}},\n"
                    f"  subject={{Rekenkameronderzoek jeugdhulp {esc(meta.get('gemeente', ''))}}}")
        bookmarks = ("\\placebookmarks[ongenummerd,chapter,section][ongenummerd,chapter]\n\\setupinteractionscreen[option=bookmark]\n"
                     if s.get("outline", True) else "")
        running = s.get("running_header") or ""
        header = (f"\\setupheadertexts[{{\\ss\\tfx\\color[accent]{{{esc(running)}}}}}][]\n"
                  "\\setupheader[after={\\hrule height .3pt\\relax}]\n" if running else "\\setupheadertexts[][]\n")
        return rf"""\mainlanguage[nl]
\language[nl]
\enableregime[utf]
\definecolor[accent][h={accent}]
\definetypeface[report][rm][serif][{h['font']}][default]
\definetypeface[report][ss][sans][{h['head_font']}][default]
\definetypeface[report][mm][math][{'pagella' if h['font'] not in ('bonum', 'termes', 'schola') else h['font']}][default]
\setupbodyfont[report,{h['size']}]
\setuppapersize[A4]
\setuplayout[backspace=62mm,leftmargin=40mm,leftmargindistance=6mm,width=122mm,
  topspace=16mm,header=14mm,headerdistance=6mm,footer=14mm,footerdistance=6mm,height=fit]
\setupwhitespace[medium]
\setupindenting[no]
\setupalign[normal]
\setupinteraction[state=start,color=,contrastcolor=,style=normal{info}]
{bookmarks}\setuppagenumbering[location=]
{header}\setupfootertexts[][{{\ss\tfx\pagenumber}}]
\def\Paragraafteken#1{{§\,#1}}
\setuphead[chapter][ownnumber=yes,alternative=margin,page=yes,style={{\ss\bfc}},color=accent,
  numberstyle={{\ss\bfc}},numbercolor=accent,before={{\blank[2*big]}},after={{\blank[big]}}]
\setuphead[section][ownnumber=yes,alternative=margin,style={{\ss\bfa}},color=accent,
  numberstyle={{\ss\bfa}},numbercolor=accent,numbercommand=\Paragraafteken,sectionsegments=section,before={{\blank[big]}},after={{\blank[small]}}]
\setuphead[subsection][ownnumber=yes,alternative=margin,style={{\ss\bf}},numberstyle={{\ss\bf}},sectionsegments=subsection]
\definehead[ongenummerd][chapter]
\setuphead[ongenummerd][ownnumber=no,number=no,incrementnumber=list]
\setuphead[subject][style={{\ss\bfa}},color=accent,before={{\blank[big]}},after={{\blank[small]}}]
\setuplist[chapter][style={{\ss\bf}},pagestyle={{\ss\bf}},before={{\blank[small]}}]
\setuplist[section][style=normal,width=3em]
\setuplist[ongenummerd][style={{\ss\bf}},pagestyle={{\ss\bf}},before={{\blank[small]}}]
\setupcombinedlist[content][list={{ongenummerd,chapter,section}},alternative=c]
\setupnotation[footnote][style=\tfx]
\setupnote[footnote][rule=on]
\setupmargindata[left][style={{\ss\tfx\it}},color=accent,align=flushright]
\setupcaptions[style={{\ss\tfx\bf}},headstyle={{\ss\tfx\bf}},location=top,align=flushleft]
\definetextbackground[letter][location=paragraph,frame=on,background=,framecolor=darkgray,rulethickness=.4pt,
  leftoffset=4mm,rightoffset=4mm,topoffset=4mm,bottomoffset=4mm,before={{\blank[big]}},after={{\blank[big]}}]
\starttext
"""

    # ------------------------------------------------------------------ blocks
    def cover(self, block: dict[str, Any]) -> None:
        lines = [esc(x) for x in block.get("lines", [])] + ["", "", "", ""]
        org, title, sub, *rest = lines
        rest_tex = "\\\\\n".join(r for r in rest if r)
        self.emit(rf"""\startstandardmakeup[top=,bottom=]
\setupalign[flushleft,nothyphenated]
\blank[4cm]
{{\ss\bfa\color[accent]{{{org}}}}}
\blank[2cm]
\blackrule[width=\textwidth,height=3pt,color=accent]
\blank[medium]
{{\ss\bfd {title}\par}}
\blank[big]
{{\tfb {sub}\par}}
\vfill
{{\ss\tfa {rest_tex}\par}}
\stopstandardmakeup
""")

    def colofon(self, block: dict[str, Any]) -> None:
        lines = "\\\\\n".join(esc(x) if x else "\\strut" for x in block.get("lines", []))
        self.emit(rf"""\startstandardmakeup[top=,bottom=]
\setupalign[flushleft]
\vfill
{{\ss\bf\color[accent]{{Colofon}}}}\par
{{\tfx {lines}\par}}
\stopstandardmakeup
""")

    def toc(self, block: dict[str, Any]) -> None:
        self.emit("\\completecontent[criterium=all]\n\n")

    def heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        cmd = {1: "chapter", 2: "section"}.get(level, "subsection")
        number = esc(block.get("number", ""))
        if not number:  # unnumbered: a chapter-like head without number (listed in the inhoudsopgave) or \\subject
            self.emit(f"\\{'ongenummerd' if level == 1 else 'subject'}{{{esc(block['text'])}}}\n\n")
            return
        self.emit(f"\\{cmd}{{{number}}}{{{esc(block['text'])}}}\n\n")

    def para(self, block: dict[str, Any]) -> None:
        note = f"\\footnote{{{esc(block['footnote'])}}}" if block.get("footnote") else ""
        margin = f"\\inleft{{{esc(block['margin'])}}}" if block.get("margin") else ""
        if block.get("text"):
            self.emit(f"\\dontleavehmode{margin}{{}}{esc(block['text'])}{note}\\par\n\n")
        for entry in block.get("list", []):
            self.emit(f"\\startitemize[packed]\n\\item {esc(entry)}\n\\stopitemize\n")
        if block.get("figure"):
            self.figure(block["figure"])

    def figure(self, fig: dict[str, Any]) -> None:
        bars = fig.get("bars", [])
        top = max(v for _, v in bars) if bars else 1
        draw = []
        for n, (label, value) in enumerate(bars):
            x = n * 22
            hgt = 50 * value / top
            shown = str(value).replace(".", ",")
            draw.append(f"fill unitsquare xscaled 14mm yscaled {hgt:.2f}mm shifted ({x}mm,0) withcolor \\MPcolor{{accent}};")
            draw.append(f"label.bot(textext(\"\\ss\\tfx {esc(label)}\"), ({x + 7}mm,0));")
            draw.append(f"label.top(textext(\"\\ss\\tfx {esc(shown)}\"), ({x + 7}mm,{hgt:.2f}mm));")
        width = max(len(bars) * 22 - 8, 10)
        self.emit("\\startplacefigure[location=here,number=no,title={" + esc(fig["caption"]) + "}]\n"
                  "\\startMPcode\n"
                  + "\n".join(draw)
                  + f"\ndraw (-3mm,0) -- ({width + 3}mm,0) withpen pencircle scaled .4pt withcolor .4white;\n"
                  "\\stopMPcode\n\\stopplacefigure\n\n")

    def quote(self, block: dict[str, Any]) -> None:
        self.emit(f"\\startnarrower\\it {esc(block['text'])}\\par\\stopnarrower\n\n")

    def _text(self, it: dict[str, Any], short: bool) -> tuple[str, str]:
        return esc(it.get("lead", "")), ("" if short else esc(it.get("text", "")))

    def render_items(self, block: dict[str, Any], items: list[dict[str, Any]], kind: str, short: bool) -> None:
        style = block["style"]
        word = block.get("label") or {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie"}.get(kind, "Aanbeveling")
        if style == "numbered" and block.get("margin_numbers"):
            for it in items:
                lead, text = self._text(it, short)
                self.emit(f"\\dontleavehmode\\inleft{{\\ss\\bf\\color[accent]{{\\tf\\bf {esc(it.get('number', ''))}}}}}"
                          f"{{\\bf {lead}}} {text}\\par\n\n")
        elif style == "numbered":
            self.emit("\\startitemize[n,packed][stopper=.]\n")
            for it in items:
                lead, text = self._text(it, short)
                self.emit(f"\\sym{{{esc(it.get('number', ''))}.}} {lead} {text}\n")
            self.emit("\\stopitemize\n\n")
        elif style == "number_own_line":
            for it in items:
                lead, text = self._text(it, short)
                self.emit(f"{{\\bf {esc(it.get('number', ''))}.}}\\par\\nobreak\n{lead} {text}\\par\n\n")
        elif style == "bold_lead":
            for it in items:
                lead, text = self._text(it, short)
                self.emit(f"{{\\bf {lead}}} {text}\\par\n\n")
        elif style == "label":
            for it in items:
                lead, text = self._text(it, short)
                self.emit(f"{{\\ss\\bf\\color[accent]{{{esc(word)} {esc(it.get('number', ''))}:}}}} {lead} {text}\\par\n\n")
        elif style == "table":
            cols = block.get("columns") or (["Nr.", word, "Gericht aan"] if kind == "aanbeveling" else ["Nr.", word])
            rows = []
            for it in items:
                lead, text = self._text(it, short)
                cells = [esc(it.get("number", "")), f"{lead} {text}".strip()]
                if len(cols) >= 3:
                    cells.append(ADDRESSEE.get(it.get("addressee"), ""))
                rows.append(cells[: len(cols)])
            self._table([esc(c) for c in cols], rows)
        elif style == "boxes":
            for it in items:
                lead, text = self._text(it, short)
                self.emit("\\starttextbackground[letter]\n"
                          f"{{\\ss\\tfx\\bf\\color[accent]{{{esc(word.upper())} {esc(it.get('number', ''))}}}}}\\par\n"
                          f"{{\\bf {lead}}} {text}\\par\n\\stoptextbackground\n\n")

    def _table(self, head: list[str], rows: list[list[str]]) -> None:
        out = ["\\bTABLE[split=yes,frame=off,bottomframe=on,framecolor=gray,offset=1.5mm,align={flushleft,lohi}]",
               "\\bTABLEhead\\bTR[background=color,backgroundcolor=accent,color=white,style={\\ss\\bf}]"
               + "".join(f"\\bTH {c}\\eTH" for c in head) + "\\eTR\\eTABLEhead", "\\bTABLEbody"]
        for r in rows:
            out.append("\\bTR" + "".join(f"\\bTD {c}\\eTD" for c in r) + "\\eTR")
        out.append("\\eTABLEbody\\eTABLE\n\n")
        self.emit("\n".join(out))

    def items_block(self, block: dict[str, Any]) -> None:
        self.render_items(block, block["items"], block["type"], short=False)

    def repeat(self, block: dict[str, Any]) -> None:
        items = [self.items[ref] for ref in block["refs"]]
        self.render_items(block, items, items[0]["type"] if items else "aanbeveling", short=bool(block.get("short")))

    def norm(self, block: dict[str, Any]) -> None:
        self.emit(f"\\dontleavehmode\\inleft{{\\ss\\bf\\color[accent]{{Norm {esc(block.get('number', ''))}}}}}"
                  f"{{\\it {esc(block.get('text', ''))}}}\\par\n\n")
        for p in block.get("findings", []):
            self.emit(esc(p) + "\\par\n\n")
        if block.get("verdict"):
            self.emit(f"{{\\bf {esc(block['verdict'])}}}\\par\n\n")

    def findings(self, block: dict[str, Any]) -> None:
        for it in block["items"]:
            self.emit(esc(it["text"]) + "\\par\n\n")

    def reaction_letter(self, block: dict[str, Any]) -> None:
        if block.get("scanned"):
            raise NotImplementedError("produce_context: scanned reaction letters are not supported")
        head = esc(block.get("letterhead") or f"Gemeente {self.spec['meta'].get('gemeente', '')}")
        lines = "\\\\\n".join(esc(x) for x in block.get("lines", []))
        paras = "\\par\n\n".join(esc(p) for p in block.get("paragraphs", []))
        sig = "\\\\\n".join(esc(x) for x in block.get("signature", []))
        self.emit("\\starttextbackground[letter]\n"
                  f"{{\\ss\\bfb {head}}}\\par\n{{\\tfx {lines}\\par}}\n\\blank[medium]\n"
                  f"{paras}\\par\n\\blank[medium]\n{{\\setupalign[flushleft] {sig}\\par}}\n\\stoptextbackground\n\n")

    def reaction_table(self, block: dict[str, Any]) -> None:
        cols = block.get("columns") or ["Aanbeveling", "Reactie college", "Nawoord"]
        rows = []
        for row in block["rows"]:
            item = self.items.get(row.get("ref"), {})
            first = f"{item.get('number', '')}. {item.get('lead', '')}" if item else row.get("label", "")
            rows.append([esc(first), esc(row.get("reaction", "")), esc(row.get("nawoord", ""))][: len(cols)])
        self._table([esc(c) for c in cols], rows)

    def columns(self, block: dict[str, Any]) -> None:
        count = int(block.get("count", 1))
        if count > 1:
            self.emit(f"\\startcolumns[n={count}]\n")
            self.in_columns = True
        elif getattr(self, "in_columns", False):
            self.emit("\\stopcolumns\n")
            self.in_columns = False

    def kader(self, block: dict[str, Any]) -> None:
        raise NotImplementedError("produce_context: kader blocks are not supported")

    def page_break(self, block: dict[str, Any]) -> None:
        self.emit("\\page\n")

    def build(self) -> str:
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind == "items":
                self.items_block(block)
            else:
                getattr(self, kind)(block)
        if getattr(self, "in_columns", False):
            self.emit("\\stopcolumns\n")
        return self.preamble() + "".join(self.out) + "\\stoptext\n"


def source(spec: dict[str, Any]) -> str:
    return Builder(spec).build()


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
    y, m, d = house["date"]
    stamp = int(_dt.datetime(y, m, d, 10, 0, tzinfo=_dt.timezone.utc).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(stamp), "TZ": "UTC"}
    with tempfile.TemporaryDirectory(prefix="context_") as tmp:
        work = Path(tmp)
        (work / "report.tex").write_text(source(spec), encoding="utf-8")
        run = subprocess.run(["context", "--batchmode", "--noconsole", f"--trailerid={spec['id']}",
                              f"--nodates={y:04d}-{m:02d}-{d:02d} 10:00", "report.tex"],
                             cwd=work, env=env, capture_output=True, text=True, errors="replace")
        if run.returncode != 0 or not (work / "report.pdf").exists():
            keep = out_pdf.with_suffix(".log")
            shutil.copy(work / "report.log", keep) if (work / "report.log").exists() else None
            raise RuntimeError(f"context failed for {spec['id']} (log kept at {keep}):\n{run.stdout[-3000:]}")
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        out_pdf.write_bytes(_fix_clock((work / "report.pdf").read_bytes(), (y, m, d), spec["id"]))


def _fix_clock(data: bytes, date: tuple[int, int, int], doc_id: str) -> bytes:
    """Overwrite the clock time ConTeXt writes (info dates, /ID, ConTeXt.Time, XMP dates and uuids) in place,
    same lengths, so the PDF repeats byte for byte. ConTeXt 2021.03.05 ignores SOURCE_DATE_EPOCH here, and its
    `--nodates=<date>` still stamps the clock ("forced date/time information '<now>' will be used")."""
    y, m, d = date
    data = re.sub(rb"D:\d{14}", f"D:{y:04d}{m:02d}{d:02d}100000".encode(), data)
    data = re.sub(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", f"{y:04d}-{m:02d}-{d:02d}T10:00:00".encode(), data)
    data = re.sub(rb"([(>])\d{4}-\d{2}-\d{2} \d{2}:\d{2}([)<])", rb"\g<1>" + f"{y:04d}-{m:02d}-{d:02d} 10:00".encode()
                  + rb"\g<2>", data)  # ConTeXt.Time in the info dictionary and in the XMP
    digest = hashlib.md5(doc_id.encode()).hexdigest()
    fixed = f"uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}".encode()
    data = re.sub(rb"uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", fixed, data)
    trailer = digest.upper().encode()
    return re.sub(rb"/ID \[ <[0-9A-F]{32}> <[0-9A-F]{32}> \]", b"/ID [ <" + trailer + b"> <" + trailer + b"> ]", data)


if __name__ == "__main__":  # debugging aid: print the ConTeXt source of one spec
    print(source(spec_module.load(Path(sys.argv[1]))))
