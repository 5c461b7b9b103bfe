"""CLI commands for the explorer's read side: `search`, `precedent`, `serve`.

The same `pipeline.explore.Explorer` calls the Streamlit app makes, so everything the app
shows can be scripted too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .cli import main
from .cli_common import command_settings as _settings
from .cli_common import db_option, friendly_errors
from .explore import PRECEDENT_TYPES, Explorer, SearchFilters, hits_table
from .export import export_rows, to_csv
from .language import counted
from .records import ITEM_TYPES, PRIMARY_SOURCE_KINDS, SOURCE_KINDS, STANCES
from .taxonomy import DOELEN


def _explorer(ctx: click.Context, db_path: Path | None) -> Explorer:
    return Explorer(_settings(ctx, db_path=db_path))


def _echo_hits(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        for row in rows:
            page = f" p.{row['pagina']}" if str(row["pagina"]) not in ("0", "") else ""
            where = f"{row['gemeente'] or '-'} {row['jaar'] or ''}{page}"
            mogelijk = f" ({row['mogelijk']} mogelijk)" if row.get("mogelijk") else ""
            labels = f"{row['doelen'] or '-'}{mogelijk}{'+alg' if row['algemeen'] else ''}/{row['categorie'] or '-'}"
            click.echo(f"{row['id']:30} {row['type']:12} {where:26} {labels:40} {row['tekst'][:80]}")
        click.echo(counted(len(rows), "resultaat", "resultaten"), err=True)


alle_bronnen = click.option(
    "--alle-bronnen", "all_sources", is_flag=True,
    help="Zoek ook in syntheses, ander onderzoek, scripties en presentaties (standaard: alleen rekenkamerrapporten "
         "en ingelezen items van rekenkamers).")


@main.command(help="Zoek in de opgeslagen items op trefwoorden en betekenis, met de filters van de verkenner.")
@click.argument("query", default="", metavar="[ZOEKTEKST]")
@db_option
@click.option("--doel", "doelen", multiple=True, type=click.Choice(DOELEN),
              help="D1–D5 (mag vaker). Vindt ook items die het model dat doel bij een ruimere drempel geeft, "
                   "gemarkeerd als 'mogelijk'.")
@click.option("--algemeen/--niet-algemeen", default=None, help="Alleen items (niet) over de beleidscyclus in het algemeen.")
@click.option("--categorie", "categorieen", multiple=True, help="Categorie van de beleidscyclus (mag vaker).")
@click.option("--type", "types", multiple=True, type=click.Choice(ITEM_TYPES), help="Soort item (mag vaker).")
@click.option("--gemeente", "gemeenten", multiple=True, help="Gemeente (mag vaker).")
@click.option("--year", "years", multiple=True, type=int, help="Jaar (mag vaker).")
@click.option("--rekenkamer", "rekenkamers", multiple=True, help="Rekenkamer (mag vaker).")
@click.option("--stance", "stances", multiple=True, type=click.Choice(STANCES), help="De reactie van het college (mag vaker).")
@alle_bronnen
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Hoogstens zoveel resultaten.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True,
              help="Vorm van de uitvoer.")
@click.pass_context
@friendly_errors
def search(ctx: click.Context, query: str, db_path: Path | None, doelen: tuple[str, ...], algemeen: bool | None,
           categorieen: tuple[str, ...], types: tuple[str, ...], gemeenten: tuple[str, ...], years: tuple[int, ...],
           rekenkamers: tuple[str, ...], stances: tuple[str, ...], all_sources: bool, limit: int, fmt: str) -> None:
    filters = SearchFilters(doelen=doelen, algemeen=algemeen, categorieen=categorieen, types=types,
                            gemeenten=gemeenten, years=years, rekenkamers=rekenkamers, stances=stances,
                            source_kinds=SOURCE_KINDS if all_sources else PRIMARY_SOURCE_KINDS)
    hits = _explorer(ctx, db_path).search(query, filters, limit=limit)
    if fmt == "csv":  # for Excel: names, not codes (pipeline.export)
        sys.stdout.flush()
        sys.stdout.buffer.write(to_csv(export_rows([hit.item for hit in hits])))
        return
    _echo_hits(hits_table(hits), fmt)


@main.command(help="De bevindingen en aanbevelingen van andere rekenkamers die het meest op een concepttekst lijken, "
              "de meest gelijkende eerst; zwakke overeenkomsten blijven weg.")
@click.argument("draft", metavar="CONCEPTTEKST")
@db_option
@click.option("--exclude-gemeente", default="", help="Je eigen gemeente, die niet in de resultaten komt.")
@click.option("--type", "types", multiple=True, type=click.Choice(ITEM_TYPES), default=PRECEDENT_TYPES,
              show_default=True, help="Soort item (mag vaker).")
@alle_bronnen
@click.option("--limit", type=click.IntRange(min=1), default=15, show_default=True, help="Hoogstens zoveel resultaten.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="Vorm van de uitvoer.")
@click.pass_context
@friendly_errors
def precedent(ctx: click.Context, draft: str, db_path: Path | None, exclude_gemeente: str, types: tuple[str, ...],
              all_sources: bool, limit: int, fmt: str) -> None:
    found = _explorer(ctx, db_path).precedent(draft, exclude_gemeente=exclude_gemeente, types=types, limit=limit,
                                              source_kinds=SOURCE_KINDS if all_sources else PRIMARY_SOURCE_KINDS)
    theme_of = {h.item["id"]: g.title for g in found.groups for h in g.hits}
    rows = hits_table(found.hits)
    for row, hit in zip(rows, found.hits):
        if fmt == "jsonl":
            click.echo(json.dumps({**row, "similarity": hit.similarity, "rekenkamer": hit.rekenkamer,
                                   "theme": theme_of.get(hit.item["id"]), "reaction": hit.reaction or None,
                                   "source_url": hit.source_url or None}, ensure_ascii=False))
            continue
        stance = f" [{hit.stance}]" if hit.stance else ""
        similarity = f"{hit.similarity:.2f}".replace(".", ",") if hit.similarity is not None else "-"
        click.echo(f"{similarity:>5}  {(hit.rekenkamer or row['gemeente'] or '-')[:34]:34} {row['type']:11} "
                   f"{row['tekst'][:90]}{stance}")
        if hit.reaction:
            click.echo(f"{'':7}↳ reactie: “{hit.reaction[:150]}”")
        elif row.get("onderbouwing standpunt"):
            click.echo(f"{'':7}↳ “{row['onderbouwing standpunt'][:150]}”")
        if hit.source_url and not hit.has_pdf:
            click.echo(f"{'':7}↳ bron: {hit.source_url}")
    if fmt == "table":
        if found.message:
            click.echo(found.message)
        else:
            click.echo(f"{counted(len(found.hits), 'treffer', 'treffers')} van "
                       f"{counted(found.n_rekenkamers, 'rekenkamer', 'rekenkamers')}", err=True)


def streamlit_flags(port: int) -> dict[str, Any]:
    """The Streamlit options the explorer is served with (bench/first_page.py serves its floor app with them too).

    No "magic": app.py writes every element explicitly, so Streamlit need not rewrite its syntax tree per session.
    No file watcher: serve is for readers, not for editing app.py, and the watcher made every new visitor's
    first run resolve the paths of all ~2,200 loaded modules on the server's event loop (~0.3 s a visit)."""
    return {"server.address": "127.0.0.1", "server.port": port, "server.headless": True,
            "browser.gatherUsageStats": False, "runner.magicEnabled": False, "server.fileWatcherType": "none"}


@main.command(help="Start de verkenner (Streamlit) op 127.0.0.1.")
@db_option
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Poort van de verkenner.")
@click.pass_context
def serve(ctx: click.Context, db_path: Path | None, port: int) -> None:
    import os

    from streamlit.web import bootstrap

    from .explore import shared_explorer
    from .settings import PROJECT_ROOT

    settings = _settings(ctx, db_path=db_path)
    os.environ["METADOSSIER_DB"] = str(settings.db_path)
    # Same process as the server: the app's sessions share this Explorer. It loads the items,
    # their embeddings and the model before the server accepts anyone, so the first page is fast.
    warming = shared_explorer(str(settings.db_path)).warming
    # The Thema's and Overzicht pages draw with altair/pandas and project with PCA: imported here,
    # the first visitor of Thema's waits 0.9 s instead of 3.2 s (AppTest, bundled corpus).
    import altair  # noqa: F401
    import pandas  # noqa: F401
    import sklearn.decomposition  # noqa: F401

    if warming is not None:
        warming.join()
    click.echo(f"verkenner op http://127.0.0.1:{port} (opslag {settings.db_path}); stoppen met Ctrl-C", err=True)
    flags = streamlit_flags(port)
    bootstrap.load_config_options(flag_options=flags)
    bootstrap.run(str(PROJECT_ROOT / "app.py"), False, [], flags)
