"""Human labels: corrections by a person, kept append-only in annotations/human_labels.jsonl.

The same mechanism serves `metadossier review`, `metadossier label` and the explorer's
Correctie page: each correction is appended (with who and when), written to the store as a
`human` label that overrides the model everywhere, and used by the next `train`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import AnnotationError, MetadossierError
from .records import Label
from .store import Store
from .taxonomy import CATEGORIES, DOELEN

HUMAN_LABELS_FILE = "human_labels.jsonl"


def validate(doelen: Sequence[str], algemeen: bool, categorie: str) -> tuple[str, ...]:
    unknown = [d for d in doelen if d not in DOELEN]
    if unknown:
        raise MetadossierError(f"unknown doel {', '.join(unknown)} — use {', '.join(DOELEN)}")
    if categorie not in CATEGORIES:
        raise MetadossierError(f"unknown categorie '{categorie}' — one of: {', '.join(CATEGORIES)}")
    if not doelen and not algemeen:
        raise MetadossierError("give at least one doel, or mark the item algemeen")
    return tuple(sorted(set(doelen)))


def add_human_label(
    annotations_dir: Path,
    store: Store,
    item_id: str,
    *,
    doelen: Sequence[str],
    algemeen: bool,
    categorie: str,
    who: str,
    note: str = "",
) -> Label:
    """Record a person's label: append to annotations/, then store it as the item's current label."""
    rows = store.items(ids=[item_id])
    if not rows:
        raise MetadossierError(f"no item '{item_id}' in {store.path}")
    if not who.strip():
        raise MetadossierError("say who labels (--who NAME)")
    clean = validate(doelen, algemeen, categorie)
    row = rows[0]
    previous = row.get("label") or {}
    record = {
        "item_id": item_id,
        "text": row["text"],
        "doelen": list(clean),
        "algemeen": algemeen,
        "categorie": categorie,
        "who": who,
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "replaces": {
            "doelen": previous.get("doelen"),
            "algemeen": previous.get("algemeen"),
            "categorie": previous.get("categorie"),
            "model_version": previous.get("model_version"),
        },
    }
    if note:
        record["note"] = note
    path = annotations_dir / HUMAN_LABELS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    label = Label(item_id=item_id, doelen=clean, algemeen=algemeen, categorie=categorie,
                  model_version=f"human:{who}", source="human")
    store.add_labels([label])
    return label


def sync_human_labels(annotations_dir: Path, store: Store) -> int:
    """Apply annotations/human_labels.jsonl to a store (e.g. a fresh one); returns how many applied."""
    from .annotations import read_jsonl

    path = annotations_dir / HUMAN_LABELS_FILE
    if not path.exists():
        return 0
    latest: dict[str, dict[str, Any]] = {}
    for line, obj in read_jsonl(path):
        if "item_id" not in obj:
            raise AnnotationError(str(path), line, "missing field 'item_id'")
        try:
            validate(obj.get("doelen") or [], bool(obj.get("algemeen")), str(obj.get("categorie")))
        except MetadossierError as exc:
            raise AnnotationError(str(path), line, str(exc)) from None
        latest[obj["item_id"]] = obj
    known = {r["id"] for r in store.items(ids=list(latest))}
    labels = [
        Label(item_id=i, doelen=tuple(o["doelen"]), algemeen=bool(o["algemeen"]), categorie=o["categorie"],
              model_version=f"human:{o.get('who', '?')}", source="human")
        for i, o in latest.items() if i in known
    ]
    current = store.current_labels(list(known))
    fresh = [lb for lb in labels if not _same(current.get(lb.item_id), lb)]
    if fresh:
        store.add_labels(fresh)
    return len(fresh)


def _same(row: dict[str, Any] | None, label: Label) -> bool:
    return bool(
        row and row["source"] == "human" and tuple(row["doelen"]) == label.doelen
        and row["algemeen"] == label.algemeen and row["categorie"] == label.categorie
    )


def uncertain_items(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """Model-labelled items ordered by how unsure the model is (closest to the decision boundary)."""
    rows = [r for r in store.items() if r.get("label") and r["label"]["source"] == "model"]

    def margin(row: dict[str, Any]) -> float:
        scores = row["label"]["scores"] or {}
        doel_margin = min((abs(p - 0.5) for p in scores.values()), default=1.0)
        cat = sorted((row["label"]["categorie_scores"] or {}).values(), reverse=True)
        cat_margin = cat[0] - cat[1] if len(cat) > 1 else 1.0
        return min(doel_margin * 2, cat_margin)

    rows.sort(key=lambda r: (margin(r), r["id"]))
    for row in rows:
        row["uncertainty_margin"] = round(margin(row), 4)
    return rows[:limit]
