#!/usr/bin/env python3
"""Render the layout corpus: specs/<doc>.yaml → pdf/<doc>.pdf + gold/<doc>.jsonl + gold/<doc>.meta.json.

Usage: python corpus/layouts/make.py DOC ... | --all   [--gold-only]
  --all        every spec (re-renders every producer's documents)
  --gold-only  keep the PDFs, only derive the gold files again from the specs
Each spec names its producer; produce_<producer>.py has `render(spec, out_pdf: Path) -> None`. The known
producers are listed in spec.PRODUCERS.
The gold pages are found in the PDF's page text; a producer in CLEAN_TEXT_PRODUCERS makes PDFs whose text is
unreadable on purpose (fonts without /ToUnicode, or every glyph converted to outlines) and gives the page texts of
its clean render instead, or (dvipsbitmap) the page text with the codes pdfium takes literally mapped to what is
printed (`gold_page_texts(spec, out_pdf) -> list[str]`).
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import spec as spec_module  # noqa: E402
from clean_text import page_texts  # noqa: E402

CLEAN_TEXT_PRODUCERS = ("printdriver", "outlinedall", "dvipsbitmap")


def build(spec_path: Path, gold_only: bool = False) -> Path:
    spec = spec_module.load(spec_path)
    out = HERE / "pdf" / f"{spec['id']}.pdf"
    out.parent.mkdir(exist_ok=True)
    if not gold_only:
        producer = importlib.import_module(f"produce_{spec['producer']}")
        producer.render(spec, out)
    if spec["producer"] in CLEAN_TEXT_PRODUCERS:
        texts = importlib.import_module(f"produce_{spec['producer']}").gold_page_texts(spec, out)
    else:
        texts = page_texts(out)
    spec_module.write_gold(spec, texts)
    return out


def main(argv: list[str]) -> int:
    gold_only = "--gold-only" in argv
    names = [a for a in argv if not a.startswith("--")]
    if "--all" in argv:
        names = sorted(p.stem for p in (HERE / "specs").glob("*.yaml"))
    if not names:
        print(__doc__)
        return 2
    for name in names:
        print(build(HERE / "specs" / f"{name}.yaml", gold_only))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
