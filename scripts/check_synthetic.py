"""Check annotations/synthetic/*.jsonl: valid lines, unique ids, none too close to a real gold item.

Usage: python scripts/check_synthetic.py [ANNOTATIONS_DIR]   (prints counts per cell and every rejection)
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from pipeline.classify import load_examples
from pipeline.synthetic import MAX_GOLD_OVERLAP, load_synthetic, too_close_to_gold


def main() -> int:
    annotations = Path(sys.argv[1] if len(sys.argv) > 1 else "annotations")
    items = load_synthetic(annotations)
    gold = [e.text for e in load_examples(annotations)]
    close = too_close_to_gold(items, gold)
    for item, text, share in close:
        print(f"TOO CLOSE ({share:.2f} ≥ {MAX_GOLD_OVERLAP}) {item.id}: {item.text[:90]!r}\n    gold: {text[:90]!r}")
    print(f"{len(items)} synthetic items, {len(close)} too close to gold")
    print("per writer:", dict(Counter(i.writer for i in items)))
    print("per type:", dict(Counter(i.type for i in items)))
    print("per doel:", dict(Counter(d for i in items for d in (i.doelen or ("geen",)))))
    print("per categorie:", dict(Counter(i.categorie for i in items)))
    return 1 if close else 0


if __name__ == "__main__":
    sys.exit(main())
