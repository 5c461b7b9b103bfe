"""Render a layout-corpus spec as a rekenkamer WEB PAGE saved with Chrome's "Afdrukken → Opslaan als PDF".

The report is not a print document: it is the article of a web page (site header with logo text and navigation,
a cookie notice, breadcrumbs, a share bar, a download box, "Op deze pagina" anchor links, a sidebar, the report as
the article body, recommendations as cards, reaction and nawoord as accordion panels printed open, a site footer).
The page has no print stylesheet beyond what a web builder usually ships (nothing hidden for print). It is printed
by Chromium through the DevTools protocol (selenium + chromedriver, `Page.printToPDF`) the way the print dialog
does it: A4 portrait, default margins (1 cm), "Kopteksten en voetteksten" on (`displayHeaderFooter`: date and time
left and the page title centred in the header, URL left and "n/N" right in the footer), "Achtergrondafbeeldingen"
on (`printBackground`). The header and footer templates imitate Chrome's own (same 8 px font, same positions)
but carry a fixed date and the page's public URL instead of the file:// URL, so the output is deterministic.

Spec keys (renderer only; spec.py only knows the producer name):
  web: {site, tagline, url, page_title, printed, user_agent, nav, active, cookie, cookie_buttons, breadcrumbs,
        kicker, heading, meta_line, share, download, sidebar: [{title, links|lines, button}], updated,
        footer: [{title, lines}], footer_bottom}
  para.lead: true            the article's intro paragraph (larger type)
  heading.anchor             id for the "Op deze pagina" links (level-2 headings are listed)
  heading.accordion: true    the section is a <details open> panel whose <summary> is the heading
  items.layout: cards        recommendations as cards: "Aanbeveling 3" badge, addressee tag, bold lead, text
  reaction_letter.intro      a paragraph before the quoted letter (the rekenkamer's words)
Blocks not supported here (raise): cover, colofon, norm, reaction_table, columns, kader, scanned letters.

Metadata: Chrome writes /Title from <title> (the page title with the site name), /Creator the user agent (set to a
desktop Chrome), /Producer "Skia/PDF m150" (the milestone is set to the user agent's Chrome version, same length), and its clock as /CreationDate and /ModDate; the dates are overwritten
in place (same length) with the `printed` date. No /Author, no /ID, no bookmarks.
"""
from __future__ import annotations

import base64
import html
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import spec as spec_module  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

ACCENT = "#00607a"     # petrol
DARK = "#1d2b36"
SOFT = "#e8f2f5"
WARM = "#f4a300"


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


CSS = f"""
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; }}
body {{ margin: 0; font-family: 'Liberation Sans', Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.6;
       color: {DARK}; background: #fff; }}
a {{ color: {ACCENT}; text-decoration: underline; }}
.topbar {{ background: {DARK}; color: #cfd8de; font-size: 12px; padding: 5px 24px; display: flex; justify-content: space-between; }}
.topbar a {{ color: #cfd8de; text-decoration: none; margin-left: 14px; }}
header.site {{ display: flex; align-items: center; justify-content: space-between; padding: 16px 24px; border-bottom: 1px solid #d5dde2; }}
.logo {{ display: flex; align-items: center; }}
.logo .mark {{ width: 38px; height: 38px; background: {ACCENT}; color: #fff; font: bold 20px 'DejaVu Sans', sans-serif;
              display: flex; align-items: center; justify-content: center; border-radius: 4px; margin-right: 10px; }}
.logo .name {{ font: bold 20px 'DejaVu Sans', sans-serif; color: {DARK}; letter-spacing: -.01em; }}
.logo .tag {{ font-size: 12px; color: #5a6b76; }}
.search {{ border: 1px solid #b8c4cb; border-radius: 18px; padding: 5px 14px; font-size: 13px; color: #7a8a94; width: 170px; }}
nav.main {{ background: {ACCENT}; padding: 0 24px; }}
nav.main ul {{ list-style: none; margin: 0; padding: 0; display: flex; }}
nav.main li {{ margin: 0; }}
nav.main a {{ display: block; color: #fff; text-decoration: none; font-size: 14px; font-weight: bold; padding: 10px 14px; }}
nav.main li.active a {{ background: {DARK}; }}
.cookie {{ background: #fff7e0; border: 1px solid {WARM}; margin: 14px 24px 0 24px; padding: 10px 14px; font-size: 13px;
          display: flex; align-items: center; justify-content: space-between; }}
.cookie .btns span {{ display: inline-block; margin-left: 8px; padding: 4px 12px; border-radius: 3px; font-weight: bold; font-size: 12px; }}
.cookie .btns span.yes {{ background: {ACCENT}; color: #fff; }}
.cookie .btns span.no {{ border: 1px solid {ACCENT}; color: {ACCENT}; }}
.crumbs {{ font-size: 13px; color: #5a6b76; padding: 12px 24px 0 24px; }}
.crumbs a {{ color: #5a6b76; }}
.crumbs .sep {{ margin: 0 6px; }}
.wrap {{ display: grid; grid-template-columns: minmax(0, 1fr) 200px; column-gap: 30px; padding: 6px 24px 20px 24px; }}
.kicker {{ text-transform: uppercase; letter-spacing: .08em; font-size: 12px; font-weight: bold; color: {ACCENT}; margin-top: 10px; }}
h1 {{ font: bold 30px/1.2 'DejaVu Sans', sans-serif; margin: 6px 0 8px 0; color: {DARK}; }}
.metaline {{ font-size: 13px; color: #5a6b76; margin-bottom: 10px; }}
.metaline span + span::before {{ content: "·"; margin: 0 8px; }}
.share {{ display: flex; flex-wrap: wrap; align-items: center; border-top: 1px solid #d5dde2; border-bottom: 1px solid #d5dde2;
          padding: 6px 0; font-size: 13px; margin-bottom: 14px; }}
.share .lbl {{ font-weight: bold; margin-right: 10px; }}
.share a {{ margin-right: 12px; text-decoration: none; }}
.lead {{ font-size: 18px; line-height: 1.5; color: #2e3d48; margin: 0 0 14px 0; }}
.download {{ background: {SOFT}; border-left: 5px solid {ACCENT}; padding: 10px 14px; margin: 0 0 16px 0; }}
.download a {{ display: block; font-weight: bold; font-size: 14px; margin: 2px 0; }}
.download a::before {{ content: "⤓ "; text-decoration: none; }}
.onthispage {{ border: 1px solid #d5dde2; padding: 10px 16px; margin: 0 0 18px 0; }}
.onthispage .ttl {{ font-weight: bold; font-size: 14px; margin-bottom: 4px; }}
.onthispage ul {{ margin: 0; padding-left: 18px; font-size: 14px; }}
article p {{ margin: 0 0 12px 0; }}
article h2 {{ font: bold 22px/1.3 'DejaVu Sans', sans-serif; color: {DARK}; margin: 26px 0 10px 0; break-after: avoid; }}
article h3 {{ font: bold 17px/1.3 'DejaVu Sans', sans-serif; color: {ACCENT}; margin: 18px 0 8px 0; break-after: avoid; }}
article h2 .nr, article h3 .nr {{ margin-right: 8px; color: {ACCENT}; }}
ol.short {{ margin: 0 0 14px 0; padding-left: 22px; }}
ol.short li {{ margin-bottom: 4px; }}
ol.concl {{ list-style: none; margin: 0 0 14px 0; padding: 0; counter-reset: c; }}
ol.concl li {{ position: relative; padding: 0 0 0 40px; margin: 0 0 12px 0; }}
ol.concl li .n {{ position: absolute; left: 0; top: 0; width: 28px; height: 28px; border-radius: 50%; background: {ACCENT};
                 color: #fff; font-weight: bold; text-align: center; line-height: 28px; font-size: 14px; }}
.cards {{ display: grid; grid-template-columns: 1fr; row-gap: 12px; margin: 0 0 16px 0; }}
.card {{ border: 1px solid #c9d6dc; border-top: 4px solid {ACCENT}; border-radius: 4px; padding: 10px 14px 4px 14px;
        break-inside: avoid; box-shadow: 0 2px 6px rgba(0,0,0,.08); }}
.card .top {{ display: flex; justify-content: space-between; align-items: center; margin-bottom: 6px; }}
.card .badge {{ background: {ACCENT}; color: #fff; font-size: 12px; font-weight: bold; padding: 2px 10px; border-radius: 10px;
               letter-spacing: .03em; }}
.card .to {{ font-size: 12px; color: #5a6b76; border: 1px solid #b8c4cb; padding: 1px 8px; border-radius: 10px; }}
.card.raad {{ border-top-color: {WARM}; }}
.card.raad .badge {{ background: {WARM}; color: {DARK}; }}
.card p {{ margin: 0 0 8px 0; }}
details {{ border: 1px solid #c9d6dc; border-radius: 4px; margin: 22px 0 12px 0; }}
details > summary {{ list-style: none; background: {SOFT}; padding: 10px 14px; cursor: pointer; }}
details > summary::-webkit-details-marker {{ display: none; }}
details > summary h2 {{ display: inline; margin: 0; font-size: 20px; }}
details > summary::after {{ content: "−"; float: right; font: bold 20px 'DejaVu Sans', sans-serif; color: {ACCENT}; }}
details .inner {{ padding: 12px 16px 2px 16px; }}
.letter {{ border-left: 3px solid #c9d6dc; padding-left: 14px; margin: 0 0 12px 0; font-style: normal; }}
.letter .sig p {{ margin: 0 0 2px 0; }}
.updated {{ font-size: 13px; color: #5a6b76; border-top: 1px solid #d5dde2; padding-top: 8px; margin-top: 18px; }}
aside {{ font-size: 14px; padding-top: 14px; }}
aside .blk {{ border-top: 3px solid {ACCENT}; background: #f6f8f9; padding: 10px 12px; margin-bottom: 16px; }}
aside .blk .ttl {{ font: bold 15px 'DejaVu Sans', sans-serif; margin-bottom: 6px; }}
aside ul {{ margin: 0; padding-left: 16px; }}
aside li {{ margin-bottom: 5px; }}
aside .btn {{ display: inline-block; background: {ACCENT}; color: #fff; font-weight: bold; padding: 4px 12px; border-radius: 3px; margin-top: 4px; }}
footer.site {{ background: {DARK}; color: #dfe6ea; padding: 20px 24px 10px 24px; font-size: 13px; break-inside: avoid; }}
footer.site .cols {{ display: flex; }}
footer.site .col {{ flex: 1; }}
footer.site .ttl {{ font-weight: bold; color: #fff; margin-bottom: 6px; font-size: 14px; }}
footer.site .bottom {{ border-top: 1px solid #44545f; margin-top: 14px; padding-top: 8px; font-size: 12px; }}
footer.site .bottom span + span::before {{ content: "|"; margin: 0 8px; color: #7a8a94; }}
"""

HEADER_TEMPLATE = ('<div style="font-size:8px;width:100%;display:flex;justify-content:space-between;'
                   'padding:0 0.4in;font-family:\'Liberation Sans\',sans-serif;color:#000;">'
                   '<span>{date}</span><span>{title}</span><span></span></div>')
FOOTER_TEMPLATE = ('<div style="font-size:8px;width:100%;display:flex;justify-content:space-between;'
                   'padding:0 0.4in;font-family:\'Liberation Sans\',sans-serif;color:#000;">'
                   '<span>{url}</span><span><span class="pageNumber"></span>/<span class="totalPages"></span></span></div>')


class _Article:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.items = spec_module.items_by_id(spec)
        self.out: list[str] = []
        self.open_details = False

    def emit(self, s: str) -> None:
        self.out.append(s)

    def close_details(self) -> None:
        if self.open_details:
            self.emit("</div></details>")
            self.open_details = False

    def anchors(self) -> list[tuple[str, str]]:
        return [(b.get("anchor") or _slug(b["text"]), b["text"]) for b in self.spec["blocks"]
                if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]

    def build(self) -> str:
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind == "toc":
                self.emit('<nav class="onthispage"><div class="ttl">Op deze pagina</div><ul>'
                          + "".join(f'<li><a href="#{_esc(a)}">{_esc(t)}</a></li>' for a, t in self.anchors())
                          + "</ul></nav>")
            elif kind == "heading":
                level = int(block.get("level", 1))
                number = str(block.get("number", ""))
                nr = f'<span class="nr">{_esc(number)}</span>' if number else ""
                if level <= 2:
                    self.close_details()
                    anchor = block.get("anchor") or _slug(block["text"])
                    if block.get("accordion"):
                        self.emit(f'<details open id="{_esc(anchor)}"><summary><h2>{nr}{_esc(block["text"])}</h2>'
                                  '</summary><div class="inner">')
                        self.open_details = True
                    else:
                        self.emit(f'<h2 id="{_esc(anchor)}">{nr}{_esc(block["text"])}</h2>')
                else:
                    self.emit(f"<h3>{nr}{_esc(block['text'])}</h3>")
            elif kind == "para":
                cls = ' class="lead"' if block.get("lead") else ""
                self.emit(f"<p{cls}>{_esc(block['text'])}</p>")
            elif kind == "repeat":
                items = [self.items[r] for r in block["refs"]]
                self.emit('<ol class="short">' + "".join(
                    f'<li value="{_esc(i.get("number", ""))}">{_esc(i["lead"] if block.get("short") else (i["lead"] + " " + i.get("text", "")).strip())}</li>'
                    for i in items) + "</ol>")
            elif kind == "items":
                self.items_block(block)
            elif kind == "findings":
                for item in block["items"]:
                    self.emit(f"<p>{_esc(item['text'])}</p>")
            elif kind == "quote":
                self.emit(f"<blockquote>{_esc(block['text'])}</blockquote>")
            elif kind == "reaction_letter":
                if block.get("scanned"):
                    raise ValueError("chromeprint: scanned letters are not supported")
                if block.get("intro"):
                    self.emit(f"<p>{_esc(block['intro'])}</p>")
                self.emit('<blockquote class="letter">' + "".join(f"<p>{_esc(p)}</p>" for p in block.get("paragraphs", []))
                          + '<div class="sig">' + "".join(f"<p>{_esc(s)}</p>" for s in block.get("signature", []))
                          + "</div></blockquote>")
            elif kind == "page_break":
                self.emit('<div style="break-after: page"></div>')
            else:
                raise ValueError(f"chromeprint: block kind {kind!r} is not supported")
        self.close_details()
        return "\n".join(self.out)

    def items_block(self, block: dict[str, Any]) -> None:
        label = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie"}.get(block["type"], "")
        if block.get("layout") == "cards":
            self.emit('<div class="cards">')
            for item in block["items"]:
                to = {"college": "Aan het college", "raad": "Aan de raad"}.get(item.get("addressee") or "", "")
                cls = "card raad" if item.get("addressee") == "raad" else "card"
                text = f"<p>{_esc(item['text'])}</p>" if item.get("text") else ""
                self.emit(f'<div class="{cls}"><div class="top"><span class="badge">{label} {_esc(item.get("number", ""))}'
                          f'</span><span class="to">{_esc(to)}</span></div><p><strong>{_esc(item["lead"])}</strong></p>'
                          f"{text}</div>")
            self.emit("</div>")
        elif block["style"] == "numbered":
            self.emit('<ol class="concl">')
            for item in block["items"]:
                text = (" " + _esc(item["text"])) if item.get("text") else ""
                self.emit(f'<li><span class="n">{_esc(item.get("number", ""))}</span><strong>{_esc(item["lead"])}</strong>'
                          f"{text}</li>")
            self.emit("</ol>")
        else:
            raise ValueError(f"chromeprint: item style {block['style']!r} is not supported")


def _page(spec: dict[str, Any]) -> str:
    w = spec["web"]
    nav = "".join(f'<li class="{"active" if n == w.get("active") else ""}"><a href="#">{_esc(n)}</a></li>'
                  for n in w["nav"])
    crumbs = '<span class="sep">›</span>'.join(
        f'<a href="#">{_esc(c)}</a>' if k < len(w["breadcrumbs"]) - 1 else f"<span>{_esc(c)}</span>"
        for k, c in enumerate(w["breadcrumbs"]))
    share = "".join(f'<a href="#">{_esc(s)}</a>' for s in w.get("share", []))
    download = "".join(f'<a href="#">{_esc(d)}</a>' for d in w.get("download", []))
    side = []
    for blk in w.get("sidebar", []):
        inner = ""
        if blk.get("links"):
            inner += "<ul>" + "".join(f'<li><a href="#">{_esc(x)}</a></li>' for x in blk["links"]) + "</ul>"
        if blk.get("lines"):
            inner += "".join(f"<div>{_esc(x)}</div>" for x in blk["lines"])
        if blk.get("button"):
            inner += f'<span class="btn">{_esc(blk["button"])}</span>'
        side.append(f'<div class="blk"><div class="ttl">{_esc(blk["title"])}</div>{inner}</div>')
    foot = "".join(f'<div class="col"><div class="ttl">{_esc(c["title"])}</div>'
                   + "".join(f"<div>{_esc(x)}</div>" for x in c["lines"]) + "</div>" for c in w.get("footer", []))
    bottom = "".join(f"<span>{_esc(x)}</span>" for x in w.get("footer_bottom", []))
    cookie_btns = "".join(f'<span class="{"yes" if k == 0 else "no"}">{_esc(b)}</span>'
                          for k, b in enumerate(w.get("cookie_buttons", [])))
    meta_line = "".join(f"<span>{_esc(x)}</span>" for x in w.get("meta_line", []))
    article = _Article(spec).build()
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(w['page_title'])}</title><style>{CSS}</style></head><body>
<div class="topbar"><span>{_esc(w.get('tagline', ''))}</span><span><a href="#">Voorlezen</a><a href="#">English</a><a href="#">Contact</a></span></div>
<header class="site"><div class="logo"><div class="mark">R</div><div><div class="name">{_esc(w['site'])}</div>
<div class="tag">{_esc(w.get('tagline', ''))}</div></div></div><div class="search">Zoeken op deze site</div></header>
<nav class="main"><ul>{nav}</ul></nav>
<div class="cookie"><div>{_esc(w.get('cookie', ''))}</div><div class="btns">{cookie_btns}</div></div>
<div class="crumbs">{crumbs}</div>
<div class="wrap"><main>
<div class="kicker">{_esc(w.get('kicker', ''))}</div>
<h1>{_esc(w['heading'])}</h1>
<div class="metaline">{meta_line}</div>
<div class="share"><span class="lbl">Deel deze pagina</span>{share}</div>
<article>
{article}
</article>
<div class="download">{download}</div>
<div class="updated">{_esc(w.get('updated', ''))}</div>
</main>
<aside>{''.join(side)}</aside></div>
<footer class="site"><div class="cols">{foot}</div><div class="bottom">{bottom}</div></footer>
</body></html>
"""


def _print(html_path: Path, spec: dict[str, Any]) -> bytes:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    w = spec["web"]
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1280,900",
                "--font-render-hinting=none", "--lang=nl-NL"):
        options.add_argument(arg)
    if w.get("user_agent"):
        options.add_argument(f"--user-agent={w['user_agent']}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(html_path.as_uri())
        driver.execute_script("return document.fonts.ready")
        result = driver.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": 8.27, "paperHeight": 11.69,            # A4, as the dialog sends it
            "marginTop": 0.4, "marginBottom": 0.4, "marginLeft": 0.4, "marginRight": 0.4,
            "printBackground": True,
            "displayHeaderFooter": True,
            "headerTemplate": HEADER_TEMPLATE.format(date=_esc(w["printed"]), title=_esc(w["page_title"])),
            "footerTemplate": FOOTER_TEMPLATE.format(url=_esc(w["url"])),
            "preferCSSPageSize": False,
            "generateDocumentOutline": False,
        })
    finally:
        driver.quit()
    return base64.b64decode(result["data"])


def _freeze(data: bytes, printed: str) -> bytes:
    """Chrome's clock dates → the `printed` date and time (same byte length)."""
    day, month, year = printed.split()[0].split("-")
    hh, mm = printed.split()[1].split(":")
    stamp = f"D:{year}{month}{day}{hh}{mm}00+00'00'".encode()
    return re.sub(rb"D:\d{14}[+\-Z]\d\d'\d\d'", stamp, data)


def _skia_version(data: bytes, user_agent: str) -> bytes:
    """The Producer names the Skia milestone of the Chrome in the user agent ("Skia/PDF m102"), as a PDF saved
    by that Chrome would (same byte length)."""
    m = re.search(r"Chrome/(\d+)\.", user_agent or "")
    if not m or len(m.group(1)) != 3:
        return data
    return re.sub(rb"/Producer \(Skia/PDF m\d{3}\)", b"/Producer (Skia/PDF m" + m.group(1).encode() + b")", data)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    if "web" not in spec:
        raise ValueError("chromeprint: the spec needs a 'web' section")
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="chp_render_") as tmp:
        html_path = Path(tmp) / "pagina.html"
        html_path.write_text(_page(spec), encoding="utf-8")
        data = _freeze(_print(html_path, spec), spec["web"]["printed"])
        data = _skia_version(data, spec["web"].get("user_agent", ""))
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    out_pdf.write_bytes(data)
