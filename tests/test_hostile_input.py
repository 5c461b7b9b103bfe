"""Issue 18, tried as a hostile tester would: every case gets one clear line (or the right
behaviour), never a traceback, and nothing stored is lost. Each test is named after its case."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.cli import main
from pipeline.errors import EncryptedPDF, NotDutch
from pipeline.ingest import ingest, process_file
from pipeline.records import Label
from pipeline.settings import PROJECT_ROOT, Settings
from pipeline.store import Store

from .pdf_factory import DUTCH, ENGLISH, text_pdf

CORPUS = PROJECT_ROOT / "corpus" / "pdf"

FRENCH = (
    "En-tête du rapport. La commune a organisé l'accès à l'aide à la jeunesse par l'équipe sociale. "
    "Il n'est pas clair si les objectifs de la politique sont atteints, et le conseil n'en est pas informé. "
    "Nous conseillons au conseil de demander au collège de le faire. Les recommandations sont présentées "
    "dans le chapitre suivant avec les réactions du collège. "
)
TORN = (
    "De reken ka mercom missie beveelt aa n het college aan om de toe gang tot de jeugd hulp te ver beteren "
    "en de raad beter te in for meren over de re sul taten van het be leid. "
)
TORN_WORSE = "Re ke n ka m e r O n d e rzoe k n a a r d e j e u g d h u l p i n d e g e m e e n t e la le de "
NO_FUNCTION_WORDS = "Jeugdhulp toegang wachtlijsten gemeente sociaal team financiering zorgaanbieders monitoring. "


def run(args: list[str], **kwargs: Any) -> Result:
    return CliRunner().invoke(main, args, **kwargs)


def one_line_error(result: Result) -> str:
    """The run failed with a message and no traceback; the message (the last stderr line)."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.stderr.strip().splitlines()[-1]


def small_pdf(path: Path, n: int) -> Path:
    """A small Dutch PDF whose content differs with n (so each has its own content hash)."""
    return text_pdf(path, text=f"Rapport nummer {n}. " + DUTCH, pages=1)


# ---------------------------------------------------------------------- 1. two ingests sharing a file


def test_case1_two_ingests_sharing_a_file_both_complete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The other ingest stores the shared file between this one's check and its write: this one
    reports it as already stored and stores the rest of its batch (was: IntegrityError traceback)."""
    db = tmp_path / "db.sqlite"
    batch = tmp_path / "batch"
    batch.mkdir()
    shared = small_pdf(batch / "a_gedeeld.pdf", 1)
    small_pdf(batch / "b_eigen.pdf", 2)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(shared, other / "a_gedeeld.pdf")
    with Store(db) as store:
        ingest([other], store, Settings(db_path=db, workers=1))
    # This process checked before the other one committed: its checks see nothing stored yet.
    monkeypatch.setattr(Store, "has_hash", lambda self, digest: None)
    result = run(["ingest", str(batch), "--db", str(db), "--no-progress", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "1 rapport opgeslagen" in result.stdout and "1 al aanwezig" in result.stdout
    monkeypatch.undo()
    with Store(db) as store:
        rows = store.conn.execute("SELECT file_name FROM reports ORDER BY file_name").fetchall()
        assert [r[0] for r in rows] == ["a_gedeeld.pdf", "b_eigen.pdf"]


def test_case1_report_id_taken_meanwhile_gets_another_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two different files with the same name, stored at the same time: both are kept."""
    db = tmp_path / "db.sqlite"
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    small_pdf(first / "rapport.pdf", 1)
    small_pdf(second / "rapport.pdf", 2)
    with Store(db) as store:
        ingest([first], store, Settings(db_path=db, workers=1))
        monkeypatch.setattr(Store, "has_report_id", lambda self, report_id: False)
        summary = ingest([second], store, Settings(db_path=db, workers=1))
        assert summary.ok and len(summary.stored) == 1
        assert sorted(store.report_ids())[0] == "rapport" and len(store.report_ids()) == 2


# ---------------------------------------------------------------------- 2. a fresh store, opened at once


def _open_store_at_once(path: str, start: float) -> str:
    import time

    time.sleep(max(0.0, start - time.time()))
    try:
        Store(path).close()
    except Exception as exc:  # noqa: BLE001 - reported to the test
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def test_case2_fresh_store_opens_under_concurrency(tmp_path: Path) -> None:
    import multiprocessing
    import time

    context = multiprocessing.get_context("fork")
    results: list[str] = []
    with context.Pool(8) as pool:
        for round_ in range(12):
            db = str(tmp_path / f"fresh{round_}.sqlite")
            start = time.time() + 0.3
            results += pool.starmap(_open_store_at_once, [(db, start)] * 8)
    assert set(results) == {"ok"}, sorted(set(results))
    with Store(tmp_path / "fresh0.sqlite") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# ---------------------------------------------------------------------- 3. unreadable PDFs


def _deny_reading(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make `denied` unreadable for this process even as root (chmod 000 does not stop root)."""
    real_open = Path.open
    real_access = os.access

    def open_(self: Path, *args: Any, **kwargs: Any) -> Any:
        if Path(self).resolve() == denied.resolve():
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    def access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        if Path(path).resolve() == denied.resolve():
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    monkeypatch.setattr(os, "access", access)


def test_case3_unreadable_pdf_in_folder_is_reported_and_batch_continues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    small_pdf(batch / "a_goed.pdf", 1)
    denied = small_pdf(batch / "b_geheim.pdf", 2)
    small_pdf(batch / "c_goed.pdf", 3)
    _deny_reading(monkeypatch, denied)
    result = run(["ingest", str(batch), "--db", str(tmp_path / "db.sqlite"), "--no-progress", "--workers", "1"])
    one_line_error(result)
    assert "2 rapporten opgeslagen" in result.stdout and "1 mislukt" in result.stdout
    assert f"fout: {denied}: kan niet worden geopend (Permission denied) — geef jezelf leesrechten" in result.stderr


def test_case3_unreadable_pdf_named_on_the_command_line_does_not_stop_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = small_pdf(tmp_path / "goed.pdf", 1)
    denied = small_pdf(tmp_path / "geheim.pdf", 2)
    _deny_reading(monkeypatch, denied)
    result = run(["ingest", str(denied), str(good), "--db", str(tmp_path / "db.sqlite"), "--no-progress"])
    assert result.exit_code == 1, result.output
    assert "is not readable" not in result.output
    assert f"{denied}: kan niet worden geopend (Permission denied)" in result.stderr
    assert "1 rapport opgeslagen" in result.stdout


@pytest.mark.skipif(os.geteuid() != 0 or not hasattr(os, "setuid"), reason="needs root to drop to another uid")
def test_case3_unreadable_pdf_for_a_normal_user(tmp_path: Path) -> None:
    """The same as a real unprivileged user (chmod 000), when the suite runs as root."""
    work = tmp_path / "work"
    work.mkdir()
    small_pdf(work / "goed.pdf", 1)
    denied = small_pdf(work / "geheim.pdf", 2)
    denied.chmod(0)
    os.chmod(tmp_path, 0o777)
    os.chmod(work, 0o777)
    env = {**os.environ, "HOME": str(work), "METADOSSIER_CACHE": str(work / "cache")}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline.cli", "ingest", str(work), "--db", str(work / "db.sqlite"),
             "--no-progress", "--workers", "1"],
            user=65534, group=65534, env=env, capture_output=True, text=True, timeout=300, cwd=work,
        )
    except PermissionError as exc:
        pytest.skip(f"cannot run as another user here: {exc}")
    if "ModuleNotFoundError" in proc.stderr or "Permission denied: '" in proc.stderr and "geheim" not in proc.stderr:
        pytest.skip(f"the unprivileged user cannot run the project: {proc.stderr[-300:]}")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{denied}: kan niet worden geopend (Permission denied)" in proc.stderr
    assert "1 rapport opgeslagen" in proc.stdout


# ---------------------------------------------------------------------- 4. classify with hostile lines


class StubModel:
    """Labels every text the same way, instantly: the line handling is under test, not the model."""

    def label(self, ids: Any, texts: Any) -> list[Label]:
        return [Label(item_id=i, doelen=("D1",), algemeen=False, categorie="toegang", scores={"D1": 1.0},
                      categorie_scores={"toegang": 1.0}, model_version="stub", source="model") for i in ids]


CP1252_LINE = '{"id": "w1", "text": "Het beleid wordt geëvalueerd"}\n'.encode("cp1252")


def test_case4_classify_line_in_windows_1252_is_reported_with_its_number(tmp_path: Path) -> None:
    """With the real model and CLI: the good lines are written, the cp1252 line is named (was: UnicodeDecodeError)."""
    source = tmp_path / "items.jsonl"
    source.write_bytes(b'{"id": "a", "text": "Borg de financiering van het CJG"}\n' + CP1252_LINE
                       + b'{"id": "b", "text": "Verkort de wachtlijsten"}\n')
    out = tmp_path / "preds.jsonl"
    result = run(["classify", "--input", str(source), "--output", str(out)])
    one_line_error(result)
    assert f"{source}:2: geen UTF-8 (byte 0xeb in kolom 42) — sla het bestand op als UTF-8" in result.stderr
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b"]


def test_case4_classify_from_stdin_with_a_bad_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.batch.require_model", lambda settings: StubModel())
    result = run(["classify", "--input", "-", "--output", "-"],
                 input=b'{"id": "a", "text": "goed"}\n' + CP1252_LINE)
    assert "stdin:2: geen UTF-8" in one_line_error(result) or "stdin:2: geen UTF-8" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["id"] == "a"


def test_case4_json_error_message_is_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.batch.require_model", lambda settings: StubModel())
    result = run(["classify", "--input", "-", "--output", "-"], input=b'{"id": "a", "text": "tab\x01here"}\n')
    one_line_error(result)
    assert "stdin:1: geen geldige JSON (Invalid control character, kolom 25) — overgeslagen" in result.stderr


GOOD_LINE = st.builds(
    lambda i, t: json.dumps({"id": i, "text": t}),
    st.one_of(st.text(max_size=12), st.integers()),
    st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and not any(0xD800 <= ord(c) < 0xE000 for c in t)),
)
BAD_LINE = st.one_of(
    st.binary(max_size=40).filter(lambda b: b"\n" not in b),
    st.text(max_size=40).filter(lambda t: "\n" not in t).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"[]", b"{}", b'{"id": 1}', b'{"id": 1, "text": ""}', b'{"id": [1], "text": "x"}',
                     b'{"id": "s", "text": "\\ud800"}', b"[" * 5000, b'{"text": 3, "id": 2}']),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.booleans(), GOOD_LINE, BAD_LINE), max_size=12))
def test_classify_property_every_good_line_classified_every_bad_line_named(
    lines: list[tuple[bool, str, bytes]]
) -> None:
    """Arbitrary bytes and lines: no exception; every good line is read with its id and text;
    every other non-blank line is either read (it happened to be good) or reported with its number."""
    import io

    from pipeline.batch import read_lines

    raw = [good.encode("utf-8") if is_good else bad for is_good, good, bad in lines]
    errors: list[str] = []
    parsed = list(read_lines(io.BytesIO(b"\n".join(raw)), errors.append, "in.jsonl"))
    assert all(e.startswith("in.jsonl:") and e.endswith("— overgeslagen") for e in errors)
    reported = [int(e.split(":")[1]) for e in errors]
    expected_pairs, expected_reported = [], []
    for number, ((is_good, good, _), line) in enumerate(zip(lines, raw), start=1):
        alone_errors: list[str] = []
        alone = list(read_lines(io.BytesIO(line), alone_errors.append, "in.jsonl"))
        if is_good:
            obj = json.loads(good)
            assert alone == [(str(obj["id"]), obj["text"])] and not alone_errors
        else:
            assert len(alone) + len(alone_errors) <= 1
        expected_pairs += alone
        expected_reported += [number] * len(alone_errors)
    assert parsed == expected_pairs
    assert reported == expected_reported


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(max_size=30), max_size=8))
def test_classify_property_stream_never_crashes(tmp_path_factory: pytest.TempPathFactory, chunks: list[bytes]) -> None:
    from pipeline.batch import classify_stream
    folder = tmp_path_factory.mktemp("cls")
    source, out = folder / "in.jsonl", folder / "out.jsonl"
    source.write_bytes(b"\n".join(chunks))
    errors: list[str] = []
    counts = classify_stream(StubModel(), source, out, errors.append)
    written = out.read_text(encoding="utf-8").splitlines()
    assert counts["classified"] == len(written) and counts["skipped"] == len(errors)


# ---------------------------------------------------------------------- 5. --db that is not a store


def test_case5_db_that_is_not_sqlite_gives_one_line(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite"
    db.write_text("dit is geen database\n" * 50)
    for args in (["items"], ["info"], ["ingest", str(CORPUS / "raalte_2019.pdf")]):
        line = one_line_error(run([*args, "--db", str(db)]))
        assert f"{db}: dit is geen opslag van metadossier" in line and "kies een andere --db" in line
    assert db.read_text().startswith("dit is geen database")


def test_case5_mistyped_db_folder_for_a_read_command_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "tpyo" / "metadossier.sqlite"
    for args in (["items"], ["report", "raalte_2019"], ["review"], ["profiles", "--csv", "-"]):
        line = one_line_error(run([*args, "--db", str(db)]))
        assert f"{db}: daar is geen opslag — controleer --db" in line
    assert not (tmp_path / "tpyo").exists()


# ---------------------------------------------------------------------- 6. option values out of range


@pytest.mark.parametrize("args, value", [
    (["ingest", "x.pdf", "--workers", "-3"], "-3"),
    (["ingest", "x.pdf", "--workers", "0"], "0"),
    (["ingest", "x.pdf", "--max-mb", "0"], "0.0"),
    (["ingest", "x.pdf", "--max-mb", "nan"], "nan"),
    (["ingest", "x.pdf", "--max-pages", "0"], "0"),
    (["items", "--type", "foo"], "foo"),
    (["search", "jeugd", "--limit", "-1"], "-1"),
    (["review", "--limit", "0"], "0"),
])
def test_case6_option_out_of_range_names_the_value(tmp_path: Path, args: list[str], value: str) -> None:
    result = run([*args, "--db", str(tmp_path / "db.sqlite")])
    assert result.exit_code in (1, 2), result.output  # 2: click's usage error; 1: checked by Settings
    message = one_line_error(result)
    assert message.startswith("fout: ") and "Error" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert f"'{value}'" in message or f" {value} " in message
    assert not (tmp_path / "db.sqlite").exists()


def test_case6_unknown_type_names_the_allowed_types(tmp_path: Path) -> None:
    result = run(["items", "--type", "foo", "--db", str(tmp_path / "db.sqlite")], prog_name="metadossier")
    assert "0 items" not in result.output
    assert result.exit_code == 2
    assert result.stderr == ("fout: ongeldige waarde voor '--type': 'foo' kan niet; kies uit conclusie, bevinding, "
                             "aanbeveling, onderzoeksvraag, norm (zie `metadossier items --help`)\n")


def test_case6_settings_out_of_range_from_the_environment() -> None:
    from pipeline.errors import SettingsError

    with pytest.raises(SettingsError, match="workers -3 — geef minstens 1"):
        Settings(workers=-3)
    result = run(["info"], env={"METADOSSIER_EMBEDDER": "bogus"})
    assert "onbekende embedder 'bogus' — kies uit" in one_line_error(result)


CLI_VALUES = st.one_of(st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=True).map(str),
                       st.text(max_size=8), st.sampled_from(["", "-", "--", "nan", "inf", "-inf", "1e400", "0x10"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(option=st.sampled_from(["--workers", "--max-mb", "--max-pages"]), value=CLI_VALUES)
def test_cli_property_ingest_options_never_crash(tmp_path: Path, option: str, value: str) -> None:
    """Arbitrary option values: a usage error or a run, never a traceback (the file is missing, so
    a run ends in one error line)."""
    result = run(["ingest", str(tmp_path / "ontbreekt.pdf"), "--db", str(tmp_path / "db.sqlite"), option, value,
                  "--no-progress"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from([["items", "--type"], ["items", "--format"], ["review", "--limit"],
                                ["search", "x", "--limit"], ["search", "x", "--doel"], ["precedent", "x", "--type"],
                                ["themes", "--doel"], ["report"], ["profile"]]),
       value=CLI_VALUES)
def test_cli_property_read_options_never_crash(tmp_path: Path, command: list[str], value: str) -> None:
    result = run([*command, value, "--db", str(tmp_path / "nowhere.sqlite")])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (1, 2)
    assert not (tmp_path / "nowhere.sqlite").exists()


# ---------------------------------------------------------------------- 7. the language check


def test_case7_torn_dutch_text_is_not_refused_as_french(tmp_path: Path) -> None:
    from pipeline.language import check_dutch, judge_language
    assert judge_language(TORN_WORSE * 4).verdict == "unsure"
    warning = check_dutch("web.pdf", TORN_WORSE * 4)
    assert warning is not None and "de taal kon niet worden vastgesteld" in warning and "flarden" in warning
    assert "'fr'" not in warning
    assert judge_language(TORN * 3).verdict in ("dutch", "unsure")
    path = text_pdf(tmp_path / "web.pdf", text=TORN_WORSE * 2)
    result = process_file(str(path), Settings(require_dutch=True))
    assert hasattr(result, "document"), getattr(result, "message", "")
    assert any("de taal kon niet worden vastgesteld" in w for w in result.warnings)  # type: ignore[union-attr]


def test_case7_no_function_word_says_could_not_judge(tmp_path: Path) -> None:
    from pipeline.language import check_dutch
    warning = check_dutch("lijst.pdf", NO_FUNCTION_WORDS * 6)
    assert warning is not None and "de taal kon niet worden vastgesteld" in warning and "lijkt '" not in warning
    path = text_pdf(tmp_path / "lijst.pdf", text=NO_FUNCTION_WORDS * 2)
    result = process_file(str(path), Settings(require_dutch=True))
    assert hasattr(result, "document"), getattr(result, "message", "")


def test_case7_french_with_en_tete_is_refused(tmp_path: Path) -> None:
    from pipeline.language import check_dutch
    with pytest.raises(NotDutch, match=r"lijkt 'fr'"):
        check_dutch("rapport.pdf", FRENCH * 2)
    path = text_pdf(tmp_path / "francais.pdf", text=FRENCH)
    result = process_file(str(path), Settings(require_dutch=True))
    assert "francais.pdf: de tekst lijkt niet Nederlands (lijkt 'fr')" in result.message  # type: ignore[union-attr]


def test_case7_english_is_refused() -> None:
    from pipeline.language import check_dutch
    with pytest.raises(NotDutch, match=r"lijkt 'en'"):
        check_dutch("report.pdf", ENGLISH * 2)


def test_case7_corpus_reports_are_accepted_without_warning() -> None:
    from pipeline.extract import extract
    from pipeline.language import check_dutch, judge_language

    for pdf in sorted(CORPUS.glob("*.pdf")):
        document = extract(pdf)
        sample = " ".join(p.text for p in document.paragraphs[:400])
        assert judge_language(sample).verdict == "dutch", pdf.name
        assert check_dutch(pdf, sample) is None
        # Page by page (a sample of a short report): never refused.
        for page in document.pages:
            assert judge_language(page.text).verdict != "other", (pdf.name, page.number)


# ---------------------------------------------------------------------- 8. misleading messages


def test_case8_missing_path_is_not_called_corrupt(tmp_path: Path) -> None:
    good = small_pdf(tmp_path / "goed.pdf", 1)
    missing = tmp_path / "weg.pdf"
    result = run(["ingest", str(good), str(missing), "--db", str(tmp_path / "db.sqlite"), "--no-progress"])
    one_line_error(result)
    assert f"fout: {missing}: bestand of map bestaat niet — controleer het pad" in result.stderr
    assert "beschadigd" not in result.stderr


def test_case8_decrypt_hint_has_the_password_option(tmp_path: Path) -> None:
    message = str(EncryptedPDF("geheim.pdf"))
    assert "qpdf --decrypt --password=WACHTWOORD in.pdf uit.pdf" in message


def _nine_character_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.drawString(60, 780, "Kapot PDF")
    c.showPage()
    c.save()
    return path


def test_case8_pdf_with_nine_characters_is_refused_as_damaged(tmp_path: Path) -> None:
    path = _nine_character_pdf(tmp_path / "negen.pdf")
    result = process_file(str(path), Settings(require_dutch=True))
    message = result.message  # type: ignore[union-attr]
    assert "negen.pdf: de PDF is beschadigd of onvolledig (er konden maar 9 tekens tekst worden gelezen)" in message
    assert "unknown" not in message


def test_case8_broken_symlink_and_empty_folder_are_named(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    small_pdf(batch / "goed.pdf", 1)
    (batch / "link.pdf").symlink_to(tmp_path / "verdwenen.pdf")
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = run(["ingest", str(batch), str(empty), "--db", str(tmp_path / "db.sqlite"), "--no-progress"])
    one_line_error(result)
    assert f"fout: {batch / 'link.pdf'}: de snelkoppeling (symbolische link) wijst nergens heen (naar {tmp_path / 'verdwenen.pdf'})" in result.stderr
    assert f"fout: {empty}: de map bevat geen PDF-bestanden" in result.stderr
    assert "1 rapport opgeslagen" in result.stdout and "2 mislukt" in result.stdout


def test_case8_only_bad_paths_store_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = run(["ingest", str(empty), "--db", str(tmp_path / "db.sqlite")])
    assert "geen PDF-bestanden om in te lezen" in one_line_error(result)
    assert not (tmp_path / "db.sqlite").exists()


# ---------------------------------------------------------------------- 9. killed runs


def test_case9_killed_run_is_marked_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    code = ("import os, signal, sys; from pipeline.store import Store; "
            "s = Store(sys.argv[1]); s.start_run('ingest', {}); os.kill(os.getpid(), signal.SIGKILL)")
    proc = subprocess.run([sys.executable, "-c", code, str(db)], timeout=120)
    assert proc.returncode == -signal.SIGKILL
    with Store(db) as store:
        live = store.start_run("ingest", {})
        runs = store.runs()
    assert [r["status"] for r in runs] == ["interrupted", "running"]
    with Store(db) as store:  # a live run (this process's) is left alone
        assert store.runs()[1]["status"] == "running"
        store.finish_run(live, "ok", {})


def test_case9_interrupted_ingest_is_marked_at_once(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    small_pdf(tmp_path / "a.pdf", 1)

    def stop(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        store.add_report = stop  # type: ignore[method-assign]
        ingest([tmp_path / "a.pdf"], store, Settings(db_path=db, workers=1))
    with Store(db) as store:
        assert [r["status"] for r in store.runs()] == ["interrupted"]


# ---------------------------------------------------------------------- 10. README drift (see test_readme_commands.py)


def test_case10_readme_shows_no_shell_pipe_between_commands_and_no_unknown_option() -> None:
    from .test_readme_commands import readme_commands, unknown_options

    commands = readme_commands()
    assert not [c for c in commands if "|" in c and "clustering|profiles" not in c]
    assert any(c.startswith("metadossier profiles --csv") for c in commands) or any(
        "`profiles --csv" in line for line in (PROJECT_ROOT / "README.md").read_text().splitlines())
    assert unknown_options(commands) == []


def test_store_integrity_is_untouched_by_a_failed_open(tmp_path: Path) -> None:
    """A store that cannot be opened (not SQLite) is left exactly as it was."""
    db = tmp_path / "x.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    before = db.read_bytes()
    result = run(["items", "--db", str(db)])
    one_line_error(result)
    assert db.read_bytes() == before
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT * FROM sqlite_master").fetchall()


def test_unwritable_embedding_cache_does_not_stop_ingest(tmp_path: Path) -> None:
    """Another user's read-only cache folder: embedding goes on in memory, no traceback."""
    import numpy as np

    from pipeline.models import CachedEmbedder

    class Plain:
        name = "plain"

        def encode(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 3), dtype=np.float32)

    cache = tmp_path / "cache.sqlite"
    cache.write_bytes(b"this is not sqlite")
    embedder = CachedEmbedder(Plain(), cache)
    assert embedder.encode(["a", "b"]).shape == (2, 3)
