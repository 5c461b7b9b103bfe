"""CLI commands for themes and the synthesis: `synthesize`, `themes`, `recluster`, `evaluate clustering`.

A thin shell like cli.py: parse options, call pipeline.cluster / pipeline.synthesize, print.
`register(main, evaluate)` adds the commands to the `metadossier` group and its `evaluate`
subgroup. Theme state lives next to the store, in <db>.themes.json.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import MetadossierError
from .settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def _friendly(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MetadossierError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


_db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="SQLite store (default: $METADOSSIER_DB, else data/metadossier.sqlite in the project).",
)


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    base = ctx.obj if isinstance(ctx.obj, Settings) else Settings.from_env()
    return base.replace(**overrides)


def theme_state_path(settings: Settings) -> Path:
    """Where the themes of a store are kept: beside the store, <db stem>.themes.json."""
    return settings.db_path.with_name(settings.db_path.stem + ".themes.json")


# ------------------------------------------------------------------------------ library glue


def _taxonomy(settings: Settings) -> Any:
    from .taxonomy import load_taxonomy

    return load_taxonomy(settings.annotations_dir / "taxonomy.yaml")


def _embedder(settings: Settings, fit_texts: Sequence[str]) -> Any:
    """The configured embedder; lsa is fitted on the given texts plus the taxonomy descriptions."""
    from .models import load_embedder

    extra = [c.description for c in _taxonomy(settings).categories] if settings.embedder == "lsa" else []
    return load_embedder(settings.embedder, model=settings.sentence_transformer_model, cache_dir=settings.cache_dir,
                         fit_texts=sorted(set(fit_texts)) + extra, seed=settings.seed)


def _store_evidence(settings: Settings, include_syntheses: bool = False) -> tuple[list[Any], list[dict[str, Any]]]:
    from .store import Store
    from .synthesize import store_evidence

    if not settings.db_path.exists():
        raise MetadossierError(f"{settings.db_path}: no store yet — run `metadossier ingest corpus/pdf` first")
    with Store(settings.db_path) as store:
        evidence = store_evidence(store.items(), _taxonomy(settings), include_syntheses=include_syntheses)
        reports = store.reports()
    if not evidence:
        raise MetadossierError(f"{settings.db_path}: no aanbevelingen, bevindingen or conclusies stored")
    return evidence, reports


def build_store_themes(settings: Settings, evidence: Sequence[Any]) -> Any:
    """Cluster the store's evidence now (not saved)."""
    from .cluster import build_themes

    embedder = _embedder(settings, [e.text for e in evidence])
    index = build_themes(evidence, embedder, taxonomy=_taxonomy(settings), spacy_model=settings.spacy_model,
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
    return ThemeIndex.load(path, _embedder(settings, fit_texts), _taxonomy(settings))


def load_nji_groups(path: Path) -> dict[str, str]:
    """Recurrence group (the same bullet in several NJi chapters) per NJi item id."""
    from .annotations import read_jsonl

    return {obj["id"]: str(obj.get("group") or obj["id"]) for _, obj in read_jsonl(path)}


def evaluate_clustering(settings: Settings, backends: Sequence[str] | None = None) -> dict[str, Any]:
    """`metadossier evaluate clustering`: agreement with the NJi for every backend, with and
    without the taxonomy features; the first backend's figures are the top-level ones."""
    from .cluster import agreement_with_nji
    from .models import available_backends, load_embedder
    from .synthesize import load_nji_evidence

    path = settings.annotations_dir / "nji_synthesis.jsonl"
    gold = load_nji_evidence(path)
    groups = load_nji_groups(path)
    taxonomy = _taxonomy(settings)
    installed = available_backends()
    chosen = list(backends) if backends else [b for b in ("use-multilingual", "lsa") if b in installed]
    by_backend = {}
    for backend in chosen:
        fit_texts = sorted({e.text for e in gold}) + [c.description for c in taxonomy.categories]
        embedder = load_embedder(backend, model=settings.sentence_transformer_model, cache_dir=settings.cache_dir,
                                 fit_texts=fit_texts, seed=settings.seed)
        result = agreement_with_nji(gold, embedder, taxonomy=taxonomy, spacy_model=settings.spacy_model,
                                    seed=settings.seed, groups=groups)
        ablation = agreement_with_nji(gold, embedder, taxonomy=None, spacy_model=settings.spacy_model,
                                      seed=settings.seed)
        result["without_taxonomy"] = {k: ablation[k] for k in ("ari", "nmi", "ari_within_chapters", "n_clusters")}
        by_backend[backend] = result
    return {**by_backend[chosen[0]], "backend": chosen[0], "by_backend": by_backend}


# ------------------------------------------------------------------------------ commands


def register(main: click.Group, evaluate: click.Group) -> None:
    """Add `synthesize`, `themes`, `recluster` to `main` and `clustering` to `evaluate`."""
    main.add_command(synthesize_cmd)
    main.add_command(themes_cmd)
    main.add_command(recluster_cmd)
    evaluate.add_command(evaluate_clustering_cmd)


@click.command("synthesize", help="Write the synthesis document (Markdown or HTML by --out's extension).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file: .md or .html.")
@click.option("--source", type=click.Choice(["store", "nji"]), default="store", show_default=True,
              help="Items from the store, or the NJi gold items (annotations/nji_synthesis.jsonl).")
@_db_option
@click.option("--include-syntheses", is_flag=True, help="Count stored syntheses (doc_type synthese) as sources.")
@click.pass_context
@_friendly
def synthesize_cmd(ctx: click.Context, out: Path, source: str, db_path: Path | None, include_syntheses: bool) -> None:
    from .synthesize import load_nji_evidence, nji_corpus, store_corpus, synthesize

    settings = _settings(ctx, db_path=db_path)
    if source == "nji":
        evidence = load_nji_evidence(settings.annotations_dir / "nji_synthesis.jsonl")
        corpus = nji_corpus(evidence)
    else:
        evidence, reports = _store_evidence(settings, include_syntheses)
        corpus = store_corpus(reports, evidence)
    embedder = _embedder(settings, [e.text for e in evidence])
    result = synthesize(evidence, out, embedder, corpus=corpus, taxonomy=_taxonomy(settings),
                        spacy_model=settings.spacy_model, seed=settings.seed)
    thin = f"; little evidence on {', '.join(result.thin_doelen)}" if result.thin_doelen else ""
    click.echo(f"wrote {result.path}: {result.themes} themes from {result.items} items in {result.reports} "
               f"document(s), {len(result.gemeenten)} gemeenten, {len(result.cited)} items cited{thin}")


@click.command("themes", help="List the themes of the store; new items are assigned without re-clustering.")
@click.option("--doel", default=None, help="Only this doel (D1–D5) or algemeen.")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
@_friendly
def themes_cmd(ctx: click.Context, doel: str | None, db_path: Path | None, fmt: str) -> None:
    from .cluster import SCOPES

    if doel is not None and doel not in SCOPES:
        raise click.BadParameter(f"choose one of {', '.join(SCOPES)}", param_hint="--doel")
    settings = _settings(ctx, db_path=db_path)
    evidence, _ = _store_evidence(settings)
    index = load_store_themes(settings, evidence)
    if index is None:
        index = build_store_themes(settings, evidence)
        index.save(theme_state_path(settings))
        click.echo(f"no saved themes: clustered the store and saved them to {theme_state_path(settings)}", err=True)
    new = [e for e in evidence if e.group and e.scopes and e.item_id not in index.item_ids]
    assignments = index.assign(new)
    shown = [t for t in index.themes if doel is None or t.scope == doel]
    if fmt == "jsonl":
        for theme in shown:
            click.echo(json.dumps({"theme_id": theme.theme_id, "scope": theme.scope, "group": theme.group,
                                   "label": theme.label, "terms": list(theme.terms), "size": theme.size,
                                   "gemeenten": list(theme.gemeenten), "central_item_id": theme.central_item_id,
                                   "categorie": theme.categorie, "item_ids": list(theme.item_ids),
                                   "assigned": [a.item_id for a in assignments if a.theme_id == theme.theme_id]},
                                  ensure_ascii=False))
        return
    for theme in shown:
        extra = sum(1 for a in assignments if a.theme_id == theme.theme_id)
        click.echo(f"{theme.theme_id:14} {theme.size:3d} items {theme.n_gemeenten:2d} gem."
                   f"{f' +{extra} new' if extra else '':9} {theme.label}")
    flagged = [a for a in assignments if a.possible_new_theme and (doel is None or a.scope == doel)]
    if new:
        click.echo(f"{len(new)} items since the last clustering were assigned to existing themes; "
                   f"{len(flagged)} fit none well (possible new theme)" + (" — run `metadossier recluster`" if flagged else ""))
    for a in flagged:
        click.echo(f"  possible new theme: {a.item_id} (nearest {a.theme_id}, similarity {a.similarity:.2f})")


@click.command("recluster", help="Cluster the store again and report how the themes changed.")
@_db_option
@click.pass_context
@_friendly
def recluster_cmd(ctx: click.Context, db_path: Path | None) -> None:
    from .cluster import compare_themes

    settings = _settings(ctx, db_path=db_path)
    evidence, _ = _store_evidence(settings)
    try:
        old = load_store_themes(settings, evidence)
    except MetadossierError as exc:
        click.echo(f"ignoring the saved themes: {exc}", err=True)
        old = None
    new = build_store_themes(settings, evidence)
    path = theme_state_path(settings)
    new.save(path)
    click.echo(f"{len(new.themes)} themes from {len(evidence)} items → {path}")
    if old is None:
        return
    changes = compare_themes(old.themes, new.themes)
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.status] = counts.get(change.status, 0) + 1
        if change.status == "unchanged":
            continue
        if change.status == "changed":
            click.echo(f"  changed   {change.old_id} → {change.new_id} (overlap {change.overlap:.2f}): "
                       f"{change.old_label} → {change.new_label}")
        elif change.status == "new":
            click.echo(f"  new       {change.new_id}: {change.new_label}")
        else:
            click.echo(f"  dissolved {change.old_id}: {change.old_label} (members now in {', '.join(change.into) or '-'})")
    click.echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))


@click.command("clustering", help="Agreement of the themes with the NJi sections (ARI, NMI) beside a k-means baseline.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--backend", "backends", multiple=True,
              help="Embedder backend(s) to compare (default: use-multilingual and lsa).")
@click.pass_context
@_friendly
def evaluate_clustering_cmd(ctx: click.Context, as_json: bool, backends: tuple[str, ...]) -> None:
    result = evaluate_clustering(_settings(ctx), backends or None)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_clustering(result))


def format_clustering(result: dict[str, Any]) -> str:
    first = result["by_backend"][result["backend"]]
    lines = [
        f"NJi aanbevelingen: {first['items']} items in {first['sections_total']} sections; "
        "ARI/NMI pooled over chapters, ARI-w = mean ARI within chapters",
        f"{'backend':18} {'system':22} {'ARI':>6} {'NMI':>6} {'ARI-w':>6} {'themes':>6}",
    ]
    for backend, r in result["by_backend"].items():
        for name, s in (("model", r), ("model, no taxonomy", r["without_taxonomy"]), ("baseline k-means", r["baseline"])):
            lines.append(f"{backend:18} {name:22} {s['ari']:6.3f} {s['nmi']:6.3f} {s['ari_within_chapters']:6.3f}"
                         f" {s['n_clusters']:6d}")
        lines.append(f"{backend:18} {'chance':22} {r['chance']['ari']:6.3f}")
    lines.append(f"NJi section → best theme ({result['backend']}); overlap = share of the section in that theme")
    for section, m in first["sections"].items():
        lines.append(f"  {section[:60]:60} → {m['theme']:12} {m['label'][:50]:50} {m['overlap']:.2f}")
    bundling = first.get("bundling") or {}
    if bundling:
        lines.append(f"near-duplicate bundling vs NJi recurrence groups: precision {bundling['precision']:.2f}, "
                     f"recall {bundling['recall']:.2f} ({bundling['pairs_true']} true pairs)")
    return "\n".join(lines)
