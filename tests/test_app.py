"""The Streamlit explorer, page by page, with Streamlit's AppTest on a labelled copy of the corpus store."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from pipeline.explore import Explorer, SearchFilters  # noqa: E402
from pipeline.records import PRIMARY_SOURCE_KINDS  # noqa: E402
from pipeline.settings import PROJECT_ROOT, Settings  # noqa: E402
from pipeline.store import Store  # noqa: E402
from tests.pdf_factory import DUTCH, text_pdf  # noqa: E402

APP = str(PROJECT_ROOT / "app.py")
TIMEOUT = 120


@pytest.fixture(scope="module")
def app_env(labelled_store: Settings) -> Settings:
    return labelled_store


@pytest.fixture()
def app(app_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("METADOSSIER_DB", str(app_env.db_path))
    monkeypatch.setenv("METADOSSIER_ANNOTATIONS", str(app_env.annotations_dir))
    yield AppTest.from_file(APP, default_timeout=TIMEOUT)


def _open(app: AppTest, page: str, **query: str) -> AppTest:
    app.query_params["p"] = page
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    return app


def _unescape(markdown: str) -> str:
    """Item text is shown escaped (pipeline.display.plain); read it as the browser shows it."""
    return re.sub(r"\\([^\w\s])", r"\1", markdown)


def _shown_text(app: AppTest) -> str:
    return _unescape("\n".join(m.value for m in app.markdown) + "\n".join(c.value for c in app.caption))


def _submit(app: AppTest, label: str, **values: object) -> AppTest:
    """Fill in a form's widgets (by key) and press its button: form values count only when submitted."""
    for key, value in values.items():
        _widget(app, key).set_value(value)  # type: ignore[attr-defined]
    next(b for b in app.button if b.label == label).click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _widget(app: AppTest, key: str) -> object:
    for kind in ("text_input", "text_area", "selectbox", "multiselect", "checkbox"):
        for widget in getattr(app, kind):
            if widget.key == key:
                return widget
    raise KeyError(key)


def test_search_finds_the_raalte_cjg_recommendation(app: AppTest) -> None:
    _open(app, "zoeken", q="financiering Centrum voor Jeugd en Gezin")
    assert app.text_input(key="q").value == "financiering Centrum voor Jeugd en Gezin"
    app.button(key="more").click().run()  # the second hit compared with lies beyond the first ten
    text = _shown_text(app)
    first_hit = text.index("Zorg als raad voor continuïteit van financiering")
    assert first_hit < text.index("Vraag als raad het college")  # the CJG financing advice ranks first
    assert "Rekenkamercommissie Raalte 2019, p. 10" in text  # a citation, not the file's id
    assert len(app.get("download_button")) == 2  # CSV and Excel export


def test_filters_narrow_results_and_live_in_the_url(app: AppTest) -> None:
    app.session_state["filters_open"] = True  # the pickers are drawn only while the Filters expander is open
    _open(app, "zoeken", q="jeugdhulp")
    everything = _count(app)
    app.multiselect(key="f_types").set_value(["aanbeveling"])
    app.multiselect(key="f_gemeenten").set_value(["Raalte"]).run()
    narrowed = _count(app)
    assert 0 < narrowed < everything
    assert app.query_params["types"] == "aanbeveling" and app.query_params["gemeenten"] == "Raalte"
    shown = [m.value for m in app.markdown if m.value.startswith("**Aanbeveling**")]
    assert shown and all("Raalte" in s for s in shown)


def test_filters_stay_in_force_while_their_expander_is_closed(app: AppTest) -> None:
    """Closed, the Filters expander draws no pickers, and Streamlit drops the state of widgets it did not draw;
    the filters chosen must still hold (from the URL), through a new search, and be there when it reopens."""
    _open(app, "zoeken", q="jeugdhulp")
    assert not list(app.multiselect)  # a first visit draws no pickers
    everything = _count(app)
    app.session_state["filters_open"] = True
    app.run()
    app.multiselect(key="f_types").set_value(["aanbeveling"]).run()
    app.checkbox(key="f_alle").check().run()
    narrowed = _count(app)
    assert narrowed < everything
    app.session_state["filters_open"] = False
    for _ in range(3):  # the run that closes it, and later ones without the widgets' state
        app.run()
        assert _count(app) == narrowed and app.query_params["types"] == "aanbeveling"
    _submit(app, "Zoeken", q="wachtlijsten")
    assert app.query_params["types"] == "aanbeveling" and app.query_params["bronnen"] == "alle"
    app.session_state["filters_open"] = True
    app.run()
    assert app.multiselect(key="f_types").value == ["aanbeveling"] and app.checkbox(key="f_alle").value


def _count(app: AppTest) -> int:
    line = next(m.value for m in app.markdown if re.search(r"\*\* (resultaat|resultaten)\b", m.value))
    return int(line.split("**")[1])


def test_shared_search_link_restores_query_and_filters(app: AppTest) -> None:
    _open(app, "zoeken", q="wachtlijsten", doelen="D5", types="aanbeveling,conclusie")
    assert app.multiselect(key="f_doelen").value == ["D5"]
    assert app.multiselect(key="f_types").value == ["aanbeveling", "conclusie"]


def test_precedent_finds_the_raalte_recommendation_from_a_paraphrase(app: AppTest) -> None:
    _open(app, "precedent")
    _submit(app, "Zoek precedent",
            draft="Borg als gemeenteraad dat het CJG ook de komende jaren structureel geld krijgt")
    text = _shown_text(app)
    assert "Zorg als raad voor continuïteit van financiering van het Centrum voor Jeugd en Gezin" in text
    assert "Reactie college: **overgenomen**" in text
    assert app.subheader, "hits are grouped under theme headings"


def test_precedent_excludes_the_users_own_gemeente(app: AppTest) -> None:
    _open(app, "precedent")
    _submit(app, "Zoek precedent", precedent_own="Raalte",
            draft="Zorg voor continuïteit van de financiering van het CJG")
    assert "Raalte 2019, p." not in _shown_text(app)


def test_precedent_search_lives_in_the_url(app: AppTest) -> None:
    _open(app, "precedent", tekst="Borg dat het CJG structureel geld krijgt", eigen="Hoogeveen")
    assert app.text_area(key="draft").value == "Borg dat het CJG structureel geld krijgt"
    assert app.selectbox(key="precedent_own").value == "Hoogeveen"
    assert "Zorg als raad voor continuïteit van financiering" in _shown_text(app)  # a shared link shows results
    _submit(app, "Zoek precedent", draft="Stel SMART doelen op voor de jeugdhulp")
    assert app.query_params["tekst"] == "Stel SMART doelen op voor de jeugdhulp"
    assert app.query_params["eigen"] == "Hoogeveen"


def test_themes_page_lists_themes_and_draws_the_map(app: AppTest) -> None:
    _open(app, "themas")
    assert len(app.expander) >= 3
    themes = [e.label for e in app.expander if e.label != "Bestuurlijke reactie"]
    counts = [re.search(r"— (\d+) (items?), (\d+) (gemeenten?)$", label) for label in themes]
    assert all(counts), themes
    for match in counts:  # Dutch singular for one: "1 item, 1 gemeente"
        assert (match[2] == "item") == (match[1] == "1") and (match[4] == "gemeente") == (match[3] == "1")
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")


def test_synthese_page_renders_with_clickable_citations(app: AppTest, app_env: Settings) -> None:
    Explorer(app_env).write_synthesis()
    _open(app, "synthese")
    body = "\n".join(m.value for m in app.markdown)
    assert "?p=rapport&rapport=raalte_2019&item=raalte_2019%3A" in body
    assert "#item-" not in body.replace('id="item-', "")
    downloads = [b.proto.label for b in app.get("download_button")]
    assert downloads == ["Download Word (.docx)", "Download PDF", "Download Markdown", "Download HTML"], downloads
    assert not app.warning  # just made: the store has not changed since


def test_synthese_page_warns_when_the_store_changed(app_env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A label changed after the synthesis was made: the page says so and offers to make it again."""
    import shutil

    from pipeline.records import Label

    db = tmp_path / "changed.sqlite"
    shutil.copy(app_env.db_path, db)
    settings = app_env.replace(db_path=db)
    explorer = Explorer(settings)
    explorer.write_synthesis()
    assert explorer.synthesis_status()["stale"] is False
    with Store(db) as store:
        row = next(r for r in store.items() if r["type"] == "aanbeveling")
        store.add_labels([Label(item_id=row["id"], doelen=("D5",), algemeen=False, categorie="toegang",
                                source="human")])
    status = explorer.synthesis_status()
    assert status["stale"] is True and status["made"]
    assert json.loads(db.with_name("changed.synthese.json").read_text(encoding="utf-8"))["fingerprint"]
    monkeypatch.setenv("METADOSSIER_DB", str(db))
    monkeypatch.setenv("METADOSSIER_ANNOTATIONS", str(app_env.annotations_dir))
    page = _open(AppTest.from_file(APP, default_timeout=TIMEOUT), "synthese")
    assert any("veranderd sinds deze synthese" in w.value for w in page.warning)
    assert any(b.label == "Synthese opnieuw maken" for b in page.button)


def test_rapport_page_shows_profile_items_and_highlighted_page(app: AppTest) -> None:
    _open(app, "rapport", rapport="raalte_2019", item="raalte_2019:A1")
    assert app.selectbox(key="rapport").value == "raalte_2019"
    assert app.radio(key="rapport_item").value == "raalte_2019:A1"
    assert "pagina 10" in app.get("image")[0].proto.imgs[0].caption
    profile = "\n".join(m.value for m in app.markdown)
    assert "Normenkader" in profile or "Normen" in profile


def test_rapport_page_of_a_document_without_items(app: AppTest) -> None:
    _open(app, "rapport", rapport="raalte_presentatie_2019")
    assert any("geen bevindingen" in i.value for i in app.info)


def test_overzicht_page_counts_per_doel(app: AppTest) -> None:
    _open(app, "overzicht")
    explorer = Explorer(Settings.from_env())
    primary = [r for r in explorer.records() if r["source_kind"] in PRIMARY_SOURCE_KINDS]  # the default
    assert 0 < len(primary) < len(explorer.records())
    assert app.metric[2].label == "Items" and app.metric[2].value == str(len(primary))
    table = app.table[0].value
    for doel in ("D1", "D2", "D3", "D4", "D5"):
        row = table.loc[next(name for name in table.index if name.startswith(doel + " · "))]
        assert int(row["items"]) == sum(1 for r in primary if doel in (r.get("doelen") or []))
        assert row["aandeel"].endswith("%")


def test_correction_writes_a_human_label_that_wins_at_once(app: AppTest, app_env: Settings) -> None:
    _open(app, "correctie", item="raalte_2019:A5")
    form = app.get("form")[0]
    assert form
    app.multiselect[0].set_value(["D4"])
    app.checkbox[0].set_value(False)
    app.selectbox[1].set_value("preventie_en_vroegsignalering")
    app.text_input(key="correct_who").set_value("test-annotator")
    app.button[0].click().run()
    assert any("Label opgeslagen" in s.value for s in app.success), [e.value for e in app.error]
    lines = (app_env.annotations_dir / "human_labels.jsonl").read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    assert (last["item_id"], last["doelen"], last["categorie"], last["who"]) == (
        "raalte_2019:A5", ["D4"], "preventie_en_vroegsignalering", "test-annotator")
    hits = Explorer(app_env).search("", SearchFilters(report_id="raalte_2019"), limit=500)
    record = next(h.item for h in hits if h.item["id"] == "raalte_2019:A5")
    assert record["label_source"] == "human" and record["doelen"] == ["D4"]


def test_uploading_a_bad_pdf_shows_a_dutch_error_and_changes_nothing(
    app: AppTest, app_env: Settings, tmp_path: Path
) -> None:
    with Store(app_env.db_path) as store:
        before = store.counts()
    whole = text_pdf(tmp_path / "heel.pdf").read_bytes()
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(whole[: len(whole) // 3])  # a download cut off halfway
    _open(app, "invoer")
    app.file_uploader(key="upload").upload(bad.name, bad.read_bytes(), "application/pdf").run()
    assert app.error, "a failed file is shown as failed"
    message = app.error[0].value
    assert message.startswith("kapot.pdf: ") and "beschadigd" in message
    assert "`" not in message and "qpdf" not in message and "ingest" not in message  # no command-line advice
    assert any("mislukt" in m.value for m in app.markdown)
    with Store(app_env.db_path) as store:
        assert store.counts() == before


def test_search_can_be_limited_to_research_questions(app: AppTest) -> None:
    _open(app, "zoeken", q="toegang tot de jeugdhulp", types="onderzoeksvraag")
    kinds = [m.value.split("**")[1].lower() for m in app.markdown
             if m.value.startswith("**") and "](?p=rapport" in m.value]
    assert kinds and set(kinds) == {"onderzoeksvraag"}
    assert "Hoe is de toegang tot de jeugdhulp georganiseerd?" in _shown_text(app)


def test_uploads_are_previewed_with_warnings_before_anything_is_stored(
    app: AppTest, app_env: Settings, tmp_path: Path
) -> None:
    """Two files at once: each gets a form prefilled from its PDF and a preview; only 'Opslaan' stores,
    with the metadata as corrected; its pages can be shown afterwards."""
    first = text_pdf(tmp_path / "nieuw_rapport.pdf", pages=3, text=DUTCH + " Dit onderzoek deed de rekenkamer.")
    second = text_pdf(tmp_path / "tweede_rapport.pdf", pages=2, text="Een tweede rapport over jeugdhulp in Deventer.")
    with Store(app_env.db_path) as store:
        before = store.counts()
    _open(app, "invoer")
    uploader = app.file_uploader(key="upload")
    uploader.upload(first.name, first.read_bytes(), "application/pdf")
    uploader.upload(second.name, second.read_bytes(), "application/pdf")
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    with Store(app_env.db_path) as store:
        assert store.counts() == before  # a preview stores nothing
    forms = [b for b in app.button if b.label == "Opslaan"]
    assert len(forms) == 2
    warnings = [w.value for w in app.warning]
    assert any("Geen aanbevelingen gevonden" in w for w in warnings), warnings  # a factory PDF has none
    gemeente_keys = [w.key for w in app.text_input if w.key and w.key.startswith("gem_")]
    assert len(gemeente_keys) == 2
    title_key = next(w.key for w in app.text_input if w.key and w.key.startswith("title_") and w.value)
    digest = title_key.removeprefix("title_")
    _widget(app, "gem_" + digest).set_value("Deventer")  # type: ignore[attr-defined]
    _widget(app, "jaar_" + digest).set_value("2021")  # type: ignore[attr-defined]
    next(b for b in app.button if b.label == "Opslaan" and b.form_id == f"meta_{digest}").click()
    app.run()
    assert not app.error, [e.value for e in app.error]
    assert any("Opgeslagen" in i.value for i in app.info), [i.value for i in app.info]
    with Store(app_env.db_path) as store:
        assert store.counts()["reports"] == before["reports"] + 1  # only the one saved
        stored = next(r for r in store.reports() if r["file_name"] in (first.name, second.name))
    assert (stored["gemeente"], stored["year"]) == ("Deventer", 2021)
    explorer = Explorer(app_env)
    assert explorer.pdf_path(stored["id"]) is not None
    assert explorer.page_image(stored["id"], 1)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_restarted_explorer_reads_its_snapshot_file_but_never_a_stale_one(
    app_env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from pipeline.human_labels import add_human_label

    db = tmp_path / "copy.sqlite"
    shutil.copy(app_env.db_path, db)
    settings = Settings(db_path=db, annotations_dir=tmp_path / "annotations", cache_dir=tmp_path / "cache")
    (tmp_path / "annotations").mkdir()
    first = Explorer(settings).records()
    assert len(list((tmp_path / "cache" / "snapshots").glob("*.pickle"))) == 1

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("decoded the store although its snapshot file is current")

    with monkeypatch.context() as patched:
        patched.setattr(Store, "items", no_decoding)
        assert Explorer(settings).records() == first  # a new process: from the file

    target = next(r for r in first if r["type"] == "aanbeveling" and r["categorie"] != "overig")
    with Store(db) as store:
        add_human_label(settings.annotations_dir, store, target["id"], doelen=["D5"], algemeen=False,
                        categorie="overig", who="test")
    relabelled = Explorer(settings).item(target["id"])
    assert relabelled is not None and relabelled["categorie"] == "overig" and relabelled["doelen"] == ["D5"]

    snapshot_file = next((tmp_path / "cache" / "snapshots").glob("*.pickle"))
    snapshot_file.write_bytes(b"not a pickle")  # damaged: rebuilt from the store, no error
    assert Explorer(settings).item(target["id"])["categorie"] == "overig"  # type: ignore[index]

    # Two copies of one store (same id) that each got one different correction have equal
    # fingerprints; neither may be shown the other's snapshot.
    twin = tmp_path / "twin.sqlite"
    shutil.copy(app_env.db_path, twin)
    with Store(twin) as store:
        add_human_label(settings.annotations_dir, store, target["id"], doelen=["D3"], algemeen=False,
                        categorie="toegang", who="test")
    assert Explorer(settings.replace(db_path=twin)).item(target["id"])["categorie"] == "toegang"  # type: ignore[index]
    assert Explorer(settings).item(target["id"])["categorie"] == "overig"  # type: ignore[index]


def test_search_shows_ten_hits_and_more_on_request(app: AppTest) -> None:
    _open(app, "zoeken", q="jeugdhulp")
    total = _count(app)
    assert total > 20

    def shown() -> int:
        return sum(1 for m in app.markdown if re.match(r"\*\*(aanbeveling|conclusie|bevinding|onderzoeksvraag|norm)\*\*",
                                                       m.value, re.IGNORECASE))

    assert shown() == 10
    app.button(key="more").click().run()
    assert shown() == 20 and _count(app) == total
    _submit(app, "Zoeken", q="wachtlijsten")  # a new search starts at ten again
    assert shown() == min(10, _count(app))


def test_app_has_no_bare_strings_that_streamlit_magic_would_print() -> None:
    """Streamlit writes any bare expression of the script onto the page; only the module docstring is exempt."""
    import ast

    tree = ast.parse(Path(APP).read_text(encoding="utf-8"))
    bare = [node.lineno for node in tree.body[1:]
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)]
    assert not bare, f"bare strings on lines {bare} of app.py would show on every page"


@pytest.mark.parametrize("page", ["zoeken", "precedent", "correctie"])
def test_pickers_speak_dutch(app: AppTest, page: str) -> None:
    app.session_state["filters_open"] = True  # Zoeken's pickers are drawn only while its Filters are open
    _open(app, page)
    pickers = list(app.multiselect)
    assert pickers
    # without a placeholder of its own, an empty picker shows Streamlit's English "Choose options"
    assert not [w.label for w in pickers if not w.placeholder or w.placeholder.startswith("Choose")]


def test_hits_name_every_gemeente_of_their_report(app: AppTest) -> None:
    _open(app, "zoeken", q="kwaliteit van de jeugdhulp gewaarborgd", rapport="scriptie_sturing_toegang")
    assert "Apeldoorn, Hoogeveen · " in _shown_text(app)


def test_hits_show_the_colleges_reaction_only_where_known(app: AppTest) -> None:
    _open(app, "zoeken", q="financiering Centrum voor Jeugd en Gezin", types="aanbeveling")
    blocks = [m.value for m in app.markdown]
    assert any(b.startswith("Reactie college: **overgenomen**") for b in blocks)
    assert not any(b.startswith("Reactie college: **onbekend**") for b in blocks)
