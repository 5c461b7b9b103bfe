"""Themes of a store: where they are kept, and building, loading and writing them up.

The library side of `metadossier themes / recluster / synthesize`, shared by the CLI
(cli_themes) and the explorer (explore). Theme state lives beside the store, in
<db stem>.themes.json; the explorer's synthesis in <db stem>.synthese.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import MetadossierError
from .settings import Settings


def theme_state_path(settings: Settings) -> Path:
    """Where the themes of a store are kept: beside the store, <db stem>.themes.json."""
    return settings.db_path.with_name(settings.db_path.stem + ".themes.json")


def store_taxonomy(settings: Settings) -> Any:
    from .taxonomy import load_taxonomy

    return load_taxonomy(settings.annotations_dir / "taxonomy.yaml")


def store_embedder(settings: Settings, fit_texts: Sequence[str]) -> Any:
    """The configured embedder; lsa is fitted on the given texts plus the taxonomy descriptions."""
    from .models import load_embedder

    extra = [c.description for c in store_taxonomy(settings).categories] if settings.embedder == "lsa" else []
    return load_embedder(settings.embedder, model=settings.sentence_transformer_model, cache_dir=settings.cache_dir,
                         fit_texts=sorted(set(fit_texts)) + extra, seed=settings.seed)


def store_evidence_of(settings: Settings, include_syntheses: bool = False) -> tuple[list[Any], list[dict[str, Any]]]:
    from .store import Store
    from .synthesize import store_evidence

    if not settings.db_path.exists():
        raise MetadossierError(f"{settings.db_path}: nog geen opslag — draai eerst `metadossier ingest corpus/pdf`")
    with Store(settings.db_path) as store:
        evidence = store_evidence(store.items(), store_taxonomy(settings), include_syntheses=include_syntheses)
        reports = store.reports()
    if not evidence:
        raise MetadossierError(f"{settings.db_path}: geen aanbevelingen, bevindingen of conclusies opgeslagen — lees eerst rapporten in met `metadossier ingest`")
    return evidence, reports


def build_store_themes(settings: Settings, evidence: Sequence[Any]) -> Any:
    """Cluster the store's evidence now (not saved)."""
    from .cluster import build_themes

    embedder = store_embedder(settings, [e.text for e in evidence])
    index = build_themes(evidence, embedder, taxonomy=store_taxonomy(settings), spacy_model=settings.spacy_model,
                         seed=settings.seed)
    index.meta["embedder_fit_ids"] = sorted({e.item_id for e in evidence}) if settings.embedder == "lsa" else []
    return index


def load_store_themes(settings: Settings, evidence: Sequence[Any]) -> Any:
    """The saved themes of the store, or None; an lsa embedder is refitted on the texts it was fitted on."""
    from .cluster import ThemeIndex

    path = theme_state_path(settings)
    if not path.exists():
        return None
    meta = json.loads(path.read_text(encoding="utf-8")).get("meta", {})
    by_id = {e.item_id: e.text for e in evidence}
    fit_texts = [by_id[i] for i in meta.get("embedder_fit_ids", ()) if i in by_id] or list(by_id.values())
    return ThemeIndex.load(path, store_embedder(settings, fit_texts), store_taxonomy(settings))


def synthesis_path(settings: Settings) -> Path:
    """Where the explorer keeps the store's synthesis: beside the store, <db stem>.synthese.md."""
    return settings.db_path.with_name(settings.db_path.stem + ".synthese.md")


def synthesize_store(settings: Settings, out: Path, include_syntheses: bool = False) -> tuple[Any, str]:
    """The store's items written up as a synthesis at `out` (its format by extension), with the
    fingerprint of the store it was made from. Returns (SynthesisResult, fingerprint)."""
    from .store import Store
    from .synthesize import store_corpus, store_fingerprint, synthesize

    evidence, reports = store_evidence_of(settings, include_syntheses)
    with Store(settings.db_path) as store:
        fingerprint = store_fingerprint(store.items())
    result = synthesize(evidence, out, store_embedder(settings, [e.text for e in evidence]),
                        corpus=store_corpus(reports, evidence, fingerprint), taxonomy=store_taxonomy(settings),
                        spacy_model=settings.spacy_model, seed=settings.seed)
    return result, fingerprint


def write_store_synthesis(settings: Settings, include_syntheses: bool = False) -> Any:
    """The store's synthesis beside the store (`synthesis_path`): Markdown with Word, PDF and HTML
    copies of the same document, and a note of what the store held, so the explorer can offer every
    format and tell when the store has changed since. Returns the SynthesisResult."""
    from datetime import datetime

    from .render import render

    path = synthesis_path(settings)
    result, fingerprint = synthesize_store(settings, path, include_syntheses)
    for suffix in (".html", ".docx", ".pdf"):
        render(result.blocks, result.title, path.with_suffix(suffix))
    path.with_suffix(".json").write_text(json.dumps({
        "fingerprint": fingerprint, "made": datetime.now().isoformat(timespec="seconds"), "title": result.title,
    }, ensure_ascii=False), encoding="utf-8")
    return result

