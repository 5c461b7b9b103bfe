"""Batch classification speed: `metadossier classify` on 1,000 JSONL lines (target: under 30 s).

Usage: python bench/classify.py [--lines 1000]

The lines are distinct sentences from the bundled report texts (corpus/sources/), so nothing
is in the embedding cache: the run starts from an empty cache directory, in a fresh process,
as the CLI would (process start, model load and all). A second run with the cache filled is
shown beside it.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sentences(n: int) -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "corpus" / "sources").glob("*.txt")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        found += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if 6 <= len(s.split()) <= 80]
    unique = sorted(set(found))
    if len(unique) < n:
        unique += [f"{s} (herhaald {i})" for i, s in enumerate(unique[: n - len(unique)])]
    return unique[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "items.jsonl"
        source.write_text("".join(json.dumps({"id": f"s{i}", "text": t}, ensure_ascii=False) + "\n"
                                  for i, t in enumerate(sentences(args.lines))), encoding="utf-8")
        env_cache = Path(tmp) / "cache"
        cli = [sys.executable, "-m", "pipeline.cli", "classify", "--input", str(source), "--output",
               str(Path(tmp) / "preds.jsonl")]
        import os

        env = {**os.environ, "METADOSSIER_CACHE": str(env_cache)}
        figures = {}
        for name in ("cold_seconds", "cached_seconds"):
            start = time.perf_counter()
            subprocess.run(cli, env=env, check=True, cwd=ROOT, capture_output=True)
            figures[name] = time.perf_counter() - start
        lines = (Path(tmp) / "preds.jsonl").read_text(encoding="utf-8").splitlines()
    print(f"lines classified       {len(lines):8d}")
    for key, value in figures.items():
        print(f"{key:22} {value:8.2f}  ({len(lines) / value:6.0f} lines/s)")
    print(json.dumps({"lines": len(lines), **{k: round(v, 2) for k, v in figures.items()}}))


if __name__ == "__main__":
    main()
