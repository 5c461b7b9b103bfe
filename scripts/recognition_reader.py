"""Write the blind reader's file for the message headings (annotations/recognition/README.md).

    python scripts/recognition_reader.py

Clusters the NJi gold aanbevelingen as `metadossier evaluate clustering` does (default embedder)
and writes annotations/recognition/headings_reader.md — the NJi section titles and the headings,
shuffled under neutral codes, per scope — and headings_keys.json (code → theme id, and the headings
shown). Give the reader that one .md file only; record its answers in judgement_headings.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import HEADINGS_KEYS, HEADINGS_READER_FILE, evaluate_clustering, recognition_reader_file  # noqa: E402
from pipeline.settings import Settings  # noqa: E402


def main() -> None:
    settings = Settings()
    result = evaluate_clustering(settings, [settings.embedder])
    text, key = recognition_reader_file(result["sections"], result["themes"])
    (settings.annotations_dir / HEADINGS_READER_FILE).write_text(text, encoding="utf-8")
    shown = {tid: result["themes"][tid]["heading"] for tid in sorted(result["themes"])}
    (settings.annotations_dir / HEADINGS_KEYS).write_text(
        json.dumps({"codes": key, "shown": shown}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {HEADINGS_READER_FILE} ({len(key)} headings) and {HEADINGS_KEYS}")


if __name__ == "__main__":
    main()
