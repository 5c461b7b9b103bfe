"""Labels by people: corrections kept append-only in annotations/human_labels.jsonl, and the
gold labels of stored items in annotations/labels/.

The same mechanism serves `metadossier review`, `metadossier label` and the explorer's
Correctie page: each correction is appended (with who and when), written to the store as a
`human` label that overrides the model everywhere, and used by the next `train`. Gold labels
of the bundled reports' items are stored as `gold` labels, also over the model's: ingest and
reclassify apply both (`AnnotatedLabels`), so a fresh store shows what annotators decided.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
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
        raise MetadossierError(f"onbekend doel {', '.join(unknown)} — gebruik {', '.join(DOELEN)}")
    if categorie not in CATEGORIES:
        raise MetadossierError(f"onbekende categorie '{categorie}' — kies uit: {', '.join(CATEGORIES)}")
    if not doelen and not algemeen:
        raise MetadossierError("geef minstens één doel, of markeer het item als algemeen (--algemeen)")
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
        raise MetadossierError(f"geen item '{item_id}' in {store.path} — kijk met `metadossier review` of `metadossier items` welke er zijn")
    if not who.strip():
        raise MetadossierError("zeg wie labelt (--who NAAM)")
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


@dataclass(frozen=True)
class AnnotatedLabels:
    """What annotators decided about stored items, by item id, with the text they labelled.

    Gold labels come from the per-report files in annotations/labels/ (not the NJi or web
    items, which are not stored items); human labels from human_labels.jsonl, the latest per
    item. A label applies only while the stored item's text is still the labelled text: a
    changed segmenter renumbers items, and a label must not move to another passage.
    """

    gold: dict[str, tuple[str, Label]]
    human: dict[str, tuple[str, Label]]

    @classmethod
    def load(cls, annotations_dir: Path) -> AnnotatedLabels:
        """Read and check every label file; a malformed line stops here, before anything is stored."""
        from .annotations import read_jsonl
        from .classify import load_examples

        gold = {
            ex.id: (ex.text, Label(item_id=ex.id, doelen=ex.doelen, algemeen=ex.algemeen, categorie=ex.categorie,
                                   model_version=f"gold:{ex.source}", source="gold"))
            for ex in load_examples(annotations_dir) if ex.source not in ("nji", "extra", "human")
        }
        human: dict[str, tuple[str, Label]] = {}
        path = annotations_dir / HUMAN_LABELS_FILE
        if path.exists():
            for line, obj in read_jsonl(path):
                if "item_id" not in obj:
                    raise AnnotationError(str(path), line, "veld 'item_id' ontbreekt")
                try:
                    doelen = validate(obj.get("doelen") or [], bool(obj.get("algemeen")), str(obj.get("categorie")))
                except MetadossierError as exc:
                    raise AnnotationError(str(path), line, str(exc)) from None
                human[obj["item_id"]] = (str(obj.get("text") or ""), Label(
                    item_id=obj["item_id"], doelen=doelen, algemeen=bool(obj["algemeen"]), categorie=obj["categorie"],
                    model_version=f"human:{obj.get('who', '?')}", source="human"))
        return cls(gold=gold, human=human)

    def for_items(self, items: Sequence[tuple[str, str]]) -> list[Label]:
        """The gold and human labels of these (item id, stored text) pairs whose text still matches."""
        from .evaluate import MATCH_THRESHOLD, overlap

        out = []
        for item_id, text in items:
            for table in (self.gold, self.human):
                labelled_text, label = table.get(item_id, ("", None))
                if label is not None and (not labelled_text or overlap(labelled_text, text) >= MATCH_THRESHOLD):
                    out.append(label)
        return out


def sync_annotated_labels(annotations_dir: Path, store: Store) -> int:
    """Store the gold and human labels of the stored items that are not yet in force; returns how many."""
    rows = store.items()
    labels = AnnotatedLabels.load(annotations_dir).for_items([(r["id"], r["text"]) for r in rows])
    fresh = [lb for lb in labels if not _is_current(store, lb)]
    if fresh:
        store.add_labels(fresh)
    return len(fresh)


def _is_current(store: Store, label: Label) -> bool:
    return any(
        row["current"] and row["source"] == label.source and tuple(json.loads(row["doelen"])) == label.doelen
        and bool(row["algemeen"]) == label.algemeen and row["categorie"] == label.categorie
        for row in store.label_history(label.item_id)
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
