"""Batch labelling: classify any JSONL of texts, and relabel everything in the store.

Both use the current model in models/; neither needs the texts to be stored items.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from .classify import TrainedModel, load_trained
from .errors import MetadossierError
from .human_labels import sync_annotated_labels
from .records import Label
from .settings import Settings
from .store import Store

BATCH_SIZE = 256


class Labeller(Protocol):
    """What classify needs of a model: labels for (ids, texts)."""

    def label(self, ids: Sequence[str], texts: Sequence[str]) -> list[Label]: ...


def require_model(settings: Settings) -> TrainedModel:
    model = load_trained(settings)
    if model is None:
        raise MetadossierError(f"geen getraind model in {settings.models_dir} — draai eerst `metadossier train`")
    return model


def _line_problem(raw: bytes) -> tuple[tuple[str, str] | None, str | None]:
    """One input line: (id, text), or the reason it cannot be classified."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        return None, (f"geen UTF-8 (byte 0x{bad} in kolom {exc.start + 1}) — sla het bestand op als UTF-8"
                      " (vanuit Windows-1252: `iconv -f cp1252 -t utf-8`)")
    if not line.strip():
        return None, None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"geen geldige JSON ({exc.msg.removesuffix(' at')}, kolom {exc.colno})"
    except (ValueError, RecursionError) as exc:
        return None, f"geen geldige JSON ({type(exc).__name__})"
    if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("text"), str):
        return None, 'verwacht een object met "id" en een tekst "text"'
    if isinstance(obj["id"], (dict, list)):
        return None, '"id" moet een tekst of een getal zijn'
    item_id = str(obj["id"])
    text = obj["text"]
    for field, value in (("id", item_id), ("text", text)):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return None, f'"{field}" bevat een ongeldig teken (\\u{ord(value[exc.start]):04x}) — verbeter de escape'
    if not text.strip():
        return None, "lege tekst"
    return (item_id, text), None


def read_lines(handle: IO[bytes], on_error: Callable[[str], None], name: str) -> Iterator[tuple[str, str]]:
    """The (id, text) of every good line; every bad line is reported as `name:number: why — skipped`.

    Reads bytes, so one line in another encoding is one bad line, not a crash of the whole file."""
    for number, raw in enumerate(handle, start=1):
        pair, problem = _line_problem(raw.rstrip(b"\r\n"))
        if problem is not None:
            on_error(f"{name}:{number}: {problem} — overgeslagen")
        elif pair is not None:
            yield pair


def classify_jsonl(
    settings: Settings, input_path: Path, output_path: Path, on_error: Callable[[str], None]
) -> dict[str, int]:
    """Label every valid line; malformed lines are reported with their number and skipped."""
    model = require_model(settings)
    return classify_stream(model, input_path, output_path, on_error)


def classify_stream(
    model: Labeller, input_path: Path, output_path: Path, on_error: Callable[[str], None]
) -> dict[str, int]:
    """classify_jsonl with the model given: `-` is stdin / stdout."""
    skipped = 0

    def count_error(message: str) -> None:
        nonlocal skipped
        skipped += 1
        on_error(message)

    classified = 0
    name = "stdin" if str(input_path) == "-" else str(input_path)
    try:
        handle: IO[bytes] = sys.stdin.buffer if str(input_path) == "-" else input_path.open("rb")
    except FileNotFoundError:
        raise MetadossierError(f"{input_path}: bestand bestaat niet — controleer --input") from None
    except OSError as exc:
        raise MetadossierError(f"{input_path}: kan niet worden gelezen ({exc.strerror or exc}) — controleer --input") from None
    try:
        out: IO[str] = (sys.stdout if str(output_path) == "-"
                        else output_path.open("w", encoding="utf-8", newline="\n"))
    except OSError as exc:
        if handle is not sys.stdin.buffer:
            handle.close()
        raise MetadossierError(
            f"{output_path}: kan niet worden geschreven ({exc.strerror or exc}) — controleer --output en de map"
        ) from None
    try:
        batch: list[tuple[str, str]] = []
        for pair in read_lines(handle, count_error, name):
            batch.append(pair)
            if len(batch) >= BATCH_SIZE:
                classified += _write_batch(model, batch, out)
                batch = []
        if batch:
            classified += _write_batch(model, batch, out)
    finally:
        if out is not sys.stdout:
            out.close()
        if handle is not sys.stdin.buffer:
            handle.close()
    return {"classified": classified, "skipped": skipped}


def _write_batch(model: Labeller, batch: list[tuple[str, str]], out: IO[str]) -> int:
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
        {"id": i, "before": _summary(before[i]), "after": _summary(after[i]),
         "before_label": before[i], "after_label": after[i]}
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
