"""The blind reader's material for the message headings, and its judgement (annotations/recognition/README.md).

    python scripts/recognition_reader.py
    python scripts/recognition_reader.py --record annotations/recognition/answers_headings_v3.jsonl [--judged 2026-12-07]

Without options: clusters the NJi gold aanbevelingen as `metadossier evaluate clustering` does
(default embedder) and writes, in annotations/recognition/,
- headings_reader_v3.md — the NJi section titles and the headings, shuffled under neutral codes, per
  scope, with the two questions: the one file a fresh blind reader gets;
- headings_keys_v3.json — code → theme id, and the headings shown;
- judgement_headings_v3.json — the headings shown and no answers yet (`evaluate clustering` reports it
  as awaiting a reader, and as stale once the headings change).

With --record: translates the reader's answers (its JSON lines, as it wrote them) through the keys into
judgement_headings_v3.json, in the format of judgement_headings.json. The answers must be the reader's
own; this script never writes one.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import (  # noqa: E402
    HEADINGS_JUDGEMENT,
    HEADINGS_KEYS,
    HEADINGS_READER_FILE,
    evaluate_clustering,
    judgement_from_answers,
    recognition_reader_file,
)
from pipeline.settings import Settings  # noqa: E402

READER = "helper session, blind: saw headings_reader_v3.md only"


def prepare(settings: Settings) -> None:
    result = evaluate_clustering(settings, [settings.embedder])
    text, key = recognition_reader_file(result["sections"], result["themes"])
    (settings.annotations_dir / HEADINGS_READER_FILE).write_text(text, encoding="utf-8")
    shown = {tid: result["themes"][tid]["heading"] for tid in sorted(result["themes"])}
    (settings.annotations_dir / HEADINGS_KEYS).write_text(
        json.dumps({"codes": key, "shown": shown}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    pending = {
        "what": "Prepared for a fresh blind reader of the headings below (annotations/recognition/README.md); "
                "no answers yet. Record its answers with `python scripts/recognition_reader.py --record <answers>`.",
        "judged": None, "reader": None, "shown": shown, "answers": [], "natural": {},
    }
    (settings.annotations_dir / HEADINGS_JUDGEMENT).write_text(
        json.dumps(pending, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {HEADINGS_READER_FILE} ({len(key)} headings), {HEADINGS_KEYS} and {HEADINGS_JUDGEMENT} (no answers)")


def record(settings: Settings, answers: Path, judged: str) -> None:
    keys = json.loads((settings.annotations_dir / HEADINGS_KEYS).read_text(encoding="utf-8"))
    result = evaluate_clustering(settings, [settings.embedder])
    current = {tid: result["themes"][tid]["heading"] for tid in sorted(result["themes"])}
    if keys["shown"] != current:
        raise SystemExit(f"{HEADINGS_KEYS} shows other headings than the current ones: the answers are to an "
                         "older file; prepare again and have a fresh reader judge it")
    data = judgement_from_answers(answers.read_text(encoding="utf-8").splitlines(), keys["codes"], keys["shown"],
                                  list(result["sections"]), judged=judged, reader=READER, source=str(answers))
    (settings.annotations_dir / HEADINGS_JUDGEMENT).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    recognised = sum(1 for a in data["answers"] if a["theme_id"])
    print(f"wrote {HEADINGS_JUDGEMENT}: {recognised} of {len(data['answers'])} sections recognised, "
          f"{sum(data['natural'].values())} of {len(data['natural'])} headings read as written by a person")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--record", type=Path, help="the blind reader's answers (JSON lines) to record")
    parser.add_argument("--judged", default=datetime.date.today().isoformat(), help="the date the reader answered")
    args = parser.parse_args()
    settings = Settings()
    if args.record:
        record(settings, args.record, args.judged)
    else:
        prepare(settings)


if __name__ == "__main__":
    main()
