"""The store: idempotent ingest, crash safety, CLI output."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.ingest import ingest
from pipeline.settings import Settings
from pipeline.store import Store

from .conftest import CORPUS


def _snapshot(db: Path) -> dict[str, object]:
    with Store(db) as store:
        return {
            "counts": store.counts(),
            "items": [(r["id"], r["text"], r["page_start"]) for r in store.items()],
        }


def test_ingesting_twice_changes_nothing(corpus_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.sqlite"
    with Store(corpus_store) as src:
        src.conn.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copy(corpus_store, db)
    before = _snapshot(db)
    with Store(db) as store:
        summary = ingest([CORPUS], store, Settings(db_path=db))
    assert summary.stored == [] and len(summary.skipped) == before["counts"]["reports"]  # type: ignore[index]
    assert _snapshot(db) == before


def test_interrupted_batch_completes_without_duplicates(tmp_path: Path, corpus_store: Path) -> None:
    """An exception while storing the second report: the first stays, the second is absent, re-run completes."""
    db = tmp_path / "crash.sqlite"
    calls = {"n": 0}

    def exploding_labeler(items):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return []

    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        ingest([CORPUS], store, Settings(db_path=db), labeler=exploding_labeler)
    with Store(db) as store:
        partial = store.counts()["reports"]
        for report_id in store.report_ids():
            assert store.page(report_id, 1) is not None
    assert partial >= 1
    with Store(db) as store:
        ingest([CORPUS], store, Settings(db_path=db))
    assert _snapshot(db) == _snapshot(corpus_store)


def test_killed_ingest_process_resumes(tmp_path: Path, corpus_store: Path) -> None:
    """SIGKILL a real `metadossier ingest` after the first report is stored; a re-run completes it."""
    db = tmp_path / "killed.sqlite"
    env = {**os.environ, "METADOSSIER_DB": str(db)}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(CORPUS), "--no-progress", "--workers", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    try:
        while time.time() < deadline:
            if db.exists():
                try:
                    with Store(db) as store:
                        if store.counts()["reports"] >= 1:
                            break
                except Exception:  # noqa: BLE001 - the file may be mid-creation
                    pass
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert workers, "the ingest should be running worker processes"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    # The worker processes notice their parent is gone and leave instead of lingering.
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]
    result = CliRunner().invoke(main, ["ingest", str(CORPUS), "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert _snapshot(db) == _snapshot(corpus_store)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_items_jsonl_has_the_promised_fields(corpus_store: Path) -> None:
    result = CliRunner().invoke(main, ["items", "--db", str(corpus_store), "--type", "aanbeveling",
                                       "--format", "jsonl"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    required = {"id", "report_id", "gemeente", "year", "type", "text", "lead", "page_start", "page_end",
                "addressee", "stance"}
    for row in rows:
        assert required <= set(row)
        assert row["type"] == "aanbeveling"
    raalte = [r for r in rows if r["report_id"] == "raalte_2019"]
    assert len(raalte) == 5 and {r["gemeente"] for r in raalte} == {"Raalte"} and raalte[0]["year"] == 2019


def test_report_command_lists_items_with_pages(corpus_store: Path) -> None:
    result = CliRunner().invoke(main, ["report", "raalte_2019", "--db", str(corpus_store)])
    assert result.exit_code == 0
    assert "raalte_2019:A1" in result.stdout and "p." in result.stdout
    missing = CliRunner().invoke(main, ["report", "bestaat_niet", "--db", str(corpus_store)])
    assert missing.exit_code == 1 and "fout: geen rapport 'bestaat_niet'" in missing.stderr


def test_keyword_search_finds_cjg_financing(corpus_store: Path) -> None:
    with Store(corpus_store) as store:
        hits = [item_id for item_id, _ in store.search("continuïteit financiering Centrum voor Jeugd en Gezin")]
    assert hits[0] == "raalte_2019:A1"


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name, command in main.commands.items():
        assert command.help, name
        assert runner.invoke(main, [name, "--help"]).exit_code == 0
