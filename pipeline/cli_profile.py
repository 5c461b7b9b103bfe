"""`metadossier profile`, `metadossier profiles` and `metadossier evaluate profiles`.

Importing this module registers the commands on the main group and the `evaluate` group of
pipeline.cli (cli.py imports it at its end); like every command module it takes the `--db`
option, the settings and the one-line error handling from pipeline.cli_common. The commands
read the store and call pipeline.profile; the scoring of profiles against
annotations/profiles/*.json sits here too, beside its command.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from .cli import evaluate, main
from .cli_common import Fout, command_settings, db_option, friendly_errors
from .errors import AnnotationError, MetadossierError
from .profile import (
    CSV_COLUMNS,
    METHODS,
    Profile,
    build_profile,
    meta_from_row,
    paragraph_from_row,
    profile_markdown,
    profile_to_dict,
    profiles_csv_rows,
)
from .store import Store


def stored_profile(store: Store, report_id: str) -> Profile | None:
    """The profile of a stored report, read from its stored paragraphs; None if not stored."""
    row = store.report(report_id)
    if row is None:
        return None
    paragraphs = [paragraph_from_row(r) for r in store.paragraphs(report_id)]
    return build_profile(paragraphs, meta_from_row(row))


# --------------------------------------------------------------------------------------
# Evaluation against annotations/profiles/*.json


def load_profile_gold(path: Path) -> dict[str, Any]:
    """One gold profile file, checked for the fields the evaluation reads."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnnotationError(str(path), None, f"kan niet worden gelezen ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise AnnotationError(str(path), exc.lineno, f"geen geldige JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("report_id"), str):
        raise AnnotationError(str(path), None, "verwacht een JSON-object met een report_id")
    for key, needed in (("sub_questions", "text"), ("norms", "text"), ("methods", "method")):
        entries = data.get(key, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get(needed), str)
                                                    for e in entries):
            raise AnnotationError(str(path), None, f"'{key}' moet een lijst objecten zijn met elk een tekst '{needed}'")
    for m in data.get("methods", []):
        if m["method"] not in METHODS:
            raise AnnotationError(str(path), None, f"onbekende methode {m['method']!r}; kies uit {', '.join(METHODS)}")
    return data


def _match_count(predicted: Sequence[str], gold: Sequence[str], threshold: float) -> int:
    """One-to-one matches with token overlap ≥ threshold of the longer text, best pairs first."""
    from .evaluate import overlap

    pairs = sorted(
        ((overlap(p, g), i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)), reverse=True
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for score, i, j in pairs:
        if score >= threshold and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


def _score(gold: int, predicted: int, matched: int) -> dict[str, Any]:
    precision = matched / predicted if predicted else (1.0 if not gold else 0.0)
    recall = matched / gold if gold else (1.0 if not predicted else 0.0)
    return {"gold": gold, "predicted": predicted, "matched": matched,
            "precision": round(precision, 4), "recall": round(recall, 4)}


def score_profile(profile: Profile, gold: Mapping[str, Any], threshold: float = 0.8) -> dict[str, dict[str, Any]]:
    """Precision/recall of questions (central + sub), norms (by text) and methods (by name)."""
    gold_q = ([gold["central_question"]] if gold.get("central_question") else []) + [
        q["text"] for q in gold.get("sub_questions", [])
    ]
    pred_q = ([profile.central_question.text] if profile.central_question else []) + [
        q.text for q in profile.sub_questions
    ]
    gold_n = [n["text"] for n in gold.get("norms", [])]
    pred_n = [n.text for n in profile.norms]
    gold_m = {m["method"] for m in gold.get("methods", [])}
    pred_m = set(profile.method_names)
    return {
        "questions": _score(len(gold_q), len(pred_q), _match_count(pred_q, gold_q, threshold)),
        "norms": _score(len(gold_n), len(pred_n), _match_count(pred_n, gold_n, threshold)),
        "methods": _score(len(gold_m), len(pred_m), len(gold_m & pred_m)),
    }


def evaluate_profiles(annotations_dir: Path, corpus_dir: Path) -> dict[str, Any]:
    """Scores per gold file in annotations/profiles/ and summed over all files."""
    from .evaluate import MATCH_THRESHOLD
    from .extract import extract
    from .ingest import manifest_for, report_meta

    files = sorted((annotations_dir / "profiles").glob("*.json"))
    if not files:
        raise MetadossierError(f"geen goudbestanden in {annotations_dir / 'profiles'} — voeg bestanden <report_id>.json toe")
    per_file: dict[str, Any] = {}
    totals: dict[str, list[int]] = {}
    for path in files:
        gold = load_profile_gold(path)
        pdfs = sorted(corpus_dir.rglob(f"{gold['report_id']}.pdf"))
        if not pdfs:
            raise MetadossierError(f"geen PDF voor het goudprofiel '{gold['report_id']}' in {corpus_dir} — voeg hem toe")
        document = extract(pdfs[0])
        profile = build_profile(document.paragraphs, report_meta(pdfs[0], document, manifest_for(pdfs[0])))
        scores = score_profile(profile, gold, MATCH_THRESHOLD)
        per_file[path.name] = scores
        for field_name, s in scores.items():
            acc = totals.setdefault(field_name, [0, 0, 0])
            acc[0] += s["gold"]
            acc[1] += s["predicted"]
            acc[2] += s["matched"]
    overall = {k: _score(*v) for k, v in totals.items()}
    return {"files": per_file, "overall": overall, "match_threshold": MATCH_THRESHOLD}


def format_profile_scores(result: Mapping[str, Any]) -> str:
    lines = [f"{'gold file':36} {'field':10} {'gold':>4} {'pred':>4} {'match':>5} {'P':>6} {'R':>6}"]
    rows = [(name, scores) for name, scores in result["files"].items()] + [("ALL", result["overall"])]
    for name, scores in rows:
        for field_name, s in scores.items():
            lines.append(
                f"{name:36} {field_name:10} {s['gold']:4d} {s['predicted']:4d} {s['matched']:5d}"
                f" {s['precision']:6.3f} {s['recall']:6.3f}"
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Commands


@main.command("profile", help="Toon het onderzoeksprofiel van een rapport: onderzoeksvragen, normen, methoden, periode, gemeenten.")
@click.argument("report_id", metavar="RAPPORT_ID")
@db_option
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
              help="Vorm van de uitvoer.")
@click.pass_context
@friendly_errors
def profile_cmd(ctx: click.Context, report_id: str, db_path: Path | None, fmt: str) -> None:
    settings = command_settings(ctx, db_path=db_path)
    with Store(settings.db_path, create=False) as store:
        profile = stored_profile(store, report_id)
        known = ", ".join(store.report_ids()) or "nog geen rapporten opgeslagen"
    if profile is None:
        raise Fout(f"geen rapport '{report_id}' in {settings.db_path} (wel: {known})")
    if fmt == "json":
        click.echo(json.dumps(profile_to_dict(profile), indent=2, ensure_ascii=False))
    else:
        click.echo(profile_markdown(profile), nl=False)


@main.command("profiles", help="Exporteer de profielen van alle opgeslagen rapporten als CSV, één rij per rapport.")
@click.option("--csv", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Uitvoerbestand, - voor stdout.")
@db_option
@click.pass_context
@friendly_errors
def profiles_cmd(ctx: click.Context, out: Path, db_path: Path | None) -> None:
    settings = command_settings(ctx, db_path=db_path)
    with Store(settings.db_path, create=False) as store:
        profiles = [p for rid in store.report_ids() if (p := stored_profile(store, rid)) is not None]
    rows = profiles_csv_rows(profiles)
    handle = sys.stdout if str(out) == "-" else out.open("w", newline="", encoding="utf-8")
    try:
        writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if handle is not sys.stdout:
            handle.close()
    if str(out) != "-":
        click.echo(f"{len(rows)} rapportprofielen → {out}", err=True)


@evaluate.command("profiles", help="Precisie en recall van onderzoeksvragen, normen en methoden tegen annotations/profiles/.")
@click.option("--json", "as_json", is_flag=True, help="Geef de uitkomst als één JSON-object.")
@click.pass_context
@friendly_errors
def evaluate_profiles_cmd(ctx: click.Context, as_json: bool) -> None:
    settings = ctx.obj
    result = evaluate_profiles(settings.annotations_dir, settings.corpus_dir)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_profile_scores(result))
