"""Render a layout-corpus spec as a designed report whose display text is converted to outlines.

What a DTP studio's InDesign export looks like when the designer has outlined the display font
("Create Outlines") before exporting: the cover and the big chapter titles on the chapter-opening
pages are drawn shapes (filled paths, no font, no text layer), the running text stays real text.
One page (a "Kernboodschap" spread-like page with the main conclusions in large type) is outlined
as a whole, so it has no text layer at all.

How (h14a), all with tools that write PDF deterministically:

1. The spec is laid out as HTML + print CSS by `produce_weasyprint` (its `_css` and `_Builder`),
   with a stylesheet of this module on top: chapter-opening pages (every level-1 heading starts a
   page, a big chapter number over the title, no running header on that page: `string(…,
   first-except)`), a cover drawn as a page of shapes, and the `kader` block with
   `layout: kernboodschap` as a full-bleed coloured page of its own (named page `kern`, no margin
   boxes). Every piece of display text carries the class `d`: the cover's lines, the level-1
   headings, all text of the Kernboodschap page.
2. WeasyPrint renders the same HTML twice. Pass A ("body"): `.d { visibility: hidden }` — the page
   with everything except the display text (backgrounds and shapes included). Pass B ("display"):
   everything hidden except `.d`, margin boxes and the footnote rule switched off. `visibility`
   does not change the layout, so both passes put every box at the same place on the same page.
3. Ghostscript's pdfwrite with `-dNoOutputFonts` re-writes pass B with every glyph as a filled
   path (what "Create Outlines" produces: no fonts, no text).
4. pikepdf lays each page of the outlined pass B that has display text over the same page of pass
   A as a form XObject drawn 1:1 under a fixed name (the form's resources hold no font). Pass A's info
   dictionary, named destinations and links are kept; nothing of Ghostscript's file (dates, /ID,
   XMP) survives. Each page then gets resources of its own listing only the fonts and XObjects its
   content uses (WeasyPrint shares one dictionary over all pages), so the cover and the
   Kernboodschap page carry no font at all.

Deterministic: WeasyPrint writes no dates and a fixed /ID from the document id; the outlines from
Ghostscript 10.00 repeat byte for byte; pikepdf saves with `deterministic_id` and no new metadata.

Spec keys this producer reads beyond `produce_weasyprint`'s:
  house.display        the display font family (outlined), e.g. "'Lato Black', 'Lato', sans-serif"
  cover.kicker         a small line above the cover title (outlined like the rest of the cover)
  kader.layout: kernboodschap   {title, text (lead-in), statements: [...], source}: the wholly
                       outlined page. Never an item (spec.py: a kader is never an item); the spec
                       should state the same conclusions in real text elsewhere.
  heading.outlined: false   keep a level-1 heading as real text (default: outlined)
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
from weasyprint import HTML

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import produce_weasyprint as wp  # noqa: E402

_esc, _attr, _css_string = wp._esc, wp._attr, wp._css_string


def _extra_css(spec: dict[str, Any], h: dict[str, str]) -> str:
    runtitle = spec.get("running_header") or ""
    disp = h.get("display") or h["head"]
    return f"""
@page {{
  margin: 24mm 22mm 24mm 24mm;
  @top-left {{ content: string(runtitle, first-except); font: 7.5pt {h['head']}; color: #777;
              vertical-align: bottom; padding-bottom: 3mm; }}
  @top-right {{ content: string(chapter, first-except); font: italic 7.5pt {h['head']}; color: {h['accent']};
               vertical-align: bottom; padding-bottom: 3mm; }}
}}
@page kern {{ margin: 0; @top-left {{ content: none; }} @top-right {{ content: none; }}
             @bottom-right {{ content: none; }} @bottom-left {{ content: none; }} }}
h1 {{ break-before: page; string-set: chapter attr(data-t), runtitle {_css_string(runtitle)};
      font: 900 27pt/1.1 {disp}; color: {h['dark']}; border-bottom: none; padding: 20mm 0 0 0; margin: 0 0 4mm 0; }}
h1 .num {{ display: block; min-width: 0; padding: 0; font: 900 64pt/1 {disp}; color: {h['accent']};
           margin-bottom: 3mm; }}
.opener-rule {{ height: 2.4mm; width: 38mm; background: {h['accent']}; margin: 0 0 10mm 0; }}
.caption {{ break-after: avoid; }}
h2 {{ font: bold 12pt {h['head']}; color: {h['accent']}; }}
h2 .num {{ color: {h['dark']}; }}
/* cover: shapes in the body layer, every word in the display layer */
.ocover {{ page: cover; height: 297mm; position: relative; background: {h['light']}; }}
.ocover .blk {{ position: absolute; left: 0; top: 0; width: 210mm; height: 168mm; background: {h['accent']}; }}
.ocover .blk2 {{ position: absolute; right: 0; top: 140mm; width: 82mm; height: 56mm; background: {h['dark']}; }}
.ocover .dot {{ position: absolute; left: 24mm; top: 24mm; width: 9mm; height: 9mm; border-radius: 4.5mm;
               background: {h['light']}; }}
.ocover .org {{ position: absolute; left: 37mm; top: 25.5mm; font: 900 11pt {disp}; letter-spacing: .12em;
               text-transform: uppercase; color: white; }}
.ocover .kick {{ position: absolute; left: 24mm; top: 84mm; font: bold 12pt {disp}; color: {h['light']};
                letter-spacing: .06em; }}
.ocover .title {{ position: absolute; left: 24mm; top: 96mm; width: 150mm; font: 900 40pt/1.02 {disp}; color: white;
                 text-align: left; hyphens: manual; }}
.ocover .sub {{ position: absolute; left: 24mm; top: 182mm; width: 100mm; font: 15pt/1.3 {disp}; color: {h['dark']};
               text-align: left; hyphens: manual; }}
.ocover .date {{ position: absolute; left: 24mm; bottom: 22mm; font: 900 11pt {disp}; color: {h['accent']}; }}
/* front matter on one page: inhoud above, colofon below */
.toc {{ break-before: page; }}
.toc .ttl {{ font: 900 24pt {disp}; color: {h['dark']}; }}
.colofon {{ break-before: avoid; padding-top: 70mm; }}
/* the wholly outlined Kernboodschap page */
.kern {{ page: kern; break-before: page; break-after: page; height: 297mm; box-sizing: border-box;
         background: {h['accent']}; color: white; padding: 34mm 26mm 20mm 26mm; text-align: left; hyphens: manual;
         position: relative; }}
.kern .kt {{ font: 900 44pt/1 {disp}; margin-bottom: 9mm; }}
.kern .kl {{ font: 15pt/1.3 {disp}; margin-bottom: 10mm; color: {h['light']}; }}
.kern ol {{ margin: 0; padding: 0 0 0 14mm; }}
.kern li {{ font: 900 17pt/1.22 {disp}; margin: 0 0 7mm 0; padding-left: 2mm; }}
.kern li::marker {{ color: {h['light']}; }}
.kern .ks {{ position: absolute; left: 26mm; bottom: 20mm; font: 10pt {disp}; color: {h['light']}; }}
.kern .bar {{ position: absolute; left: 0; top: 0; width: 12mm; height: 297mm; background: {h['dark']}; }}
"""


PASS_A = ".d { visibility: hidden; }"
PASS_B = """
html * { visibility: hidden; }
.d, .d * { visibility: visible; }
@page { @top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; }
        @bottom-right { content: none; } @footnote { border: none; } }
"""


class _Builder(wp._Builder):
    def b_cover(self, block: dict[str, Any]) -> None:
        lines = list(block.get("lines", []))
        org, title = (lines + ["", ""])[:2]
        sub = lines[2] if len(lines) > 2 else ""
        date = lines[-1] if len(lines) > 3 else ""
        kick = block.get("kicker", "")
        self.emit('<div class="ocover"><div class="blk"></div><div class="blk2"></div><div class="dot"></div>'
                  f'<div class="org d">{_esc(org)}</div>'
                  + (f'<div class="kick d">{_esc(kick)}</div>' if kick else "")
                  + f'<div class="title d">{_esc(title)}</div>'
                  + (f'<div class="sub d">{_esc(sub)}</div>' if sub else "")
                  + (f'<div class="date d">{_esc(date)}</div>' if date else "")
                  + "</div>")

    def b_heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        if level != 1:
            super().b_heading(block)
            return
        self.heading_no += 1
        number = str(block.get("number", ""))
        num = f'<span class="num">{_esc(number)}</span>' if number else ""
        cls = ' class="d"' if block.get("outlined", True) else ""
        label = f"{number} {block['text']}".strip()
        self.emit(f'<h1 id="h{self.heading_no}"{cls} data-t="{_attr(block["text"])}" data-b="{_attr(label)}">'
                  f'{num}{_esc(block["text"])}</h1><div class="opener-rule"></div>')

    def b_kader(self, block: dict[str, Any]) -> None:
        if block.get("layout") != "kernboodschap":
            raise ValueError("produce_outlined: only kader blocks with layout: kernboodschap")
        items = "".join(f'<li class="d">{_esc(s)}</li>' for s in block.get("statements", []))
        self.emit('<div class="kern"><div class="bar"></div>'
                  f'<div class="kt d">{_esc(block.get("title", "Kernboodschap"))}</div>'
                  + (f'<div class="kl d">{_esc(block["text"])}</div>' if block.get("text") else "")
                  + f'<ol class="d">{items}</ol>'
                  + (f'<div class="ks d">{_esc(block["source"])}</div>' if block.get("source") else "")
                  + "</div>")


def _html(spec: dict[str, Any], workdir: Path, layer_css: str) -> str:
    house = {**wp.DEFAULT_HOUSE, **(spec.get("house") or {})}
    # the running header is this module's (string(runtitle, first-except)), not produce_weasyprint's element()
    plain = {**spec, "running_header": None}
    body = _Builder(plain, workdir, house).build()
    css = wp._css(plain, house) + _extra_css(spec, house) + layer_css
    return (f'<!DOCTYPE html>\n<html lang="nl"><head>{wp._head(spec)}<style>{css}</style></head>'
            f"<body>\n{body}\n</body></html>\n")


def _texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _own_resources(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint gives all pages one shared /Resources; give each page its own, with only the fonts and
    XObjects its content stream names (the overlay of page 3 is not listed on page 4, and a wholly outlined
    page lists no font at all, as in an export where the text was outlined before the PDF was written)."""
    for page in pdf.pages:
        used: dict[str, set[str]] = {"/Font": set(), "/XObject": set()}
        for op in pikepdf.parse_content_stream(page):
            name = str(op.operator)
            if name == "Tf":
                used["/Font"].add(str(op.operands[0]))
            elif name == "Do":
                used["/XObject"].add(str(op.operands[0]))
        own = pikepdf.Dictionary()
        for key, value in page.obj.Resources.items():
            if key in used and isinstance(value, pikepdf.Dictionary):
                kept = {k: v for k, v in value.items() if k in used[key]}
                if kept:
                    own[key] = pikepdf.Dictionary(kept)
            else:
                own[key] = value
        page.obj.Resources = own


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    gs = shutil.which("gs")
    if not gs:
        raise RuntimeError("produce_outlined needs Ghostscript (Debian 'ghostscript')")
    ident = hashlib.md5(spec["id"].encode("utf-8")).hexdigest().encode("ascii")
    with tempfile.TemporaryDirectory(prefix="outlined_") as tmp:
        work = Path(tmp)
        body_pdf, disp_pdf, outl_pdf = work / "body.pdf", work / "display.pdf", work / "display-outlined.pdf"
        for layer, target in ((PASS_A, body_pdf), (PASS_B, disp_pdf)):
            source = _html(spec, work, layer)
            HTML(string=source, base_url=str(work) + "/").write_pdf(str(target), pdf_identifier=ident)
        body_texts, disp_texts = _texts(body_pdf), _texts(disp_pdf)
        if len(body_texts) != len(disp_texts):
            raise RuntimeError("the two passes laid out a different number of pages")
        subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dNoOutputFonts",
                        "-dAutoRotatePages=/None", "-dCompatibilityLevel=1.7", f"-sOutputFile={outl_pdf}",
                        str(disp_pdf)], check=True, capture_output=True)
        if any(t.strip() for t in _texts(outl_pdf)):
            raise RuntimeError("Ghostscript left text in the outlined layer")
        with pikepdf.open(body_pdf) as pdf, pikepdf.open(outl_pdf) as outl:
            for i, text in enumerate(disp_texts):
                if not text.strip():
                    continue
                page = pdf.pages[i]
                form = pdf.copy_foreign(outl.pages[i].as_form_xobject())
                # drawn 1:1 over the page under a fixed name (Page.add_overlay would name it at random)
                name = pikepdf.Name(f"/Outl{i + 1}")
                page.obj.Resources.XObject[name] = form
                page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
                page.contents_add(pdf.make_stream(b"\nQ\nq " + bytes(name.unparse()) + b" Do Q\n"))
            _own_resources(pdf)
            pdf.save(out_pdf, deterministic_id=True, compress_streams=True,
                     object_stream_mode=pikepdf.ObjectStreamMode.preserve)
