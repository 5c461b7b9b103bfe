"""A cheap language check: is this text Dutch?

Counts function words, which every Dutch report uses constantly; no model needed, and
fast enough to run on every page of a large batch.
"""

from __future__ import annotations

import re
from collections import Counter

_FUNCTION_WORDS = {
    "nl": {"de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "voor", "niet", "met", "zijn",
           "er", "ook", "aan", "als", "bij", "door", "wordt", "worden", "naar", "om", "deze", "die", "heeft"},
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "it", "with", "as", "on", "are", "be",
           "this", "by", "which", "from", "or", "have", "has", "an", "were", "was", "not"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "zu", "auf", "für", "sich",
           "dem", "eine", "ein", "auch", "wird", "werden", "bei", "oder"},
    "fr": {"le", "la", "les", "et", "des", "du", "est", "que", "une", "pour", "dans", "qui", "pas",
           "sur", "par", "au", "avec", "sont", "ce", "aux"},
}


def guess_language(text: str, sample_words: int = 5000) -> tuple[str, float]:
    """(language code, share of its function words among the sampled words)."""
    words = re.findall(r"[a-zäëïöüéèàç]+", text.lower())[:sample_words]
    if not words:
        return "unknown", 0.0
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in vocab) / len(words) for lang, vocab in _FUNCTION_WORDS.items()}
    lang = max(scores, key=lambda k: scores[k])
    return lang, scores[lang]


def looks_dutch(text: str) -> bool:
    lang, share = guess_language(text)
    return lang == "nl" and share >= 0.08
