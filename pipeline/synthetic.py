"""Guideline-derived training items (annotations/synthetic/): loading and the checks they must pass.

Synthetic items are written from GUIDELINES.md and the taxonomy, never from gold items, and are
only ever training data. Two checks keep them honest: every line says it is synthetic and who
wrote it from which angle, and no item may share most of its words with a real gold item (then
it would be a paraphrase, and a test fold could be learned by heart).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .annotations import read_jsonl
from .errors import AnnotationError
from .taxonomy import CATEGORIES, DOELEN

#: A synthetic item whose words overlap a real item's this much or more is rejected.
MAX_GOLD_OVERLAP = 0.6
TYPES = ("aanbeveling", "conclusie", "bevinding")

_WORD = re.compile(r"[a-zà-ÿ0-9]+")
# Function words carry no content; leaving them out makes the overlap measure what was said.
_STOP = frozenset(
    "de het een en van in op te voor met is zijn dat die dit aan door bij om over naar als er niet "
    "ook of wordt worden werd kan kunnen moet moeten heeft hebben had nog meer dan zo wel tot uit "
    "hun haar hij zij wij we ze zich deze onder na al geen veel".split()
)


@dataclass(frozen=True)
class SyntheticItem:
    id: str
    type: str
    text: str
    doelen: tuple[str, ...]
    algemeen: bool
    categorie: str
    writer: str
    angle: str


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1)


def word_overlap(a: str, b: str) -> float:
    """Shared content words as a share of the shorter text's: strict, so a reworded copy is caught."""
    wa, wb = content_words(a), content_words(b)
    shorter = min(len(wa), len(wb))
    return len(wa & wb) / shorter if shorter else 0.0


def parse_synthetic(obj: dict[str, Any], path: Path, line: int) -> SyntheticItem:
    """One line of annotations/synthetic/*.jsonl, checked; a bad line names its file and line."""
    if obj.get("synthetic") is not True:
        raise AnnotationError(str(path), line, "een synthetisch item moet \"synthetic\": true hebben")
    for field in ("id", "text", "writer", "angle"):
        if not isinstance(obj.get(field), str) or not obj[field].strip():
            raise AnnotationError(str(path), line, f"'{field}' ontbreekt of is leeg")
    if obj.get("type") not in TYPES:
        raise AnnotationError(str(path), line, f"'type' moet een van {', '.join(TYPES)} zijn, niet {obj.get('type')!r}")
    doelen = obj.get("doelen")
    if not isinstance(doelen, list) or any(d not in DOELEN for d in doelen):
        raise AnnotationError(str(path), line, f"'doelen' moet een lijst zijn van {', '.join(DOELEN)}, niet {doelen!r}")
    if not isinstance(obj.get("algemeen"), bool):
        raise AnnotationError(str(path), line, f"'algemeen' moet true of false zijn, niet {obj.get('algemeen')!r}")
    if obj.get("categorie") not in CATEGORIES:
        raise AnnotationError(str(path), line, f"onbekende categorie {obj.get('categorie')!r}")
    return SyntheticItem(
        id=obj["id"], type=obj["type"], text=obj["text"].strip(), doelen=tuple(sorted(doelen)),
        algemeen=obj["algemeen"], categorie=obj["categorie"], writer=obj["writer"], angle=obj["angle"],
    )


def load_synthetic(annotations_dir: Path) -> list[SyntheticItem]:
    """Every synthetic item, in file order; ids must be unique across files."""
    items: list[SyntheticItem] = []
    seen: set[str] = set()
    for path in sorted((annotations_dir / "synthetic").glob("*.jsonl")):
        if path.name.startswith("blind_"):
            continue  # a second writer's blind labels of a sample, not training items
        for line, obj in read_jsonl(path):
            item = parse_synthetic(obj, path, line)
            if item.id in seen:
                raise AnnotationError(str(path), line, f"id '{item.id}' komt twee keer voor")
            seen.add(item.id)
            items.append(item)
    return items


def too_close_to_gold(items: Sequence[SyntheticItem], gold_texts: Iterable[str]) -> list[tuple[SyntheticItem, str, float]]:
    """The synthetic items that overlap a real item by MAX_GOLD_OVERLAP or more, with that item."""
    gold = [(text, content_words(text)) for text in gold_texts]
    close = []
    for item in items:
        words = content_words(item.text)
        for text, gold_words in gold:
            shorter = min(len(words), len(gold_words))
            if shorter and len(words & gold_words) / shorter >= MAX_GOLD_OVERLAP:
                close.append((item, text, len(words & gold_words) / shorter))
                break
    return close
