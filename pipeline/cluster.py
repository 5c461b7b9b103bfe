"""Clustering: the items of one doel (or `algemeen`) → themes; the same advice from several reports → one bundle.

`ThemeClusterer` follows scikit-learn conventions (hyperparameters in __init__, fit / predict,
fitted attributes ending in `_`, the embedder passed in). An item is represented by its
sentence embedding, its lemma TF-IDF and its profile over the taxonomy's beleidscyclus
categories (cue counts and similarity to each category description), each block
L2-normalised; IDF and the profile's standardisation come from the whole corpus. Inputs are
sorted by a content key and clustered with average-linkage agglomerative clustering on
cosine distance, so the same items give the same themes in any input order. The number of
themes is chosen by silhouette (or stability over resamples) within √(n/2) ± 1 unless given;
a chosen (not given) clustering then folds themes of fewer than `min_theme_size` items into
their nearest theme, since a theme is advice that recurs, and average linkage leaves outliers
on their own (on the NJi gold this raised ARI from 0.216 to 0.246 and gave 20 themes, not 25).
Themes are labelled by class-based TF-IDF over lemmas, the heads of compounds and lemma
bigrams without Dutch stop words, nouns before adjectives and participles, the best candidates
re-ranked by closeness in meaning to the theme (as BERTopic's KeyBERT-inspired step). New
items are assigned to the nearest centroid (flagged below a held-out threshold);
`compare_themes` says how a recluster changed the themes. How the themes compare with the
NJi's own sections is measured in `pipeline.evaluate`.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import MetadossierError
from .models import LEMMA_EXCEPTIONS, Embedder, load_spacy
from .taxonomy import CATEGORY_NAMES, DOELEN, Taxonomy

SCOPES: tuple[str, ...] = ("algemeen", *DOELEN)
GROUPS: dict[str, tuple[str, ...]] = {
    "aanbevelingen": ("aanbeveling",),
    "bevindingen": ("bevinding", "conclusie"),
}
ATTACHED_KINDS: tuple[str, ...] = ("goede praktijk", "citaat")
"""Kinds that are not clustered but attached to the nearest aanbevelingen theme of their doel."""

# Words every recommendation uses (auxiliaries, the imperative verbs of advice, the field itself):
# kept out of labels and TF-IDF so that themes are told apart by what they are about.
DOMAIN_STOP_WORDS = frozenset({
    # auxiliaries and the imperative verbs every piece of advice opens with
    "zijn", "worden", "hebben", "kunnen", "moeten", "zullen", "willen", "wilt", "gaan", "ga", "laten", "laat",
    "maken", "maak", "zorgen", "zorg", "focus", "stellen", "stel", "geven", "geef", "doen", "doe", "blijven", "blijf",
    "komen", "houden", "brengen", "nemen", "zien", "vinden", "staan", "liggen", "zetten", "krijgen", "bieden",
    "verbeter", "verbeteren", "verbetering", "gebruiken", "gebruik", "ontwikkelen", "ontwikkel", "versterken",
    "vergroten", "besteden", "bepalen", "richten", "kijken", "zoeken", "zoek", "gedaan", "vragen", "vraag", "leggen", "spelen",
    # function words spaCy's list lacks
    "zowel", "ervoor", "hierdoor", "hierbij", "hiervoor", "daarbij", "daardoor", "daarom", "waarin", "waarbij",
    "waarop", "waardoor", "zodat", "betrekking", "behulp", "elkaar", "hetzelfde", "namelijk", "vaker", "manier",
    "aandacht", "bepaalde", "bepaald", "echte", "echt", "verschillende", "diverse", "huidige", "nieuwe",
    "vooral", "steeds", "verder", "zelf", "nodig", "mogelijk", "mogelijkheid", "belangrijk", "duidelijk",
    "bijvoorbeeld", "onder", "andere", "goed", "goede", "beter", "meer", "aantal", "sprake", "kijk", "pakken",
    "hoeveel", "versus", "grote", "eventuele",
    "bereiken", "actuele", "actueel", "beschikbaar", "aanvullen", "accepteren", "bijdragen", "gemaakt",
    "hieraan", "hierin", "daarvoor", "daarin", "ervan", "erover", "waarmee", "blijken", "ver", "vast", "gebruikt", "let", "letten",
    # the field itself
    "gemeente", "gemeentelijk", "gemeentelijke", "jeugdhulp", "jeugdzorg", "jeugd", "jeugdige", "jongere", "rekenkamer",
    "aanbeveling", "college", "colleges",
})


def _stop_words(domain: bool = True) -> frozenset[str]:
    """spaCy's Dutch stop words, plus the domain list for labels (features keep the domain words)."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | DOMAIN_STOP_WORDS if domain else frozenset(STOP_WORDS)


def place_words(items: Iterable[Evidence]) -> frozenset[str]:
    """The gemeente names the items come from, as label stop words: a theme is about a subject,
    and "apeldoorn" only says where its items happen to come from."""
    words: set[str] = set()
    for item in items:
        for name in item.gemeenten:
            lowered = name.lower()
            words.add(lowered)
            words.update(w for w in re.split(r"[\s\-'’]+", lowered) if len(w) > 2)
    return frozenset(words)


# ------------------------------------------------------------------------------ records


@dataclass(frozen=True)
class Evidence:
    """One citable statement: a stored item or an NJi gold item, with what a citation needs."""

    item_id: str
    text: str
    kind: str
    """aanbeveling | bevinding | conclusie | goede praktijk | citaat"""
    scopes: tuple[str, ...]
    """Where it belongs: "algemeen" and/or D1–D5."""
    gemeenten: tuple[str, ...] = ()
    report_id: str = ""
    year: int | None = None
    page_start: int | None = None
    page_end: int | None = None
    section: str = ""
    lead: str = ""
    origin: str = "store"
    """"store" (a page in a report) or "nji" (a section of the NJi synthesis)."""
    placed_by: str = ""
    """What decided the scopes: "nji" (its chapter), "label" (model or person) or "rules" (taxonomy cues)."""
    categorie: str = ""
    """The item's own beleidscyclus category (its label, or the taxonomy rules), "" when unknown."""
    primary: bool = False
    """From a primary source — a rekenkamer report or an imported rekenkamer item — which is what
    recurrence counts; never a thesis, a presentation or a synthesis such as the NJi's."""
    report_title: str = ""
    """The report's title: what a citation names when the report has no gemeente."""
    rekenkamer: str = ""
    """The rekenkamer that made the report, "" when unknown: with the gemeenten, what tells one
    audit from another when several items come from one report (or from articles about it)."""

    @property
    def headline(self) -> str:
        return self.lead or self.text

    @property
    def group(self) -> str | None:
        """The clustering group of the kind, None for kinds that are only attached."""
        for name, kinds in GROUPS.items():
            if self.kind in kinds:
                return name
        return None


@dataclass(frozen=True)
class BundledRecommendation:
    """Near-identical recommendations from several sources, counted by distinct gemeenten."""

    bundle_id: str
    text: str
    item_ids: tuple[str, ...]
    gemeenten: tuple[str, ...]

    @property
    def n_gemeenten(self) -> int:
        return len(self.gemeenten)


@dataclass(frozen=True)
class Theme:
    """A group of items within one doel (or algemeen) that are about the same subject."""

    theme_id: str
    scope: str
    group: str
    label: str
    terms: tuple[str, ...]
    item_ids: tuple[str, ...]
    central_item_id: str
    gemeenten: tuple[str, ...]
    bundles: tuple[BundledRecommendation, ...] = ()
    categorie: str = ""
    """The beleidscyclus category of most members (their own labels; where members have none, the
    category the members lean to by cues and similarity)."""
    heading: str = ""
    """What the recommendations ask, as a short imperative drawn from a member in the theme's
    category (see pipeline.headings); the synthesis's section heading."""
    heading_item_id: str = ""
    """The member the heading was drawn from."""

    @property
    def size(self) -> int:
        return len(self.item_ids)

    @property
    def n_gemeenten(self) -> int:
        return len(self.gemeenten)

    @property
    def title(self) -> str:
        """What a reader sees first: the beleidscyclus category the theme leans to, then its three
        most distinctive terms that the category does not already say ("Cliëntervaring en
        participatie: professional · hulpvraag · expertise"). Blind readers matched the NJi
        sections to these titles more often than to the terms alone (see annotations/recognition/)."""
        name = CATEGORY_NAMES.get(self.categorie, "")
        if not name or self.categorie == "overig":
            return self.label[:1].upper() + self.label[1:]
        said = name.replace("ë", "e").split()
        terms = [t for t in self.terms if not any(_same_word(w, s) for w in t.replace("ë", "e").split()
                                                   for s in said if len(s) > 3)][:3]
        return f"{name[:1].upper()}{name[1:]}: {' · '.join(terms) or self.label}"


@dataclass(frozen=True)
class Assignment:
    """Where a new item lands without re-clustering; `possible_new_theme` when nothing fits."""

    item_id: str
    scope: str
    theme_id: str
    similarity: float
    possible_new_theme: bool


@dataclass(frozen=True)
class ThemeChange:
    """How one theme fared in a recluster: unchanged, changed, new or dissolved."""

    status: str
    scope: str
    group: str
    old_id: str | None
    new_id: str | None
    old_label: str
    new_label: str
    overlap: float
    """Jaccard overlap of the old and new member sets."""
    into: tuple[str, ...] = ()
    """For a dissolved theme: the new themes that took its members."""


def content_key(item: Evidence) -> tuple[str, str]:
    """The order items are clustered in: by text, then id — independent of how they arrived."""
    return (item.text, item.item_id)


# ------------------------------------------------------------------------------ text features


def _tokens(texts: Sequence[str], spacy_model: str) -> list[list[tuple[str, str]]]:
    """(lower-cased surface form, lemma) of every alphabetic token, with the domain lemma exceptions;
    any other token leaves an empty pair, so that no bigram spans punctuation or a number."""
    nlp = load_spacy(spacy_model)
    out = []
    for doc in nlp.pipe(texts, batch_size=64):
        pairs = []
        for token in doc:
            if token.is_alpha:
                lower = token.lower_
                pairs.append((lower, LEMMA_EXCEPTIONS.get(lower) or (token.lemma_ or lower).lower()))
            elif not token.is_space:
                pairs.append(("", ""))
        out.append(pairs)
    return out


def _content_lemmas(pairs: Sequence[tuple[str, str]], stop: frozenset[str]) -> list[str]:
    return [lemma for surface, lemma in pairs if len(lemma) > 1 and lemma not in stop and surface not in stop]


class _LemmaTfidf:
    """Sublinear TF-IDF over content lemmas; small enough to store as JSON with the themes."""

    def __init__(self, vocabulary: dict[str, int] | None = None, idf: np.ndarray | None = None) -> None:
        self.vocabulary = vocabulary or {}
        self.idf = idf if idf is not None else np.zeros(0)

    def fit(self, docs: Sequence[Sequence[str]]) -> _LemmaTfidf:
        df = Counter(term for doc in docs for term in set(doc))
        self.vocabulary = {term: i for i, term in enumerate(sorted(df))}
        n = len(docs)
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in sorted(df)])
        return self

    def transform(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        matrix = np.zeros((len(docs), len(self.vocabulary)), dtype=np.float32)
        for row, doc in enumerate(docs):
            for term, count in Counter(doc).items():
                column = self.vocabulary.get(term)
                if column is not None:
                    matrix[row, column] = (1 + math.log(count)) * self.idf[column]
        return _normalise(matrix)

    def to_dict(self) -> dict[str, Any]:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {"terms": terms, "idf": [round(float(v), 6) for v in self.idf]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _LemmaTfidf:
        return cls({t: i for i, t in enumerate(data["terms"])}, np.asarray(data["idf"], dtype=float))


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def _cue_patterns(taxonomy: Taxonomy) -> list[list[re.Pattern[str]]]:
    return [[re.compile(r"(?<!\w)" + re.escape(cue)) for cue in concept.cues] for concept in taxonomy.categories]


def _cue_profile(texts: Sequence[str], patterns: list[list[re.Pattern[str]]]) -> np.ndarray:
    counts = np.array([[sum(bool(p.search(t.lower())) for p in cat) for cat in patterns] for t in texts], dtype=float)
    return _normalise(np.log1p(counts))


# ------------------------------------------------------------------------------ the clusterer


class ThemeClusterer:
    """Themes within one scope (a doel or algemeen) and one group (aanbevelingen or bevindingen)."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        taxonomy: Taxonomy | None = None,
        n_themes: int | None = None,
        k_selection: str = "silhouette",
        tfidf_weight: float = 1.0,
        taxonomy_weight: float = 1.0,
        resamples: int = 20,
        min_theme_size: int = 3,
        new_theme_threshold: float | None = None,
        duplicate_similarity: float = 0.85,
        duplicate_jaccard: float = 0.5,
        spacy_model: str = "nl_core_news_lg",
        seed: int = 13,
    ) -> None:
        if k_selection not in ("silhouette", "stability"):
            raise ValueError(f"k_selection must be 'silhouette' or 'stability', got {k_selection!r}")
        self.embedder = embedder
        self.taxonomy = taxonomy
        self.n_themes = n_themes
        self.k_selection = k_selection
        self.tfidf_weight = tfidf_weight
        self.taxonomy_weight = taxonomy_weight
        self.resamples = resamples
        self.min_theme_size = min_theme_size
        self.new_theme_threshold = new_theme_threshold
        self.duplicate_similarity = duplicate_similarity
        self.duplicate_jaccard = duplicate_jaccard
        self.spacy_model = spacy_model
        self.seed = seed

    # -- features
    def _concept_vectors(self) -> np.ndarray | None:
        if self.taxonomy is None or self.taxonomy_weight == 0:
            return None
        return self.embedder.encode([c.description for c in self.taxonomy.categories])

    def _features(self, texts: Sequence[str], lemma_docs: Sequence[Sequence[str]], embeddings: np.ndarray) -> np.ndarray:
        blocks = [embeddings, self.tfidf_weight * self.tfidf_.transform(lemma_docs)]
        if self.concept_vectors_ is not None and self.taxonomy is not None:
            z = (embeddings @ self.concept_vectors_.T - self.sim_mean_) / self.sim_std_
            blocks.append(self.taxonomy_weight * _normalise(np.exp(3 * np.clip(z, -5, 5))))
            blocks.append(self.taxonomy_weight * _cue_profile(texts, _cue_patterns(self.taxonomy)))
        return _normalise(np.hstack(blocks))

    # -- estimator API
    def fit(
        self,
        items: Sequence[Evidence],
        *,
        scope: str = "",
        group: str = "aanbevelingen",
        background: Sequence[Evidence] | None = None,
        taken_headings: frozenset[str] = frozenset(),
    ) -> ThemeClusterer:
        """Cluster the items into themes; `scope` and `group` only name the themes.

        `background` (default: the items) is what the IDF weights and the standardisation of
        the taxonomy profile are estimated on: all items of the corpus give steadier
        statistics than the few of one doel. `taken_headings` (lower case) are headings other
        scopes already use: one item serves several doelen, and one synthesis must not give two
        chapters' themes the same heading.
        """
        if not items:
            raise ValueError("ThemeClusterer.fit needs at least one item")
        ordered = sorted(items, key=content_key)
        self.scope_, self.group_ = scope, group
        self.item_ids_ = tuple(it.item_id for it in ordered)
        texts = [it.text for it in ordered]
        pairs = _tokens(texts, self.spacy_model)
        stop = _stop_words(domain=False)
        lemma_docs = [_content_lemmas(p, stop) for p in pairs]
        embeddings = self.embedder.encode(texts)
        if background:
            reference = sorted({it.text for it in background} | set(texts))
            reference_pairs = _tokens(reference, self.spacy_model)
            reference_docs = [_content_lemmas(p, stop) for p in reference_pairs]
            reference_embeddings = self.embedder.encode(reference)
        else:
            reference_pairs, reference_docs, reference_embeddings = pairs, lemma_docs, embeddings
        label_stop = _stop_words() | place_words([*items, *(background or ())])
        lexicon = _Lexicon.build(reference_pairs, label_stop)
        surface: dict[str, Counter[str]] = defaultdict(Counter)
        item_terms = [_label_terms(p, label_stop, lexicon, surface) for p in pairs]
        background_df = Counter(t for p in reference_pairs for t in set(_label_terms(p, label_stop, lexicon)))
        self._label_inputs = (item_terms, surface, background_df, len(reference_pairs), lexicon)
        self.tfidf_ = _LemmaTfidf().fit(reference_docs)
        self.concept_vectors_ = self._concept_vectors()
        if self.concept_vectors_ is not None:
            sims = reference_embeddings @ self.concept_vectors_.T
            self.sim_mean_ = sims.mean(axis=0)
            self.sim_std_ = np.maximum(sims.std(axis=0), 1e-3) if len(sims) > 1 else np.ones(sims.shape[1])
        asked = [clustered_text(it) for it in ordered]
        if asked == texts:
            X = self._features(texts, lemma_docs, embeddings)
        else:
            X = self._features(asked, [_content_lemmas(p, stop) for p in _tokens(asked, self.spacy_model)],
                               self.embedder.encode(asked))
        self.k_scores_: dict[int, float] = {}
        k = self._choose_k(X)
        raw = _agglomerative(X, k)
        if self.n_themes is None:
            raw = _fold_small_themes(X, raw, self.min_theme_size)
        self._build_themes(ordered, X, embeddings, raw, [_content_lemmas(p, label_stop) for p in pairs], taken_headings)
        return self

    def _candidate_ks(self, n: int) -> list[int]:
        if n < 4:
            return [1]
        centre = max(2, round(math.sqrt(n / 2)))
        return list(range(max(2, centre - 1), min(n - 1, centre + 1) + 1))

    def _choose_k(self, X: np.ndarray) -> int:
        n = len(X)
        if self.n_themes is not None:
            return max(1, min(self.n_themes, n))
        candidates = self._candidate_ks(n)
        if candidates == [1]:
            return 1
        from sklearn.metrics import adjusted_rand_score, silhouette_score

        rng = np.random.default_rng(self.seed)
        for k in candidates:
            labels = _agglomerative(X, k)
            if self.k_selection == "silhouette":
                self.k_scores_[k] = float(silhouette_score(X, labels, metric="cosine"))
            else:
                scores = []
                for _ in range(self.resamples):
                    sample = np.sort(rng.choice(n, max(k + 1, int(0.8 * n)), replace=False))
                    scores.append(adjusted_rand_score(labels[sample], _agglomerative(X[sample], k)))
                self.k_scores_[k] = float(np.mean(scores))
        return max(candidates, key=lambda k: (round(self.k_scores_[k], 6), -k))

    def _build_themes(
        self,
        ordered: Sequence[Evidence],
        X: np.ndarray,
        embeddings: np.ndarray,
        raw: np.ndarray,
        bundle_docs: Sequence[Sequence[str]],
        taken_headings: frozenset[str] = frozenset(),
    ) -> None:
        clusters = []
        for label in sorted(set(raw.tolist())):
            members = np.flatnonzero(raw == label)
            centroid = _normalise(X[members].mean(axis=0, keepdims=True))[0]
            central = int(members[int(np.argmax(X[members] @ centroid))])
            clusters.append((members, centroid, central))
        clusters.sort(key=lambda c: (-len(c[0]), self.item_ids_[c[2]]))
        theme_vectors = _normalise(np.vstack([embeddings[c[0]].mean(axis=0) for c in clusters]))

        def relevance(theme: int, terms: Sequence[str]) -> np.ndarray:
            return np.asarray(self.embedder.encode(list(terms)) @ theme_vectors[theme])

        labels_terms = _ctfidf_labels([list(c[0]) for c in clusters], *self._label_inputs, relevance=relevance)
        del self._label_inputs
        prefix = f"{self.scope_ or 'thema'}-{'A' if self.group_ == 'aanbevelingen' else 'B'}"
        profile = self._category_profile([it.text for it in ordered], embeddings)
        taken: set[str] = set(taken_headings)
        themes, centroids = [], []
        self.labels_ = np.zeros(len(ordered), dtype=int)
        for number, ((members, centroid, central), (label, terms)) in enumerate(zip(clusters, labels_terms)):
            theme_id = f"{prefix}{number + 1}"
            self.labels_[members] = number
            member_items = [ordered[int(i)] for i in members]
            bundles = bundle_recommendations(
                member_items, embeddings[members], [bundle_docs[int(i)] for i in members], theme_id,
                similarity=self.duplicate_similarity, jaccard=self.duplicate_jaccard,
            )
            leaning = (self.taxonomy.categories[int(profile[members].mean(axis=0).argmax())].code
                       if profile is not None and self.taxonomy is not None else "")
            categorie = majority_category(member_items, leaning)
            heading = self._heading(member_items, embeddings[members], categorie, terms, frozenset(taken))
            taken.add(heading[0].lower())
            themes.append(Theme(
                theme_id=theme_id, scope=self.scope_, group=self.group_, label=label, terms=terms,
                item_ids=tuple(sorted(it.item_id for it in member_items)),
                central_item_id=self.item_ids_[central],
                gemeenten=tuple(sorted({g for it in member_items for g in it.gemeenten})),
                bundles=bundles,
                categorie=categorie,
                heading=heading[0], heading_item_id=heading[1],
            ))
            centroids.append(centroid)
        self.themes_ = tuple(themes)
        self.centroids_ = np.vstack(centroids)
        self.threshold_ = (
            float(self.new_theme_threshold) if self.new_theme_threshold is not None else self._held_out_threshold(X)
        )

    def _heading(self, members: Sequence[Evidence], embeddings: np.ndarray, categorie: str, terms: Sequence[str],
                 taken: frozenset[str]) -> tuple[str, str]:
        """(heading, id of the member it comes from, "" for the category's own phrasing): what the
        members share, said as a member of the theme's own category says it or as the category
        says it (pipeline.headings.theme_heading)."""
        from .headings import CATEGORY_HEADINGS, theme_heading

        centre = embeddings.mean(axis=0)
        centre = centre / (np.linalg.norm(centre) or 1.0)
        own = [not categorie or not any(m.categorie for m in members) or m.categorie == categorie for m in members]
        found = theme_heading([_lead_apart(m) for m in members], own,
                              lambda clauses: (self.embedder.encode(list(clauses)) @ centre).tolist(), terms, taken,
                              categorie=categorie)
        if found is not None:
            return found.text, members[found.member].item_id if found.member is not None else ""
        # Every phrasing taken (or category overig without a clause): the category's first heading
        # again rather than a keyword label.
        return next(iter(CATEGORY_HEADINGS.get(categorie, ())), ""), ""

    def _held_out_threshold(self, X: np.ndarray) -> float:
        """5th percentile of each member's similarity to its theme's centroid computed without it:
        how close a new item that belongs to a theme can be expected to come."""
        sims = []
        for number in range(len(self.themes_)):
            members = X[self.labels_ == number]
            if len(members) < 2:
                continue
            total = members.sum(axis=0)
            for row in members:
                rest = total - row
                sims.append(float(row @ rest / (np.linalg.norm(rest) or 1.0)))
        return float(np.quantile(sims, 0.05)) if sims else 0.0

    def _category_profile(self, texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray | None:
        """Per item and category: standardised similarity to the description plus cue evidence."""
        if self.concept_vectors_ is None or self.taxonomy is None:
            return None
        z = (embeddings @ self.concept_vectors_.T - self.sim_mean_) / self.sim_std_
        return np.asarray(z + 2 * _cue_profile(texts, _cue_patterns(self.taxonomy)))

    def _similarities(self, items: Sequence[Evidence]) -> tuple[np.ndarray, np.ndarray]:
        """(items × themes cosine similarities, whether each item uses any word of the corpus)."""
        if not items:
            return np.zeros((0, len(self.themes_))), np.zeros(0, dtype=bool)
        texts = [clustered_text(it) for it in items]
        stop = _stop_words(domain=False)
        lemma_docs = [_content_lemmas(p, stop) for p in _tokens(texts, self.spacy_model)]
        known = np.array([any(t in self.tfidf_.vocabulary for t in doc) for doc in lemma_docs], dtype=bool)
        return self._features(texts, lemma_docs, self.embedder.encode(texts)) @ self.centroids_.T, known

    def similarities(self, items: Sequence[Evidence]) -> np.ndarray:
        """Cosine similarity of every item to every theme centroid (items × themes)."""
        return self._similarities(items)[0]

    def predict(self, items: Sequence[Evidence]) -> np.ndarray:
        """Index into `themes_` of the nearest theme centroid for each item."""
        return self.similarities(items).argmax(axis=1)

    def assign(self, items: Sequence[Evidence]) -> list[Assignment]:
        """Nearest theme per item; a possible new theme when the similarity is below `threshold_`
        or the item uses no content word of the corpus the themes were built on."""
        sims, known = self._similarities(items)
        out = []
        for item, row, in_vocabulary in zip(items, sims, known):
            best = int(np.argmax(row))
            out.append(Assignment(
                item_id=item.item_id, scope=self.scope_, theme_id=self.themes_[best].theme_id,
                similarity=round(float(row[best]), 4),
                possible_new_theme=bool(row[best] < self.threshold_ or not in_vocabulary),
            ))
        return out

    # -- persistence (JSON, so theme state can be read and diffed)
    def to_dict(self) -> dict[str, Any]:
        return {
            "params": {
                "n_themes": self.n_themes, "k_selection": self.k_selection, "tfidf_weight": self.tfidf_weight,
                "taxonomy_weight": self.taxonomy_weight if self.taxonomy is not None else 0.0,
                "resamples": self.resamples, "new_theme_threshold": self.new_theme_threshold,
                "duplicate_similarity": self.duplicate_similarity, "duplicate_jaccard": self.duplicate_jaccard,
                "spacy_model": self.spacy_model, "seed": self.seed,
            },
            "scope": self.scope_, "group": self.group_,
            "item_ids": list(self.item_ids_), "labels": self.labels_.tolist(),
            "k_scores": {str(k): v for k, v in self.k_scores_.items()},
            "tfidf": self.tfidf_.to_dict(),
            "sim_mean": self.sim_mean_.tolist() if self.concept_vectors_ is not None else None,
            "sim_std": self.sim_std_.tolist() if self.concept_vectors_ is not None else None,
            "centroids": [[round(float(v), 6) for v in row] for row in self.centroids_],
            "threshold": self.threshold_,
            "themes": [asdict(t) for t in self.themes_],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], embedder: Embedder, taxonomy: Taxonomy | None) -> ThemeClusterer:
        params = dict(data["params"])
        if not params.get("taxonomy_weight"):
            taxonomy = None
        clusterer = cls(embedder, taxonomy=taxonomy, **params)
        clusterer.scope_, clusterer.group_ = data["scope"], data["group"]
        clusterer.item_ids_ = tuple(data["item_ids"])
        clusterer.labels_ = np.asarray(data["labels"], dtype=int)
        clusterer.k_scores_ = {int(k): float(v) for k, v in data["k_scores"].items()}
        clusterer.tfidf_ = _LemmaTfidf.from_dict(data["tfidf"])
        clusterer.concept_vectors_ = clusterer._concept_vectors()
        if clusterer.concept_vectors_ is not None:
            clusterer.sim_mean_ = np.asarray(data["sim_mean"])
            clusterer.sim_std_ = np.asarray(data["sim_std"])
        clusterer.centroids_ = np.asarray(data["centroids"], dtype=np.float32)
        clusterer.threshold_ = float(data["threshold"])
        clusterer.themes_ = tuple(_theme_from_dict(t) for t in data["themes"])
        return clusterer


def _theme_from_dict(data: dict[str, Any]) -> Theme:
    bundles = tuple(
        BundledRecommendation(b["bundle_id"], b["text"], tuple(b["item_ids"]), tuple(b["gemeenten"]))
        for b in data.get("bundles", ())
    )
    return Theme(
        theme_id=data["theme_id"], scope=data["scope"], group=data["group"], label=data["label"],
        terms=tuple(data["terms"]), item_ids=tuple(data["item_ids"]), central_item_id=data["central_item_id"],
        gemeenten=tuple(data["gemeenten"]), bundles=bundles, categorie=data.get("categorie", ""),
        heading=data.get("heading", ""), heading_item_id=data.get("heading_item_id", ""),
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“\"])")


def clustered_text(item: Evidence) -> str:
    """What a recommendation is placed in a theme by: the first of its sentences that asks something
    (an imperative or 'moet …'), else its first sentence. The other sentences explain why or give an
    example, and drew advice with the same example together rather than advice that asks the same.
    On the NJi gold, ARI within doelen over eight runs (two embedders, two k-selections, three seeds):
    whole text 0.231 on average, first sentence 0.260, this 0.270. Findings and conclusions are placed
    whole."""
    from .headings import imperative_clause

    if item.kind != "aanbeveling":
        return item.text
    text = " ".join(item.text.split())
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    asking = [s for s in sentences if imperative_clause(s)]
    return (asking or sentences or [text])[0]


def _lead_apart(item: Evidence) -> str:
    """The item's text with its bold lead as a sentence of its own ("Leer van elkaar. De verschillen …"):
    the PDF set them apart, the extracted text often runs them together."""
    lead = " ".join(item.lead.split()).rstrip(".:")
    text = " ".join(item.text.split())
    if lead and text.startswith(lead):
        return f"{lead}. {text[len(lead):].lstrip(' .:')}"
    return item.text


def majority_category(members: Sequence[Evidence], leaning: str = "") -> str:
    """The category most members carry; ties go to `leaning` (the category the theme leans to by
    cues and similarity), then alphabetically. Without member categories: `leaning`."""
    counts = Counter(m.categorie for m in members if m.categorie)
    if not counts:
        return leaning
    top = max(counts.values())
    tied = sorted(c for c, n in counts.items() if n == top)
    return leaning if leaning in tied else tied[0]


def _agglomerative(X: np.ndarray, k: int) -> np.ndarray:
    if k <= 1 or len(X) < 2:
        return np.zeros(len(X), dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    return AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average").fit_predict(X)


def _fold_small_themes(X: np.ndarray, labels: np.ndarray, min_size: int) -> np.ndarray:
    """Move the items of the smallest theme under `min_size` into the theme whose centroid is
    nearest to its own, one theme at a time, while more than two themes remain."""
    labels = labels.copy()
    while True:
        sizes = Counter(labels.tolist())
        small = sorted((size, label) for label, size in sizes.items() if size < min_size)
        if not small or len(sizes) <= 2:
            return labels
        label = small[0][1]
        centroid = _normalise(X[labels == label].mean(axis=0, keepdims=True))[0]
        others = sorted(other for other in sizes if other != label)
        nearest = max(others, key=lambda other: float(
            _normalise(X[labels == other].mean(axis=0, keepdims=True))[0] @ centroid))
        labels[labels == label] = nearest


# ------------------------------------------------------------------------------ labels


LABEL_CANDIDATES = 12
"""How many of a theme's best c-TF-IDF terms are re-ranked by closeness in meaning to the theme."""
DETERMINERS = frozenset({"de", "het", "een", "deze", "die", "dit", "dat", "hun", "zijn", "haar", "onze", "elke",
                         "ieder", "iedere", "welke", "alle", "geen"})
_PARTICIPLE = re.compile(r"[a-z]{0,6}ge[a-zà-ÿ]{2,}(?:[dt]|en)")


@dataclass(frozen=True)
class _Lexicon:
    """What labels need to know about the corpus's words, without a tagger (the lookup lemmatiser
    has no parts of speech): the head of each Dutch compound, and how noun-like each lemma is."""

    heads: dict[str, str]
    """Surface form of a compound → lemma of its last part, when both parts stand alone in the corpus
    (the first maybe with a linking s or e; not a function word) and the last has five letters or
    more ("kwaliteitsindicatoren" → "indicator"; not "werkdruk" → "druk", "verplichte" → "licht"),
    so a theme whose members say *indicatoren* in three different compounds is recognised by it."""
    weights: dict[str, float]
    """Label weight of a lemma: attributive adjectives, past participles and imperatives (most of
    their uses stand before a noun, look like ge…d/t/en, or open the item; the latter two never
    follow an article) count 0.4, other lemmas in -en (nearly always infinitives) 0.5, anything
    else 1: themes are named by what they are about."""

    @classmethod
    def build(cls, docs: Sequence[Sequence[tuple[str, str]]], stop: frozenset[str]) -> _Lexicon:
        known: dict[str, str] = {}
        uses: Counter[str] = Counter()
        attributive: Counter[str] = Counter()
        after_article: Counter[str] = Counter()
        opening: Counter[str] = Counter()
        participle: set[str] = set()
        function_words = _stop_words(domain=False)
        words = {w for pairs in docs for pair in pairs for w in pair if len(w) >= 3} - function_words
        for pairs in docs:
            for n, (surface, lemma) in enumerate(pairs):
                if not lemma or lemma in stop or surface in stop:
                    continue
                if len(surface) >= 4:
                    known.setdefault(surface, lemma)
                uses[lemma] += 1
                following = pairs[n + 1][0] if n + 1 < len(pairs) else ""
                if surface.endswith("e") and not surface.endswith("ie") and following and following not in function_words:
                    attributive[lemma] += 1
                if n and pairs[n - 1][0] in DETERMINERS:
                    after_article[lemma] += 1
                if n == 0:
                    opening[lemma] += 1
                if lemma == surface and _PARTICIPLE.fullmatch(surface) and not surface.endswith(("heid", "schap")):
                    participle.add(lemma)
        heads = {}
        for surface in known:
            for cut in range(3, len(surface) - 4):
                head, modifier = surface[cut:], surface[:cut]
                if head in known and known[head] != known[surface] and (
                        modifier in words or modifier[:-1] in words and modifier[-1] in "se"):
                    heads[surface] = known[head]
                    break
        weights = {}
        for lemma, n in uses.items():
            imperative = opening[lemma] >= 0.5 * n and not after_article[lemma]
            if attributive[lemma] >= 0.5 * n or imperative or (lemma in participle and not after_article[lemma]):
                weights[lemma] = 0.4
            elif lemma.endswith("en"):
                weights[lemma] = 0.5
        return cls(heads, weights)

    def weight(self, term: str) -> float:
        """A phrase that ends in a noun-like word 1.3 ("meetbare indicatoren"), one that ends in an
        adjective, participle or infinitive 0.4 ("hulp verlengd"); a lemma its own weight."""
        *_, last = term.split()
        if " " in term:
            return 1.3 if self.weights.get(last, 1.0) == 1.0 else 0.4
        return self.weights.get(term, 1.0)


def _label_terms(
    pairs: Sequence[tuple[str, str]],
    stop: frozenset[str],
    lexicon: _Lexicon | None = None,
    surface: dict[str, Counter[str]] | None = None,
) -> list[str]:
    """Content lemmas, the heads of compounds, and bigrams of lemmas that stood next to each other
    (surface forms noted)."""
    terms = _content_lemmas(pairs, stop)
    if lexicon is not None:
        terms += [lexicon.heads[s] for s, _ in pairs if s in lexicon.heads and lexicon.heads[s] not in stop]
    for (s1, l1), (s2, l2) in zip(pairs, pairs[1:]):
        if all(len(x) > 1 and x not in stop for x in (l1, l2, s1, s2)) and l1 != l2:
            phrase = f"{l1} {l2}"
            terms.append(phrase)
            if surface is not None:
                surface[phrase][f"{s1} {s2}"] += 1
    return terms


def _same_word(a: str, b: str) -> bool:
    """The same lemma, or one a compound of the other ("gemeenteraad", "raad"; "informatievoorziening",
    "informatie")."""
    shorter = min(len(a), len(b))
    return a == b or (shorter >= 4 and (a.endswith(b) or b.endswith(a))) or (
        shorter >= 7 and (a.startswith(b) or b.startswith(a)))


def _display(term: str, surface: dict[str, Counter[str]]) -> str:
    """A lemma as it is; a bigram in its most frequent surface form ("meetbare indicatoren")."""
    return surface[term].most_common(1)[0][0] if " " in term else term


def _ctfidf_labels(
    clusters: Sequence[Sequence[int]],
    item_terms: Sequence[Sequence[str]],
    surface: dict[str, Counter[str]],
    background_df: Counter[str],
    n_background: int,
    lexicon: _Lexicon,
    relevance: Callable[[int, Sequence[str]], np.ndarray] | None = None,
    n_terms: int = 8,
) -> list[tuple[str, tuple[str, ...]]]:
    """Class-based TF-IDF over lemmas, compound heads and lemma bigrams.

    A term scores by the share of the theme's items that use it × log(1 + A / items using it
    in any theme of the scope) (A: average terms per theme) × its IDF in the background
    corpus, so words every recommendation uses do not label a theme, × its weight in the
    lexicon (bigrams 1.3, adjectives and participles 0.4, infinitives 0.5). With `relevance`
    (theme number, candidate terms → similarity to the theme) the best LABEL_CANDIDATES are
    re-ranked by score × similarity. A bigram needs two members (unless the theme has one)
    and is shown in its most frequent surface form; terms shared by several members come
    before terms of one member, and a term is left out when it repeats a word of a chosen one.
    """
    class_docfreq = [Counter(t for i in members for t in set(item_terms[i])) for members in clusters]
    overall: Counter[str] = Counter()
    for docfreq in class_docfreq:
        overall.update(docfreq)
    average = max(1.0, sum(overall.values()) / max(1, len(clusters)))
    out: list[tuple[str, tuple[str, ...]]] = []
    for number, (members, docfreq) in enumerate(zip(clusters, class_docfreq)):
        scored = []
        for term, count in docfreq.items():
            if " " in term and len(members) > 1 and count < 2:
                continue
            weight = lexicon.weight(term)
            idf = math.log((1 + n_background) / (1 + background_df.get(term, 0))) + 1
            scored.append((weight * count / len(members) * math.log(1 + average / overall[term]) * idf, term))
        shared = len(members) > 1
        scored.sort(key=lambda s: (shared and docfreq[s[1]] < 2, -s[0], s[1]))
        if relevance is not None and scored:
            # BERTopic's KeyBERT-inspired step: of the best candidates, prefer those whose meaning is
            # closest to the theme's (cosine to the centroid of its members' embeddings)
            top = scored[:LABEL_CANDIDATES]
            sims = relevance(number, [_display(t, surface) for _, t in top])
            best = max(v for v, _ in top) or 1.0
            top = [(v / best * max(float(sim), 0.0), t) for (v, t), sim in zip(top, sims)]
            top.sort(key=lambda s: (shared and docfreq[s[1]] < 2, -s[0], s[1]))
            scored = top + scored[LABEL_CANDIDATES:]
        chosen: list[str] = []
        for _, term in scored:
            words = [lexicon.heads.get(w, w) for w in term.split()]
            if any(_same_word(a, b) for c in chosen for a in words for b in c.split()):
                continue
            chosen.append(term)
            if len(chosen) == n_terms:
                break
        display = [_display(t, surface) for t in chosen]
        out.append((" · ".join(display[:3]) or "(geen kenmerkende woorden)", tuple(display)))
    return out


# ------------------------------------------------------------------------------ bundling


def near_duplicate_groups(
    embeddings: np.ndarray, lemma_docs: Sequence[Sequence[str]], *, similarity: float = 0.85, jaccard: float = 0.5
) -> list[list[int]]:
    """Groups of the same advice worded (almost) alike: content-lemma Jaccard ≥ 0.8, or
    Jaccard ≥ `jaccard` together with embedding cosine ≥ `similarity`; transitive closure."""
    n = len(lemma_docs)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    sets = [set(doc) for doc in lemma_docs]
    sims = embeddings @ embeddings.T if n else np.zeros((0, 0))
    for a in range(n):
        for b in range(a + 1, n):
            union = len(sets[a] | sets[b])
            j = len(sets[a] & sets[b]) / union if union else 0.0
            if j >= 0.8 or (j >= jaccard and sims[a, b] >= similarity):
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def find_near_duplicates(
    items: Sequence[Evidence], embedder: Embedder, *, spacy_model: str = "nl_core_news_lg"
) -> list[list[Evidence]]:
    """The groups of two or more items that give the same advice (see `near_duplicate_groups`)."""
    ordered = sorted(items, key=content_key)
    if len(ordered) < 2:
        return []
    stop = _stop_words()
    lemma_docs = [_content_lemmas(p, stop) for p in _tokens([e.text for e in ordered], spacy_model)]
    groups = near_duplicate_groups(embedder.encode([e.text for e in ordered]), lemma_docs)
    return [[ordered[i] for i in g] for g in groups if len(g) > 1]


def bundle_recommendations(
    items: Sequence[Evidence],
    embeddings: np.ndarray,
    lemma_docs: Sequence[Sequence[str]],
    theme_id: str,
    *,
    similarity: float = 0.85,
    jaccard: float = 0.5,
) -> tuple[BundledRecommendation, ...]:
    """One bundle per near-duplicate group, worded as its most central member, most gemeenten first."""
    bundles = []
    for members in near_duplicate_groups(embeddings, lemma_docs, similarity=similarity, jaccard=jaccard):
        centre = embeddings[members].mean(axis=0)
        best = members[int(np.argmax(embeddings[members] @ centre))]
        bundles.append((
            items[best].headline,
            tuple(sorted(items[i].item_id for i in members)),
            tuple(sorted({g for i in members for g in items[i].gemeenten})),
        ))
    bundles.sort(key=lambda b: (-len(b[2]), -len(b[1]), b[0]))
    return tuple(
        BundledRecommendation(f"{theme_id}.{n + 1}", text, ids, gemeenten)
        for n, (text, ids, gemeenten) in enumerate(bundles)
    )


# ------------------------------------------------------------------------------ all scopes


class ThemeIndex:
    """The fitted clusterers of a corpus, one per (scope, group); assigns, saves and loads."""

    def __init__(self, clusterers: dict[str, ThemeClusterer], embedder_name: str, meta: dict[str, Any] | None = None):
        self.clusterers = clusterers
        self.embedder_name = embedder_name
        self.meta = meta or {}

    @staticmethod
    def key(scope: str, group: str) -> str:
        return f"{scope}/{group}"

    @property
    def themes(self) -> list[Theme]:
        return [t for key in sorted(self.clusterers, key=_key_order) for t in self.clusterers[key].themes_]

    def themes_for(self, scope: str, group: str = "aanbevelingen") -> tuple[Theme, ...]:
        clusterer = self.clusterers.get(self.key(scope, group))
        return clusterer.themes_ if clusterer else ()

    @property
    def item_ids(self) -> set[str]:
        return {i for c in self.clusterers.values() for i in c.item_ids_}

    def assign(self, items: Sequence[Evidence], group: str | None = None) -> list[Assignment]:
        """Every item to the nearest theme of each of its scopes, among the themes of its own group
        (attached kinds: aanbevelingen) or of `group` when given."""
        routed: dict[str, list[Evidence]] = defaultdict(list)
        for item in items:
            for scope in item.scopes:
                key = self.key(scope, group or item.group or "aanbevelingen")
                if key in self.clusterers:
                    routed[key].append(item)
        out = []
        for key in sorted(routed, key=_key_order):
            out.extend(self.clusterers[key].assign(routed[key]))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "metadossier-themes/1",
            "embedder": self.embedder_name,
            "meta": self.meta,
            "clusterers": {k: self.clusterers[k].to_dict() for k in sorted(self.clusterers, key=_key_order)},
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, embedder: Embedder, taxonomy: Taxonomy | None) -> ThemeIndex:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise MetadossierError(f"{path}: de thema's kunnen niet worden gelezen ({exc}) — draai `metadossier recluster`") from None
        if data.get("format") != "metadossier-themes/1":
            raise MetadossierError(f"{path}: onbekend formaat voor de thema's — draai `metadossier recluster`")
        if data["embedder"] != embedder.name:
            raise MetadossierError(
                f"{path}: de thema's zijn gemaakt met '{data['embedder']}', deze run gebruikt '{embedder.name}' — "
                "draai `metadossier recluster`"
            )
        clusterers = {k: ThemeClusterer.from_dict(v, embedder, taxonomy) for k, v in data["clusterers"].items()}
        return cls(clusterers, data["embedder"], data.get("meta"))


def _key_order(key: str) -> tuple[int, str]:
    scope, _, group = key.partition("/")
    return (SCOPES.index(scope) if scope in SCOPES else len(SCOPES), group)


def build_themes(
    evidence: Sequence[Evidence],
    embedder: Embedder,
    *,
    taxonomy: Taxonomy | None = None,
    n_themes: int | None = None,
    k_selection: str = "silhouette",
    spacy_model: str = "nl_core_news_lg",
    seed: int = 13,
) -> ThemeIndex:
    """Cluster aanbevelingen and, separately, bevindingen/conclusies within every scope they belong to."""
    by_key: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for item in evidence:
        if item.group is None:
            continue
        for scope in item.scopes:
            by_key[(scope, item.group)].append(item)
    fitted = {}
    taken: set[str] = set()
    # Headings are handed out in the synthesis's order (the aanbevelingen of algemeen, D1 … D5, then the
    # bevindingen), whatever order the evidence came in: a heading one theme takes, no later one gets.
    for scope, group in sorted(by_key, key=lambda k: (k[1] != "aanbevelingen", _scope_rank(k[0]), k)):
        clusterer = ThemeClusterer(
            embedder, taxonomy=taxonomy, n_themes=n_themes, k_selection=k_selection, spacy_model=spacy_model, seed=seed
        )
        fitted[(scope, group)] = clusterer.fit(
            by_key[(scope, group)], scope=scope, group=group, background=evidence, taken_headings=frozenset(taken))
        taken |= {theme.heading.lower() for theme in clusterer.themes_ if theme.heading}
    clusterers = {ThemeIndex.key(scope, group): fitted[(scope, group)] for scope, group in by_key}
    return ThemeIndex(clusterers, embedder.name, {"items": len(evidence), "k_selection": k_selection, "seed": seed})


def _scope_rank(scope: str) -> int:
    return SCOPES.index(scope) if scope in SCOPES else len(SCOPES)


def compare_themes(old: Sequence[Theme], new: Sequence[Theme], min_overlap: float = 0.3) -> list[ThemeChange]:
    """Match old to new themes of the same scope and group by member overlap (Jaccard, greedy best first)."""
    def jaccard(a: Theme, b: Theme) -> float:
        sa, sb = set(a.item_ids), set(b.item_ids)
        return len(sa & sb) / len(sa | sb) if sa | sb else 0.0

    pairs = sorted(
        ((jaccard(o, n), o.theme_id, n.theme_id, o, n) for o in old for n in new
         if (o.scope, o.group) == (n.scope, n.group)),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    matched_old: set[str] = set()
    matched_new: set[str] = set()
    changes = []
    for overlap, old_id, new_id, o, n in pairs:
        if overlap < min_overlap or old_id in matched_old or new_id in matched_new:
            continue
        matched_old.add(old_id)
        matched_new.add(new_id)
        same = overlap == 1.0 and o.label == n.label
        changes.append(ThemeChange("unchanged" if same else "changed", o.scope, o.group, old_id, new_id,
                                   o.label, n.label, round(overlap, 3)))
    for o in old:
        if o.theme_id not in matched_old:
            into = tuple(sorted(n.theme_id for n in new if (n.scope, n.group) == (o.scope, o.group)
                                and set(n.item_ids) & set(o.item_ids)))
            changes.append(ThemeChange("dissolved", o.scope, o.group, o.theme_id, None, o.label, "", 0.0, into))
    for n in new:
        if n.theme_id not in matched_new:
            changes.append(ThemeChange("new", n.scope, n.group, None, n.theme_id, "", n.label, 0.0))
    order = {"changed": 0, "new": 1, "dissolved": 2, "unchanged": 3}
    return sorted(changes, key=lambda c: (order[c.status], _key_order(f"{c.scope}/{c.group}"), c.old_id or "", c.new_id or ""))
