"""How long assigning 100 new items to existing themes takes (target: under 5 s).

Usage: python bench/assign.py [--items 100] [--backend use-multilingual|lsa]

Themes are built on the NJi gold aanbevelingen. The new items are sentences from the
bundled report texts (corpus/sources/raalte_2019.txt, vws_nader_onderzoek_toegang.txt),
placed in doelen by the taxonomy's keyword rules as an unlabelled item would be. "cold"
embeds the new texts for the first time (no disk cache), "warm" repeats the call with the
vectors in memory; loading the embedding model is timed separately.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def new_items(n: int, taxonomy: object) -> list:
    from pipeline.classify import LABELS, keyword_predict
    from pipeline.cluster import Evidence
    from pipeline.taxonomy import DOELEN

    sentences: list[str] = []
    for name in ("raalte_2019.txt", "vws_nader_onderzoek_toegang.txt"):
        text = " ".join((ROOT / "corpus" / "sources" / name).read_text(encoding="utf-8").split())
        sentences += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if 10 <= len(s.split()) <= 60]
    sentences = sorted(set(sentences))[:n]
    flags, _ = keyword_predict(sentences, taxonomy)  # type: ignore[arg-type]
    items = []
    for i, (sentence, row) in enumerate(zip(sentences, flags)):
        labels = dict(zip(LABELS, row))
        scopes = (("algemeen",) if labels["algemeen"] else ()) + tuple(d for d in DOELEN if labels[d])
        items.append(Evidence(f"bench:{i}", sentence, "aanbeveling", scopes or ("algemeen",)))
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--backend", default="use-multilingual")
    args = parser.parse_args()

    from pipeline.cluster import build_themes
    from pipeline.models import CachedEmbedder, load_embedder
    from pipeline.settings import Settings
    from pipeline.synthesize import load_nji_evidence
    from pipeline.taxonomy import load_taxonomy

    settings = Settings()
    taxonomy = load_taxonomy(settings.annotations_dir / "taxonomy.yaml")
    gold = [e for e in load_nji_evidence(settings.annotations_dir / "nji_synthesis.jsonl") if e.kind == "aanbeveling"]
    items = new_items(args.items, taxonomy)

    start = time.perf_counter()
    if args.backend == "lsa":
        embedder = load_embedder("lsa", fit_texts=sorted(e.text for e in gold) +
                                 [c.description for c in taxonomy.categories])
    else:
        cached = load_embedder(args.backend, cache_dir=settings.cache_dir)
        embedder = CachedEmbedder(cached.inner, None)  # type: ignore[attr-defined] # memory only: new texts are new
        cached.inner.encode(["Het model wordt geladen."])  # type: ignore[attr-defined] # weights load lazily
    load_s = time.perf_counter() - start

    start = time.perf_counter()
    index = build_themes(gold, embedder, taxonomy=taxonomy, spacy_model=settings.spacy_model, seed=settings.seed)
    build_s = time.perf_counter() - start

    start = time.perf_counter()
    assignments = index.assign(items)
    cold_s = time.perf_counter() - start
    start = time.perf_counter()
    index.assign(items)
    warm_s = time.perf_counter() - start

    flagged = sum(a.possible_new_theme for a in assignments)
    print(json.dumps({
        "backend": embedder.name,
        "themes": len(index.themes),
        "new_items": len(items),
        "assignments": len(assignments),
        "possible_new_theme": flagged,
        "load_embedder_s": round(load_s, 2),
        "build_themes_s": round(build_s, 2),
        "assign_cold_s": round(cold_s, 2),
        "assign_warm_s": round(warm_s, 2),
        "target_s": 5.0,
        "ok": cold_s < 5.0,
    }, indent=2))


if __name__ == "__main__":
    main()
