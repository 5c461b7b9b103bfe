"""Import: findings and recommendations that someone already coded, from CSV, XLSX or JSONL.

The NVRR metadossier and our own collection (annotations/extra/) hold rekenkamer items without a
PDF: text, soort, gemeente, rekenkamer, jaar, report title or URL, and often doel, categorie,
reaction and stance. `read_coded_rows` reads such a file (Dutch or English column names, CSV with
comma or semicolon, with or without BOM) into typed rows and a list of the rows it could not use,
each with its line number and why. `import_items` stores them: every (rekenkamer, title or URL,
year) becomes one report of source kind `import`, labels given in the file are stored as `import`
labels, missing ones come from the model. Importing the same file twice stores nothing new.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputFileError, MetadossierError, ModelNotAvailable
from .records import Item, Label, Reaction, ReportMeta
from .settings import Settings
from .store import Store
from .taxonomy import CATEGORIES, CATEGORY_NAMES, DOEL_NAMES

Labeler = Callable[[Sequence[Item]], list[Label]]

IMPORT_KIND = "import"
SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
            ".jsonl": "jsonl", ".ndjson": "jsonl"}


class ImportFileError(InputFileError):
    """A file that cannot be imported as a whole (unreadable, not CSV/XLSX/JSONL, no text column)."""

    reason = "kan niet worden ingelezen"
    hint = "sla het op als CSV (UTF-8), Excel (.xlsx) of JSONL en probeer opnieuw"


# --------------------------------------------------------------------------------------
# Columns and values

FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("tekst", "text", "item", "itemtekst", "inhoud"),
    "type": ("soort", "type", "itemtype", "soort item", "kind"),
    "gemeente": ("gemeente", "gemeenten", "municipality", "municipalities"),
    "rekenkamer": ("rekenkamer", "rekenkamercommissie", "audit office", "court of audit"),
    "year": ("jaar", "year", "publicatiejaar", "jaar rapport"),
    "title": ("titel", "rapport", "title", "report", "rapporttitel", "report title", "titel rapport"),
    "url": ("url", "bron", "source url", "link", "bron url", "vindplaats", "source"),
    "doelen": ("doel", "doelen", "goal", "goals", "jeugdwet doel", "jeugdwetdoelen"),
    "algemeen": ("algemeen", "general", "beleidscyclus"),
    "categorie": ("categorie", "category", "beleidscyclus categorie"),
    "reaction": ("reactie", "reaction", "reactie college", "bestuurlijke reactie", "college reaction"),
    "stance": ("standpunt", "stance", "standpunt college", "oordeel college"),
    "stem": ("stem", "aanloop", "inleidende zin", "lead in"),
}
REQUIRED = ("text", "type")

TYPES = {
    "bevinding": "bevinding", "bevindingen": "bevinding", "finding": "bevinding", "findings": "bevinding",
    "conclusie": "conclusie", "conclusies": "conclusie", "conclusion": "conclusie", "conclusions": "conclusie",
    "aanbeveling": "aanbeveling", "aanbevelingen": "aanbeveling", "recommendation": "aanbeveling",
    "recommendations": "aanbeveling",
}
STANCE_WORDS = {
    "overgenomen": "overgenomen", "over genomen": "overgenomen", "adopted": "overgenomen",
    "accepted": "overgenomen", "ja": "overgenomen", "omarmd": "overgenomen",
    "deels": "deels", "deels overgenomen": "deels", "gedeeltelijk": "deels", "gedeeltelijk overgenomen": "deels",
    "partly": "deels", "partially": "deels", "partly adopted": "deels", "partially adopted": "deels",
    "niet overgenomen": "niet overgenomen", "niet": "niet overgenomen", "nee": "niet overgenomen",
    "rejected": "niet overgenomen", "not adopted": "niet overgenomen", "afgewezen": "niet overgenomen",
    "onbekend": "onbekend", "unknown": "onbekend", "geen reactie": "onbekend",
}
TRUE_WORDS = {"ja", "yes", "true", "waar", "1", "x", "j", "y"}
FALSE_WORDS = {"nee", "no", "false", "onwaar", "0", "n", ""}


def _norm(text: str) -> str:
    """Lower case, no diacritics, one space between words (column names and coded values)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\s_\-./()]+", " ", plain.lower()).strip()


_COLUMN_FIELD = {_norm(name): key for key, names in FIELDS.items() for name in names}
_CATEGORY_BY_NAME = {**{_norm(c): c for c in CATEGORIES}, **{_norm(n): c for c, n in CATEGORY_NAMES.items()}}


@dataclass(frozen=True)
class CodedRow:
    """One coded item as read from a file; None for labels the file does not give."""

    line: int
    text: str
    type: str
    gemeente: str = ""
    rekenkamer: str = ""
    year: int | None = None
    title: str = ""
    url: str = ""
    doelen: tuple[str, ...] | None = None
    algemeen: bool | None = None
    categorie: str | None = None
    reaction: str = ""
    stance: str | None = None
    stem: str = ""
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def has_labels(self) -> bool:
        return self.doelen is not None or self.categorie is not None or self.algemeen is not None

    @property
    def fully_labelled(self) -> bool:
        """Doelen and categorie given (algemeen, when left out, is 'no')."""
        return self.doelen is not None and self.categorie is not None

    @property
    def full_text(self) -> str:
        """The item as a reader needs it: a bullet together with its verbatim lead-in."""
        return f"{self.stem} {self.text}" if self.stem else self.text


@dataclass(frozen=True)
class RowError:
    """A row that was not imported: the file, its line (or Excel row) and why."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason} — rij overgeslagen"


class _BadValue(ValueError):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _year(value: Any) -> int | None:
    raw = _text(value)
    if raw.lower() in ("", "null", "none", "onbekend", "na", "n/a", "-"):
        return None
    match = re.fullmatch(r"(\d{4})(?:[-–/]\d{2,4})?", raw) or re.fullmatch(r"(\d{4})\.0", raw)
    if not match or not 1950 <= int(match.group(1)) <= 2100:
        raise _BadValue(f"jaar '{raw}' is geen jaartal (bijv. 2021)")
    return int(match.group(1))


def _doelen(value: Any) -> tuple[tuple[str, ...], bool]:
    """Doel codes (D1–D5, '1;5', 'D1, D5') or names, and whether 'algemeen' was among them."""
    parts = value if isinstance(value, (list, tuple)) else re.split(r"[,;/|+\n]| en ", _text(value))
    doelen: list[str] = []
    algemeen = False
    for raw in parts:
        part = _norm(_text(raw))
        if not part or part in ("geen", "none", "-", "nvt", "n v t"):
            continue
        code = re.fullmatch(r"d? ?([1-5])(?: .*)?", part)
        if code:
            doelen.append(f"D{code.group(1)}")
        elif part == "algemeen":
            algemeen = True
        else:
            named = [d for d, name in DOEL_NAMES.items() if len(part) >= 5 and part in _norm(name)]
            if len(named) != 1:
                raise _BadValue(f"doel '{_text(raw)}' onbekend — gebruik D1–D5 of 'algemeen'")
            doelen.append(named[0])
    return tuple(sorted(set(doelen))), algemeen


def _categorie(value: Any) -> str | None:
    raw = _text(value)
    if not raw:
        return None
    found = _CATEGORY_BY_NAME.get(_norm(raw))
    if found is None:
        raise _BadValue(f"categorie '{raw}' onbekend — gebruik een van: {', '.join(CATEGORIES)}")
    return found


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    raw = _norm(_text(value))
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return None if raw == "" else False
    raise _BadValue(f"algemeen '{_text(value)}' is geen ja/nee")


def _stance(value: Any) -> str | None:
    raw = _norm(_text(value))
    if not raw:
        return None
    if raw not in STANCE_WORDS:
        raise _BadValue(f"standpunt '{_text(value)}' onbekend — gebruik overgenomen, deels, niet overgenomen of onbekend")
    return STANCE_WORDS[raw]


def _row(line: int, values: Mapping[str, Any], columns: Mapping[str, str]) -> CodedRow:
    """One record (column name → value) as a CodedRow; a value that cannot be read raises _BadValue."""
    got: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for column, value in values.items():
        key = columns.get(column)
        if key is not None and key not in got:
            got[key] = value
        elif value not in (None, "", [], {}):
            extra[str(column)] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = _text(got.get("text"))
    if not text:
        raise _BadValue("geen tekst")
    raw_type = _text(got.get("type"))
    item_type = TYPES.get(_norm(raw_type))
    if item_type is None:
        raise _BadValue(f"soort '{raw_type}' onbekend — gebruik bevinding, conclusie of aanbeveling"
                        if raw_type else "geen soort (bevinding, conclusie of aanbeveling)")
    rekenkamer, gemeente = _text(got.get("rekenkamer")), _text(got.get("gemeente"))
    if not rekenkamer and not gemeente:
        raise _BadValue("geen rekenkamer en geen gemeente — het item hoort bij geen rapport")
    title, url = _text(got.get("title")), _text(got.get("url"))
    if not title and not url:
        raise _BadValue("geen titel en geen url — het item hoort bij geen rapport")
    if url and not re.match(r"https?://\S+$", url):
        raise _BadValue(f"url '{url[:60]}' begint niet met http:// of https://")
    doelen, algemeen = (None, None)
    if _text(got.get("doelen")) or isinstance(got.get("doelen"), list):
        doelen, named_algemeen = _doelen(got["doelen"])
        algemeen = True if named_algemeen else None
    given_algemeen = _bool(got.get("algemeen")) if "algemeen" in got else None
    if given_algemeen is not None:
        algemeen = given_algemeen
    return CodedRow(
        line=line, text=text, type=item_type, gemeente=gemeente, rekenkamer=rekenkamer,
        year=_year(got.get("year")), title=title, url=url, doelen=doelen, algemeen=algemeen,
        categorie=_categorie(got.get("categorie")), reaction=_text(got.get("reaction")),
        stance=_stance(got.get("stance")), stem=_text(got.get("stem")), extra=extra,
    )


# --------------------------------------------------------------------------------------
# Reading files


def read_coded_rows(path: str | Path) -> tuple[list[CodedRow], list[RowError]]:
    """The coded items of a CSV, XLSX or JSONL file, and the rows that could not be used.

    A file that cannot be read at all (missing, not one of these formats, no text or soort column)
    raises ImportFileError with one line naming the file and what to do."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(str(path), "bestand bestaat niet", hint="controleer het pad")
    kind = SUFFIXES.get(path.suffix.lower())
    if path.suffix.lower() == ".xls":
        raise ImportFileError(str(path), "oud Excel-formaat (.xls)", hint="sla het in Excel op als .xlsx of als CSV")
    if kind is None:
        raise ImportFileError(str(path), f"onbekend bestandstype '{path.suffix or 'zonder extensie'}'",
                              hint="gebruik .csv, .xlsx of .jsonl")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(str(path), exc.strerror or str(exc), hint="geef leesrechten of kies een ander bestand") \
            from None
    if not data.strip():
        raise ImportFileError(str(path), "bestand is leeg", hint="exporteer het opnieuw")
    records = {"csv": _csv_records, "xlsx": _xlsx_records, "jsonl": _jsonl_records}[kind](path, data)
    rows: list[CodedRow] = []
    errors: list[RowError] = []
    columns: dict[str, str] | None = None
    for line, values, problem in records:
        if problem:
            errors.append(RowError(str(path), line, problem))
            continue
        if kind == "jsonl" or columns is None:
            columns = _columns(values.keys())
            missing = [k for k in REQUIRED if k not in columns.values()]
            if missing and kind != "jsonl":
                raise ImportFileError(
                    str(path), f"geen kolom {' en geen kolom '.join(repr(FIELDS[k][0]) for k in missing)}"
                    f" (gevonden: {', '.join(map(str, values.keys()))[:200]})",
                    hint="geef de kolommen tekst en soort een kopregel (of text en type)")
        try:
            rows.append(_row(line, values, columns))
        except _BadValue as exc:
            errors.append(RowError(str(path), line, str(exc)))
    return rows, errors


def _columns(names: Iterable[str]) -> dict[str, str]:
    """Column name → field, for the columns that name a known field (the first one wins)."""
    out: dict[str, str] = {}
    for name in names:
        key = _COLUMN_FIELD.get(_norm(str(name)))
        if key is not None and key not in out.values():
            out[name] = key
    return out


Record = tuple[int, dict[str, Any], str]
"""(line, column → value, problem): a problem makes the record a RowError."""


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(str(path), "dit is een Excel- of zipbestand, geen tekst",
                              hint="geef het de extensie .xlsx, of sla het op als CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Dutch Excel saves "CSV (gescheiden door lijstscheidingsteken)" so
    except UnicodeDecodeError as exc:
        raise ImportFileError(str(path), f"geen UTF-8 en geen Windows-1252 (byte {exc.start + 1})",
                              hint="sla het op als CSV UTF-8") from None


def _csv_records(path: Path, data: bytes) -> Iterator[Record]:
    text = _decode(path, data)
    if "\x00" in text:
        raise ImportFileError(str(path), "bevat binaire gegevens, geen tekst", hint="sla het op als CSV")
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                yield start, {}, (f"{len(cells)} velden, de kopregel heeft er {len(header)} "
                                  f"(scheidingsteken '{delimiter}' in de tekst zonder aanhalingstekens?)")
                continue
            yield start, dict(zip(header, cells)), ""
    except csv.Error as exc:
        raise ImportFileError(str(path), f"regel {end + 1}: {exc}", hint="controleer de aanhalingstekens") from None
    if header is None:
        raise ImportFileError(str(path), "geen kopregel", hint="de eerste regel noemt de kolommen (tekst, soort, …)")


def _xlsx_records(path: Path, data: bytes) -> Iterator[Record]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ImportFileError(str(path), f"geen geldig Excel-bestand ({type(exc).__name__})",
                              hint="open het in Excel en sla het opnieuw op als .xlsx") from None
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else v for v in values]
            if not any(_text(c) for c in cells):
                continue
            if header is None:
                header = [_text(c) for c in cells]
                continue
            yield number, {h: c for h, c in zip(header, cells) if h}, ""
        if header is None:
            raise ImportFileError(str(path), "het eerste werkblad is leeg", hint="zet de items op het eerste blad")
    finally:
        book.close()


def _jsonl_records(path: Path, data: bytes) -> Iterator[Record]:
    text = _decode(path, data)
    good = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            yield number, {}, f"geen geldige JSON ({message})"
            continue
        if not isinstance(obj, dict):
            yield number, {}, "geen JSON-object ({…})"
            continue
        good += 1
        yield number, obj, ""
    if not good:
        raise ImportFileError(str(path), "geen enkele regel is een JSON-object",
                              hint="één item per regel, bijv. {\"tekst\": …, \"soort\": \"aanbeveling\", …}")


# --------------------------------------------------------------------------------------
# Storing


@dataclass
class FileImport:
    """What one file gave: rows read, reports and items new or already stored, labels, bad rows."""

    path: str
    rows: int = 0
    reports: int = 0
    reports_new: int = 0
    items_new: int = 0
    items_known: int = 0
    labels_from_file: int = 0
    labels_from_model: int = 0
    errors: list[RowError] = field(default_factory=list)
    failed: str = ""
    """Why the whole file could not be imported (empty when it could)."""


@dataclass
class ImportResult:
    files: list[FileImport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def items_new(self) -> int:
        return sum(f.items_new for f in self.files)

    @property
    def failed_files(self) -> list[FileImport]:
        return [f for f in self.files if f.failed]

    @property
    def ok(self) -> bool:
        """Every file readable and at least one row usable (new or already stored)."""
        return not self.failed_files and self.rows > 0


def import_items(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings,
    *,
    labeler: Labeler | None = None,
    classify: bool = True,
    on_progress: Callable[[str, str], None] | None = None,
) -> ImportResult:
    """Import coded items from each file into the store, one transaction per file.

    Items without labels in the file are labelled by `labeler`, else (with `classify`) by the
    current model in settings.models_dir; without a model they are stored unlabelled, with a warning."""
    result = ImportResult()
    if labeler is None and classify:
        labeler = _model_labeler(settings, result.warnings)
    run_id = store.start_run("import", {"files": [str(p) for p in paths] if isinstance(paths, list) else []})
    status = "failed"
    try:
        for path in paths:
            done = FileImport(path=str(path))
            result.files.append(done)
            try:
                rows, done.errors = read_coded_rows(path)
            except MetadossierError as exc:
                done.failed = str(exc)
                if on_progress:
                    on_progress(str(path), "failed")
                continue
            done.rows = len(rows)
            _store_rows(rows, store, labeler, run_id, done)
            if on_progress:
                on_progress(str(path), "stored")
        status = "ok" if result.ok and not any(f.errors for f in result.files) else "partial"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        store.finish_run(run_id, status, {"files": [f.__dict__ | {"errors": [str(e) for e in f.errors]}
                                                    for f in result.files]})
    return result


def _model_labeler(settings: Settings, warnings: list[str]) -> Labeler:
    """The current model as a labeler, loaded when first needed (a file with every label given never
    waits for it); without a model, items stay unlabelled and `warnings` says so once."""
    loaded: list[Labeler | None] = []

    def label(items: Sequence[Item]) -> list[Label]:
        if not loaded:
            from .classify import labeler_from_settings

            try:
                model = labeler_from_settings(settings)
            except ModelNotAvailable as exc:
                warnings.append(f"{exc}; items zonder labels in het bestand blijven ongelabeld")
                model = None
            else:
                if model is None:
                    warnings.append(f"geen getraind model in {settings.models_dir} — items zonder labels in het "
                                    "bestand blijven ongelabeld (`metadossier train`, dan `metadossier reclassify`)")
            loaded.append(model)
        return loaded[0](items) if loaded[0] is not None else []

    return label


def report_key(row: CodedRow) -> tuple[str, str, str]:
    """(rekenkamer, title or URL, year): the rows of one report share it (case and spacing aside)."""
    who = _norm(row.rekenkamer or row.gemeente)
    return who, _norm(row.title) if row.title else row.url.strip().rstrip("/").lower(), str(row.year or "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", _norm(text)).strip("_")[:40] or "rapport"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _store_rows(rows: Sequence[CodedRow], store: Store, labeler: Labeler | None, run_id: int,
                done: FileImport) -> None:
    reports: dict[tuple[str, str, str], ReportMeta] = {}
    hashes: dict[str, str] = {}
    items: list[Item] = []
    given: dict[str, CodedRow] = {}
    for row in rows:
        key = report_key(row)
        if key not in reports:
            key_hash = _digest(IMPORT_KIND, *key)
            report_id = f"{_slug(row.rekenkamer or row.gemeente)}_{row.year or 'zj'}_{key_hash[:8]}"
            reports[key] = ReportMeta(report_id=report_id, title=row.title, gemeente=row.gemeente,
                                      rekenkamer=row.rekenkamer, year=row.year, doc_type=IMPORT_KIND,
                                      source_url=row.url)
            hashes[report_id] = key_hash
        meta = reports[key]
        item_id = f"{meta.report_id}:{_digest(row.type, _norm(row.full_text))[:10]}"
        if item_id in given:
            done.errors.append(RowError(done.path, row.line, f"zelfde tekst als regel {given[item_id].line}"))
            continue
        given[item_id] = row
        extra = dict(row.extra)
        if row.stem:
            extra["stem"] = row.stem
        if row.url and row.url != meta.source_url:
            extra["source_url"] = row.url
        reaction = Reaction(text=row.reaction, stance=row.stance or "onbekend", page_start=0, page_end=0) \
            if row.type == "aanbeveling" and (row.reaction or row.stance) else None
        items.append(Item(item_id=item_id, report_id=meta.report_id, type=row.type, lead=_lead(row.full_text),
                          text=row.full_text, section_path=(), page_start=0, page_end=0, order=row.line,
                          reaction=reaction, extra=extra))
    known = _stored_ids(store, [it.item_id for it in items])
    unlabelled = [it for it in items if it.item_id not in known and not given[it.item_id].fully_labelled]
    predicted = {lb.item_id: lb for lb in (labeler(unlabelled) if labeler and unlabelled else [])}
    labels: list[Label] = []
    for item in items:
        row = given[item.item_id]
        if item.item_id in known and not row.fully_labelled:
            continue  # its labels were completed by the model when it was first imported
        if row.has_labels:
            labels.append(_given_label(item.item_id, row, predicted.get(item.item_id)))
        elif item.item_id in predicted:
            labels.append(predicted[item.item_id])
    new_reports, new_items, written = store.add_imported(
        [(meta, hashes[meta.report_id]) for meta in reports.values()], items, labels, run_id)
    done.reports = len(reports)
    done.reports_new = len(new_reports)
    done.items_new = len(new_items)
    done.items_known = len(items) - len(new_items)
    done.labels_from_file = sum(1 for lb in written if lb.source == "import")
    done.labels_from_model = sum(1 for lb in written if lb.source == "model")

def _stored_ids(store: Store, ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        out.update(r[0] for r in store.conn.execute(
            f"SELECT id FROM items WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return out


def _given_label(item_id: str, row: CodedRow, predicted: Label | None) -> Label:
    """The file's labels; what it leaves out (a categorie, the doelen) comes from the model if there is one."""
    doelen = row.doelen if row.doelen is not None else (predicted.doelen if predicted else ())
    algemeen = row.algemeen if row.algemeen is not None else (
        predicted.algemeen if predicted and row.doelen is None else False)
    categorie = row.categorie if row.categorie is not None else (predicted.categorie if predicted else "")
    completed = predicted is not None and (row.doelen is None or row.categorie is None or row.algemeen is None)
    return Label(item_id=item_id, doelen=doelen, algemeen=algemeen, categorie=categorie,
                 model_version="import" + (f"+{predicted.model_version}" if completed and predicted else ""),
                 source="import")


def _lead(text: str) -> str:
    """The first sentence, as a PDF item's lead is."""
    match = re.match(r"(.{20,}?[.!?])(?:\s|$)", text)
    return match.group(1) if match else text


def describe(done: FileImport) -> str:
    """One line about a file's import, in plain Dutch (CLI and app)."""
    from .language import counted

    if done.failed:
        return f"{done.path}: niet ingelezen — {done.failed}"
    parts = [counted(done.items_new, "nieuw item", "nieuwe items")]
    if done.items_known:
        parts.append(f"{done.items_known} al aanwezig")
    if done.errors:
        parts.append(counted(len(done.errors), "rij overgeslagen", "rijen overgeslagen"))
    labels = []
    if done.labels_from_file:
        labels.append(f"{done.labels_from_file} uit het bestand")
    if done.labels_from_model:
        labels.append(f"{done.labels_from_model} door het model")
    return (f"{done.path}: {counted(done.rows, 'rij', 'rijen')} uit "
            f"{counted(done.reports, 'rapport', 'rapporten')} ({done.reports_new} nieuw) → {', '.join(parts)}"
            + (f"; labels: {', '.join(labels)}" if labels else ""))

