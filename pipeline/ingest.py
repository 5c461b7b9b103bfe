"""Ingest: the pipeline for one batch of PDFs, extract → segment → classify → store.

Reading and segmenting a PDF is pure CPU work and runs in worker processes; only the main
process writes to the store, one transaction per report, so a failure or an interrupt
never leaves a half-written report and never touches earlier ones.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import (
    BrokenLink,
    EmptyFolder,
    InputFileError,
    MetadossierError,
    MissingFile,
    NoReadPermission,
    UnreadablePDF,
)
from .extract import check_file, content_hash, extract
from .human_labels import AnnotatedLabels
from .language import check_dutch
from .metadata import read_metadata
from .profile import build_profile, profile_items
from .records import ExtractedDocument, Item, Label, ReportMeta, SegmentedReport, source_kind
from .segment import segment
from .settings import Settings
from .store import ReportIdTaken, Store

Labeler = Callable[[Sequence[Item]], list[Label]]


@dataclass(frozen=True)
class Processed:
    """A file read and segmented in a worker, ready to be stored."""

    path: str
    document: ExtractedDocument
    segmented: SegmentedReport
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Failure:
    path: str
    message: str


@dataclass
class IngestSummary:
    stored: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    items: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, object]:
        return {
            "reports_stored": len(self.stored),
            "reports_skipped": len(self.skipped),
            "failures": [f.__dict__ for f in self.failures],
            "warnings": list(self.warnings),
            "pages": self.pages,
            "items": dict(self.items),
        }


# --------------------------------------------------------------------------------------
# Finding files and their metadata


def find_pdfs(paths: Iterable[str | Path]) -> list[Path]:
    """Files named on the command line plus every *.pdf below named folders, sorted."""
    return scan_paths(paths)[0]


def scan_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """The PDFs to read, and a Failure for each named path that yields none: missing, a broken
    link, a folder without PDFs or one that cannot be listed. Below a named folder, a *.pdf that is
    a broken link is a Failure too; empty subfolders are not."""
    found: list[Path] = []
    problems: list[Failure] = []

    def fail(error: InputFileError) -> None:
        problems.append(Failure(error.path, str(error)))

    for raw in paths:
        path = Path(raw)
        if path.is_symlink() and not path.exists():
            fail(BrokenLink(str(path), f"naar {os.readlink(path)}"))
        elif not path.exists():
            fail(MissingFile(str(path)))
        elif path.is_dir():
            try:
                below = sorted(path.rglob("*"))
                if not os.access(path, os.R_OK | os.X_OK):
                    raise PermissionError("permission denied")
            except OSError as exc:
                fail(NoReadPermission(str(path), exc.strerror or str(exc),
                                      hint=f"geef jezelf toegang (bijv. `chmod u+rx {path}`) of laat de map weg"))
                continue
            pdfs = [p for p in below if p.suffix.lower() == ".pdf" and not p.is_dir()]
            for p in pdfs:
                if p.is_symlink() and not p.exists():
                    fail(BrokenLink(str(p), f"naar {os.readlink(p)}"))
                elif p.is_file():
                    found.append(p)
                else:
                    fail(UnreadablePDF(str(p), "geen gewoon bestand", hint="kopieer de PDF zelf naar de map"))
            if not pdfs:
                fail(EmptyFolder(str(path)))
        else:
            found.append(path)
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique, problems


def load_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a corpus manifest.csv keyed by file name (the last path component)."""
    with path.open(newline="", encoding="utf-8") as fh:
        return {Path(row["file"]).name: row for row in csv.DictReader(fh) if row.get("file")}


def manifest_for(pdf: Path) -> dict[str, str] | None:
    """The manifest row describing a PDF, from manifest.csv in its folder or one above."""
    for folder in (pdf.parent, pdf.parent.parent):
        manifest = folder / "manifest.csv"
        if manifest.exists():
            row = load_manifest(manifest).get(pdf.name)
            if row:
                return row
    return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "report"


def report_meta(pdf: Path, document: ExtractedDocument, row: dict[str, str] | None) -> ReportMeta:
    """Metadata from the manifest where it has a row, otherwise guessed from the text."""
    text = " ".join(p.text for p in document.pages[:3])
    if row:
        year = row.get("year", "").strip()
        title = row.get("title", "").strip() or document.title_guess
        return ReportMeta(
            report_id=slug(pdf.stem),
            title=title,
            gemeente=row.get("gemeente", "").strip(),
            rekenkamer=row.get("rekenkamer", "").strip(),
            year=int(year) if year.isdigit() else None,
            doc_type=source_kind(row.get("doc_type", "").strip() or "rekenkamerrapport", pdf.name, title),
            file_name=pdf.name,
            source_url=row.get("url", "").strip(),
        )
    found = read_metadata(document)
    title = found.title or document.title_guess
    doc_type = "rekenkamerrapport" if re.search(r"rekenkamer", text, re.I) else "onderzoek"
    return ReportMeta(
        report_id=slug(pdf.stem),
        title=title,
        gemeente=found.gemeente,
        rekenkamer=found.rekenkamer,
        year=found.year,
        doc_type=source_kind(doc_type, pdf.name, title),
        file_name=pdf.name,
    )


# --------------------------------------------------------------------------------------
# One file (runs in a worker)


def process_file(path: str, settings: Settings) -> Processed | Failure:
    """Extract and segment one PDF; every expected problem becomes a Failure with its message."""
    pdf = Path(path)
    try:
        document = extract(pdf, max_pages=settings.max_pages, max_mb=settings.max_mb)
        warnings = document.warnings + _check_text(pdf, document, settings)
        meta = report_meta(pdf, document, manifest_for(pdf))
        segmented = segment(document, meta)
        warnings += missing_structure(pdf, meta, segmented)
        profiled = profile_items(build_profile(document.paragraphs, meta), meta.report_id, start=len(segmented.items))
        segmented = replace(segmented, items=segmented.items + tuple(profiled))
        return Processed(path=path, document=document, segmented=segmented, warnings=warnings)
    except InputFileError as exc:
        return Failure(path=path, message=str(exc))
    except MetadossierError as exc:
        return Failure(path=path, message=str(exc))
    except Exception as exc:  # noqa: BLE001 - one broken PDF must not stop a batch
        return Failure(path=path, message=f"{path}: onverwachte fout bij het lezen ({type(exc).__name__}: {exc})"
                       " — meld dit graag, met het bestand erbij")


MIN_TEXT_CHARS = 40
"""A PDF whose pages yield less text than this is damaged, whatever its language."""


def missing_structure(pdf: Path, meta: ReportMeta, segmented: SegmentedReport) -> tuple[str, ...]:
    """What a rekenkamer report should have and this one did not yield: stored anyway, never with
    invented items, but the user is told what to check."""
    if meta.doc_type != "rekenkamerrapport":
        return ()
    types = {it.type for it in segmented.items}
    missing = [name for kind, name in (("aanbeveling", "aanbevelingen"), ("conclusie", "conclusies")) if kind not in types]
    recommendations = [it for it in segmented.items if it.type == "aanbeveling"]
    if recommendations and all(it.reaction is None for it in recommendations):
        missing.append("bestuurlijke reactie bij de aanbevelingen")
    if not missing:
        return ()
    return (f"{pdf}: geen {' en geen '.join(missing)} gevonden — toch opgeslagen; kijk in de verkenner (pagina Rapport) of "
            "het rapport ze wel heeft (een kop die niet werd herkend?)",)


def _check_text(pdf: Path, document: ExtractedDocument, settings: Settings) -> tuple[str, ...]:
    """Refuse a document with hardly any text (damaged) or clearly not in Dutch; warn when the
    language cannot be judged (a Dutch report is never refused)."""
    chars = sum(len(p.text.strip()) for p in document.pages)
    if chars < MIN_TEXT_CHARS:
        raise UnreadablePDF(str(pdf), f"er konden maar {chars} tekens tekst worden gelezen")
    if not settings.require_dutch:
        return ()
    warning = check_dutch(pdf, " ".join(p.text for p in document.paragraphs[:400]))
    return (warning,) if warning else ()


def _exit_with_parent(parent_pid: int) -> None:
    """Worker initializer: leave when the ingest process is gone (e.g. killed with SIGKILL),
    instead of waiting forever on a queue nobody will write to."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _process_all(paths: Sequence[str], settings: Settings) -> Iterator[Processed | Failure]:
    if settings.workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield process_file(path, settings)
        return
    with ProcessPoolExecutor(max_workers=settings.workers, initializer=_exit_with_parent,
                             initargs=(os.getpid(),)) as pool:
        yield from pool.map(process_file, paths, [settings] * len(paths), chunksize=1)


# --------------------------------------------------------------------------------------
# The batch


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings,
    *,
    labeler: Labeler | None = None,
    on_progress: Callable[[str, str], None] | None = None,
    meta_override: Mapping[str, Any] | None = None,
) -> IngestSummary:
    """Ingest files and folders into the store. Already-stored files (same content) are skipped.

    `meta_override` (gemeente, rekenkamer, year, title) replaces what was read from the PDF, for
    one file whose cover says something else than the user knows."""
    summary = IngestSummary()
    annotated = AnnotatedLabels.load(settings.annotations_dir)
    todo: list[str] = []
    files, problems = scan_paths(paths)
    for problem in problems:
        summary.failures.append(problem)
        if on_progress:
            on_progress(problem.path, "failed")
    for pdf in files:
        try:
            _check_readable(pdf)
            check_file(pdf, settings.max_mb)
            existing = store.has_hash(content_hash(pdf))
        except InputFileError as exc:
            summary.failures.append(Failure(str(pdf), str(exc)))
            if on_progress:
                on_progress(str(pdf), "failed")
            continue
        except OSError as exc:
            summary.failures.append(Failure(str(pdf), str(NoReadPermission(str(pdf), exc.strerror or str(exc)))))
            if on_progress:
                on_progress(str(pdf), "failed")
            continue
        if existing:
            summary.skipped.append(existing)
            warning = keep_pdf(pdf, store.report(existing)["content_hash"], store.path)  # type: ignore[index]
            if warning:
                summary.warnings.append(warning)
            if on_progress:
                on_progress(str(pdf), "skipped")
            continue
        todo.append(str(pdf))
    run_id = store.start_run("ingest", {"workers": settings.workers, "files": len(todo)})
    status = "failed"
    try:
        for result in _process_all(todo, settings):
            if isinstance(result, Failure):
                summary.failures.append(result)
                if on_progress:
                    on_progress(result.path, "failed")
                continue
            summary.warnings.extend(result.warnings)
            if meta_override:
                result = replace(result, segmented=replace(result.segmented, meta=replace(
                    result.segmented.meta, **{k: v for k, v in meta_override.items() if v not in (None, "")})))
            try:
                stored_as = _store_one(result, store, labeler, annotated, run_id)
            except MetadossierError as exc:
                summary.failures.append(Failure(result.path, str(exc)))
                continue
            if stored_as is None:  # another ingest stored the same file meanwhile
                summary.skipped.append(result.segmented.meta.report_id)
                if on_progress:
                    on_progress(result.path, "skipped")
                continue
            summary.stored.append(stored_as)
            warning = keep_pdf(Path(result.path), result.document.content_hash, store.path)
            if warning:
                summary.warnings.append(warning)
            summary.pages += result.document.page_count
            summary.items.update(it.type for it in result.segmented.items)
            if on_progress:
                on_progress(result.path, "stored")
        status = "ok" if summary.ok else "partial"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        store.finish_run(run_id, status, summary.as_dict())
    return summary


def pdf_copy_path(db_path: Path, digest: str) -> Path:
    """Where the store keeps its copy of a PDF: beside it, named by content (<store dir>/pdf/<sha256>.pdf),
    so every stored report can show its pages wherever the file was ingested from."""
    return db_path.parent / "pdf" / f"{digest}.pdf"


def keep_pdf(pdf: Path, digest: str, db_path: Path) -> str | None:
    """Copy a stored PDF beside the store (once; atomically). A copy that cannot be written costs only the
    page images of this report, so it is a warning (returned), not a failure."""
    import shutil

    target = pdf_copy_path(db_path, digest)
    if target.exists():
        return None
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, partial)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        return (f"{pdf}: geen kopie bewaard naast de opslag ({exc.strerror or exc}) — de pagina's zijn alleen te zien zolang "
                f"het bestand blijft waar het is; controleer of je in {target.parent} mag schrijven")
    return None


def _check_readable(pdf: Path) -> None:
    """Open the file as ingest will: a missing file or one without read permission is named as such."""
    if not pdf.exists():
        raise BrokenLink(str(pdf), f"naar {os.readlink(pdf)}") if pdf.is_symlink() else MissingFile(str(pdf))
    try:
        with pdf.open("rb") as fh:
            fh.read(1)
    except IsADirectoryError:
        raise UnreadablePDF(str(pdf), "een map, geen bestand", hint="noem de PDF's in de map") from None
    except OSError as exc:
        raise NoReadPermission(str(pdf), exc.strerror or str(exc)) from None


def _store_one(
    result: Processed, store: Store, labeler: Labeler | None, annotated: AnnotatedLabels, run_id: int
) -> str | None:
    """Store one processed file under a free report id; None when its content is stored already
    (by another process that got there first)."""
    meta = result.segmented.meta
    digest = result.document.content_hash
    if store.has_report_id(meta.report_id):
        meta = _unique_meta(result.segmented.meta, digest)
    for _ in range(2):
        items = _rebase_items(result.segmented.items, meta.report_id)
        labels = labeler(items) if labeler and items else []
        labels += annotated.for_items([(it.item_id, it.text) for it in items])
        try:
            existing = store.add_report(meta, result.document, items, labels, run_id)
        except ReportIdTaken:  # another process took this id between the check and the write
            meta = _unique_meta(result.segmented.meta, digest)
            continue
        return None if existing else meta.report_id
    raise MetadossierError(f"{result.path}: geen vrije rapport-id voor {meta.report_id!r} — geef het bestand een andere naam en lees het opnieuw in")


def _unique_meta(meta: ReportMeta, digest: str) -> ReportMeta:
    return replace(meta, report_id=f"{meta.report_id}_{digest[:8]}")


def _rebase_items(items: Sequence[Item], report_id: str) -> list[Item]:
    out = []
    for item in items:
        if item.report_id != report_id:
            suffix = item.item_id.split(":", 1)[1]
            item = replace(item, report_id=report_id, item_id=f"{report_id}:{suffix}")
        out.append(item)
    return out
