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
from tests.pdf_factory import text_pdf  # noqa: E402

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


def _shown_text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown) + "\n".join(c.value for c in app.caption)


def test_search_finds_the_raalte_cjg_recommendation(app: AppTest) -> None:
    _open(app, "zoeken", q="financiering Centrum voor Jeugd en Gezin")
    assert app.text_input(key="q").value == "financiering Centrum voor Jeugd en Gezin"
    text = _shown_text(app)
    first_hit = text.index("Zorg als raad voor continuïteit van financiering")
    assert first_hit < text.index("Vraag als raad het college")  # the CJG financing advice ranks first
    assert "raalte_2019, p. 10" in text
    assert len(app.get("download_button")) == 2  # CSV and Excel export


def test_filters_narrow_results_and_live_in_the_url(app: AppTest) -> None:
    _open(app, "zoeken", q="jeugdhulp")
    everything = _count(app)
    app.multiselect(key="f_types").set_value(["aanbeveling"])
    app.multiselect(key="f_gemeenten").set_value(["Raalte"]).run()
    narrowed = _count(app)
    assert 0 < narrowed < everything
    assert app.query_params["types"] == "aanbeveling" and app.query_params["gemeenten"] == "Raalte"
    shown = [m.value for m in app.markdown if m.value.startswith("**aanbeveling**")]
    assert shown and all("Raalte" in s for s in shown)


def _count(app: AppTest) -> int:
    line = next(m.value for m in app.markdown if "resultaten" in m.value)
    return int(line.split("**")[1])


def test_shared_search_link_restores_query_and_filters(app: AppTest) -> None:
    _open(app, "zoeken", q="wachtlijsten", doelen="D5", types="aanbeveling,conclusie")
    assert app.multiselect(key="f_doelen").value == ["D5"]
    assert app.multiselect(key="f_types").value == ["aanbeveling", "conclusie"]


def test_precedent_finds_the_raalte_recommendation_from_a_paraphrase(app: AppTest) -> None:
    _open(app, "precedent")
    app.text_area(key="draft").set_value(
        "Borg als gemeenteraad dat het CJG ook de komende jaren structureel geld krijgt").run()
    text = _shown_text(app)
    assert "Zorg als raad voor continuïteit van financiering van het Centrum voor Jeugd en Gezin" in text
    assert "Reactie college: **overgenomen**" in text
    assert app.subheader, "hits are grouped under theme headings"


def test_precedent_excludes_the_users_own_gemeente(app: AppTest) -> None:
    _open(app, "precedent")
    app.selectbox(key="precedent_own").set_value("Raalte")
    app.text_area(key="draft").set_value("Zorg voor continuïteit van de financiering van het CJG").run()
    assert "raalte_2019, p." not in _shown_text(app)


def test_precedent_search_lives_in_the_url(app: AppTest) -> None:
    _open(app, "precedent", tekst="Borg dat het CJG structureel geld krijgt", eigen="Hoogeveen")
    assert app.text_area(key="draft").value == "Borg dat het CJG structureel geld krijgt"
    assert app.selectbox(key="precedent_own").value == "Hoogeveen"
    assert "Zorg als raad voor continuïteit van financiering" in _shown_text(app)  # a shared link shows results
    app.text_area(key="draft").set_value("Stel SMART doelen op voor de jeugdhulp").run()
    assert app.query_params["tekst"] == "Stel SMART doelen op voor de jeugdhulp"
    assert app.query_params["eigen"] == "Hoogeveen"


def test_themes_page_lists_themes_and_draws_the_map(app: AppTest) -> None:
    _open(app, "themas")
    assert len(app.expander) >= 3
    themes = [e for e in app.expander if e.label != "Bestuurlijke reactie"]  # a central item's reaction
    counts = [re.search(r"— (\d+) (items?), (\d+) (gemeenten?) ", e.label) for e in themes]
    assert all(counts), [e.label for e in themes]
    for match in counts:  # Dutch singular for one: "1 item, 1 gemeente"
        assert (match[2] == "item") == (match[1] == "1") and (match[4] == "gemeente") == (match[3] == "1")
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")


def test_synthese_page_renders_with_clickable_citations(app: AppTest, app_env: Settings) -> None:
    Explorer(app_env).write_synthesis()
    _open(app, "synthese")
    body = "\n".join(m.value for m in app.markdown)
    assert "?p=rapport&rapport=raalte_2019&item=raalte_2019%3A" in body
    assert "#item-" not in body.replace('id="item-', "")


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
    primary = [r for r in explorer.records() if r["source_kind"] in PRIMARY_SOURCE_KINDS]  # the overview's default
    assert app.metric[1].value == str(len(primary))
    table = app.table[0].value
    for doel in ("D1", "D2", "D3", "D4", "D5"):
        row = table.loc[next(name for name in table.index if name.startswith(doel + " "))]
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


def test_uploading_a_bad_pdf_shows_the_cli_error_and_changes_nothing(
    app: AppTest, app_env: Settings, tmp_path: Path
) -> None:
    with Store(app_env.db_path) as store:
        before = store.counts()
    whole = text_pdf(tmp_path / "heel.pdf").read_bytes()
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(whole[: len(whole) // 3])  # a download cut off halfway
    _open(app, "invoer")
    app.file_uploader(key="upload").upload(bad.name, bad.read_bytes(), "application/pdf").run()
    app.button(key="upload_go").click().run()
    assert app.error and "kapot.pdf" in app.error[0].value
    with Store(app_env.db_path) as store:
        assert store.counts() == before


def test_search_can_be_limited_to_research_questions(app: AppTest) -> None:
    _open(app, "zoeken", q="toegang tot de jeugdhulp", types="onderzoeksvraag")
    kinds = [m.value.split("**")[1] for m in app.markdown if m.value.startswith("**") and "](?p=rapport" in m.value]
    assert kinds and set(kinds) == {"onderzoeksvraag"}
    assert "Hoe is de toegang tot de jeugdhulp georganiseerd?" in _shown_text(app)


def test_uploading_a_new_pdf_stores_it_and_its_pages_can_be_shown(
    app: AppTest, app_env: Settings, tmp_path: Path
) -> None:
    pdf = text_pdf(tmp_path / "nieuw_rapport.pdf", pages=3)
    with Store(app_env.db_path) as store:
        reports_before = store.counts()["reports"]
    _open(app, "invoer")
    app.file_uploader(key="upload").upload(pdf.name, pdf.read_bytes(), "application/pdf").run()
    app.button(key="upload_go").click().run()
    assert any("Opgeslagen" in s.value for s in app.success), [e.value for e in app.error]
    with Store(app_env.db_path) as store:
        assert store.counts()["reports"] == reports_before + 1
        report_id = next(r["id"] for r in store.reports() if r["file_name"] == "nieuw_rapport.pdf")
    explorer = Explorer(app_env)
    assert explorer.pdf_path(report_id) is not None  # kept in the upload folder beside the store
    assert explorer.page_image(report_id, 2)[:8] == b"\x89PNG\r\n\x1a\n"


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


def test_search_shows_twenty_hits_and_more_on_request(app: AppTest) -> None:
    _open(app, "zoeken", q="jeugdhulp")
    total = _count(app)
    assert total > 40

    def shown() -> int:
        return sum(1 for m in app.markdown if re.match(r"\*\*(aanbeveling|conclusie|bevinding|onderzoeksvraag|norm)\*\*",
                                                       m.value))

    assert shown() == 20
    app.button(key="more").click().run()
    assert shown() == 40 and _count(app) == total
    app.text_input(key="q").set_value("wachtlijsten").run()  # a new search starts at twenty again
    assert shown() == min(20, _count(app))


def test_app_has_no_bare_strings_that_streamlit_magic_would_print() -> None:
    """Streamlit writes any bare expression of the script onto the page; only the module docstring is exempt."""
    import ast

    tree = ast.parse(Path(APP).read_text(encoding="utf-8"))
    bare = [node.lineno for node in tree.body[1:]
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)]
    assert not bare, f"bare strings on lines {bare} of app.py would show on every page"


@pytest.mark.parametrize("page", ["zoeken", "precedent", "correctie"])
def test_pickers_speak_dutch(app: AppTest, page: str) -> None:
    _open(app, page)
    pickers = list(app.multiselect)
    assert pickers
    # without a placeholder of its own, an empty picker shows Streamlit's English "Choose options"
    assert not [w.label for w in pickers if not w.placeholder or w.placeholder.startswith("Choose")]


def test_hits_name_every_gemeente_of_their_report(app: AppTest) -> None:
    _open(app, "zoeken", q="kwaliteit van de jeugdhulp gewaarborgd", rapport="scriptie_sturing_toegang")
    assert "Apeldoorn, Hoogeveen · 2020" in _shown_text(app)


def test_hits_show_the_colleges_reaction_only_where_known(app: AppTest) -> None:
    _open(app, "zoeken", q="financiering Centrum voor Jeugd en Gezin", types="aanbeveling")
    blocks = [m.value for m in app.markdown]
    assert any(b.startswith("Reactie college: **overgenomen**") for b in blocks)
    assert not any(b.startswith("Reactie college: **onbekend**") for b in blocks)
