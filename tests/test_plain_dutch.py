"""Every page of the explorer in plain Dutch: no codes, no file paths, no English Streamlit texts, right plurals.

Renders each page with Streamlit's AppTest on the labelled corpus store plus the bundled imported
rekenkamer items (annotations/extra/), and reads everything a visitor sees: Markdown, captions,
messages, headings, expander and widget labels, the options of every picker, metrics and tables.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from pipeline import display as nl  # noqa: E402
from pipeline.settings import PROJECT_ROOT, Settings  # noqa: E402
from pipeline.store import Store  # noqa: E402
from tests.pdf_factory import DUTCH, text_pdf  # noqa: E402

APP = str(PROJECT_ROOT / "app.py")
EXTRA = PROJECT_ROOT / "annotations" / "extra" / "rekenkamer_items.jsonl"

RAW_CODE = [
    (re.compile(r"\w+_en_\w+"), "a category code"),
    (re.compile(r"\bD[1-5]\b(?! · )"), "a doel without its name"),
    (re.compile(r"\bclf-"), "a model id"),
    (re.compile(r"\b(algemeen|D[1-5])-[A-Z]?\d+\b"), "a theme id"),
    (re.compile(r"\b[a-z]+_[a-z0-9]+(_[a-z0-9]+)*\b"), "a snake_case code or report id"),
    (re.compile(r"(?<![\w/:.])/(?:[\w.-]+/)+[\w.-]*|\w:\\\\|\.sqlite\b|\.jsonl\b|\.pickle\b"), "a file path"),
    (re.compile(r"\b(gold|human)\b"), "an English label origin"),
    (re.compile(r"\b0\.\d{2}\b|\b\d{1,3}\.\d+%"), "a decimal point"),
]
ENGLISH_STREAMLIT = ("Choose an option", "Choose options", "Press Enter", "to apply", "Deploy", "No results",
                     "Drag and drop", "per file")
WRONG_PLURAL = re.compile(
    r"(?<![\d.,])\b1 (resultaten|aanbevelingen|bevindingen|conclusies|onderzoeksvragen|normen|items|gemeenten"
    r"|rapporten|rekenkamers|pagina's|thema's|bronnen)\b"
    r"|(?<![\d.,])\b(0|[2-9]|\d{2,}) (resultaat|aanbeveling|bevinding|conclusie|onderzoeksvraag|gemeente|rekenkamer"
    r"|rapport|pagina|bron)\b(?![-'’])")


@pytest.fixture(scope="module")
def store_with_imports(labelled_store: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The labelled corpus store plus the bundled imported rekenkamer items (no PDF, a source URL each)."""
    from pipeline.importer import import_items

    root = tmp_path_factory.mktemp("plain")
    db = root / "plain.sqlite"
    shutil.copy(labelled_store.db_path, db)
    for theme_file in labelled_store.db_path.parent.glob(labelled_store.db_path.stem + ".*"):
        if theme_file.suffix != ".sqlite" and theme_file.is_file():
            shutil.copy(theme_file, root / theme_file.name.replace(labelled_store.db_path.stem, "plain"))
    settings = labelled_store.replace(db_path=db)
    with Store(db) as store:
        result = import_items([EXTRA], store, settings)
    assert result.items_new > 100, [str(e) for f in result.files for e in f.errors]
    return settings


@pytest.fixture()
def app(store_with_imports: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("METADOSSIER_DB", str(store_with_imports.db_path))
    monkeypatch.setenv("METADOSSIER_ANNOTATIONS", str(store_with_imports.annotations_dir))
    yield AppTest.from_file(APP, default_timeout=180)


def visible_text(app: Any) -> list[str]:
    """What a visitor reads on the page (an AppTest) or in part of it (a block such as the sidebar), one
    string per element, with Markdown link targets and escapes removed."""
    texts: list[str] = []
    for kind in ("markdown", "caption", "header", "subheader", "title", "info", "warning", "success", "error",
                 "text", "latex", "code"):
        texts += [str(e.value) for e in getattr(app, kind)]
    texts += [e.label for e in app.expander]
    for kind in ("selectbox", "multiselect", "radio", "text_input", "text_area", "checkbox", "button",
                 "number_input", "toggle"):
        for widget in getattr(app, kind):
            texts.append(str(widget.label))
            texts += [str(o) for o in getattr(widget, "options", ())]
            placeholder = getattr(widget, "placeholder", None)
            if placeholder:
                texts.append(str(placeholder))
            if getattr(widget, "help", None):
                texts.append(str(widget.help))
    texts += [f"{m.label} {m.value}" for m in app.metric]
    for table in [*app.table, *app.dataframe]:
        frame = table.value
        texts.append(" ".join(str(c) for c in frame.columns) + " " + " ".join(str(i) for i in frame.index))
        texts += [str(v) for v in frame.to_numpy().ravel()]
    for element in app.get("download_button"):
        texts.append(str(element.proto.label))
    for element in app.get("file_uploader"):
        texts.append(str(element.proto.label))
    cleaned = []
    for text in texts:
        text = re.sub(r"\]\([^)\s]*\)", "]", text)  # link targets are not read
        text = re.sub(r"<[^>]+>", "", text)  # nor HTML tags
        cleaned.append(re.sub(r"\\([^\w\s])", r"\1", text))
    return cleaned


def problems(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        for pattern, what in RAW_CODE:
            match = pattern.search(text)
            if match:
                found.append(f"{what}: {match.group(0)!r} in {text[:160]!r}")
        for english in ENGLISH_STREAMLIT:
            if english in text:
                found.append(f"English Streamlit text {english!r} in {text[:160]!r}")
        match = WRONG_PLURAL.search(text)
        if match:
            found.append(f"wrong plural {match.group(0)!r} in {text[:160]!r}")
    return found


PAGES = {
    "zoeken (leeg)": {"p": "zoeken"},
    "zoeken": {"p": "zoeken", "q": "wachtlijsten"},
    "zoeken (alle bronnen)": {"p": "zoeken", "q": "samenwerking huisartsen", "bronnen": "alle"},
    "zoeken (één resultaat)": {"p": "zoeken", "q": "financiering Centrum voor Jeugd en Gezin", "gemeenten": "Raalte",
                               "types": "aanbeveling", "doelen": "D1", "categorieen": "financien_en_budget"},
    "precedent": {"p": "precedent", "tekst": "Investeer in de samenwerking tussen huisartsen en het wijkteam"},
    "precedent (niets)": {"p": "precedent", "tekst": "de kleur van de lucht boven de zee"},
    "themas": {"p": "themas"},
    "synthese": {"p": "synthese"},
    "rapport": {"p": "rapport", "rapport": "raalte_2019", "item": "raalte_2019:A1"},
    "rapport (synthese)": {"p": "rapport", "rapport": "nji_synthese_metadossier"},
    "overzicht": {"p": "overzicht"},
    "correctie": {"p": "correctie", "item": "raalte_2019:A5"},
    "invoer": {"p": "invoer"},
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_is_plain_dutch(app: AppTest, name: str) -> None:
    for key, value in PAGES[name].items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    texts = visible_text(app)
    assert len(" ".join(texts)) > 200, texts
    assert not problems(texts), "\n".join(problems(texts))
    for widget in [*app.selectbox, *app.multiselect]:
        assert not (widget.placeholder or "").startswith("Choose"), widget.label


def test_the_checks_catch_what_the_issue_found() -> None:
    """The checker itself: each complaint of issue 20 is caught, and plain Dutch passes."""
    bad = ["categorie visie_en_doelen", "D5 99%", "Thema algemeen-A1", "model clf-2024", "[raalte_2019, p. 10]",
           "Opslag: /work/data/metadossier.sqlite", "1 resultaten", "3 aanbeveling", "gelijkenis 0.35",
           "Choose an option", "(gold-annotatie)"]
    for text in bad:
        assert problems([text]), text
    good = ["D5 · eerder hulp op maat (99%)", "Categorie: Cliëntervaring en participatie", "1 resultaat",
            "3 aanbevelingen", "1 bevinding", "gelijkenis 0,35", "Rekenkamercommissie Raalte 2019, p. 10",
            "label door: annotator", "Hoofdstuk 2.2 Aanbevelingen", "2 items, 1 gemeente"]
    assert not problems(good), problems(good)


def test_a_search_with_one_result_says_resultaat(app: AppTest) -> None:
    for key, value in PAGES["zoeken (één resultaat)"].items():
        app.query_params[key] = value
    app.run()
    counts = [m.value for m in app.markdown if re.match(r"\*\*\d+\*\* resulta", m.value)]
    assert counts and (counts[0].startswith("**1** resultaat ") or not counts[0].startswith("**1**")), counts


def test_item_text_is_shown_as_text_not_markdown(app: AppTest, store_with_imports: Settings) -> None:
    """A report's '1.', '*' or '[x](y)' must not become a list, emphasis or a link."""
    text = "1. Zorg voor *betere* [informatie](https://voorbeeld.nl) aan de raad # over $5 of meer."
    escaped = nl.plain(text)
    assert re.sub(r"\\([^\w\s])", r"\1", escaped) == text  # the reader sees exactly the text
    assert escaped.startswith("1\\.") and "\\*betere\\*" in escaped and "\\](" not in escaped.replace("\\]\\(", "")
    # A real one: a Raalte finding that opens with an asterisk (a footnote mark) stays an asterisk.
    app.query_params["p"] = "rapport"
    app.query_params["rapport"] = "raalte_2019"
    import sqlite3

    with sqlite3.connect(store_with_imports.db_path) as conn:  # the item's id moves when segmentation does
        (starred,) = conn.execute("SELECT id FROM items WHERE report_id = 'raalte_2019' AND text LIKE '*Recentelijk%'").fetchone()
    app.query_params["item"] = starred
    app.run()
    shown = next(m.value for m in app.markdown if "Recentelijk" in m.value)
    assert "\n\n\\*Recentelijk" in shown, shown[:300]  # the text's own asterisk, escaped


def test_upload_preview_speaks_dutch(app: AppTest, tmp_path: Path) -> None:
    """The preview of a report and of a broken file: warnings and errors in plain Dutch."""
    good = text_pdf(tmp_path / "voorvertoning.pdf", pages=2, text=DUTCH + " Een rapport van de rekenkamer Zwolle.")
    bad = tmp_path / "leeg.pdf"
    bad.write_bytes(b"")
    app.query_params["p"] = "invoer"
    app.run()
    uploader = app.file_uploader(key="upload")
    uploader.upload(good.name, good.read_bytes(), "application/pdf")
    uploader.upload(bad.name, b"", "application/pdf")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    texts = visible_text(app)
    assert not problems(texts), "\n".join(problems(texts))
    assert any(t.startswith("leeg.pdf: het bestand is leeg") for t in texts), texts
    assert any("Geen aanbevelingen gevonden" in t for t in texts), texts


def test_config_hides_the_developer_toolbar() -> None:
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] in ("viewer", "minimal")  # no Deploy button, no developer menu
    assert config["server"]["enableStaticServing"] is True  # 'open de PDF op deze pagina'


def test_app_uses_no_deprecated_streamlit_api() -> None:
    source = Path(APP).read_text(encoding="utf-8")
    assert "use_container_width" not in source and "use_column_width" not in source


def test_import_of_coded_items_from_the_app(app: AppTest, tmp_path: Path) -> None:
    """A CSV of coded items with one bad row: the rest is imported, the bad row named by its line;
    the same file again adds nothing."""
    header = (PROJECT_ROOT / "corpus" / "import" / "voorbeeld.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    source = "Rekenkamercommissie Testdorp;2024;Jeugdhulp in Testdorp;https://testdorp.example/jeugdhulp"
    csv_text = "\n".join([
        header,
        f"Stel de raad elk half jaar op de hoogte van de wachttijden in de jeugd-ggz.;aanbeveling;Testdorp;{source};"
        "D5;informatievoorziening_raad;Het college neemt dit over.;overgenomen;2026-12-01",
        f"De raad krijgt geen cijfers over de wachttijden.;conclusie;Testdorp;{source};;;;;2026-12-01",
        ";aanbeveling;Testdorp;Rekenkamercommissie Testdorp;2024;;;;;;;",  # no text: line 4 is skipped
    ]) + "\n"
    app.query_params["p"] = "invoer"
    app.run()
    app.file_uploader(key="import_upload").upload("gecodeerd.csv", csv_text.encode("utf-8"), "text/csv")
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert any(s.value.startswith("gecodeerd.csv: 2 nieuwe items uit 1 rapport") for s in app.success), \
        [s.value for s in app.success]
    assert any(w.value.startswith("gecodeerd.csv, regel 4: ") for w in app.warning), [w.value for w in app.warning]
    assert not problems(visible_text(app)), "\n".join(problems(visible_text(app)))
    app.button(key="import_go").click().run()
    assert any("0 nieuwe items" in s.value and "2 stonden er al" in s.value for s in app.success), \
        [s.value for s in app.success]


def test_reclassify_shows_what_changed(app: AppTest) -> None:
    app.query_params["p"] = "invoer"
    app.run()
    next(b for b in app.button if b.label.startswith("Alle items opnieuw classificeren")).click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    table = app.table[0].value
    assert list(table.columns) == ["voor", "na", "verschil"]
    assert [str(i) for i in table.index] == [nl.doel_name(d) for d in ("D1", "D2", "D3", "D4", "D5", "algemeen")]
    changed = [m.value for m in app.markdown if re.match(r"\d+ items? (kreeg|kregen) een ander label", m.value)]
    assert changed, [m.value for m in app.markdown]
    assert not problems(visible_text(app)), "\n".join(problems(visible_text(app)))


def test_synthese_page_with_a_synthesis_is_plain_dutch(app: AppTest) -> None:
    """The synthesis itself as the page shows it: headings, counts and citations without codes."""
    app.query_params["p"] = "synthese"
    app.run()
    next(b for b in app.button if b.label in ("Synthese maken", "Synthese opnieuw maken")).click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    texts = visible_text(app)
    assert any("Download" in b.label for b in app.get("download_button")) or len(" ".join(texts)) > 2000, texts[:5]
    assert not problems(texts), "\n".join(problems(texts))
