"""Render a layout-corpus spec as ONE PDF assembled from parts made by different programs, with pages of
different sizes — what a small rekenkamercommissie actually puts online.

A rekenkamerbrief typed in Word (A4 portrait), a bijlage printed from a spreadsheet (A4 landscape), the college's
signed reaction as a photo taken with a phone (a page of the photo's own size, no text layer), and a nawoord typed
later in another template (US Letter) are joined into one file by the secretary ("PDF's combineren"). Every part is
made by an existing producer, whose `render` is called; only the phone photo and the joining are done here.

The spec's `mixedsizes.parts` lists the parts in order; a block with `part: <name>` starts that part (blocks before
the first such block belong to the first part). Each part is rendered from a sub-spec: the spec's own keys, the part's
`spec` keys on top (`letter`, `workbook`, `house`, …), `producer` the part's producer and `blocks` the part's blocks.
  producer: wordletter | calc | …   `produce_<producer>.render(sub_spec, pdf)`, unchanged;
  producer: libreoffice + paper: letter
                                    produce_libreoffice's `render` with a Builder subclass whose sections are US
                                    Letter (8.5 × 11 in, 1 in margins) — the template of an English-language Word;
  producer: photo + base: wordletter
                                    the part's one `reaction_letter` block is typed as a letter by wordletter (letterhead,
                                    address, reference block, paragraphs, "Met vriendelijke groet," and the signature
                                    table; `photo.letter` may set font, size, colour and footer) and must fit on one page;
                                    that page is rasterised and turned into a phone photo (below) and placed as a page
                                    of its own size (`photo.size` px at `photo.dpi`): a JPEG (DCT) image XObject and
                                    nothing else — no text layer.

The phone photo (`photo` keys: seed, size, dpi, quality, corners, folds, fold_shift, signatures):
  1. the letter page is rendered at about twice the resolution it will have in the photo; each name in
     `signatures` (found with pypdfium2 in the letter's text) gets a handwritten signature above it in blue-black
     ink (scan._scribble's pen strokes, drawn into a mask); the sheet gets a faint paper tone and the shading of
     the folds of a letter folded in `folds` (light on one side of the crease, dark on the other);
  2. the sheet is warped by a perspective transform onto the quadrilateral `corners` (fractions of the photo:
     top-left, top-right, bottom-right, bottom-left — a trapezoid, slightly turned), panel by panel between the
     creases, whose ends `fold_shift` moves sideways ([left, right] per crease, fractions of the photo's width: an
     unfolded letter does not lie flat, the text lines kink at the creases), supersampled twice, over a
     desk: an oak-like wood grain from smoothed noise; the sheet casts a soft shadow on the desk;
  3. light: brighter at the top left, falling off to the bottom right, a soft lamp highlight, the dark shadow of
     the phone and hand over the lower left corner, lens vignetting and a warm colour cast; then a little blur,
     sensor noise, the phone's sharpening (unsharp mask) and JPEG compression (`quality`, 4:2:0).
  All randomness comes from numpy's `default_rng(seed)` and `random.Random(seed)`: the bytes repeat.

The joined PDF (pikepdf): the parts' pages in order, no outline, no XMP; an info dictionary with Title and Author
(`pdf_info: true`) and `mixedsizes.info` (e.g. Creator), Producer pikepdf's; /ID from the content
(`deterministic_id`). The parts' own page numbers stay as they were printed.
"""
from __future__ import annotations

import importlib
import io
import math
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
import pypdfium2 as pdfium
from docx.shared import Inches
from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import produce_libreoffice as lo  # noqa: E402
import scan  # noqa: E402

PHOTO_DEFAULTS: dict[str, Any] = {
    "seed": 1, "size": [1800, 2400], "dpi": 200, "quality": 72, "folds": 3, "signatures": [],
    "corners": [[0.14, 0.08], [0.87, 0.06], [0.94, 0.95], [0.06, 0.97]], "fold_shift": [],
}


# ------------------------------------------------------------------------------------------------ parts
class LetterPaperBuilder(lo.Builder):
    """produce_libreoffice's Builder with US Letter sections (8.5 × 11 in, 1 in margins)."""

    def _setup_page(self, section, first: bool = False) -> None:
        super()._setup_page(section, first)
        section.page_width, section.page_height = Inches(8.5), Inches(11)
        section.left_margin = section.right_margin = Inches(1)
        section.top_margin = section.bottom_margin = Inches(1)


def split_parts(spec: dict[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    parts = spec["mixedsizes"]["parts"]
    names = [p["name"] for p in parts]
    groups: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    order: list[str] = [names[0]]
    current = names[0]
    for block in spec["blocks"]:
        if block.get("part"):
            current = block["part"]
            if current not in groups:
                raise ValueError(f"{spec['id']}: block names unknown part {current!r}")
            if current in order:
                raise ValueError(f"{spec['id']}: part {current!r} starts twice")
            order.append(current)
        groups[current].append(block)
    if order != names:
        raise ValueError(f"{spec['id']}: parts in the blocks {order} differ from mixedsizes.parts {names}")
    return [(p, groups[p["name"]]) for p in parts]


def sub_spec(spec: dict[str, Any], part: dict[str, Any], blocks: list[dict[str, Any]], producer: str) -> dict[str, Any]:
    sub = {k: v for k, v in spec.items() if k not in ("blocks", "mixedsizes", "producer", "hazards")}
    sub.update(part.get("spec") or {})
    sub["id"] = f"{spec['id']}_{part['name']}"
    sub["producer"] = producer
    sub["blocks"] = blocks
    return sub


def letter_spec(spec: dict[str, Any], part: dict[str, Any], blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """The reaction_letter block as a wordletter spec of its own: the gemeente's letter."""
    letters = [b for b in blocks if b["kind"] == "reaction_letter"]
    if len(letters) != 1 or len(blocks) != 1:
        raise ValueError(f"{spec['id']}: a photo part holds exactly one reaction_letter block")
    block = letters[0]
    look = (part.get("photo") or {}).get("letter") or {}
    cfg = {
        "font": look.get("font", "Arial"), "size": look.get("size", 10), "color": look.get("color", "333333"),
        "letterhead": block["letterhead"], "letterhead_lines": block.get("letterhead_lines", []),
        "address": block.get("address", []), "reference": block.get("reference", []),
        "continuation": block.get("continuation") or [block["letterhead"]],
        "footer": look.get("footer", ""), "signature": block.get("signature", []),
    }
    paragraphs = list(block["paragraphs"])
    body = [{"kind": "para", "text": t} for t in paragraphs[:-1]]
    body.append({"kind": "para", "text": paragraphs[-1], "closing": True})
    sub = {k: v for k, v in spec.items() if k not in ("blocks", "mixedsizes", "producer", "hazards")}
    sub.update({"id": f"{spec['id']}_{part['name']}", "producer": part.get("base", "wordletter"), "letter": cfg,
                "pdf_info": False, "blocks": body})
    return sub


# ------------------------------------------------------------------------------------------------ the photo
def _perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """Pillow's PERSPECTIVE coefficients mapping output points `dst` to input points `src`."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(rows, float), np.array(rhs, float))]


def _smooth_noise(rng: np.random.Generator, size: tuple[int, int], cell: int) -> np.ndarray:
    w, h = size
    small = rng.random((h // cell + 3, w // cell + 3)).astype(np.float32)
    img = Image.fromarray(small, mode="F").resize((w + 3 * cell, h + 3 * cell), Image.BICUBIC)
    return np.asarray(img, dtype=np.float32)[cell:cell + h, cell:cell + w]


def _desk(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """An oak-like desk top: long grain lines with a slow wander, a few darker streaks, fine pores."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    wander = _smooth_noise(rng, size, 260) * 90 + _smooth_noise(rng, size, 60) * 14
    phase = (yy * 0.985 + xx * 0.17 + wander) * 0.055
    grain = 0.5 + 0.5 * np.sin(phase) * np.sin(phase * 0.37 + 1.3)
    streak = _smooth_noise(rng, (max(w // 40, 8), h), 2)
    streak = np.asarray(Image.fromarray(streak, mode="F").resize((w, h), Image.BILINEAR), dtype=np.float32)
    pores = _smooth_noise(rng, size, 3)
    v = 0.55 + 0.22 * (grain - 0.5) + 0.16 * (streak - 0.5) + 0.10 * (pores - 0.5)
    dark = np.array([96, 66, 42], np.float32)
    light = np.array([182, 140, 98], np.float32)
    return dark + (light - dark) * np.clip(v, 0, 1)[..., None]


def _cursive(draw: ImageDraw.ImageDraw, x: int, y: int, rng: random.Random) -> None:
    """Another hand (at 200 dpi): a tall looped initial, a run of connected humps of uneven height with one or two
    ascenders, then a long stroke back under the name that ends in a hook."""
    base = y + 70
    start = [(x + 30 + 22 * math.sin(t / 20 * math.pi) - 10 * t / 20, base - 95 * t / 20) for t in range(21)]
    start += [(x + 24 + 30 * math.cos(t / 24 * 2 * math.pi), base - 95 + 26 + 26 * math.sin(t / 24 * 2 * math.pi))
              for t in range(25)]
    draw.line(start, fill=25, width=4, joint="curve")
    points, px = [], x + 40.0
    humps = rng.randint(6, 9)
    for k in range(humps):
        height = rng.choice((18, 22, 26, 30, 70)) if k else 30
        width = rng.uniform(18, 30)
        for t in range(13):
            a = t / 12 * math.pi
            points.append((px + width * t / 12 + 0.3 * height * math.sin(a), base - height * math.sin(a)))
        px += width
    draw.line(points, fill=30, width=3, joint="curve")
    tail = [(px - (px - x - 10) * t / 30, base + 14 + 12 * math.sin(t / 30 * math.pi) + 4 * t / 30)
            for t in range(31)]
    tail += [(x + 10 - 8 * math.sin(t / 8 * math.pi), base + 18 - 14 * t / 8) for t in range(9)]
    draw.line(tail, fill=45, width=3, joint="curve")


def _sign(sheet: Image.Image, spots: list[tuple[float, float]], scale: float, seed: int) -> Image.Image:
    """Handwritten signatures in blue-black ink above the given points (pixels of `sheet`): the first in
    scan._scribble's hand, the next in another (`_cursive`), each turned, stretched and slanted in its own way."""
    unit = 200 / 72  # the pens draw at 200 dpi
    mask = Image.new("L", (int(sheet.width * unit / scale) + 1, int(sheet.height * unit / scale) + 1), 255)
    pen = random.Random(seed)
    for n, (x, y) in enumerate(spots):
        pad = Image.new("L", (760, 300), 255)
        (scan._scribble if n % 2 == 0 else _cursive)(ImageDraw.Draw(pad), 60, 70, pen)
        sx, sy, shear = pen.uniform(0.85, 1.2), pen.uniform(0.8, 1.1), pen.uniform(-0.25, 0.1)
        pad = pad.transform(pad.size, Image.AFFINE, (1 / sx, -shear, 0, 0, 1 / sy, 0), resample=Image.BICUBIC,
                            fillcolor=255)
        pad = pad.rotate(pen.uniform(-7, 5), resample=Image.BICUBIC, fillcolor=255)
        at = (int(x * unit / scale) - 60, int(y * unit / scale) - 175)
        region = mask.crop((at[0], at[1], at[0] + pad.width, at[1] + pad.height))
        mask.paste(Image.fromarray(np.minimum(np.asarray(region), np.asarray(pad))), at)
    mask = mask.resize(sheet.size, Image.BICUBIC).filter(ImageFilter.GaussianBlur(scale / unit * 0.6))
    alpha = (255 - np.asarray(mask, np.float32)) / 255 * 0.92
    ink = np.array([28, 38, 96], np.float32)
    base = np.asarray(sheet, np.float32)
    out = base * (1 - alpha[..., None]) + ink * alpha[..., None]
    return Image.fromarray(out.clip(0, 255).astype(np.uint8), "RGB")


def _paper(sheet: Image.Image, folds: int, rng: np.random.Generator) -> Image.Image:
    """Paper tone and the creases of a letter folded in `folds`."""
    w, h = sheet.size
    a = np.asarray(sheet, np.float32)
    tone = np.array([247, 245, 238], np.float32) / 255
    shade = np.ones((h,), np.float32)
    ys = np.arange(h, dtype=np.float32)
    for k in range(1, max(folds, 1)):
        y0 = h * k / folds
        d = (ys - y0) / (h * 0.004)
        shade += np.where(d < 0, -0.05 * np.exp(-d * d / 2), 0.035 * np.exp(-d * d / 8))
        shade += 0.012 * np.tanh((ys - y0) / (h * 0.05)) * (1 if k % 2 else -1)
    fibres = 1 + 0.012 * (_smooth_noise(rng, (w, h), 7) - 0.5)
    out = a * tone * shade[:, None, None] * fibres[..., None]
    return Image.fromarray(out.clip(0, 255).astype(np.uint8), "RGB")


def phone_photo(letter_pdf: Path, cfg: dict[str, Any]) -> tuple[bytes, int, int]:
    cfg = {**PHOTO_DEFAULTS, **cfg}
    seed = int(cfg["seed"])
    rng = np.random.default_rng(seed)
    W, H = (int(v) for v in cfg["size"])
    SS = 2                                                   # supersampling of the warp
    corners = [(x * W * SS, y * H * SS) for x, y in cfg["corners"]]
    doc = pdfium.PdfDocument(str(letter_pdf))
    try:
        if len(doc) != 1:
            raise ValueError(f"mixedsizes: the photographed letter must fit on one page (it has {len(doc)})")
        page = doc[0]
        pw, ph = page.get_size()
        width_px = max(corners[1][0] - corners[0][0], corners[2][0] - corners[3][0])
        scale = width_px / pw                                 # render at the sheet's size in the supersampled photo
        sheet = page.render(scale=scale).to_pil().convert("RGB")
        spots = []
        text = page.get_textpage()
        for name in cfg["signatures"]:
            searcher = text.search(name, match_case=True)
            hit = searcher.get_next()
            if hit is None:
                raise ValueError(f"mixedsizes: signature name {name!r} not in the letter")
            left, _bottom, _right, top = text.get_charbox(hit[0])
            spots.append((left * scale, (ph - top) * scale))
    finally:
        doc.close()
    sheet = _sign(sheet, spots, scale, seed)
    sheet = _paper(sheet, int(cfg["folds"]), rng)
    sw, sh = sheet.size
    big = (W * SS, H * SS)
    folds = max(int(cfg["folds"]), 1)
    shifts = list(cfg.get("fold_shift") or []) + [[0, 0]] * folds
    (tlx, tly), (trx, try_), (brx, bry), (blx, bly) = corners

    def fold_points(k: int) -> tuple[tuple[float, float], tuple[float, float]]:
        """The ends of crease k (0 = top edge, folds = bottom edge), each moved sideways by its fold_shift: the
        panels of a letter that was folded do not lie quite flat, so the sheet kinks at every crease."""
        t = k / folds
        dl, dr = (0, 0) if k in (0, folds) else shifts[k - 1]
        return ((tlx + (blx - tlx) * t + dl * W * SS, tly + (bly - tly) * t),
                (trx + (brx - trx) * t + dr * W * SS, try_ + (bry - try_) * t))

    paper = np.zeros((H, W, 3), np.float32)
    cover = np.zeros((H, W), np.float32)
    for k in range(folds):
        (l0, r0), (l1, r1) = fold_points(k), fold_points(k + 1)
        top, bottom = sh * k / folds, sh * (k + 1) / folds
        coeffs = _perspective_coeffs([l0, r0, r1, l1], [(0, top), (sw, top), (sw, bottom), (0, bottom)])
        warped = sheet.transform(big, Image.PERSPECTIVE, coeffs, resample=Image.BICUBIC, fillcolor=(0, 0, 0))
        panel = Image.new("L", sheet.size, 0)
        ImageDraw.Draw(panel).rectangle((0, round(top), sw, round(bottom) - 1), fill=255)
        panel = panel.transform(big, Image.PERSPECTIVE, coeffs, resample=Image.BILINEAR, fillcolor=0)
        m = np.asarray(panel.resize((W, H), Image.LANCZOS), np.float32) / 255
        paper += np.asarray(warped.resize((W, H), Image.LANCZOS), np.float32) * m[..., None]
        cover += m
    alpha = np.clip(cover, 0, 1)[..., None]
    paper = paper / np.maximum(cover, 1e-6)[..., None]
    mask = Image.fromarray((alpha[..., 0] * 255).astype(np.uint8), "L")
    desk = _desk(rng, (W, H))
    shadow = np.asarray(mask.filter(ImageFilter.GaussianBlur(W * 0.008)), np.float32) / 255
    shadow = np.roll(np.roll(shadow, int(W * 0.006), axis=1), int(H * 0.008), axis=0)
    desk = desk * (1 - 0.55 * shadow[..., None])
    img = paper * alpha + desk * (1 - alpha)
    # light: from the top left, a lamp highlight, the phone's and hand's shadow at the lower left, vignetting
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    u, v = xx / W, yy / H
    light = 1.10 - 0.20 * v - 0.12 * u
    light += 0.07 * np.exp(-(((u - 0.72) / 0.22) ** 2 + ((v - 0.18) / 0.16) ** 2))
    edge = np.hypot((u + 0.05) / 0.42, (v - 1.08) / 0.30) - 1 + 0.05 * (_smooth_noise(rng, (W, H), 90) - 0.5)
    hand = 1 / (1 + np.exp(edge / 0.07))                  # the phone's and hand's shadow over the lower left
    light *= 1 - 0.5 * hand
    light *= 1 - 0.22 * ((u - 0.5) ** 2 + (v - 0.5) ** 2) * 2
    cast = np.array([1.0, 0.955, 0.86], np.float32)
    img = img * light[..., None] * cast
    photo = Image.fromarray(img.clip(0, 255).astype(np.uint8), "RGB").filter(ImageFilter.GaussianBlur(0.55))
    noisy = np.asarray(photo, np.float32)
    noisy += rng.normal(0, 2.2, (H, W, 1)).astype(np.float32) + rng.normal(0, 1.4, (H, W, 3)).astype(np.float32)
    photo = Image.fromarray(noisy.clip(0, 255).astype(np.uint8), "RGB")
    photo = photo.filter(ImageFilter.UnsharpMask(radius=1.8, percent=70, threshold=2))
    buffer = io.BytesIO()
    dpi = int(cfg["dpi"])
    photo.save(buffer, format="JPEG", quality=int(cfg["quality"]), subsampling=2, dpi=(dpi, dpi))
    return buffer.getvalue(), W, H


def _photo_page(pdf: pikepdf.Pdf, jpeg: bytes, w: int, h: int, dpi: int) -> pikepdf.Page:
    image = pikepdf.Stream(pdf, jpeg)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height = w, h
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
    image.Filter = pikepdf.Name.DCTDecode
    pw, ph = round(w * 72 / dpi, 2), round(h * 72 / dpi, 2)
    content = pikepdf.Stream(pdf, f"q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q".encode())
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, pw, ph],
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
                              Contents=content)
    return pikepdf.Page(page)


# ------------------------------------------------------------------------------------------------ render
def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mixedsizes_") as tmp:
        tmp_dir = Path(tmp)
        pieces: list[tuple[str, Any]] = []
        for n, (part, blocks) in enumerate(split_parts(spec), start=1):
            producer = part["producer"]
            target = tmp_dir / f"{n:02d}_{part['name']}.pdf"
            if producer == "photo":
                letter = letter_spec(spec, part, blocks)
                importlib.import_module(f"produce_{letter['producer']}").render(letter, target)
                cfg = {**PHOTO_DEFAULTS, **(part.get("photo") or {})}
                jpeg, w, h = phone_photo(target, cfg)
                pieces.append(("photo", (jpeg, w, h, int(cfg["dpi"]))))
                continue
            sub = sub_spec(spec, part, blocks, producer)
            if producer == "libreoffice" and part.get("paper") == "letter":
                lo.render(sub, target, builder=LetterPaperBuilder)
            else:
                importlib.import_module(f"produce_{producer}").render(sub, target)
            pieces.append(("pdf", target))
        out = pikepdf.new()
        sources = []
        try:
            for kind, what in pieces:
                if kind == "pdf":
                    src = pikepdf.open(what)
                    sources.append(src)
                    out.pages.extend(src.pages)
                else:
                    jpeg, w, h, dpi = what
                    out.pages.append(_photo_page(out, jpeg, w, h, dpi))
            info = pikepdf.Dictionary()
            if spec.get("pdf_info"):
                info.Title = pikepdf.String(spec["meta"]["title"])
                info.Author = pikepdf.String(spec["meta"].get("rekenkamer", ""))
            for key, value in ((spec.get("mixedsizes") or {}).get("info") or {}).items():
                info[f"/{key}"] = pikepdf.String(str(value))
            out.trailer.Info = out.make_indirect(info)
            out.save(out_pdf, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        finally:
            for src in sources:
                src.close()
