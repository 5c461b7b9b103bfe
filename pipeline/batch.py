"""Batch labelling: classify any JSONL of texts, and relabel everything in the store.

Both use the current model in models/; neither needs the texts to be stored items.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from .classify import TrainedModel, load_trained
from .errors import MetadossierError
from .human_labels import sync_annotated_labels
from .settings import Settings
from .store import Store

BATCH_SIZE = 256


def require_model(settings: Settings) -> TrainedModel:
    model = load_trained(settings)
    if model is None:
        raise MetadossierError(f"no trained model in {settings.models_dir} — run `metadossier train` first")
    return model


def _open_in(path: Path) -> IO[str]:
    return sys.stdin if str(path) == "-" else path.open(encoding="utf-8")


def _read_lines(handle: IO[str], on_error: Callable[[str], None], name: str) -> Iterator[tuple[str, str]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            on_error(f"{name}:{number}: not valid JSON ({exc.msg}) — skipped")
            continue
        if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("text"), str):
            on_error(f"{name}:{number}: needs an object with \"id\" and a string \"text\" — skipped")
            continue
        if not obj["text"].strip():
            on_error(f"{name}:{number}: empty text — skipped")
            continue
        yield str(obj["id"]), obj["text"]


def classify_jsonl(
    settings: Settings, input_path: Path, output_path: Path, on_error: Callable[[str], None]
) -> dict[str, int]:
    """Label every valid line; malformed lines are reported with their number and skipped."""
    model = require_model(settings)
    skipped = 0

    def count_error(message: str) -> None:
        nonlocal skipped
        skipped += 1
        on_error(message)

    classified = 0
    name = "stdin" if str(input_path) == "-" else str(input_path)
    if str(input_path) != "-" and not input_path.exists():
        raise MetadossierError(f"{input_path}: no such file")
    out: IO[str] = sys.stdout if str(output_path) == "-" else output_path.open("w", encoding="utf-8")
    try:
        with _open_in(input_path) as handle:
            batch: list[tuple[str, str]] = []
            for pair in _read_lines(handle, count_error, name):
                batch.append(pair)
                if len(batch) >= BATCH_SIZE:
                    classified += _write_batch(model, batch, out)
                    batch = []
            if batch:
                classified += _write_batch(model, batch, out)
    finally:
        if out is not sys.stdout:
            out.close()
    return {"classified": classified, "skipped": skipped}


def _write_batch(model: TrainedModel, batch: list[tuple[str, str]], out: IO[str]) -> int:
    labels = model.label([i for i, _ in batch], [t for _, t in batch])
    for label in labels:
        out.write(json.dumps({
            "id": label.item_id,
            "doelen": list(label.doelen),
            "algemeen": label.algemeen,
            "scores": label.scores,
            "categorie": label.categorie,
            "categorie_scores": label.categorie_scores,
            "model_version": label.model_version,
        }, ensure_ascii=False) + "\n")
    return len(labels)


def _summary(label: dict[str, Any] | None) -> str:
    if not label:
        return "-"
    doelen = ",".join(label["doelen"]) or "-"
    return f"{doelen}{'+algemeen' if label['algemeen'] else ''}/{label['categorie']}"


def reclassify(settings: Settings, store: Store) -> dict[str, Any]:
    """Relabel all stored items; report counts per label before/after and the items that flipped."""
    model = require_model(settings)
    rows = store.items()
    before = {r["id"]: _model_label(store, r["id"]) for r in rows}
    run_id = store.start_run("reclassify", {"model_version": model.version, "embedder": model.meta["embedder"],
                                            "spacy_pipeline": model.meta["spacy_pipeline"]})
    labels = []
    for start in range(0, len(rows), BATCH_SIZE):
        chunk = rows[start : start + BATCH_SIZE]
        labels.extend(model.label([r["id"] for r in chunk], [r["text"] for r in chunk]))
    store.add_labels(labels, run_id)
    sync_annotated_labels(settings.annotations_dir, store)
    after = {lb.item_id: {"doelen": list(lb.doelen), "algemeen": lb.algemeen, "categorie": lb.categorie}
             for lb in labels}
    per_label = {
        key: [sum(_has(v, key) for v in before.values()), sum(_has(v, key) for v in after.values())]
        for key in ("D1", "D2", "D3", "D4", "D5", "algemeen")
    }
    flipped = [
        {"id": i, "before": _summary(before[i]), "after": _summary(after[i])}
        for i in sorted(after)
        if before[i] is not None and _summary(before[i]) != _summary(after[i])
    ]
    summary = {"items": len(labels), "model_version": model.version, "per_label": per_label, "flipped": flipped,
               "newly_labelled": sum(1 for v in before.values() if v is None)}
    store.finish_run(run_id, "ok", {k: v for k, v in summary.items() if k != "flipped"} | {"flipped": len(flipped)})
    return summary


def _has(label: dict[str, Any] | None, key: str) -> bool:
    if not label:
        return False
    return bool(label["algemeen"]) if key == "algemeen" else key in label["doelen"]


def _model_label(store: Store, item_id: str) -> dict[str, Any] | None:
    rows = [r for r in store.label_history(item_id) if r["source"] == "model" and r["current"]]
    if not rows:
        return None
    row = rows[-1]
    return {"doelen": json.loads(row["doelen"]), "algemeen": bool(row["algemeen"]), "categorie": row["categorie"]}


def label_counts(store: Store) -> Counter[str]:
    counts: Counter[str] = Counter()
    for label in store.current_labels().values():
        counts.update(label["doelen"])
        counts["algemeen"] += int(label["algemeen"])
    return counts
