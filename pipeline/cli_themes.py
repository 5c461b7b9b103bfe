"""CLI commands for themes and the synthesis: `synthesize`, `themes`, `recluster`, `evaluate clustering`.

A thin shell like cli.py: parse options, call pipeline.cluster / pipeline.synthesize /
pipeline.evaluate, print. `register(main, evaluate)` adds the commands to the `metadossier` group and its `evaluate`
subgroup. Theme state lives next to the store, in <db>.themes.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .cli_common import DutchCommand, command_settings, db_option, friendly_errors
from .display import DOEL_SHORT, counted
from .errors import MetadossierError
from .themes import (
    build_store_themes,
    load_store_themes,
    store_embedder,
    store_evidence_of,
    store_taxonomy,
    theme_state_path,
)

# ------------------------------------------------------------------------------ commands

_STATUS = {"changed": "veranderd", "new": "nieuw", "dissolved": "opgeheven", "unchanged": "onveranderd"}


def register(main: click.Group, evaluate: click.Group) -> None:
    """Add `synthesize`, `themes`, `recluster` to `main` and `clustering` to `evaluate`."""
    main.add_command(synthesize_cmd)
    main.add_command(themes_cmd)
    main.add_command(recluster_cmd)
    evaluate.add_command(evaluate_clustering_cmd)


@click.command("synthesize", cls=DutchCommand,
               help="Schrijf de synthese (Markdown, HTML, Word of PDF, naar de extensie van --out).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Uitvoerbestand: .md, .html, .docx of .pdf.")
@click.option("--source", type=click.Choice(["store", "nji"]), default="store", show_default=True,
              help="Items uit de opslag, of de NJi-gouditems (annotations/nji_synthesis.jsonl).")
@db_option
@click.option("--include-syntheses", is_flag=True, help="Tel opgeslagen syntheses (doc_type synthese) mee als bron.")
@click.pass_context
@friendly_errors
def synthesize_cmd(ctx: click.Context, out: Path, source: str, db_path: Path | None, include_syntheses: bool) -> None:
    from .render import FORMATS
    from .themes import synthesis_path, write_store_synthesis

    if out.suffix.lower() not in FORMATS:
        raise click.BadParameter(f"{out}: kies een .md-, .html-, .docx- of .pdf-bestand", param_hint="--out")
    settings = command_settings(ctx, db_path=db_path)
    if source == "store" and out.resolve() == synthesis_path(settings).resolve():
        # The explorer's own copy: every format and the note that tells it when the store has changed.
        result = write_store_synthesis(settings, include_syntheses)
    else:
        result = _synthesize_to(settings, out, source, include_syntheses)
    thin = ("; weinig onderbouwing voor " + ", ".join(DOEL_SHORT.get(d, d) for d in result.thin_doelen)
            if result.thin_doelen else "")
    click.echo(f"{result.path} geschreven: {counted(result.themes, 'thema')} uit {counted(result.items, 'item')} in "
               f"{counted(result.reports, 'document', 'documenten')}, {counted(len(result.gemeenten), 'gemeente')}, "
               f"{counted(len(result.cited), 'item')} aangehaald, {result.words_before_appendix} woorden vóór de bijlage{thin}")


def _synthesize_to(settings: Any, out: Path, source: str, include_syntheses: bool) -> Any:
    from .synthesize import load_nji_evidence, nji_corpus, synthesize
    from .themes import synthesize_store

    if source != "nji":
        return synthesize_store(settings, out, include_syntheses)[0]
    evidence = load_nji_evidence(settings.annotations_dir / "nji_synthesis.jsonl")
    return synthesize(evidence, out, store_embedder(settings, [e.text for e in evidence]), corpus=nji_corpus(evidence),
                      taxonomy=store_taxonomy(settings), spacy_model=settings.spacy_model, seed=settings.seed)


@click.command("themes", cls=DutchCommand,
               help="Toon de thema's in de opslag; nieuwe items worden ingedeeld zonder opnieuw te clusteren.")
@click.option("--doel", default=None, help="Alleen dit doel (D1–D5) of algemeen.")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="Vorm van de uitvoer.")
@click.pass_context
@friendly_errors
def themes_cmd(ctx: click.Context, doel: str | None, db_path: Path | None, fmt: str) -> None:
    from .cluster import SCOPES

    if doel is not None and doel not in SCOPES:
        raise click.BadParameter(f"kies uit {', '.join(SCOPES)}", param_hint="--doel")
    settings = command_settings(ctx, db_path=db_path)
    evidence, _ = store_evidence_of(settings)
    index = load_store_themes(settings, evidence)
    if index is None:
        index = build_store_themes(settings, evidence)
        index.save(theme_state_path(settings))
        click.echo(f"er waren nog geen thema's: de opslag is nu geclusterd; de thema's staan in {theme_state_path(settings)}", err=True)
    new = [e for e in evidence if e.group and e.scopes and e.item_id not in index.item_ids]
    assignments = index.assign(new)
    shown = [t for t in index.themes if doel is None or t.scope == doel]
    if fmt == "jsonl":
        for theme in shown:
            click.echo(json.dumps({"theme_id": theme.theme_id, "scope": theme.scope, "group": theme.group,
                                   "title": theme.title, "label": theme.label, "terms": list(theme.terms), "size": theme.size,
                                   "gemeenten": list(theme.gemeenten), "central_item_id": theme.central_item_id,
                                   "categorie": theme.categorie, "item_ids": list(theme.item_ids),
                                   "assigned": [a.item_id for a in assignments if a.theme_id == theme.theme_id]},
                                  ensure_ascii=False))
        return
    for theme in shown:
        extra = sum(1 for a in assignments if a.theme_id == theme.theme_id)
        click.echo(f"{theme.theme_id:14} {theme.size:3d} items {theme.n_gemeenten:2d} gem."
                   f"{f' +{extra} nieuw' if extra else '':9} {theme.title}")
    flagged = [a for a in assignments if a.possible_new_theme and (doel is None or a.scope == doel)]
    if new:
        click.echo(f"{counted(len(new), 'item')} van na de laatste clustering ingedeeld bij bestaande thema's; "
                   f"{len(flagged)} past bij geen enkel thema goed (misschien een nieuw thema)"
                   + (" — draai `metadossier recluster`" if flagged else ""))
    for a in flagged:
        click.echo(f"  misschien een nieuw thema: {a.item_id} (dichtstbij {a.theme_id}, gelijkenis {a.similarity:.2f})")


@click.command("recluster", cls=DutchCommand, help="Cluster de opslag opnieuw en laat zien hoe de thema's veranderden.")
@db_option
@click.pass_context
@friendly_errors
def recluster_cmd(ctx: click.Context, db_path: Path | None) -> None:
    from .cluster import compare_themes

    settings = command_settings(ctx, db_path=db_path)
    evidence, _ = store_evidence_of(settings)
    try:
        old = load_store_themes(settings, evidence)
    except MetadossierError as exc:
        click.echo(f"opgeslagen thema's genegeerd: {exc}", err=True)
        old = None
    new = build_store_themes(settings, evidence)
    path = theme_state_path(settings)
    new.save(path)
    click.echo(f"{counted(len(new.themes), 'thema')} uit {counted(len(evidence), 'item')} → {path}")
    if old is None:
        return
    changes = compare_themes(old.themes, new.themes)
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.status] = counts.get(change.status, 0) + 1
        if change.status == "unchanged":
            continue
        if change.status == "changed":
            click.echo(f"  veranderd {change.old_id} → {change.new_id} (overlap {change.overlap:.2f}): "
                       f"{change.old_label} → {change.new_label}")
        elif change.status == "new":
            click.echo(f"  nieuw     {change.new_id}: {change.new_label}")
        else:
            click.echo(f"  opgeheven {change.old_id}: {change.old_label} (items nu in {', '.join(change.into) or '-'})")
    click.echo(", ".join(f"{n} {_STATUS.get(status, status)}" for status, n in sorted(counts.items())))


@click.command("clustering", cls=DutchCommand, help="Overeenstemming van de thema's met de NJi-secties (ARI, NMI binnen elk "
               "doel), naast k-means als vergelijking.")
@click.option("--json", "as_json", is_flag=True, help="Geef de uitkomst als één JSON-object.")
@click.option("--backend", "backends", multiple=True,
              help="Embedder(s) om te vergelijken (standaard: de ingestelde en lsa).")
@click.pass_context
@friendly_errors
def evaluate_clustering_cmd(ctx: click.Context, as_json: bool, backends: tuple[str, ...]) -> None:
    from .evaluate import evaluate_clustering, format_clustering

    result = evaluate_clustering(command_settings(ctx), backends or None)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_clustering(result))
