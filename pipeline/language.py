"""A cheap language check: is this text Dutch?

Counts function words, which every Dutch report uses constantly; no model needed, and
fast enough to run on every page of a large batch. It judges only text that reads as words:
text extracted with words torn apart ("Re ke n ka m e r") is full of syllables that are also
French or English function words ("de", "la", "en"), so there it says it cannot judge rather
than name a wrong language. A Dutch report must never be refused, so only a clear verdict for
another language refuses; anything unclear is ingested with a warning.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import NotDutch

_FUNCTION_WORDS = {
    "nl": {"de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "voor", "niet", "met", "zijn",
           "er", "ook", "aan", "als", "bij", "door", "wordt", "worden", "naar", "om", "deze", "die", "heeft",
           "wij", "hebben", "geen", "kan", "tot", "dit", "nog", "over", "uit", "meer", "zich"},
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "it", "with", "as", "on", "are", "be",
           "this", "by", "which", "from", "or", "have", "has", "an", "were", "was", "not"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "zu", "auf", "für", "sich",
           "dem", "eine", "ein", "auch", "wird", "werden", "bei", "oder", "als"},
    "fr": {"le", "la", "les", "et", "des", "du", "est", "que", "une", "pour", "dans", "qui", "pas", "de", "en",
           "sur", "par", "au", "avec", "sont", "ce", "aux", "il", "un", "ne", "se", "à", "été"},
}
_SHARED = {w for lang, vocab in _FUNCTION_WORDS.items() for w in vocab
           if any(w in other for o, other in _FUNCTION_WORDS.items() if o != lang)}
_DISTINCTIVE = {lang: frozenset(vocab - _SHARED) for lang, vocab in _FUNCTION_WORDS.items()}
"""Scored words: a word that is a function word in two languages ("de", "en", "in", "die") says nothing."""

MIN_WORDS = 30
"""Fewer words than this: too little text to judge."""
MIN_READABLE = 0.6
"""Below this share of word-like tokens the text is torn apart (an extraction fault): no verdict."""
MIN_SHARE = 0.04
"""The share of distinctive function words a language needs before it is named."""

Verdict = Literal["dutch", "other", "unsure"]


@dataclass(frozen=True)
class LanguageJudgement:
    verdict: Verdict
    language: str | None
    """The best-scoring language, or None when the text was not judged."""
    share: float
    """That language's share of distinctive function words among the words."""
    readable: float
    """Share of tokens that read as words (a known short word, or four letters or more)."""
    words: int
    reason: str


_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str, sample_words: int) -> list[str]:
    return _WORD.findall(text.lower())[:sample_words]


@functools.lru_cache(maxsize=1)
def _known_short_words() -> frozenset[str]:
    """Words of three letters or fewer that are words, not syllables: function words and Dutch stop words."""
    known = {w for vocab in _FUNCTION_WORDS.values() for w in vocab}
    known |= {w for w in dutch_stop_words() if len(w) >= 2 and w.isalpha()}
    return frozenset(w for w in known if len(w) <= 3)


def readable_share(words: list[str]) -> float:
    """Share of tokens that are dictionary-like: a known short word or at least four letters."""
    if not words:
        return 0.0
    known = _known_short_words()
    return sum(1 for w in words if len(w) >= 4 or w in known) / len(words)


def judge_language(text: str, sample_words: int = 5000) -> LanguageJudgement:
    """Dutch, another language, or unsure — with the numbers behind the verdict."""
    words = _words(text, sample_words)
    if len(words) < MIN_WORDS:
        return LanguageJudgement("unsure", None, 0.0, readable_share(words), len(words),
                                 f"only {len(words)} words of text")
    readable = readable_share(words)
    if readable < MIN_READABLE:
        return LanguageJudgement(
            "unsure", None, 0.0, readable, len(words),
            f"de tekst valt uiteen in flarden: maar {readable:.0%} ervan lijkt op woorden",
        )
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in vocab) / len(words) for lang, vocab in _DISTINCTIVE.items()}
    dutch = scores.pop("nl")
    other = max(scores, key=lambda k: scores[k])
    if dutch >= MIN_SHARE and dutch >= scores[other]:
        return LanguageJudgement("dutch", "nl", dutch, readable, len(words), "")
    if scores[other] >= MIN_SHARE and scores[other] >= 3 * dutch:
        return LanguageJudgement("other", other, scores[other], readable, len(words), "")
    return LanguageJudgement(
        "unsure", None, max(dutch, scores[other]), readable, len(words),
        f"geen taal springt eruit: Nederlands {dutch:.3f}, {other!r} {scores[other]:.3f}",
    )


def guess_language(text: str, sample_words: int = 5000) -> tuple[str, float]:
    """(language code, share of its distinctive function words), or ("unknown", share) when not judged."""
    judgement = judge_language(text, sample_words)
    return judgement.language or "unknown", judgement.share


def looks_dutch(text: str) -> bool:
    """True unless the text is clearly in another language (unsure counts as Dutch: never refuse a Dutch report)."""
    return judge_language(text).verdict != "other"


def check_dutch(path: str | Path, text: str) -> str | None:
    """Raise NotDutch for text clearly in another language; a warning to show when the language
    could not be judged; None for Dutch."""
    judgement = judge_language(text)
    if judgement.verdict == "other":
        raise NotDutch(str(path), f"lijkt '{judgement.language}'")
    if judgement.verdict == "unsure":
        return (f"{path}: de taal kon niet worden vastgesteld ({judgement.reason}) — toch ingelezen; "
                "controleer of het een Nederlands rapport is en of de tekst goed leesbaar is")
    return None


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
