"""The model card in models/: what the classifier was trained on and how well it does."""

from __future__ import annotations

from pathlib import Path

from .classify import CARD_FILE, TrainedModel
from .evaluate import evaluate_classification
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
        f"- version: `{meta['version']}` (hash of training data, embedder and taxonomy: same data, same model)",
        f"- trained on: {meta['trained_on']}",
        f"- examples: {meta['examples']} ({', '.join(f'{k}: {v}' for k, v in sorted(meta['sources'].items()))})",
        f"- training data hash (sha256): `{meta['data_hash']}`",
        f"- taxonomy version: {meta['taxonomy_version']} (annotations/taxonomy.yaml)",
        f"- embedder: {meta['embedder']} (backend `{meta['embedder_backend']}`)",
        f"- spaCy pipeline (lemmas for TF-IDF): {meta['spacy_pipeline']}",
        "- features: sentence embedding; lemma uni+bigram TF-IDF; cosine similarity to each taxonomy concept; "
        "counts of each concept's taxonomy cues",
        f"- doelen: one-vs-rest logistic regression (C={meta['C']}, balanced), sigmoid-calibrated (3-fold); "
        f"decision threshold {meta['threshold']}, at least one label per item",
        "- category: multinomial logistic regression (balanced)",
        "",
        "## Cross-validated quality",
        f"Grouped {split_group['folds']}-fold CV. *group*: folds by recurrence group (near-duplicate advice never on "
        "both sides); *section*: folds by NJi section (unseen themes, harder).",
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
        "- Gold labels are one annotator's reading of the NJi synthesis, the Raalte report and published rekenkamer "
        "items (annotations/GUIDELINES.md); no inter-annotator agreement was measured.",
        "- D3 (eigen kracht) has few examples; its score rests on them. The doelen target of micro-F1 ≥ 0.80 is not "
        "reached: the model is about level with the keyword rules on doelen and clearly above them on categories.",
        "- Regenerate with `metadossier train` (this card) and `metadossier evaluate classification` (all backends).",
        ""]
    path = settings.models_dir / CARD_FILE
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
