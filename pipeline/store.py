"""Store: one embedded SQLite file with reports, pages, paragraphs, items, labels and runs.

A report is written in one transaction together with its pages, paragraphs and items, so
a crash or a bad file mid-batch never leaves half a report; reports are keyed by the
SHA-256 of the PDF, so ingesting the same file twice stores nothing new. Items are
indexed with FTS5 for keyword search.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import StoreError
from .records import ExtractedDocument, Item, Label, Reaction, ReportMeta

SCHEMA_VERSION = 2
LABEL_PRECEDENCE = {"model": 0, "gold": 1, "human": 2}
"""Which stored label is in force when an item has several: the highest."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    settings TEXT NOT NULL DEFAULT '{}',
    summary TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    gemeente TEXT NOT NULL DEFAULT '',
    rekenkamer TEXT NOT NULL DEFAULT '',
    year INTEGER,
    doc_type TEXT NOT NULL,
    page_count INTEGER NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    width REAL NOT NULL,
    height REAL NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (report_id, number)
);
CREATE TABLE IF NOT EXISTS paragraphs (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    level INTEGER NOT NULL,
    number TEXT NOT NULL,
    text TEXT NOT NULL,
    bold_lead TEXT NOT NULL,
    bullet TEXT NOT NULL,
    page_start INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    x0 REAL, top REAL, x1 REAL, bottom REAL,
    size REAL NOT NULL,
    bold INTEGER NOT NULL,
    cells TEXT NOT NULL DEFAULT '',
    table_id INTEGER NOT NULL DEFAULT -1,
    box INTEGER NOT NULL DEFAULT -1,
    PRIMARY KEY (report_id, idx)
);
CREATE TABLE IF NOT EXISTS items (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    type TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    lead TEXT NOT NULL,
    text TEXT NOT NULL,
    section_path TEXT NOT NULL,
    page_start INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    x0 REAL, top REAL, x1 REAL, bottom REAL,
    addressee TEXT,
    stance TEXT,
    reaction TEXT,
    reaction_page_start INTEGER,
    reaction_page_end INTEGER,
    stance_evidence TEXT,
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS items_report ON items(report_id, ord);
CREATE INDEX IF NOT EXISTS items_type ON items(type);
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
    lead, text, content='items', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS items_ai AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, lead, text) VALUES (new.rowid, new.lead, new.text);
END;
CREATE TRIGGER IF NOT EXISTS items_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, lead, text) VALUES ('delete', old.rowid, old.lead, old.text);
END;
CREATE TABLE IF NOT EXISTS labels (
    id INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    model_version TEXT NOT NULL,
    doelen TEXT NOT NULL,
    algemeen INTEGER NOT NULL,
    categorie TEXT NOT NULL,
    scores TEXT NOT NULL DEFAULT '{}',
    categorie_scores TEXT NOT NULL DEFAULT '{}',
    current INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id)
);
CREATE INDEX IF NOT EXISTS labels_item ON labels(item_id, current);
"""

ITEM_COLUMNS = (
    "id", "report_id", "gemeente", "year", "doc_type", "type", "number", "lead", "text",
    "section_path", "page_start", "page_end", "addressee", "stance", "reaction",
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """Thin access layer over the SQLite file; every write method is one transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc}) — check the --db path") from None
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        try:
            self.conn.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path}: not a metadossier store ({exc}) — pass another --db or move the file away"
            ) from None
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            self.conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) == SCHEMA_VERSION - 1:
            self._add_table_columns()
        elif int(row[0]) != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema {row[0]} but this metadossier expects {SCHEMA_VERSION} — "
                "re-ingest into a new --db"
            )

    def _add_table_columns(self) -> None:
        """Schema 1 → 2: paragraphs keep their table cells and box (stores made before keep their data)."""
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            columns = {r[1] for r in self.conn.execute("PRAGMA table_info(paragraphs)")}
            for name, ddl in (("cells", "TEXT NOT NULL DEFAULT ''"), ("table_id", "INTEGER NOT NULL DEFAULT -1"),
                              ("box", "INTEGER NOT NULL DEFAULT -1")):
                if name not in columns:
                    self.conn.execute(f"ALTER TABLE paragraphs ADD COLUMN {name} {ddl}")
            self.conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.conn.close()

    def store_id(self) -> str | None:
        """A random id, given to the store the first time it is asked for and kept in its meta table,
        so caches derived from one store file are never taken for another's at the same path
        (None when the file is read-only and has none yet)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()
        if row is not None:
            return str(row[0])
        try:
            self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('store_id', ?)", (uuid.uuid4().hex,))
        except sqlite3.OperationalError:
            return None
        row = self.conn.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()
        return str(row[0]) if row else None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # ---------------------------------------------------------------- runs
    def start_run(self, command: str, settings: dict[str, Any]) -> int:
        cur = self.conn.execute(
            "INSERT INTO runs(command, started_at, settings) VALUES (?, ?, ?)",
            (command, _now(), json.dumps(settings, default=str, sort_keys=True)),
        )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, summary: dict[str, Any]) -> None:
        self.conn.execute(
            "UPDATE runs SET finished_at=?, status=?, summary=? WHERE id=?",
            (_now(), status, json.dumps(summary, default=str, sort_keys=True), run_id),
        )

    def runs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM runs ORDER BY id")]

    # ---------------------------------------------------------------- reports
    def has_hash(self, content_hash: str) -> str | None:
        row = self.conn.execute("SELECT id FROM reports WHERE content_hash=?", (content_hash,)).fetchone()
        return str(row[0]) if row else None

    def has_report_id(self, report_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM reports WHERE id=?", (report_id,)).fetchone() is not None

    def add_report(
        self,
        meta: ReportMeta,
        document: ExtractedDocument,
        items: Sequence[Item],
        labels: Sequence[Label] = (),
        run_id: int | None = None,
    ) -> None:
        """Write a report with everything that belongs to it, all or nothing."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO reports(id, content_hash, file_name, title, gemeente, rekenkamer, year, doc_type,"
                " page_count, run_id, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    meta.report_id, document.content_hash, meta.file_name, meta.title, meta.gemeente,
                    meta.rekenkamer, meta.year, meta.doc_type, document.page_count, run_id, _now(),
                ),
            )
            conn.executemany(
                "INSERT INTO pages(report_id, number, width, height, text) VALUES (?,?,?,?,?)",
                [(meta.report_id, p.number, p.width, p.height, p.text) for p in document.pages],
            )
            conn.executemany(
                "INSERT INTO paragraphs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        meta.report_id, p.index, p.kind, p.level, p.number, p.text, p.bold_lead, p.bullet,
                        p.page_start, p.page_end, *p.bbox, p.size, int(p.bold),
                        json.dumps(list(p.cells), ensure_ascii=False) if p.cells else "", p.table, p.box,
                    )
                    for p in document.paragraphs
                ],
            )
            self._insert_items(conn, items)
            self._insert_labels(conn, labels, run_id)

    @staticmethod
    def _insert_items(conn: sqlite3.Connection, items: Iterable[Item]) -> None:
        conn.executemany(
            "INSERT INTO items(id, report_id, ord, type, number, lead, text, section_path, page_start, page_end,"
            " x0, top, x1, bottom, addressee, stance, reaction, reaction_page_start, reaction_page_end,"
            " stance_evidence, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    it.item_id, it.report_id, it.order, it.type, it.number, it.lead, it.text,
                    json.dumps(list(it.section_path), ensure_ascii=False), it.page_start, it.page_end,
                    *(it.bbox or (None, None, None, None)), it.addressee, it.stance,
                    it.reaction.text if it.reaction else None,
                    it.reaction.page_start if it.reaction else None,
                    it.reaction.page_end if it.reaction else None,
                    it.reaction.evidence if it.reaction else None,
                    json.dumps(it.extra, ensure_ascii=False),
                )
                for it in items
            ],
        )

    @staticmethod
    def _insert_labels(conn: sqlite3.Connection, labels: Iterable[Label], run_id: int | None) -> None:
        labels = list(labels)
        if not labels:
            return
        conn.executemany(
            "UPDATE labels SET current=0 WHERE item_id=? AND source=?", [(lb.item_id, lb.source) for lb in labels]
        )
        conn.executemany(
            "INSERT INTO labels(item_id, source, model_version, doelen, algemeen, categorie, scores,"
            " categorie_scores, current, created_at, run_id) VALUES (?,?,?,?,?,?,?,?,1,?,?)",
            [
                (
                    lb.item_id, lb.source, lb.model_version, json.dumps(list(lb.doelen)), int(lb.algemeen),
                    lb.categorie, json.dumps(lb.scores), json.dumps(lb.categorie_scores), _now(), run_id,
                )
                for lb in labels
            ],
        )

    def add_labels(self, labels: Sequence[Label], run_id: int | None = None) -> None:
        """Store new labels as current; earlier labels of the same source stay, marked not current."""
        with self.transaction() as conn:
            self._insert_labels(conn, labels, run_id)

    def report_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM reports ORDER BY id")]

    def report(self, report_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM reports WHERE id=?", (report_id,)).fetchone()
        return dict(row) if row else None

    def reports(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM reports ORDER BY id")]

    def paragraphs(self, report_id: str) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.conn.execute("SELECT * FROM paragraphs WHERE report_id=? ORDER BY idx", (report_id,))
        ]

    def page(self, report_id: str, number: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT * FROM pages WHERE report_id=? AND number=?", (report_id, number)
        ).fetchone()
        return dict(row) if row else None

    # ---------------------------------------------------------------- items
    def items(
        self,
        *,
        type: str | None = None,
        report_id: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Items joined with their report's metadata and the label in force (`current_labels`)."""
        where, params = [], []  # type: ignore[var-annotated]
        if type:
            where.append("i.type = ?")
            params.append(type)
        if report_id:
            where.append("i.report_id = ?")
            params.append(report_id)
        if ids is not None:
            where.append(f"i.id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        sql = (
            "SELECT i.*, r.gemeente, r.year, r.doc_type, r.rekenkamer, r.title AS report_title, r.file_name"
            " FROM items i JOIN reports r ON r.id = i.report_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY i.report_id, i.ord"
        )
        rows = [dict(r) for r in self.conn.execute(sql, params)]
        labels = self.current_labels([r["id"] for r in rows])
        for row in rows:
            row["section_path"] = json.loads(row["section_path"])
            row["extra"] = json.loads(row["extra"])
            row["label"] = labels.get(row["id"])
        return rows

    def current_labels(self, item_ids: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        """The label in force per item: a person's correction beats the gold label, which beats the model's."""
        sql = "SELECT * FROM labels WHERE current=1"
        rows = [dict(r) for r in self.conn.execute(sql)]
        wanted = set(item_ids) if item_ids is not None else None
        out: dict[str, dict[str, Any]] = {}
        for row in rows:
            if wanted is not None and row["item_id"] not in wanted:
                continue
            row["doelen"] = json.loads(row["doelen"])
            row["scores"] = json.loads(row["scores"])
            row["categorie_scores"] = json.loads(row["categorie_scores"])
            row["algemeen"] = bool(row["algemeen"])
            existing = out.get(row["item_id"])
            if existing is None or LABEL_PRECEDENCE[row["source"]] > LABEL_PRECEDENCE[existing["source"]]:
                out[row["item_id"]] = row
        return out

    def label_history(self, item_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM labels WHERE item_id=? ORDER BY id", (item_id,))]

    def search(self, query: str, limit: int = 50) -> list[tuple[str, float]]:
        """Keyword search over item lead and text: (item id, bm25 score; lower is better)."""
        match = fts_query(query)
        if not match:
            return []
        rows = self.conn.execute(
            "SELECT i.id, bm25(items_fts) AS score FROM items_fts JOIN items i ON i.rowid = items_fts.rowid"
            " WHERE items_fts MATCH ? ORDER BY score LIMIT ?",
            (match, limit),
        ).fetchall()
        return [(r[0], float(r[1])) for r in rows]

    def counts(self) -> dict[str, Any]:
        per_type = dict(self.conn.execute("SELECT type, COUNT(*) FROM items GROUP BY type").fetchall())
        return {
            "reports": self.conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0],
            "pages": self.conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0],
            "items": per_type,
        }


def fts_query(text: str) -> str:
    """Turn free text into a safe FTS5 query: every content word a quoted prefix term, OR-ed.

    Dutch stop words are left out ("de", "het", "en" would match every item) unless the query
    has nothing else."""
    import re

    from .language import dutch_stop_words

    stop = dutch_stop_words()
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1]
    content = [w for w in words if w not in stop] or words
    return " OR ".join(f'"{w}"*' for w in dict.fromkeys(content))


def reaction_from_row(row: dict[str, Any]) -> Reaction | None:
    if not row.get("reaction") and row.get("stance") in (None, "onbekend"):
        return None
    return Reaction(
        text=row.get("reaction") or "",
        stance=row.get("stance") or "onbekend",
        page_start=row.get("reaction_page_start") or row["page_start"],
        page_end=row.get("reaction_page_end") or row["page_end"],
        evidence=row.get("stance_evidence") or "",
    )


def item_record(row: dict[str, Any]) -> dict[str, Any]:
    """The public JSON shape of an item (what `metadossier items --format jsonl` prints)."""
    label = row.get("label")
    return {
        "id": row["id"],
        "report_id": row["report_id"],
        "gemeente": row.get("gemeente"),
        "year": row.get("year"),
        "rekenkamer": row.get("rekenkamer"),
        "report_title": row.get("report_title"),
        "doc_type": row.get("doc_type"),
        "type": row["type"],
        "lead": row["lead"],
        "text": row["text"],
        "section": " › ".join(row["section_path"]),
        "page_start": row["page_start"],
        "page_end": row["page_end"],
        "addressee": row.get("addressee"),
        "stance": row.get("stance"),
        "reaction": row.get("reaction"),
        "doelen": label["doelen"] if label else None,
        "algemeen": label["algemeen"] if label else None,
        "categorie": label["categorie"] if label else None,
        "label_source": label["source"] if label else None,
        "model_version": label["model_version"] if label else None,
        "extra": row.get("extra") or {},
    }


def asdict_meta(meta: ReportMeta) -> dict[str, Any]:
    return asdict(meta)
