"""Store: one embedded SQLite file with reports, pages, paragraphs, items, labels and runs.

A report is written in one transaction together with its pages, paragraphs and items, so
a crash or a bad file mid-batch never leaves half a report; reports are keyed by the
SHA-256 of the PDF, so ingesting the same file twice stores nothing new. Items are
indexed with FTS5 for keyword search.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import StoreError
from .records import ExtractedDocument, Item, Label, Reaction, ReportMeta, source_kind

SCHEMA_VERSION = 3
LABEL_PRECEDENCE = {"model": 0, "import": 1, "gold": 2, "human": 3}
"""Which stored label is in force when an item has several: the highest. Labels that came with an
imported file beat the model's; an annotator's and a person's correction beat both."""

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
    ingested_at TEXT NOT NULL,
    source_url TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS pages (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    width REAL NOT NULL,
    height REAL NOT NULL,
    text TEXT NOT NULL,
    ocr INTEGER NOT NULL DEFAULT 0,
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
    "section_path", "page_start", "page_end", "addressee", "stance", "stance_evidence", "reaction",
)


BUSY_TIMEOUT_S = 30
"""How long a write waits for another process's write transaction before giving up."""


class ReportIdTaken(Exception):
    """Store.add_report: another file is stored under this report id (pick another and retry)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _is_locked(exc: sqlite3.Error) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def _statements(script: str) -> list[str]:
    """The statements of a script, split where sqlite3.complete_statement says one ends."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return [s for s in out if s]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    if pid == os.getpid():
        return True
    try:  # a zombie (killed, not yet reaped by its parent) is gone as far as the run is concerned
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return True


class Store:
    """Thin access layer over the SQLite file; every write method is one transaction."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        """Open the store at `path`, creating it (and its folder) unless `create` is False.

        Safe to call from several processes at once, on a fresh file too: the schema is written in
        one write transaction and switching to WAL is retried while another process holds the lock.
        Runs left `running` by a process that no longer exists are marked `interrupted`."""
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise StoreError(
                f"{self.path}: daar is geen opslag — controleer --db (of METADOSSIER_DB), of maak hem met "
                f"`metadossier ingest PDF… --db {self.path}`"
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{self.path}: de opslag kan niet worden geopend ({exc}) — controleer het pad bij --db") from None
        try:
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            if _is_locked(exc):
                raise StoreError(
                    f"{self.path}: de opslag is al meer dan {BUSY_TIMEOUT_S} s in gebruik door een ander proces ({exc}) — "
                    "wacht tot dat klaar is en probeer het opnieuw"
                ) from None
            raise StoreError(
                f"{self.path}: dit is geen opslag van metadossier ({exc}) — kies een andere --db of zet het bestand ergens anders neer"
            ) from None
        except StoreError:
            self.conn.close()
            raise

    def _prepare(self) -> None:
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self._use_wal()
        self.conn.execute("PRAGMA synchronous = NORMAL")
        if self._schema_ready():
            if self.conn.execute("SELECT 1 FROM runs WHERE status='running' LIMIT 1").fetchone():
                with self.transaction() as conn:
                    self._mark_interrupted_runs(conn)
            return
        with self.transaction() as conn:
            # executescript would commit the open transaction first, so the statements go one by one.
            for statement in _statements(SCHEMA):
                conn.execute(statement)
            columns = {r[1] for r in conn.execute("PRAGMA table_info(runs)")}
            for column, kind in (("pid", "INTEGER"), ("host", "TEXT")):
                if column not in columns:
                    conn.execute(f"ALTER TABLE runs ADD COLUMN {column} {kind}")
            self._migrate(conn)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self._check_version(conn)
            self._mark_interrupted_runs(conn)

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        """Bring an older store up to SCHEMA_VERSION, one step at a time, keeping its data.

        1 → 2: paragraphs keep their table cells and box, pages whether OCR read them.
        2 → 3: reports keep their source URL, and a thesis filed as 'onderzoek' becomes a 'scriptie'
        (source kinds, `records.source_kind`)."""
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit() or int(row[0]) >= SCHEMA_VERSION:
            return
        version = int(row[0])

        def add_columns(*columns: tuple[str, str, str]) -> None:
            for table, name, ddl in columns:
                if name not in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}")

        if version < 2:
            add_columns(("paragraphs", "cells", "TEXT NOT NULL DEFAULT ''"),
                        ("paragraphs", "table_id", "INTEGER NOT NULL DEFAULT -1"),
                        ("paragraphs", "box", "INTEGER NOT NULL DEFAULT -1"),
                        ("pages", "ocr", "INTEGER NOT NULL DEFAULT 0"))
        if version < 3:
            add_columns(("reports", "source_url", "TEXT NOT NULL DEFAULT ''"))
            kinds = [(source_kind(r[1], r[2], r[3]), r[0]) for r in
                     conn.execute("SELECT id, doc_type, file_name, title FROM reports")]
            conn.executemany("UPDATE reports SET doc_type=? WHERE id=?", kinds)
        conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def _schema_ready(self) -> bool:
        """True when the file already has this version's schema: then opening it writes nothing."""
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return False
            raise
        if row is None:
            return False
        if str(row[0]).isdigit() and int(row[0]) < SCHEMA_VERSION:
            return False  # migrated in the setup transaction
        self._check_version(self.conn)
        return {"pid", "host"} <= {r[1] for r in self.conn.execute("PRAGMA table_info(runs)")}

    def _check_version(self, conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is not None and str(row[0]) != str(SCHEMA_VERSION):
            raise StoreError(
                f"{self.path}: de opslag heeft schema {row[0]}, maar deze versie van metadossier verwacht {SCHEMA_VERSION} — "
                "lees de rapporten opnieuw in, in een nieuwe --db"
            )

    def _use_wal(self) -> None:
        """Switch to WAL. Changing the journal mode needs the file to itself and SQLite does not wait
        for that (no busy handler), so two processes opening a fresh store retry here."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        delay = 0.01
        while True:
            try:
                if str(self.conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
                    return
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.2)

    @staticmethod
    def _mark_interrupted_runs(conn: sqlite3.Connection) -> None:
        """A run still `running` whose process is gone (killed, crashed, machine restarted) is
        `interrupted`; runs of live processes, and of other machines, are left alone."""
        host = socket.gethostname()
        stale = [
            r[0] for r in conn.execute("SELECT id, pid, host FROM runs WHERE status='running'")
            if r[1] is None or (r[2] == host and not _process_alive(int(r[1])))
        ]
        if stale:
            conn.executemany(
                "UPDATE runs SET status='interrupted', finished_at=? WHERE id=? AND status='running'",
                [(_now(), run_id) for run_id in stale],
            )

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
        """Record a run as `running`, with this process's id so that a later open can tell a
        killed run (`interrupted`) from one still going."""
        cur = self.conn.execute(
            "INSERT INTO runs(command, started_at, settings, pid, host) VALUES (?, ?, ?, ?, ?)",
            (command, _now(), json.dumps(settings, default=str, sort_keys=True), os.getpid(), socket.gethostname()),
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
    ) -> str | None:
        """Write a report with everything that belongs to it, all or nothing.

        Returns None when written, or the id of the stored report that already has this content,
        when another process stored the same file first (then nothing is written). Raises
        ReportIdTaken when another file holds `meta.report_id`. Both are checked inside the write
        transaction, so concurrent ingests never store a file twice."""
        with self.transaction() as conn:
            row = conn.execute("SELECT id FROM reports WHERE content_hash=?", (document.content_hash,)).fetchone()
            if row is not None:
                return str(row[0])
            if conn.execute("SELECT 1 FROM reports WHERE id=?", (meta.report_id,)).fetchone() is not None:
                raise ReportIdTaken(meta.report_id)
            conn.execute(
                "INSERT INTO reports(id, content_hash, file_name, title, gemeente, rekenkamer, year, doc_type,"
                " page_count, run_id, ingested_at, source_url) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    meta.report_id, document.content_hash, meta.file_name, meta.title, meta.gemeente,
                    meta.rekenkamer, meta.year, meta.doc_type, document.page_count, run_id, _now(),
                    meta.source_url,
                ),
            )
            conn.executemany(
                "INSERT INTO pages(report_id, number, width, height, text, ocr) VALUES (?,?,?,?,?,?)",
                [(meta.report_id, p.number, p.width, p.height, p.text, int(p.number in document.ocr_pages))
                 for p in document.pages],
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
        return None

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

    def add_imported(
        self,
        reports: Sequence[tuple[ReportMeta, str]],
        items: Sequence[Item],
        labels: Sequence[Label] = (),
        run_id: int | None = None,
    ) -> tuple[list[str], list[str], list[Label]]:
        """Store imported reports (meta, key hash) and their items in one transaction, skipping what is
        there already: a report by its key hash, an item by its id. An imported label is written only
        when it differs from the item's current imported label; a model label only for a new item.

        Returns (new report ids, new item ids, labels written), so importing a file twice writes nothing."""
        with self.transaction() as conn:
            new_reports = []
            for meta, key_hash in reports:
                if conn.execute("SELECT 1 FROM reports WHERE content_hash=?", (key_hash,)).fetchone():
                    continue
                conn.execute(
                    "INSERT INTO reports(id, content_hash, file_name, title, gemeente, rekenkamer, year, doc_type,"
                    " page_count, run_id, ingested_at, source_url) VALUES (?,?,?,?,?,?,?,?,0,?,?,?)",
                    (meta.report_id, key_hash, meta.file_name, meta.title, meta.gemeente, meta.rekenkamer,
                     meta.year, meta.doc_type, run_id, _now(), meta.source_url),
                )
                new_reports.append(meta.report_id)
            ids = [it.item_id for it in items]
            known = {r[0] for start in range(0, len(ids), 500) for r in conn.execute(
                f"SELECT id FROM items WHERE id IN ({','.join('?' * len(ids[start:start + 500]))})",
                ids[start:start + 500])}
            fresh = [it for it in items if it.item_id not in known]
            self._insert_items(conn, fresh)
            fresh_ids = {it.item_id for it in fresh}
            current = {}
            for label in labels:
                if label.source == "import" and label.item_id not in fresh_ids:
                    row = conn.execute("SELECT doelen, algemeen, categorie FROM labels WHERE item_id=? AND"
                                       " source='import' AND current=1", (label.item_id,)).fetchone()
                    current[label.item_id] = tuple(row) if row else None
            wanted = [
                lb for lb in labels
                if lb.item_id in fresh_ids or (lb.source == "import" and current.get(lb.item_id) != (
                    json.dumps(list(lb.doelen)), int(lb.algemeen), lb.categorie))
            ]
            self._insert_labels(conn, wanted, run_id)
        return new_reports, [it.item_id for it in fresh], wanted

    def report_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM reports ORDER BY id")]

    def ocr_pages(self, report_id: str) -> list[int]:
        """Pages of a report whose text was read by OCR (no text layer)."""
        return [r[0] for r in self.conn.execute(
            "SELECT number FROM pages WHERE report_id=? AND ocr=1 ORDER BY number", (report_id,))]

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
            "SELECT i.*, r.gemeente, r.year, r.doc_type, r.rekenkamer, r.title AS report_title, r.file_name,"
            " r.source_url AS report_url, r.page_count"
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
            "imported": self.conn.execute("SELECT COUNT(*) FROM reports WHERE doc_type = 'import'").fetchone()[0],
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
    terms = []
    for word in dict.fromkeys(content):
        terms.append(f'"{word}"*')
        terms.extend(f'"{part} {rest}"*' for part, rest in compound_splits(word))
    return " OR ".join(terms)


COMPOUND_PART = 4
"""Shortest part of a compound that a query word is split into (see compound_splits)."""


def compound_splits(word: str) -> list[tuple[str, str]]:
    """Every way to cut a long word in two parts of at least COMPOUND_PART letters. As a phrase of two
    adjacent tokens, each finds the compound where a report writes it apart: 'huisartsen' finds
    '(huis)artsen', 'wijkteam' finds 'wijk team'. A wrong cut finds nothing: no text has 'huisa rtsen'."""
    if len(word) < 2 * COMPOUND_PART or not word.isalpha():
        return []
    return [(word[:i], word[i:]) for i in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1)]


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
        "source_kind": row.get("doc_type"),
        "source_url": (row.get("extra") or {}).get("source_url") or row.get("report_url") or "",
        "has_pdf": bool(row.get("page_count")),
        "type": row["type"],
        "lead": row["lead"],
        "text": row["text"],
        "section": " › ".join(row["section_path"]),
        "page_start": row["page_start"],
        "page_end": row["page_end"],
        "addressee": row.get("addressee"),
        "stance": row.get("stance"),
        "stance_evidence": row.get("stance_evidence") or "",
        "reaction": row.get("reaction"),
        "reaction_page": row.get("reaction_page_start"),
        "doelen": label["doelen"] if label else None,
        "algemeen": label["algemeen"] if label else None,
        "categorie": label["categorie"] if label else None,
        "label_source": label["source"] if label else None,
        "model_version": label["model_version"] if label else None,
        "extra": row.get("extra") or {},
    }


def asdict_meta(meta: ReportMeta) -> dict[str, Any]:
    return asdict(meta)
