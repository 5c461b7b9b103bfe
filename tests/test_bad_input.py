"""Bad input gets one clear line naming the file and the fix; nothing stored is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import pipeline.extract
from pipeline.cli import main
from pipeline.errors import EmptyFile, EncryptedPDF, NotAPDF, NotDutch, NoTextLayer, TooLarge, UnreadablePDF
from pipeline.extract import extract
from pipeline.ingest import process_file
from pipeline.settings import Settings
from pipeline.store import Store

from .pdf_factory import ENGLISH, scanned_pdf, text_pdf


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "leeg.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFile, match="leeg.pdf: het bestand is leeg — download"):
        extract(path)


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notities.pdf"
    path.write_text("Dit is een tekstbestand, geen PDF.")
    with pytest.raises(NotAPDF, match="notities.pdf: dit is geen PDF-bestand — zet het eerst om"):
        extract(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    good = text_pdf(tmp_path / "goed.pdf")
    broken = tmp_path / "afgebroken.pdf"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    with pytest.raises(UnreadablePDF, match="afgebroken.pdf: de PDF is beschadigd of onvolledig .*qpdf"):
        extract(broken)


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "geheim.pdf", encrypt="wachtwoord")
    with pytest.raises(EncryptedPDF, match="geheim.pdf: de PDF is beveiligd met een wachtwoord .*qpdf --decrypt"):
        extract(path)


def test_scanned_pdf_without_tesseract_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.extract

    monkeypatch.setattr(pipeline.extract, "ocr_available", lambda: False)
    path = scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(NoTextLayer, match="scan.pdf: de PDF bevat geen tekst .*tesseract-ocr tesseract-ocr-nld"):
        extract(path)


def test_scanned_pdf_is_read_by_ocr(tmp_path: Path) -> None:
    from pipeline.ocr import ocr_available

    from .conftest import require_optional

    if not ocr_available():
        require_optional("Tesseract with Dutch (tesseract-ocr, tesseract-ocr-nld) is not installed")
    document = extract(scanned_pdf(tmp_path / "scan.pdf"))
    assert document.ocr_pages == tuple(range(1, document.page_count + 1))
    assert document.pages[0].text.count("aanbevelingen jeugdhulp") >= 20  # a tiny bitmap font: words, not every space


def test_too_many_pages(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "dik.pdf", pages=12)
    with pytest.raises(TooLarge, match=r"dik.pdf: het bestand is te groot \(12 pagina's, meer dan 10\) — .*--max-pages"):
        extract(path, max_pages=10)


def test_too_many_megabytes(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "zwaar.pdf", pages=3)
    with pytest.raises(TooLarge, match="zwaar.pdf: het bestand is te groot .*--max-mb"):
        extract(path, max_mb=0.001)


def test_english_text_is_refused(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "english.pdf", text=ENGLISH)
    result = process_file(str(path), Settings(require_dutch=True))
    assert not hasattr(result, "document")
    assert "english.pdf: de tekst lijkt niet Nederlands (lijkt 'en') — " in result.message  # type: ignore[union-attr]
    assert isinstance(NotDutch(str(path)), Exception)


def test_batch_continues_and_exits_nonzero_and_keeps_earlier_reports(
    tmp_path: Path, corpus_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad file in a batch: one line per failure, exit 1, the good files stored, earlier data intact."""
    db = tmp_path / "store.sqlite"
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(corpus_pdf, batch / corpus_pdf.name)
    (batch / "kapot.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (batch / "leeg.pdf").write_bytes(b"")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(batch), "--db", str(db), "--no-progress"])
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("fout:")]
    assert len(errors) == 2
    assert any("kapot.pdf: de PDF is beschadigd of onvolledig" in ln for ln in errors)
    assert any("leeg.pdf: het bestand is leeg" in ln for ln in errors)
    assert "Traceback" not in result.output
    with Store(db) as store:
        before = store.counts()
        assert before["reports"] == 1
    # A second batch of only bad files changes nothing that was stored.
    bad = tmp_path / "bad"
    bad.mkdir()
    scanned_pdf(bad / "scan.pdf")
    monkeypatch.setattr(pipeline.extract, "ocr_available", lambda: False)  # a scan that cannot be read
    result = runner.invoke(main, ["ingest", str(bad), "--db", str(db), "--no-progress", "--workers", "1"])
    assert result.exit_code == 1
    assert "scan.pdf: de PDF bevat geen tekst" in result.stderr
    with Store(db) as store:
        assert store.counts() == before
