"""Regenerate the example syntheses in this folder.

    python docs/examples/regenerate.py

nji_synthese.md (and .docx, .pdf): from the NJi gold items (annotations/nji_synthesis.jsonl).
corpus_synthese.md: from a store built by ingesting corpus/pdf into a temporary database and
labelled by the committed classifier in models/ (gold labels from annotations/labels/ where an
annotator labelled the item), as `make demo` does; rerun this after
`metadossier train`. Both use the default embedder (use-multilingual).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.classify import labeler_from_settings  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.models import load_embedder  # noqa: E402
from pipeline.render import render  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.store import Store  # noqa: E402
from pipeline.synthesize import (  # noqa: E402
    load_nji_evidence,
    nji_corpus,
    store_corpus,
    store_evidence,
    synthesize,
)
from pipeline.taxonomy import load_taxonomy  # noqa: E402


def main() -> None:
    settings = Settings()
    here = Path(__file__).resolve().parent
    taxonomy = load_taxonomy(settings.annotations_dir / "taxonomy.yaml")
    embedder = load_embedder("use-multilingual", cache_dir=settings.cache_dir)
    gold = load_nji_evidence(settings.annotations_dir / "nji_synthesis.jsonl")
    result = synthesize(gold, here / "nji_synthese.md", embedder, corpus=nji_corpus(gold), taxonomy=taxonomy)
    for suffix in (".docx", ".pdf"):
        render(result.blocks, result.title, result.path.with_suffix(suffix))
    print(f"{result.path.name}: {result.themes} themes, {len(result.cited)} items cited, "
          f"{result.words_before_appendix} words before the appendix")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "corpus.sqlite"
        with Store(db) as store:
            summary = ingest([settings.corpus_dir / "pdf"], store, Settings(db_path=db),
                             labeler=labeler_from_settings(settings))
            if not summary.ok:
                raise SystemExit(f"ingest failed: {summary.failures}")
            evidence = store_evidence(store.items(), taxonomy)
            corpus = store_corpus(store.reports(), evidence)
        result = synthesize(evidence, here / "corpus_synthese.md", embedder, corpus=corpus, taxonomy=taxonomy)
    print(f"{result.path.name}: {result.themes} themes, {len(result.cited)} items cited, "
          f"{result.words_before_appendix} words before the appendix")


if __name__ == "__main__":
    main()
