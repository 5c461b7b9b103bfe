"""Report profiles on the corpus PDFs, checked against annotations/profiles/*.json."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline import cli_profile
from pipeline.cli import main
from pipeline.errors import AnnotationError
from pipeline.evaluate import overlap
from pipeline.extract import extract
from pipeline.ingest import manifest_for, report_meta
from pipeline.profile import (
    CSV_COLUMNS,
    METHODS,
    Profile,
    build_profile,
    paragraph_from_row,
    profile_items,
    profile_markdown,
    profile_to_dict,
    profiles_csv_rows,
)
from pipeline.records import ExtractedDocument, Paragraph, ReportMeta
from pipeline.segment import segment
from pipeline.store import Store

from .conftest import ANNOTATIONS, CORPUS

REPORTS = ("raalte_2019", "vws_nader_onderzoek_toegang", "scriptie_sturing_toegang")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def documents() -> dict[str, tuple[ExtractedDocument, ReportMeta]]:
    """The three gold reports, extracted once for this module."""
    out = {}
    for stem in REPORTS:
        pdf = CORPUS / f"{stem}.pdf"
        document = extract(pdf)
        out[stem] = (document, report_meta(pdf, document, manifest_for(pdf)))
    return out


@pytest.fixture(scope="module")
def profiles(documents: dict[str, tuple[ExtractedDocument, ReportMeta]]) -> dict[str, Profile]:
    return {stem: build_profile(doc.paragraphs, meta) for stem, (doc, meta) in documents.items()}


@pytest.fixture(scope="module")
def gold() -> dict[str, dict[str, Any]]:
    return {stem: cli_profile.load_profile_gold(ANNOTATIONS / "profiles" / f"{stem}.json") for stem in REPORTS}


def _full_text(document: ExtractedDocument) -> str:
    return _norm(" ".join(p.text for p in document.paragraphs))


def _from_text(snippet: str, text: str) -> bool:
    """The snippet is one span of the report, or a printed stem plus a printed list item."""
    words = _norm(snippet).split()
    return any(" ".join(words[:i]) in text and " ".join(words[i:]) in text for i in range(len(words)))


# ----------------------------------------------------------------------------- Raalte


def _page_of(text: str, document: ExtractedDocument) -> int:
    return next(p.page_start for p in document.paragraphs if _norm(text) in _norm(p.text))


def test_raalte_central_question(
    profiles: dict[str, Profile], gold: dict[str, dict[str, Any]],
    documents: dict[str, tuple[ExtractedDocument, ReportMeta]],
) -> None:
    central = profiles["raalte_2019"].central_question
    assert central is not None
    assert central.text == gold["raalte_2019"]["central_question"]
    assert central.source.page_start == _page_of(central.text, documents["raalte_2019"][0])


def test_raalte_all_eleven_sub_questions_in_their_four_groups(
    profiles: dict[str, Profile], gold: dict[str, dict[str, Any]],
    documents: dict[str, tuple[ExtractedDocument, ReportMeta]],
) -> None:
    found = [(q.number, q.group, q.text) for q in profiles["raalte_2019"].sub_questions]
    expected = [(str(q["number"]), q["group"], q["text"]) for q in gold["raalte_2019"]["sub_questions"]]
    assert found == expected
    assert list(dict.fromkeys(q.group for q in profiles["raalte_2019"].sub_questions)) == [
        "Beleid", "Organisatie", "Doeltreffendheid", "Sturen raad"
    ]
    document = documents["raalte_2019"][0]
    for q in profiles["raalte_2019"].sub_questions:
        assert q.source.page_start == _page_of(q.text, document), q


def test_raalte_every_norm_of_bijlage_1_linked_to_its_sub_question(
    profiles: dict[str, Profile], gold: dict[str, dict[str, Any]]
) -> None:
    found = [(n.text, n.sub_question, n.theme, n.label) for n in profiles["raalte_2019"].norms]
    expected = [(n["text"], str(n["sub_question"]), n["theme"], n["label"]) for n in gold["raalte_2019"]["norms"]]
    assert found == expected


def test_raalte_norms_come_from_the_bijlage_page(
    profiles: dict[str, Profile], documents: dict[str, tuple[ExtractedDocument, ReportMeta]]
) -> None:
    document, _ = documents["raalte_2019"]
    bijlage_page = next(
        p.page_start for p in document.paragraphs if p.kind == "heading" and p.text.startswith("Bijlage 1")
        and p.page_start > 3
    )
    for norm in profiles["raalte_2019"].norms:
        assert norm.source.page_start == bijlage_page
        assert any(h.startswith("Bijlage 1") for h in norm.source.section_path)


def test_raalte_methods_with_evidence(
    profiles: dict[str, Profile], documents: dict[str, tuple[ExtractedDocument, ReportMeta]],
    gold: dict[str, dict[str, Any]],
) -> None:
    profile = profiles["raalte_2019"]
    assert {"documentonderzoek", "interviews", "casusonderzoek"} <= set(profile.method_names)
    assert set(profile.method_names) <= {m["method"] for m in gold["raalte_2019"]["methods"]}
    text = _full_text(documents["raalte_2019"][0])
    for use in profile.methods:
        assert use.evidence and _norm(use.evidence) in text, use
    evidence = {m.method: m.evidence for m in reversed(profile.methods)}
    assert evidence["documentonderzoek"] == "een documentenanalyse;"
    assert evidence["casusonderzoek"].startswith("casussen (face-to-face interviews) van ontvangers van jeugdhulp")


def test_raalte_interviewees_by_role_without_names(
    profiles: dict[str, Profile], documents: dict[str, tuple[ExtractedDocument, ReportMeta]]
) -> None:
    interviewed = profiles["raalte_2019"].interviewed
    assert "Wethouder gemeente Raalte / Portefeuillehouder" in interviewed
    assert "Raadsleden rekeningcommissie" in interviewed
    assert len(interviewed) == 10
    document, _ = documents["raalte_2019"]
    start = max(i for i, p in enumerate(document.paragraphs) if p.kind == "heading" and p.text.startswith("Bijlage 2"))
    names = [p.text.rsplit(":", 1)[1].strip() for p in document.paragraphs[start:]
             if p.kind == "list_item" and re.search(r":\s*[A-Z]", p.text)]
    assert len(names) == 4
    for name in names:
        for word in name.split():
            if word[0].isupper():
                assert all(word not in role for role in interviewed), (name, interviewed)


def test_raalte_scope(profiles: dict[str, Profile], gold: dict[str, dict[str, Any]]) -> None:
    profile = profiles["raalte_2019"]
    assert profile.period == "2015-2018"
    assert profile.gemeenten == ("Raalte",)
    assert profile.rekenkamer == "Rekenkamercommissie Raalte"
    assert profile.year == 2019
    assert profile.doelstelling == gold["raalte_2019"]["doelstelling"]


# ----------------------------------------------------------------------------- the other seeds


def _all_match(found: list[str], expected: list[str]) -> bool:
    return len(found) == len(expected) and all(overlap(f, e) >= 0.8 for f, e in zip(found, expected))


def test_vws_has_its_questions_and_no_invented_fields(
    profiles: dict[str, Profile], gold: dict[str, dict[str, Any]]
) -> None:
    profile, expected = profiles["vws_nader_onderzoek_toegang"], gold["vws_nader_onderzoek_toegang"]
    assert profile.central_question is None
    assert _all_match([q.text for q in profile.sub_questions], [q["text"] for q in expected["sub_questions"]])
    assert [q.number for q in profile.sub_questions] == ["1", "2", "3", "4", "5"]
    assert profile.norms == ()
    assert profile.gemeenten == ()
    assert profile.rekenkamer is None
    assert profile.period == expected["period"]
    assert profile.doelstelling == expected["doelstelling"]
    assert set(profile.method_names) == {m["method"] for m in expected["methods"]}
    assert profile.conclusion_links == ()


def test_scriptie_has_its_questions_and_no_invented_fields(
    profiles: dict[str, Profile], gold: dict[str, dict[str, Any]]
) -> None:
    profile, expected = profiles["scriptie_sturing_toegang"], gold["scriptie_sturing_toegang"]
    assert profile.central_question is not None
    assert profile.central_question.text == expected["central_question"]
    assert [q.text for q in profile.sub_questions] == [q["text"] for q in expected["sub_questions"]]
    assert profile.norms == ()
    assert profile.period is None
    assert profile.doelstelling is None
    assert profile.rekenkamer is None
    assert set(profile.gemeenten) == set(expected["gemeenten"])
    assert set(profile.method_names) == {m["method"] for m in expected["methods"]}
    assert "Hoogeveen: gedragswetenschapper" in profile.interviewed


@pytest.mark.parametrize("stem", REPORTS)
def test_no_conclusion_links_the_report_does_not_make(stem: str, profiles: dict[str, Profile]) -> None:
    assert profiles[stem].conclusion_links == ()


@pytest.mark.parametrize("stem", REPORTS)
def test_scores_against_gold_are_perfect(
    stem: str, profiles: dict[str, Profile], gold: dict[str, dict[str, Any]]
) -> None:
    scores = cli_profile.score_profile(profiles[stem], gold[stem])
    for field_name, score in scores.items():
        assert score["precision"] == 1.0 and score["recall"] == 1.0, (field_name, score)


@pytest.mark.parametrize("stem", REPORTS)
def test_quoted_fields_are_text_of_the_report(
    stem: str, profiles: dict[str, Profile], documents: dict[str, tuple[ExtractedDocument, ReportMeta]]
) -> None:
    text = _full_text(documents[stem][0])
    profile = profiles[stem]
    quoted = [m.evidence for m in profile.methods] + [n.text for n in profile.norms]
    for snippet in quoted:
        assert _norm(snippet) in text, snippet
    for q in profile.sub_questions:
        assert _from_text(q.text, text), q.text


def test_a_report_without_a_research_design_gets_an_empty_profile() -> None:
    def para(i: int, kind: str, text: str, level: int = 0) -> Paragraph:
        return Paragraph(index=i, kind=kind, text=text, page_start=1, page_end=1,  # type: ignore[arg-type]
                         bbox=(70.0, 100.0 + i * 20, 500.0, 115.0 + i * 20), size=10.0, level=level)

    paragraphs = [
        para(0, "heading", "1 Conclusies", 1),
        para(1, "text", "De gemeente heeft in 2019 veel bereikt. Wij vroegen ons af: hoe nu verder?"),
        para(2, "list_item", "Hoe gaat het met de wachtlijsten?"),
    ]
    profile = build_profile(paragraphs, ReportMeta(report_id="leeg"))
    assert profile == Profile(report_id="leeg")


# ----------------------------------------------------------------------------- items and exports


def test_profile_items_have_ids_types_and_provenance(profiles: dict[str, Profile]) -> None:
    items = profile_items(profiles["raalte_2019"], "raalte_2019", start=40)
    questions = [it for it in items if it.type == "onderzoeksvraag"]
    norms = [it for it in items if it.type == "norm"]
    assert [it.item_id for it in questions] == [f"raalte_2019:Q{n}" for n in range(12)]
    assert [it.item_id for it in norms] == [f"raalte_2019:N{n}" for n in range(1, 10)]
    assert [it.order for it in items] == list(range(40, 40 + len(items)))
    assert questions[0].extra == {"role": "hoofdvraag"}
    assert questions[8].extra == {"role": "deelvraag", "group": "Doeltreffendheid", "sub_question": "8"}
    assert norms[3].extra == {"group": "Doeltreffendheid", "sub_question": "8",
                              "label": "Zicht op uitvoering en resultaten"}
    for item in items:
        assert item.bbox is not None and item.page_start >= 1 and item.section_path


def test_profile_items_store_beside_segmented_items(
    documents: dict[str, tuple[ExtractedDocument, ReportMeta]], profiles: dict[str, Profile], tmp_path: Path
) -> None:
    document, meta = documents["raalte_2019"]
    items = list(segment(document, meta).items)
    items += profile_items(profiles["raalte_2019"], meta.report_id, start=len(items))
    with Store(tmp_path / "p.sqlite") as store:
        store.add_report(meta, document, items)
        norms = store.items(type="norm")
        questions = store.items(type="onderzoeksvraag")
    assert len(norms) == 9 and len(questions) == 12
    assert norms[0]["extra"]["sub_question"] == "1"


def test_csv_has_one_row_per_report(profiles: dict[str, Profile]) -> None:
    rows = profiles_csv_rows(profiles[s] for s in REPORTS)
    assert [r["report_id"] for r in rows] == list(REPORTS)
    assert all(list(r) == list(CSV_COLUMNS) for r in rows)
    raalte = rows[0]
    assert raalte["n_sub_questions"] == 11 and raalte["n_norms"] == 9
    assert raalte["sub_questions"].count(" | ") == 10
    assert rows[1]["norms"] == "" and rows[1]["central_question"] == ""


def test_dict_and_markdown(profiles: dict[str, Profile]) -> None:
    data = profile_to_dict(profiles["raalte_2019"])
    json.dumps(data)
    assert data["method_names"][:2] == ["documentonderzoek", "interviews"]
    assert set(data["method_names"]) <= set(METHODS)
    md = profile_markdown(profiles["vws_nader_onderzoek_toegang"])
    assert "## Normenkader\n\n_niet vermeld_" in md


# ----------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def profile_store(
    documents: dict[str, tuple[ExtractedDocument, ReportMeta]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A store holding the three reports (paragraphs only), written without re-reading the PDFs."""
    db = tmp_path_factory.mktemp("profiles") / "profiles.sqlite"
    with Store(db) as store:
        for document, meta in documents.values():
            store.add_report(meta, document, [])
    return db


def test_profile_from_the_store_equals_profile_from_the_pdf(profile_store: Path, profiles: dict[str, Profile]) -> None:
    with Store(profile_store) as store:
        for stem in REPORTS:
            stored = cli_profile.stored_profile(store, stem)
            assert stored == profiles[stem]
        assert paragraph_from_row(store.paragraphs("raalte_2019")[0]).index == 0


def test_cli_profiles_csv_one_row_per_stored_report(profile_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "profiles.csv"
    result = CliRunner().invoke(main, ["profiles", "--csv", str(out), "--db", str(profile_store)])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["report_id"] for r in rows) == sorted(REPORTS)


def test_cli_profile_json_and_markdown(profile_store: Path, gold: dict[str, dict[str, Any]]) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["profile", "raalte_2019", "--db", str(profile_store), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["central_question"]["text"] == gold["raalte_2019"]["central_question"]
    assert len(data["norms"]) == 9
    result = runner.invoke(main, ["profile", "scriptie_sturing_toegang", "--db", str(profile_store)])
    assert result.exit_code == 0 and result.output.startswith("# ")


def test_cli_profile_unknown_report_is_one_line_error(profile_store: Path) -> None:
    result = CliRunner().invoke(main, ["profile", "nope", "--db", str(profile_store)])
    assert result.exit_code != 0
    assert "fout: geen rapport 'nope'" in result.output and "Traceback" not in result.output


def test_cli_evaluate_profiles_json(
    documents: dict[str, tuple[ExtractedDocument, ReportMeta]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.extract

    monkeypatch.setattr(pipeline.extract, "extract", lambda path, **_: documents[Path(path).stem][0])
    result = CliRunner().invoke(main, ["evaluate", "profiles", "--json"])
    assert result.exit_code == 0, result.output
    overall = json.loads(result.output)["overall"]
    assert set(overall) == {"questions", "norms", "methods"}
    assert all(s["recall"] == 1.0 and s["precision"] == 1.0 for s in overall.values()), overall


def test_new_commands_have_help() -> None:
    runner = CliRunner()
    for args in (["profile", "--help"], ["profiles", "--help"], ["evaluate", "profiles", "--help"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and len(result.output.splitlines()) > 3, args


def test_malformed_gold_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"report_id": "x", "methods": [{"method": "telepathie"}]}', encoding="utf-8")
    with pytest.raises(AnnotationError, match="bad.json.*telepathie"):
        cli_profile.load_profile_gold(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(AnnotationError, match="bad.json"):
        cli_profile.load_profile_gold(bad)
