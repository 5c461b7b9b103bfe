"""The model card in models/: what the classifier was trained on and how well it does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .classify import CARD_FILE, TrainedModel
from .evaluate import DOUBLE_ANNOTATION, evaluate_agreement, evaluate_classification, learning_curve
from .settings import Settings


def write_model_card(settings: Settings, model: TrainedModel) -> Path:
    """Cross-validate with the model's own backend (with and without the synthetic items, and the synthetic
    learning curve) and write MODEL_CARD.md beside the artefact."""
    from .classify import load_examples, load_synthetic_examples

    backend = model.meta["embedder_backend"]
    result = evaluate_classification(settings.replace(embedder=backend), [backend])
    synthetic = load_synthetic_examples(settings.annotations_dir)
    curve = learning_curve(load_examples(settings.annotations_dir), settings.replace(embedder=backend), fractions=(),
                           synthetic=synthetic) if synthetic else None
    path = settings.models_dir / CARD_FILE
    path.write_text(model_card_text(settings, model, result, curve), encoding="utf-8")
    return path


def model_card_text(settings: Settings, model: TrainedModel, result: dict[str, Any],
                    curve: dict[str, Any] | None) -> str:
    meta = model.meta
    split_group = result["by_backend"][meta["embedder_backend"]]["group"]
    split_section = result["by_backend"][meta["embedder_backend"]]["section"]
    verdict = result["synthetic_verdict"]
    shipped = "with_synthetic" if meta.get("synthetic_items") else None

    def row(name: str, r: dict[str, Any]) -> str:
        return (f"| {name} | {r['doelen']['micro_f1']:.3f} | {r['doelen']['macro_f1']:.3f} | {r['algemeen']['f1']:.3f}"
                f" | {r['categorie']['accuracy']:.3f} | {r['categorie']['macro_f1']:.3f} |")

    grid = meta.get("synthetic_weights") or []
    how = (f"chosen from {', '.join(map(str, grid))} by the inner cross-validation on real items" if len(grid) > 1
           else "a fixed weight: searching a grid inside every fit multiplies the training time by its size")
    used = (f"used, {meta['synthetic_items']} items weighted {meta['synthetic_weight']} ({how})"
            if meta.get("synthetic_items") else "not used")
    lines = [
        f"# Model card — {meta['version']}",
        "",
        "Classifies a finding, conclusion or recommendation (Dutch text) against the five Jeugdwet doelen "
        "(multi-label, plus the `algemeen` flag for the beleidscyclus in general) and one beleidscyclus category.",
        "",
        "## Training",
        f"- version: `{meta['version']}` (hash of training data, embedder, taxonomy and fitting method: same data, same model)",
        f"- trained on: {meta['trained_on']}",
        f"- examples: {meta['examples']} real ({', '.join(f'{k}: {v}' for k, v in sorted(meta['sources'].items()))})",
        f"- synthetic items (annotations/synthetic/, written from the guidelines): {used}; setting "
        f"`synthetic_training` = {'on' if meta.get('synthetic_training') else 'off'} (`metadossier train "
        "--synthetic` / `--no-synthetic`). " + _synthetic_note(verdict, bool(meta.get("synthetic_items"))),
        f"- training data hash (sha256): `{meta['data_hash']}`",
        f"- taxonomy version: {meta['taxonomy_version']} (annotations/taxonomy.yaml)",
        f"- embedder: {meta['embedder']} (backend `{meta['embedder_backend']}`)",
        f"- spaCy pipeline (lemmas for TF-IDF): {meta['spacy_pipeline']}",
        "- features, as four views: lemma uni+bigram TF-IDF; character 3-5-gram TF-IDF; sentence embedding with "
        "its cosine similarity to each taxonomy concept; counts of each concept's taxonomy cues",
        f"- doelen: per view a class-balanced logistic regression per label (C={meta['C_text']} for the text views, "
        f"{meta['C_dense']} for the others); the views' probabilities averaged, the embedding view weighted "
        f"{meta['embedding_weight']}; sigmoid-calibrated per label; " + _decision_note(meta),
        "- recall thresholds (a doel filter also shows items at or above them, marked *mogelijk*): "
        + ", ".join(f"{d} {t:.3f}" for d, t in meta["recall_thresholds"].items())
        + f" — per doel the probability above which {meta['recall_target']:.0%} of its items lie out of fold",
        f"- category: per view a class-balanced multinomial logistic regression, probabilities averaged "
        f"(embedding view weighted {meta['category_embedding_weight']}), then each class's log-prior shifted to "
        "maximise macro-F1 (offsets: " + (", ".join(f"{c} {o:+.2f}" for c, o in meta['category_offsets'].items())
                                           or "none") + ")",
        f"- chosen by grouped {meta['inner_folds']}-fold cross-validation inside the training data only, scored on "
        "real items only (recurrence groups; extra items by report): the synthetic weight, the embedding view "
        "weights, the calibration, the thresholds and the category offsets",
        "",
        "## Cross-validated quality",
        f"Grouped {split_group['folds']}-fold CV; every test fold holds real items only. *group*: folds by recurrence "
        "group for the NJi items and by report (rekenkamer, year) for the extra rekenkamer items, so near-duplicate "
        "advice and sentences of one report never sit on both sides; *section*: folds by NJi section (unseen themes, "
        "harder). *+ synthetic*: the same folds, with the synthetic items added to every training fold.",
        "",
        "| system | doelen micro-F1 | doelen macro-F1 | algemeen F1 | categorie accuracy | categorie macro-F1 |",
        "|---|---|---|---|---|---|",
    ]
    for split_name, split in (("group", split_group), ("section", split_section)):
        lines.append(row(f"model ({split_name})", split))
        if "with_synthetic" in split:
            lines.append(row(f"model + synthetic ({split_name})", split["with_synthetic"]))
        for name, baseline in split["baselines"].items():
            lines.append(row(f"{name} baseline ({split_name})", baseline))
    per_doel = (split_group[shipped] if shipped else split_group)["doelen"]["per_doel"]
    lines += ["", "Per doel (group split, the shipped configuration): " + ", ".join(
        f"{d} F1 {s['f1']:.2f} (n={s['support']})" for d, s in per_doel.items()), ""]
    lines += _synthetic_section(result, curve)
    lines += _recall_section(split_group[shipped] if shipped else split_group, meta)
    lines += [
        "## Limits",
        "- " + _agreement_note(settings),
        "- D3 (eigen kracht) and D2 (professionals) have few real examples; their scores rest on them.",
        "- " + _targets(split_group[shipped] if shipped else split_group, split_group),
        "- " + _section_note(split_section[shipped] if shipped else split_section, split_section),
        "- Regenerate with `metadossier train` (this card) and `metadossier evaluate classification` (all backends).",
        ""]
    return "\n".join(lines)


def _decision_note(meta: dict[str, Any]) -> str:
    """The decision rule of the doelen: a threshold per doel (older models: one for all) and whether an item always
    gets at least one label."""
    thresholds = meta.get("thresholds")
    if thresholds:
        rule = ("decision threshold per doel (" + ", ".join(f"{d} {t:.2f}" for d, t in thresholds.items()
                                                            if d != "algemeen")
                + f"; algemeen {thresholds.get('algemeen', meta['threshold']):.2f})")
    else:
        rule = f"decision threshold {meta['threshold']}"
    at_least_one = meta.get("at_least_one", True)
    return rule + (", at least one label per item" if at_least_one else
                   ", no label forced on an item whose labels all fall below their thresholds")


def _synthetic_note(verdict: dict[str, Any], used: bool) -> str:
    adopt = verdict.get("adopt", False)
    if used and not adopt:
        return f"**The rule for adopting them is not met**, yet they are used: {verdict['reason']}."
    if used:
        return f"They meet the rule for adopting them: {verdict['reason']}."
    if adopt:
        return f"They would meet the rule for adopting them but are switched off: {verdict['reason']}."
    return ("They are kept out: issue 22's rule (group-split doelen micro-F1 +0.02, section split and categorie "
            f"macro-F1 not lower) is not met — {verdict['reason'].removeprefix('kept out: ')}.")


def _synthetic_section(result: dict[str, Any], curve: dict[str, Any] | None) -> list[str]:
    group = result["by_backend"][next(iter(result["by_backend"]))]["group"]
    if "with_synthetic" not in group:
        return []
    lines = ["## Synthetic items: what they buy",
             f"{result['synthetic_items']} guideline-derived items (annotations/synthetic/), training folds only. "
             f"Rule for adopting them (issue 22): {result['synthetic_verdict']['reason']}. Synthetic weight chosen "
             "per outer fold: " + ", ".join(str(w) for w in group["with_synthetic"].get("synthetic_weights", [])) + ".",
             ""]
    if curve:
        lines += ["Learning curve, group split, all real training items plus a seeded draw of synthetic items "
                  "(each count holds the smaller ones); the same real test folds at every point:", "",
                  "| synthetic items | real training items per fold | doelen micro-F1 | categorie macro-F1 |",
                  "|---|---|---|---|",
                  f"| 0 | {curve_real(curve)} | "
                  f"{group['doelen']['micro_f1']:.3f} | {group['categorie']['macro_f1']:.3f} |"]
        for r in curve["synthetic_rows"]:
            lines.append(f"| {r['synthetic']} | {r['training_items']:.0f} | {r['doelen_micro_f1']:.3f} | "
                         f"{r['categorie_macro_f1']:.3f} |")
        if curve["synthetic_rows"] and curve["synthetic_rows"][-1]["synthetic"] < result["synthetic_items"]:
            w = group["with_synthetic"]
            lines.append(f"| {result['synthetic_items']} (all) | {curve_real(curve)} | {w['doelen']['micro_f1']:.3f} | "
                         f"{w['categorie']['macro_f1']:.3f} |")
        lines.append("")
    return lines


def curve_real(curve: dict[str, Any]) -> str:
    rows = curve.get("synthetic_rows") or []
    return f"{rows[0]['training_items']:.0f}" if rows else "all"


def _recall_section(result: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    """Per doel precision and recall out of fold at the decision threshold and at the recall threshold."""
    recall = result.get("recall_threshold")
    if not recall:
        return []
    lines = ["## Recall for doel filters",
             f"A researcher filtering on a doel should not miss items. Besides the decided doelen, the filter shows "
             f"items whose probability reaches the doel's recall threshold (target: {meta['recall_target']:.0%} of "
             "the doel's items out of fold), marked *mogelijk*. Out of fold (group split, each fold's model with "
             "its own thresholds chosen inside its training data), per doel:", "",
             "| doel | items | precision, decided | recall, decided | recall threshold (this model) | "
             "precision, with mogelijk | recall, with mogelijk |",
             "|---|---|---|---|---|---|---|"]
    for d, s in recall.items():
        lines.append(f"| {d} | {s['decision']['support']} | {s['decision']['precision']:.3f} | "
                     f"{s['decision']['recall']:.3f} | {meta['recall_thresholds'][d]:.3f} | "
                     f"{s['recall_threshold']['precision']:.3f} | {s['recall_threshold']['recall']:.3f} |")
    short = [d for d, s in recall.items() if s["recall_threshold"]["recall"] < 0.9]
    worst = min(recall, key=lambda d: recall[d]["recall_threshold"]["precision"])
    lines += ["", ("Every doel reaches recall ≥ 0.9 with the mogelijk items." if not short else
                   f"Recall ≥ 0.9 is not reached out of fold for {', '.join(short)}: the threshold chosen on the "
                   "training folds does not carry over fully to unseen reports.")
              + f" The price is precision: for {worst} only "
              f"{recall[worst]['recall_threshold']['precision']:.0%} of what the filter shows carries that doel in the "
              "gold, so the mogelijk items are a list to read through, not findings to count.", ""]
    return lines


def _agreement_note(settings: Settings) -> str:
    """What the gold rests on: one reading of GUIDELINES.md, or two blind readings and an adjudication."""
    if not (settings.annotations_dir / DOUBLE_ANNOTATION).exists():
        return ("Gold labels are one annotator's reading of annotations/GUIDELINES.md; no inter-annotator agreement "
                "was measured.")
    agreement = evaluate_agreement(settings)  # a malformed file stops here with its line, not a silent fallback
    every = agreement["all"]
    return (f"Gold labels follow annotations/GUIDELINES.md. {every['items']} items were labelled twice, blind "
            f"(annotations/agreement/): the two annotators agree at doelen micro-F1 {every['doelen']['micro_f1']:.3f} "
            f"and categorie kappa {every['categorie']['kappa']:.3f}; their {agreement['disagreements']} differences "
            "were adjudicated into the gold. The model is far below that agreement.")


def _targets(result: dict[str, Any], split: dict[str, Any]) -> str:
    """Issue 22's targets (group split, the shipped configuration) against the figures, met or not, beside the
    keyword rules (`split` carries the baselines)."""
    micro, macro_cat = result["doelen"]["micro_f1"], result["categorie"]["macro_f1"]
    keyword = split["baselines"]["keyword"]
    return (f"Targets (group split): doelen micro-F1 ≥ 0.80 {'met' if micro >= 0.80 else 'not met'} ({micro:.3f}; "
            f"keyword rules {keyword['doelen']['micro_f1']:.3f}); categorie macro-F1 ≥ 0.65 "
            f"{'met' if macro_cat >= 0.65 else 'not met'} ({macro_cat:.3f}; keyword rules "
            f"{keyword['categorie']['macro_f1']:.3f}).")


def _section_note(result: dict[str, Any], split: dict[str, Any]) -> str:
    """How the model fares on unseen NJi sections beside the keyword rules, which need no training."""
    model, keyword = result["doelen"]["micro_f1"], split["baselines"]["keyword"]["doelen"]["micro_f1"]
    relation = "above" if model > keyword else "not above"
    return (f"On unseen NJi sections (section split) the doelen micro-F1 is {model:.3f}, {relation} the keyword rules "
            f"({keyword:.3f}); many of the taxonomy cues those rules use were drawn from the NJi text itself.")
