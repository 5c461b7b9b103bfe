"""Several processes ingest overlapping batches into one fresh store at the same moment:
afterwards every file is stored exactly once, nothing is lost, and the file is sound."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pipeline.store import Store

from .pdf_factory import DUTCH, text_pdf

PROCESSES = 4
FILES = 8

INGEST = """
import sys, time
from pathlib import Path
from pipeline.ingest import ingest
from pipeline.settings import Settings
from pipeline.store import Store

db, start, paths = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
time.sleep(max(0.0, start - time.time()))
with Store(db) as store:
    summary = ingest(paths, store, Settings(db_path=Path(db), workers=1))
print(len(summary.stored), len(summary.skipped), len(summary.failures))
"""


def test_overlapping_concurrent_ingests_store_each_file_once(tmp_path: Path) -> None:
    pdfs = [text_pdf(tmp_path / f"rapport_{n}.pdf", text=f"Onderzoek {n} naar de jeugdhulp. " + DUTCH, pages=1)
            for n in range(FILES)]
    # Process k takes files k, k+1, …, k+4 (wrapping): every file is in several batches.
    batches = [[str(pdfs[(k * 2 + i) % FILES]) for i in range(5)] for k in range(PROCESSES)]
    db = tmp_path / "gedeeld.sqlite"
    start = time.time() + 3.0  # all processes past their imports, then open the fresh store together
    procs = [subprocess.Popen([sys.executable, "-c", INGEST, str(db), str(start), *batch],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for batch in batches]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_out, err) in zip(procs, outputs):
        assert proc.returncode == 0 and "Traceback" not in err, err[-2000:]
    counts = [tuple(int(x) for x in out.split()) for out, _ in outputs]
    assert all(failed == 0 for _, _, failed in counts), counts
    assert sum(stored for stored, _, _ in counts) == FILES
    assert sum(stored + skipped for stored, skipped, _ in counts) == sum(len(b) for b in batches)
    with Store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = [r[0] for r in store.conn.execute("SELECT file_name FROM reports ORDER BY file_name")]
        assert names == sorted(p.name for p in pdfs)
        hashes = [r[0] for r in store.conn.execute("SELECT content_hash FROM reports")]
        assert len(set(hashes)) == FILES
        assert [r["status"] for r in store.runs()] == ["ok"] * PROCESSES
