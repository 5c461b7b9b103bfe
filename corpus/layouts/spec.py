"""A layout-corpus document spec: load and check it, derive its gold items and metadata.

The gold comes from the spec alone, so it never echoes what the pipeline extracts.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PRODUCERS = ("reportlab", "libreoffice", "chromium", "typst", "weasyprint", "latex", "fpdf2", "groff", "wkhtmltopdf",
             "abiword", "mupdf", "lowriterweb", "xhtml2pdf", "distilled", "fop", "pandoc", "context", "ocrscan",
             "scribus", "chromeprint", "wordletter", "impress", "outlined", "spreads", "cairo", "calc",
             "wordboxes", "wordtemplate", "wordcolumns", "asciidoctor", "designexport", "printdriver", "rinoh", "wordconcept", "mixedsizes",
             "outlinedall", "dvipsbitmap")
ITEM_STYLES = ("numbered", "number_own_line", "bold_lead", "label", "table", "boxes")
BLOCK_KINDS = (
    "cover", "colofon", "toc", "heading", "para", "quote", "items", "repeat", "norm", "findings",
    "reaction_letter", "reaction_table", "columns", "page_break", "kader", "table",
)
STANCES = ("overgenomen", "deels", "niet overgenomen", "onbekend")
ITEM_TYPES = ("conclusie", "bevinding", "aanbeveling")


class SpecError(ValueError):
    pass


def load(path: Path) -> dict[str, Any]:
    """Read one spec and check the parts the renderers and the gold rely on."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = path.name
    for key in ("id", "producer", "meta", "blocks"):
        if key not in spec:
            raise SpecError(f"{where}: missing '{key}'")
    if spec["producer"] not in PRODUCERS:
        raise SpecError(f"{where}: unknown producer {spec['producer']!r}")
    ids: set[str] = set()
    for n, block in enumerate(spec["blocks"], start=1):
        kind = block.get("kind")
        if kind not in BLOCK_KINDS:
            raise SpecError(f"{where}: block {n}: unknown kind {kind!r}")
        if kind in ("items", "repeat") and block.get("style") not in ITEM_STYLES:
            raise SpecError(f"{where}: block {n}: unknown style {block.get('style')!r}")
        if kind == "items" and block.get("type") not in ITEM_TYPES:
            raise SpecError(f"{where}: block {n}: unknown item type {block.get('type')!r}")
        for item in _block_items(block):
            if item["id"] in ids:
                raise SpecError(f"{where}: duplicate item id {item['id']}")
            ids.add(item["id"])
            if item.get("stance") not in (None, *STANCES):
                raise SpecError(f"{where}: {item['id']}: unknown stance {item.get('stance')!r}")
    for n, block in enumerate(spec["blocks"], start=1):
        refs = block.get("refs", []) + [row["ref"] for row in block.get("rows", []) if row.get("ref")]
        for ref in refs:
            if ref not in ids:
                raise SpecError(f"{where}: block {n}: reference to unknown item {ref}")
    return spec


def _block_items(block: dict[str, Any]) -> list[dict[str, Any]]:
    if block["kind"] in ("items", "findings"):
        return list(block.get("items", []))
    if block["kind"] == "norm":
        return [{"id": block["id"]}]
    if block["kind"] == "para" and block.get("finding"):
        return [{"id": block["finding"]}]
    return []


def items_by_id(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for block in spec["blocks"]:
        if block["kind"] == "items":
            for item in block["items"]:
                out[item["id"]] = {**item, "type": block["type"]}
    return out


def item_text(item: dict[str, Any]) -> str:
    return " ".join(part for part in (item.get("lead", ""), item.get("text", "")) if part).strip()


def gold_items(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The items a reader would list, in reading order, without pages (see `locate_pages`)."""
    out: list[dict[str, Any]] = []
    for block in spec["blocks"]:
        if block["kind"] == "items":
            for item in block["items"]:
                record = {
                    "id": f"{spec['id']}:{item['id']}",
                    "report_id": spec["id"],
                    "type": block["type"],
                    "number": str(item.get("number", "")),
                    "lead": item.get("lead", ""),
                    "text": item_text(item),
                    "addressee": item.get("addressee"),
                    "stance": item.get("stance", "onbekend") if block["type"] == "aanbeveling" else None,
                    "evidence": item.get("evidence", "") if block["type"] == "aanbeveling" else "",
                }
                out.append(record)
        elif block["kind"] == "findings":
            for item in block["items"]:
                out.append({"id": f"{spec['id']}:{item['id']}", "report_id": spec["id"], "type": "bevinding",
                            "number": "", "lead": "", "text": item["text"], "addressee": None, "stance": None,
                            "evidence": "", "norm": block.get("norm", "")})
        elif block["kind"] == "para" and block.get("finding"):
            # A findings paragraph set as running text (see README: the bevinding convention).
            out.append({"id": f"{spec['id']}:{block['finding']}", "report_id": spec["id"], "type": "bevinding",
                        "number": "", "lead": "", "text": block["text"], "addressee": None, "stance": None,
                        "evidence": "", "norm": ""})
        elif block["kind"] == "norm":
            text = " ".join([*block.get("findings", []), block.get("verdict", "")]).strip()
            out.append({"id": f"{spec['id']}:{block['id']}", "report_id": spec["id"], "type": "bevinding",
                        "number": str(block.get("number", "")), "lead": "", "text": text, "addressee": None,
                        "stance": None, "evidence": "", "norm": block.get("text", "")})
    for record in out:
        record["producer"] = spec["producer"]
    return out


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _earlier_repeats(spec: dict[str, Any], full_only: bool) -> dict[str, int]:
    """How often each item is printed before its own block (a Samenvatting repeat, in full or by
    its lead only)."""
    seen: dict[str, int] = {}
    placed: set[str] = set()
    for block in spec["blocks"]:
        if block["kind"] == "repeat" and not (full_only and block.get("short")):
            for ref in block["refs"]:
                if ref not in placed:
                    seen[ref] = seen.get(ref, 0) + 1
        for item in _block_items(block):
            placed.add(item["id"])
    return {f"{spec['id']}:{k}": v for k, v in seen.items()}


def locate_pages(records: list[dict[str, Any]], page_texts: list[str], skip_full: dict[str, int] | None = None,
                 skip_head: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Set page_start/page_end from where each item's text stands in the PDF.

    An item printed earlier (a Samenvatting repeat) is located at its chapter occurrence, the one
    the gold names: whole-text matches skip the earlier full repeats, and when the text is
    interrupted (page break, footnote), head matches skip every earlier repeat.
    """
    skip_full = skip_full or {}
    skip_head = skip_head or {}
    squashed = [_squash(t) for t in page_texts]
    joined = "".join(squashed)
    starts = []
    offset = 0
    for s in squashed:
        starts.append(offset)
        offset += len(s)

    def page_of(position: int) -> int:
        return max(number for number, start in enumerate(starts, start=1) if position >= start)

    located = []
    for record in records:
        full = _squash(record["text"])
        positions = [m.start() for m in re.finditer(re.escape(full), joined)] if full else []
        if positions and len(positions) > skip_full.get(record["id"], 0):
            begin = positions[skip_full.get(record["id"], 0)]
            end = begin + len(full) - 1
        else:  # text interrupted (a running header, a footnote marker, a table cell break)
            head, tail = full[:40], full[-40:]
            heads = [m.start() for m in re.finditer(re.escape(head), joined)]
            if not heads:
                raise SpecError(f"{record['id']}: text not found in the rendered PDF: {record['text'][:60]!r}")
            begin = heads[min(skip_head.get(record["id"], 0), len(heads) - 1)]
            end_at = joined.find(tail, begin)
            if end_at < 0:  # the break falls inside the last 40 characters (a widow line): shorter tails
                for size in (30, 20, 12):
                    tail = full[-size:]
                    found = joined.find(tail, begin)
                    if found >= 0 and found + size - begin <= len(full) + 1500:
                        end_at = found
                        break
            end = begin + len(head) - 1 if end_at < 0 else end_at + len(tail) - 1
        located.append({**record, "page_start": page_of(begin), "page_end": page_of(end)})
    return located


def write_gold(spec: dict[str, Any], page_texts: list[str]) -> None:
    records = locate_pages(gold_items(spec), page_texts, _earlier_repeats(spec, True), _earlier_repeats(spec, False))
    gold_dir = HERE / "gold"
    gold_dir.mkdir(exist_ok=True)
    with (gold_dir / f"{spec['id']}.jsonl").open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    meta = {**spec["meta"], "producer": spec["producer"], "hazards": spec.get("hazards", [])}
    (gold_dir / f"{spec['id']}.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                                     encoding="utf-8")
