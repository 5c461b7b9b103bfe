"""Render a layout-corpus spec as a *distilled* PDF: the report is laid out as PostScript, then `ps2pdf` makes the PDF.

This is the route of "print to a PostScript file, then Acrobat Distiller" that many municipal offices kept for
years: the application never writes PDF itself, it writes PostScript for a printer, and a distiller turns the
page description into PDF. Here the distiller is Ghostscript 10's `ps2pdf` (pdfwrite, its default settings, the
ones closest to Distiller's "Standard" job options). Two PostScript writers, chosen by `house.ps`:

- `groff` (default): the troff source of `produce_groff.Builder` (ms macros, tbl), typeset with `groff -Tps`
  (grops) and the `pdfmark` macros instead of gropdf: the bookmarks and the info dictionary become pdfmark
  operators in the PostScript (`[ /Title (…) /OUT pdfmark`, `[ /Title … /DOCINFO pdfmark`), which only a
  distiller acts on. Fonts are the PostScript base fonts (Times, Helvetica; grops does not embed them, pdfwrite
  embeds Ghostscript's URW clones as subsets under the URW names, e.g. `NimbusRoman-Regular`).
- `dvips`: the LaTeX source of `produce_latex.Builder` run through `latex` (DVI, not pdfLaTeX) and `dvips -Ppdf`;
  hyperref's dvips driver writes the outline and the info dictionary as pdfmarks. Type 1 fonts (psnfss), so the
  glyph names give the text.

A scanned reaction letter is not supported by this renderer (the groff route would need EPS pictures): the
specs for this producer use none. `pdf_info: false` leaves the pdfmark /DOCINFO out, but pdfwrite still writes
Producer ("GPL Ghostscript 10.00.0") and, in the groff route, Creator ("groff version 1.22.4") and Title taken from
the PostScript `%%Title:` comment, which grops fills with the input file name: the file is called `report.ms`,
so such a PDF has Title "report.ms" — what a real distilled report with an untitled print job shows.

Deterministic: SOURCE_DATE_EPOCH for groff and LaTeX; pdfwrite's CreationDate/ModDate, XMP dates and the
document /ID come from the clock and are overwritten in place afterwards (same byte lengths).
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

import produce_groff  # noqa: E402
import produce_latex  # noqa: E402


def _epoch(spec: dict[str, Any]) -> int:
    when = (spec.get("house") or {}).get("date") or spec.get("date") or f"{spec['meta'].get('year') or 2000}-06-30"
    if isinstance(when, (list, tuple)):  # produce_latex's [y, m, d]
        when = "{:04d}-{:02d}-{:02d}".format(*when)
    when = str(when)
    return int(_dt.datetime.strptime(when, "%Y-%m-%d").replace(hour=10, tzinfo=_dt.timezone.utc).timestamp())


# ---------------------------------------------------------------------------------------------- groff -Tps
def _groff_ps(source: str, work: Path, epoch: int) -> tuple[bytes, str]:
    path = work / "report.ms"
    path.write_text(source, encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "LC_ALL": "C.UTF-8"}
    proc = subprocess.run(["groff", "-ms", "-mpdfmark", "-t", "-k", "-Tps", "-dpaper=a4", "-P-pa4", str(path.name)],
                          cwd=work, env=env, capture_output=True, check=False)
    if proc.returncode != 0 or not proc.stdout.startswith(b"%!PS"):
        raise RuntimeError(f"groff -Tps failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace')[-2000:]}")
    return proc.stdout, proc.stderr.decode("utf-8", "replace")


def _groff_source(spec: dict[str, Any], work: Path, toc, epoch: int) -> str:
    if any(b["kind"] == "reaction_letter" and b.get("scanned") for b in spec["blocks"]):
        raise RuntimeError("produce_distilled: scanned letters are not supported (no EPS pictures)")
    source = produce_groff.Builder(spec, work, toc).source(epoch)
    # pdfmark.tmac keeps .pdfinfo in a diversion until .pdfsync: flush it on the last page
    source += ".pdfsync\n"
    # pdfmark.tmac knows .pdfinfo, .pdfbookmark and .pdfview as gropdf's pdf.tmac does; .pdfbookmark needs
    # the level first and the text as the rest of the line (no quotes)
    source = re.sub(r'^\.pdfbookmark (\d) "(.*)"$', lambda m: f".pdfbookmark {m.group(1)} "
                    + m.group(2).replace("\\[dq]", '"'), source, flags=re.M)
    return source


def _groff(spec: dict[str, Any], work: Path, epoch: int) -> Path:
    _, log = _groff_ps(_groff_source(spec, work, None, epoch), work, epoch)
    toc = produce_groff._toc(log)
    ps, log2 = _groff_ps(_groff_source(spec, work, toc, epoch), work, epoch)
    if produce_groff._toc(log2) != toc:
        raise RuntimeError("groff: the table of contents changed the page numbers; give it more room")
    warnings = [line for line in log2.splitlines() if line and not line.startswith("H3TOC|")]
    if warnings:
        print("\n".join(warnings[:20]), file=sys.stderr)
    out = work / "report.ps"
    out.write_bytes(ps)
    return out


# ---------------------------------------------------------------------------------------------- latex + dvips
def _dvips(spec: dict[str, Any], work: Path, epoch: int) -> Path:
    if any(b["kind"] == "reaction_letter" and b.get("scanned") for b in spec["blocks"]):
        raise RuntimeError("produce_distilled: scanned letters are not supported")
    tex = produce_latex.source(spec, work)
    # the pdfTeX primitives mean nothing to a DVI run; hyperref picks its dvips driver by itself
    tex = tex.replace("\\pdftrailerid{}\n", "").replace("\\input{glyphtounicode}\n", "")
    tex = tex.replace("\\pdfgentounicode=1\n", "")
    (work / "report.tex").write_text(tex, encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "FORCE_SOURCE_DATE": "1", "TZ": "UTC"}
    for _ in range(3):
        run = subprocess.run(["latex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"], cwd=work,
                             env=env, capture_output=True, text=True, errors="replace")
        if run.returncode != 0:
            raise RuntimeError(f"latex failed for {spec['id']}:\n{run.stdout[-3000:]}")
    run = subprocess.run(["dvips", "-Ppdf", "-t", "a4", "-o", "report.ps", "report.dvi"], cwd=work, env=env,
                         capture_output=True, text=True, errors="replace")
    if run.returncode != 0:
        raise RuntimeError(f"dvips failed for {spec['id']}:\n{run.stderr[-3000:]}")
    return work / "report.ps"


# ---------------------------------------------------------------------------------------------- distil
def _distil(ps: Path, pdf: Path, epoch: int) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "TZ": "UTC"}
    run = subprocess.run(["ps2pdf", "-sPAPERSIZE=a4", "-dAutoRotatePages=/None", str(ps), str(pdf)],
                         cwd=ps.parent, env=env, capture_output=True, text=True, errors="replace")
    if run.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"ps2pdf failed: {run.stderr[-2000:]}")


def _freeze(pdf: Path, epoch: int) -> None:
    """Overwrite the clock dates (info dictionary and XMP) and the /ID with fixed values of the same length."""
    data = pdf.read_bytes()
    when = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)
    pdf_date = when.strftime("D:%Y%m%d%H%M%S").encode()
    xmp_date = when.strftime("%Y-%m-%dT%H:%M:%S").encode()

    def info(m: re.Match) -> bytes:
        old = m.group(2)
        return m.group(1) + (pdf_date + b"+00'00'")[: len(old)].ljust(len(old), b"0") + b")"
    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\()(D:[^)]*)\)", info, data)

    def xmp(m: re.Match) -> bytes:
        old = m.group(2)
        return m.group(1) + (xmp_date + b"+00:00")[: len(old)].ljust(len(old), b"0") + m.group(3)
    data = re.sub(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)([^<]*)(</xmp:)", xmp, data)

    # the trailer's /ID: pdfwrite writes it as hex or, with bytes that need escaping, as literal strings; the trailer
    # follows the xref table, so a replacement of another length moves no offset
    at = data.rfind(b"trailer")
    tail = re.sub(rb"/ID\s*\[.*\]\s*>>", b"/ID [<" + b"0" * 32 + b"><" + b"0" * 32 + b">]\n>>", data[at:], count=1,
                  flags=re.S)
    data = data[:at] + tail
    # the XMP packet carries uuids made from the clock as well
    data = re.sub(rb"uuid:[0-9a-fA-F\-]{36}", lambda m: b"uuid:" + re.sub(rb"[0-9a-fA-F]", b"0", m.group(0)[5:]), data)
    pdf.write_bytes(data)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    epoch = _epoch(spec)
    route = (spec.get("house") or {}).get("ps", "groff")
    with tempfile.TemporaryDirectory(prefix="distilled_") as tmp:
        work = Path(tmp)
        ps = _dvips(spec, work, epoch) if route == "dvips" else _groff(spec, work, epoch)
        pdf = work / "report.pdf"
        _distil(ps, pdf, epoch)
        _freeze(pdf, epoch)
        if os.environ.get("DISTILLED_KEEP_PS"):
            shutil.copyfile(ps, out_pdf.with_suffix(".ps"))
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)
