"""A cheap language check: is this text Dutch?

Counts function words, which every Dutch report uses constantly; no model needed, and
fast enough to run on every page of a large batch.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

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


@functools.lru_cache(maxsize=1)
def dutch_stop_words() -> frozenset[str]:
    """spaCy's Dutch stop words, read from its source file without importing spaCy.

    Importing spaCy takes about 2 s; keyword search needs only this list, and the explorer's
    first page must render fast."""
    import ast
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "lang" / "nl" / "stop_words.py"
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "STOP_WORDS" for t in node.targets):
                    strings = [n.value for n in ast.walk(node.value) if isinstance(n, ast.Constant)
                               and isinstance(n.value, str)]
                    words = frozenset(w for s in strings for w in s.split())
                    if words:
                        return words
        except (OSError, SyntaxError):
            pass
    from spacy.lang.nl.stop_words import STOP_WORDS  # the slow way, if the file layout ever changes

    return frozenset(STOP_WORDS)


def counted(n: int, singular: str, plural: str) -> str:
    """'1 gemeente', '3 gemeenten': Dutch plurals are irregular enough to spell out both forms."""
    return f"{n} {singular if n == 1 else plural}"
