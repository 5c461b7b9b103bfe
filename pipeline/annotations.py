"""Reading and validating the hand-made files in annotations/.

Every loader checks each line and raises AnnotationError naming the file and line, so a
typo in a gold file is reported as such instead of silently skewing an evaluation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AnnotationError
from .records import ITEM_TYPES, STANCES


@dataclass(frozen=True)
class GoldItem:
    item_id: str
    report_id: str
    type: str
    lead: str
    text: str
    page_start: int
    page_end: int
    addressee: str | None = None
    stance: str | None = None


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; malformed JSON is an AnnotationError."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise AnnotationError(str(path), None, f"kan niet worden gelezen ({exc.strerror})") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AnnotationError(str(path), number, f"geen geldige JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise AnnotationError(str(path), number, "verwacht een JSON-object")
            yield number, obj


def _require(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path, line: int) -> Any:
    if key not in obj:
        raise AnnotationError(str(path), line, f"veld '{key}' ontbreekt")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise AnnotationError(str(path), line, f"veld '{key}' heeft het verkeerde type ({type(value).__name__})")
    return value


def load_segmentation_gold(path: Path) -> list[GoldItem]:
    """One gold file: the complete list of items of the types it contains, for one report."""
    items: list[GoldItem] = []
    for line, obj in read_jsonl(path):
        item_type = _require(obj, "type", str, path, line)
        if item_type not in ITEM_TYPES:
            raise AnnotationError(str(path), line, f"onbekende soort '{item_type}' (kies uit {', '.join(ITEM_TYPES)})")
        page_start = _require(obj, "page_start", int, path, line)
        page_end = _require(obj, "page_end", int, path, line)
        if page_start < 1 or page_end < page_start:
            raise AnnotationError(str(path), line, f"ongeldige pagina's {page_start}-{page_end}")
        stance = obj.get("stance")
        if stance is not None and stance not in STANCES:
            raise AnnotationError(str(path), line, f"onbekend standpunt '{stance}'")
        items.append(
            GoldItem(
                item_id=_require(obj, "id", str, path, line),
                report_id=_require(obj, "report_id", str, path, line),
                type=item_type,
                lead=str(obj.get("lead") or ""),
                text=_require(obj, "text", str, path, line),
                page_start=page_start,
                page_end=page_end,
                addressee=obj.get("addressee"),
                stance=stance,
            )
        )
    if not items:
        raise AnnotationError(str(path), None, "geen gouditems")
    reports = {it.report_id for it in items}
    if len(reports) != 1:
        raise AnnotationError(str(path), None, f"één rapport per goudbestand, gevonden: {sorted(reports)}")
    return items
