"""Ingest throughput: pages/s, items/s and peak memory, beside bare pdfplumber and pypdfium2.

Usage: python bench/ingest.py [--scaled-pages 2000] [--workers N] [--baseline-pages 120]

Each measurement runs in a fresh process so its peak RSS is its own. The full pipeline
(extract → structure → segment → store) runs on the bundled corpus, on the layout corpus (six
producers; its scanned pages go through OCR, reported on their own too) and on a corpus scaled to at least
--scaled-pages pages (copies of the corpus PDFs made distinct by a trailing comment, so the
store does not skip them). Bare baselines run on the bundled corpus (capped at
--baseline-pages pages for pdfplumber, which is slow) and are compared per page and core.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _run_pipeline(paths: list[str], workers: int, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    from pipeline.ingest import ingest
    from pipeline.settings import Settings
    from pipeline.store import Store

    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.sqlite"
    settings = Settings(db_path=db, workers=workers)
    start = time.perf_counter()
    with Store(db) as store:
        summary = ingest(paths, store, settings)
    elapsed = time.perf_counter() - start
    shutil.rmtree(tmp)
    queue.put(
        {"seconds": elapsed, "pages": summary.pages, "items": sum(summary.items.values()),
         "failures": len(summary.failures), "peak_mb": _peak_mb()}
    )


def _run_bare_pdfplumber(paths: list[str], max_pages: int, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    import pdfplumber

    pages = 0
    start = time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
                page.close()
                if pages >= max_pages:
                    break
        if pages >= max_pages:
            break
    queue.put({"seconds": time.perf_counter() - start, "pages": pages, "peak_mb": _peak_mb()})


def _run_bare_pdfium(paths: list[str], queue: mp.Queue) -> None:  # type: ignore[type-arg]
    import pypdfium2 as pdfium

    pages = 0
    start = time.perf_counter()
    for path in paths:
        pdf = pdfium.PdfDocument(path)
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    queue.put({"seconds": time.perf_counter() - start, "pages": pages, "peak_mb": _peak_mb()})


def _run_ocr(paths: list[str], queue: mp.Queue) -> None:  # type: ignore[type-arg]
    """OCR alone: every scanned page of the layout corpus rendered at 300 dpi and read by Tesseract."""
    import pypdfium2 as pdfium

    from pipeline.extract import _ocr_fragments, _pdfium_page_fragments, _scanned_region

    pages = 0
    seconds = 0.0
    for path in paths:
        pdf = pdfium.PdfDocument(path)
        for index in range(len(pdf)):
            fragments, width, height, _ = _pdfium_page_fragments(pdf, index)
            scan = _scanned_region(pdf, index, fragments, width, height)
            if scan:
                region, whole_page = scan
                start = time.perf_counter()
                _ocr_fragments(pdf, index, height, None if whole_page else region)
                seconds += time.perf_counter() - start
                pages += 1
        pdf.close()
    queue.put({"seconds": max(seconds, 1e-9), "pages": pages, "peak_mb": _peak_mb()})


def measure(target, *args) -> dict:  # type: ignore[no-untyped-def,type-arg]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def scaled_copies(pdfs: list[Path], min_pages: int, folder: Path) -> list[str]:
    """Distinct copies of the corpus until at least min_pages pages."""
    import pypdfium2 as pdfium

    counts = {p: len(pdfium.PdfDocument(str(p))) for p in pdfs}
    out: list[str] = []
    total = 0
    copy = 0
    while total < min_pages:
        copy += 1
        for pdf in pdfs:
            target = folder / f"{pdf.stem}_copy{copy:03d}.pdf"
            target.write_bytes(pdf.read_bytes() + f"\n%bench copy {copy}\n".encode())
            out.append(str(target))
            total += counts[pdf]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaled-pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-pages", type=int, default=120)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    corpus = sorted((ROOT / "corpus" / "pdf").glob("*.pdf"))
    paths = [str(p) for p in corpus]
    results: dict[str, dict] = {}  # type: ignore[type-arg]
    results["bare_pdfplumber"] = measure(_run_bare_pdfplumber, paths, args.baseline_pages)
    results["bare_pypdfium2"] = measure(_run_bare_pdfium, paths)
    results["pipeline_corpus_1_worker"] = measure(_run_pipeline, paths, 1)
    layouts = [str(p) for p in sorted((ROOT / "corpus" / "layouts" / "pdf").glob("*.pdf"))]
    results["pipeline_layouts_1_worker (incl. OCR)"] = measure(_run_pipeline, layouts, 1)
    from pipeline.ocr import ocr_available

    if ocr_available():
        results["ocr_scanned_pages_only"] = measure(_run_ocr, layouts)
    with tempfile.TemporaryDirectory() as tmp:
        scaled = scaled_copies(corpus, args.scaled_pages, Path(tmp))
        results["pipeline_scaled_1_worker"] = measure(_run_pipeline, scaled, 1)
        if args.workers > 1:
            results[f"pipeline_scaled_{args.workers}_workers"] = measure(_run_pipeline, scaled, args.workers)

    plumber_rate = results["bare_pdfplumber"]["pages"] / results["bare_pdfplumber"]["seconds"]
    pdfium_rate = results["bare_pypdfium2"]["pages"] / results["bare_pypdfium2"]["seconds"]
    rows = []
    for name, r in results.items():
        rate = r["pages"] / r["seconds"]
        row = {
            "run": name,
            "pages": r["pages"],
            "seconds": round(r["seconds"], 2),
            "pages_per_s": round(rate, 1),
            "items_per_s": round(r.get("items", 0) / r["seconds"], 1) if "items" in r else None,
            "peak_mb": round(r["peak_mb"], 1),
            "x_bare_pdfplumber": round(rate / plumber_rate, 2),
            "x_bare_pypdfium2": round(rate / pdfium_rate, 3),
        }
        rows.append(row)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'run':38} {'pages':>6} {'sec':>8} {'pages/s':>8} {'items/s':>8} {'peak MB':>8} {'×plumber':>9} {'×pdfium':>8}")
    for row in rows:
        items = "" if row["items_per_s"] is None else f"{row['items_per_s']:8.1f}"
        print(
            f"{row['run']:38} {row['pages']:6d} {row['seconds']:8.2f} {row['pages_per_s']:8.1f} {items:>8} "
            f"{row['peak_mb']:8.1f} {row['x_bare_pdfplumber']:9.2f} {row['x_bare_pypdfium2']:8.3f}"
        )
    print(f"cores: {os.cpu_count()}; bare pdfplumber measured on {results['bare_pdfplumber']['pages']} pages")


if __name__ == "__main__":
    main()
