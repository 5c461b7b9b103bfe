"""The model card in models/: what the classifier was trained on and how well it does."""

from __future__ import annotations

from pathlib import Path

from .classify import CARD_FILE, TrainedModel
from .evaluate import DOUBLE_ANNOTATION, evaluate_agreement, evaluate_classification
from .settings import Settings


def write_model_card(settings: Settings, model: TrainedModel) -> Path:
    """Cross-validate with the model's own backend and write MODEL_CARD.md beside the artefact."""
    result = evaluate_classification(settings, [model.meta["embedder_backend"]])
    split_group = result["by_backend"][model.meta["embedder_backend"]]["group"]
    split_section = result["by_backend"][model.meta["embedder_backend"]]["section"]
    meta = model.meta

    def row(name: str, r: dict) -> str:  # type: ignore[type-arg]
        return (f"| {name} | {r['doelen']['micro_f1']:.3f} | {r['doelen']['macro_f1']:.3f} | {r['algemeen']['f1']:.3f}"
                f" | {r['categorie']['accuracy']:.3f} | {r['categorie']['macro_f1']:.3f} |")

    lines = [
        f"# Model card — {meta['version']}",
        "",
        "Classifies a finding, conclusion or recommendation (Dutch text) against the five Jeugdwet doelen "
        "(multi-label, plus the `algemeen` flag for the beleidscyclus in general) and one beleidscyclus category.",
        "",
        "## Training",
        f"- version: `{meta['version']}` (hash of training data, embedder, taxonomy and fitting method: same data, same model)",
        f"- trained on: {meta['trained_on']}",
        f"- examples: {meta['examples']} ({', '.join(f'{k}: {v}' for k, v in sorted(meta['sources'].items()))})",
        f"- training data hash (sha256): `{meta['data_hash']}`",
        f"- taxonomy version: {meta['taxonomy_version']} (annotations/taxonomy.yaml)",
        f"- embedder: {meta['embedder']} (backend `{meta['embedder_backend']}`)",
        f"- spaCy pipeline (lemmas for TF-IDF): {meta['spacy_pipeline']}",
        "- features, as four views: lemma uni+bigram TF-IDF; character 3-5-gram TF-IDF; sentence embedding with "
        "its cosine similarity to each taxonomy concept; counts of each concept's taxonomy cues",
        f"- doelen: per view a class-balanced logistic regression per label (C={meta['C_text']} for the text views, "
        f"{meta['C_dense']} for the others); the views' probabilities averaged, the embedding view weighted "
        f"{meta['embedding_weight']}; sigmoid-calibrated per label; decision threshold {meta['threshold']}, "
        "at least one label per item",
        f"- category: per view a class-balanced multinomial logistic regression, probabilities averaged "
        f"(embedding view weighted {meta['category_embedding_weight']}), then each class's log-prior shifted to "
        "maximise macro-F1 (offsets: " + (", ".join(f"{c} {o:+.2f}" for c, o in meta['category_offsets'].items())
                                           or "none") + ")",
        f"- chosen by grouped {meta['inner_folds']}-fold cross-validation inside the training data only (recurrence "
        "groups; extra items by report): the embedding view weights, the calibration, the threshold and the "
        "category offsets",
        "",
        "## Cross-validated quality",
        f"Grouped {split_group['folds']}-fold CV. *group*: folds by recurrence group for the NJi items and by report "
        "(rekenkamer, year) for the extra rekenkamer items, so near-duplicate advice and sentences of one report never "
        "sit on both sides; *section*: folds by NJi section (unseen themes, harder).",
        "",
        "| system | doelen micro-F1 | doelen macro-F1 | algemeen F1 | categorie accuracy | categorie macro-F1 |",
        "|---|---|---|---|---|---|",
    ]
    for split_name, split in (("group", split_group), ("section", split_section)):
        lines.append(row(f"model ({split_name})", split))
        for name, baseline in split["baselines"].items():
            lines.append(row(f"{name} baseline ({split_name})", baseline))
    lines += ["", "Per doel (group split): " + ", ".join(
        f"{d} F1 {s['f1']:.2f} (n={s['support']})" for d, s in split_group["doelen"]["per_doel"].items()), "",
        "## Limits",
        "- " + _agreement_note(settings),
        "- D3 (eigen kracht) and D2 (professionals) have few examples; their scores rest on them.",
        "- " + _targets(split_group),
        "- " + _section_note(split_section),
        "- Regenerate with `metadossier train` (this card) and `metadossier evaluate classification` (all backends).",
        ""]
    path = settings.models_dir / CARD_FILE
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


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


def _targets(result: dict) -> str:  # type: ignore[type-arg]
    """The issue's targets (group split) against the figures, met or not, beside the keyword rules."""
    micro, macro_cat = result["doelen"]["micro_f1"], result["categorie"]["macro_f1"]
    keyword = result["baselines"]["keyword"]
    return (f"Targets (group split): doelen micro-F1 ≥ 0.80 {'met' if micro >= 0.80 else 'not met'} ({micro:.3f}; "
            f"keyword rules {keyword['doelen']['micro_f1']:.3f}); categorie macro-F1 ≥ 0.60 "
            f"{'met' if macro_cat >= 0.60 else 'not met'} ({macro_cat:.3f}; keyword rules "
            f"{keyword['categorie']['macro_f1']:.3f}).")


def _section_note(result: dict) -> str:  # type: ignore[type-arg]
    """How the model fares on unseen NJi sections beside the keyword rules, which need no training."""
    model, keyword = result["doelen"]["micro_f1"], result["baselines"]["keyword"]["doelen"]["micro_f1"]
    relation = "above" if model > keyword else "not above"
    return (f"On unseen NJi sections (section split) the doelen micro-F1 is {model:.3f}, {relation} the keyword rules "
            f"({keyword:.3f}); many of the taxonomy cues those rules use were drawn from the NJi text itself.")
