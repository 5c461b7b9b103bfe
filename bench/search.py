"""Explorer speed on a large store: search latency (target p95 < 150 ms on ≥ 10,000 items) and
the time until the first page has rendered (target < 3 s).

Usage: python bench/search.py [--items 10000] [--queries 300] [--keep DIR]

The large store is the bundled corpus, ingested once, plus synthetic reports: copies of the
corpus's reports under other gemeente names and years whose item texts are recombined from
sentences of other items, so that every text is distinct (the embedding cache cannot cheat)
and FTS5 sees realistic vocabulary. All items are labelled by the trained model, as ingest does.

Measured:
- build: labelling and first embedding of all items (one-off; the embedding cache keeps them);
- snapshot: the Explorer loading items and labels, decoded from the store (a new or changed store)
  and read from its snapshot file (a restarted server on an unchanged store);
- search: `Explorer.search` latency over queries of several shapes (one word, a phrase, a
  recommendation's opening words; a third with filters), p50 / p95 / max;
- first page: a fresh process rendering the Zoeken page with a query through Streamlit's AppTest
  (includes importing streamlit and loading the embedding model; median of 3, and once right
  after a store change, when there is no snapshot file yet), and where Chromium is installed
  the real server (`metadossier serve`, as `make demo` starts it) from navigation to visible
  results, for the first visitor (a fresh browser profile, nothing cached) and again, beside the
  same figures for a one-line Streamlit app (Streamlit's own floor on this machine).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GEMEENTEN = (
    "Amersfoort", "Arnhem", "Breda", "Deventer", "Ede", "Emmen", "Enschede", "Groningen", "Haarlem", "Heerlen",
    "Helmond", "Hengelo", "Leeuwarden", "Leiden", "Maastricht", "Nijmegen", "Oss", "Roosendaal", "Schiedam",
    "Sittard-Geleen", "Tilburg", "Venlo", "Zaanstad", "Zwolle", "Alkmaar", "Almere", "Apeldoorn", "Assen",
)
WORD_QUERIES = ("wachtlijsten", "cliëntervaringen", "preventie", "huisartsen", "regeldruk", "monitoring",
                "inkoop", "Centrum voor Jeugd en Gezin", "eigen kracht", "gemeenteraad informeren")


def build_store(workdir: Path, target_items: int, seed: int) -> tuple[Path, dict[str, float]]:
    from pipeline.classify import load_trained
    from pipeline.extract import extract
    from pipeline.ingest import ingest
    from pipeline.records import ReportMeta
    from pipeline.segment import segment
    from pipeline.settings import Settings
    from pipeline.store import Store

    db = workdir / "bench.sqlite"
    settings = Settings(db_path=db, cache_dir=workdir / "cache")
    model = load_trained(settings)
    if model is None:
        raise SystemExit("models/ has no trained classifier — run `metadossier train` first")
    random.seed(seed)
    figures: dict[str, float] = {}
    with Store(db) as store:
        ingest([ROOT / "corpus" / "pdf"], store, settings)
        base = store.items()
        sentences = [s for r in base for s in re.split(r"(?<=[.!?])\s+", r["text"]) if len(s.split()) >= 5]
        pdf = ROOT / "corpus" / "pdf" / "raalte_2019.pdf"
        document = extract(pdf)
        from pipeline.ingest import manifest_for, report_meta

        template = segment(document, report_meta(pdf, document, manifest_for(pdf)))
        per_report = len(template.items)
        copies = max(1, -(-(target_items - len(base)) // per_report))
        start = time.perf_counter()
        for k in range(copies):
            gemeente = GEMEENTEN[k % len(GEMEENTEN)]
            report_id = f"synthetic_{k:04d}"
            meta = ReportMeta(report_id=report_id, title=f"Jeugdhulp in {gemeente}", gemeente=gemeente,
                              rekenkamer=f"Rekenkamer {gemeente}", year=2016 + k % 8, file_name=f"{report_id}.pdf")
            items = []
            for item in template.items:
                extra = " ".join(random.sample(sentences, 2))
                text = f"{item.text} {extra}"
                items.append(replace(item, item_id=f"{report_id}:{item.item_id.split(':', 1)[1]}",
                                     report_id=report_id, text=text))
            labels = model.label([it.item_id for it in items], [it.text for it in items])
            store.add_report(meta, replace(document, content_hash=f"synthetic-{k}"), items, labels)
        figures["build_seconds"] = time.perf_counter() - start
        figures["items"] = sum(store.counts()["items"].values())
    return db, figures


def queries(records: list[dict[str, object]], n: int, seed: int) -> list[tuple[str, dict[str, str]]]:
    rng = random.Random(seed)
    out: list[tuple[str, dict[str, str]]] = []
    for i in range(n):
        shape = i % 3
        if shape == 0:
            query = rng.choice(WORD_QUERIES)
        else:
            lead = str(rng.choice(records)["lead"])
            query = " ".join(lead.split()[: 4 if shape == 1 else 12])
        filters: dict[str, str] = {}
        if i % 3 == 2:
            filters = rng.choice([{"types": "aanbeveling"}, {"doelen": "D5"}, {"gemeenten": "Zwolle,Tilburg"},
                                  {"years": "2019,2020", "types": "conclusie"}, {"algemeen": "ja"}])
        out.append((query, filters))
    return out


def measure_search(db: Path, cache: Path, n_queries: int, seed: int) -> dict[str, float]:
    from pipeline.explore import Explorer, SearchFilters
    from pipeline.settings import Settings

    shutil.rmtree(cache / "snapshots", ignore_errors=True)
    explorer = Explorer(Settings(db_path=db, cache_dir=cache))
    start = time.perf_counter()
    records = explorer.records()
    snapshot_cold = time.perf_counter() - start
    explorer2 = Explorer(Settings(db_path=db, cache_dir=cache))
    start = time.perf_counter()
    explorer2.records()
    snapshot_warm = time.perf_counter() - start
    explorer.search("warm up")
    times = []
    for query, params in queries(records, n_queries, seed):
        filters = SearchFilters.from_params(params)
        start = time.perf_counter()
        explorer.search(query, filters, limit=200)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "items": len(records),
        "snapshot_from_store_seconds": snapshot_cold,
        "snapshot_from_file_seconds": snapshot_warm,
        "queries": len(times),
        "search_p50_ms": statistics.median(times),
        "search_p95_ms": times[int(0.95 * (len(times) - 1))],
        "search_max_ms": times[-1],
    }


FIRST_PAGE = """
import sys, time
start = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.query_params["p"] = "zoeken"
at.query_params["q"] = "wachtlijsten"
at.run()
assert not at.exception, at.exception
assert any("resultaten" in m.value for m in at.markdown)
print(time.perf_counter() - start)
"""


def measure_first_page(db: Path, cache: Path, runs: int = 3) -> dict[str, float]:
    """Median over `runs` fresh processes with the snapshot file in place (a restarted server), and
    once without it (the first start after the store changed, which decodes every item)."""
    import os

    env = {**os.environ, "METADOSSIER_DB": str(db), "METADOSSIER_CACHE": str(cache)}

    def once() -> tuple[float, float]:
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", FIRST_PAGE, str(ROOT / "app.py")], env=env, capture_output=True,
                             text=True, check=True)
        return time.perf_counter() - start, float(out.stdout.strip().splitlines()[-1])

    shutil.rmtree(cache / "snapshots", ignore_errors=True)
    _, after_change = once()
    timed = [once() for _ in range(runs)]
    return {"first_page_process_seconds": statistics.median(t[0] for t in timed),
            "first_page_render_seconds": statistics.median(t[1] for t in timed),
            "first_page_render_max_seconds": max(t[1] for t in timed),
            "first_page_after_store_change_seconds": after_change}


def measure_browser(db: Path, cache: Path) -> dict[str, float]:
    """Real server + headless Chromium: navigation to visible results (skipped without Chromium).

    Also Streamlit's own floor: a one-line app served and loaded the same way, so the figures
    can be read against what any Streamlit page costs on this machine."""
    import os

    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return {}
    try:
        import selenium  # noqa: F401
    except ImportError:
        return {}
    env = {**os.environ, "METADOSSIER_DB": str(db), "METADOSSIER_CACHE": str(cache)}
    queries = ("wachtlijsten", "cliëntervaringen", "preventie", "huisartsen", "regeldruk", "inkoop")
    loads = _browser_loads([sys.executable, "-m", "pipeline.cli", "serve", "--port", "{port}"], env,
                           [(f"/?p=zoeken&q={q}", "resultaten") for q in queries])
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text('import streamlit as st\nst.write("hallo wereld")\n', encoding="utf-8")
        floor = _browser_loads([sys.executable, "-m", "streamlit", "run", str(hello), "--server.port", "{port}",
                                "--server.headless", "true", "--browser.gatherUsageStats", "false"], env,
                               [("/", "hallo wereld")] * len(queries))
    return {
        "browser_first_load_seconds": loads[0],
        "browser_later_loads_median_seconds": statistics.median(loads[1:]),
        "browser_later_loads_max_seconds": max(loads[1:]),
        "streamlit_hello_first_load_seconds": floor[0],
        "streamlit_hello_later_loads_median_seconds": statistics.median(floor[1:]),
    }


def _browser_loads(command: list[str], env: dict[str, str], pages: list[tuple[str, str]]) -> list[float]:
    """Start a server with `command` ({port} filled in), open each page in one fresh headless Chromium
    profile and time navigation until its text is visible."""
    import socket
    import urllib.request

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([part.replace("{port}", str(port)) for part in command], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    profile = tempfile.mkdtemp()
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        loads = []
        try:
            for path, text in pages:
                start = time.perf_counter()
                driver.get(f"http://127.0.0.1:{port}{path}")
                WebDriverWait(driver, 120).until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), text))
                loads.append(time.perf_counter() - start)
        finally:
            driver.quit()
        return loads
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", type=Path, default=None, help="Build (or reuse) the large store here.")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="metadossier-search-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "bench.sqlite"
    results: dict[str, float] = {}
    if not db.exists():
        db, build = build_store(workdir, args.items, args.seed)
        results.update(build)
    results.update(measure_search(db, workdir / "cache", args.queries, args.seed))
    results.update(measure_first_page(db, workdir / "cache"))
    results.update(measure_browser(db, workdir / "cache"))
    if args.keep is None:
        shutil.rmtree(workdir, ignore_errors=True)
    for key, value in results.items():
        print(f"{key:32} {value:10.3f}" if isinstance(value, float) else f"{key:32} {value:10}")
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in results.items()}))


if __name__ == "__main__":
    main()
