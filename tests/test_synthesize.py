"""The synthesis document: shaped like the NJi synthesis, and every citation resolves to an item."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import MetadossierError
from pipeline.settings import PROJECT_ROOT, Settings
from pipeline.store import Store
from pipeline.synthesize import (
    SynthesisResult,
    citation_targets,
    nji_corpus,
    store_corpus,
    store_evidence,
    synthesize,
)

SETTINGS = Settings()
GOLD_PATH = SETTINGS.annotations_dir / "nji_synthesis.jsonl"
EXAMPLES = PROJECT_ROOT / "docs" / "examples"


@pytest.fixture(scope="session")
def gold_ids() -> set[str]:
    return {json.loads(line)["id"] for line in GOLD_PATH.read_text(encoding="utf-8").splitlines() if line.strip()}


@pytest.fixture(scope="session")
def nji_md(tmp_path_factory: pytest.TempPathFactory, nji_gold, embedder, taxonomy) -> SynthesisResult:
    out = tmp_path_factory.mktemp("synth") / "nji.md"
    return synthesize(nji_gold, out, embedder, corpus=nji_corpus(nji_gold), taxonomy=taxonomy)


@pytest.fixture(scope="session")
def store_rows(corpus_store: Path) -> list[dict[str, Any]]:
    with Store(corpus_store) as store:
        return store.items()


@pytest.fixture(scope="session")
def store_md(tmp_path_factory: pytest.TempPathFactory, corpus_store: Path, embedder, taxonomy) -> SynthesisResult:
    with Store(corpus_store) as store:
        evidence = store_evidence(store.items(), taxonomy)
        corpus = store_corpus(store.reports(), evidence)
    out = tmp_path_factory.mktemp("synth") / "corpus.html"
    return synthesize(evidence, out, embedder, corpus=corpus, taxonomy=taxonomy)


def assert_citations_resolve(text: str, known_ids: set[str]) -> list[str]:
    links, anchors = citation_targets(text)
    assert links, "the document cites nothing"
    assert set(links) <= anchors, f"links without an appendix entry: {sorted(set(links) - anchors)[:5]}"
    assert anchors <= known_ids, f"cited items that do not exist: {sorted(anchors - known_ids)[:5]}"
    return links


def test_nji_synthesis_citations_resolve_to_gold_items(nji_md, gold_ids):
    links = assert_citations_resolve(nji_md.path.read_text(encoding="utf-8"), gold_ids)
    assert set(links) == set(nji_md.cited)


def test_nji_synthesis_is_shaped_like_the_nji_document(nji_md):
    text = nji_md.path.read_text(encoding="utf-8")
    headings = re.findall(r"^## (\d) ", text, flags=re.M)
    assert headings == ["1", "2", "3", "4", "5", "6"]
    assert "## 1 Algemeen: versterk de beleidscyclus" in text
    assert "#### Aanbevelingen" in text and "#### Wat gemeenten al goed doen" in text and "#### Citaten" in text
    assert "de 177 items" in text and "zegt het materiaal weinig" in text
    assert not re.search(r"\bD[1-5] ·", text.split("## Bijlage")[0]), "a doel code in the text a researcher reads"
    assert "staat ook bij" in text  # the same advice in several NJi chapters
    assert "[NJi 2023, §2.1 (Maassluis)](#item-" in text
    # the NJi synthesis is no rekenkamer: nothing is counted as recurring, and the title claims no rekenkamers
    assert "komt terug bij" not in text.split("## Bijlage")[0]
    assert not nji_md.title.startswith("Wat rekenkamers")


def _body_before_appendix(text: str) -> str:
    return text.split("\n## Bijlage")[0]


def _sections(text: str) -> list[tuple[str, str]]:
    """(heading, text) of every theme section (### …) before the appendix."""
    parts = re.split(r"^### (.+)$", _body_before_appendix(text), flags=re.M)
    return [(parts[i], parts[i + 1].split("\n## ")[0]) for i in range(1, len(parts), 2)]


def test_theme_headings_are_short_imperative_messages(nji_md):
    from pipeline.headings import infinitive_of_imperative

    sections = _sections(nji_md.path.read_text(encoding="utf-8"))
    assert len(sections) >= 15
    for heading, _ in sections:
        number, words = heading.split(" ", 1)[0], heading.split(" ")[1:]
        assert re.fullmatch(r"\d\.\d+", number), heading
        assert 3 <= len(words) <= 8, heading
        assert infinitive_of_imperative(words[0]), f"not an imperative: {heading}"
        assert "·" not in heading and ":" not in heading, f"a keyword label in a heading: {heading}"
    # the technical lines moved to the appendix
    body = _body_before_appendix(nji_md.path.read_text(encoding="utf-8"))
    assert "Kenmerkende woorden" not in body and not re.search(r"\b(?:algemeen|D\d)-A\d", body)
    assert "trefwoorden" in nji_md.path.read_text(encoding="utf-8").split("## Bijlage A")[1]


def test_no_heading_is_used_twice_or_copies_an_nji_section_title(nji_md, store_md):
    """One synthesis never gives two themes the same heading; and a heading is drawn from the items or
    the taxonomy, never copied from the NJi's own section titles (a blind reader must recognise the
    subject, not the words)."""
    titles = {json.loads(line)["section"].split(" ", 1)[1].lower()
              for line in GOLD_PATH.read_text(encoding="utf-8").splitlines() if line.strip()}
    for result in (nji_md, store_md):
        headings = [b.text.split(" ", 1)[1] for b in result.blocks if b.kind == "h3" and
                    not b.text.split(" ", 1)[1].startswith("Overige")]
        assert headings and len(set(headings)) == len(headings), headings
        assert not {h.lower() for h in headings} & titles


def test_a_heading_belongs_to_the_category_of_most_of_its_members(nji_gold, embedder, taxonomy, store_rows):
    from collections import Counter

    from pipeline.cluster import build_themes

    for evidence in (nji_gold, store_evidence(store_rows, taxonomy)):
        by_id = {e.item_id: e for e in evidence}
        for theme in build_themes(evidence, embedder, taxonomy=taxonomy).themes:
            counts = Counter(by_id[i].categorie for i in theme.item_ids if by_id[i].categorie)
            assert counts[theme.categorie] == max(counts.values()), (theme.theme_id, theme.categorie, counts)
            if theme.group == "aanbevelingen" and theme.heading_item_id:
                assert by_id[theme.heading_item_id].categorie == theme.categorie, theme.heading


def test_no_sentence_is_repeated_within_a_section(nji_md, store_md):
    for result in (nji_md, store_md):
        text = result.path.read_text(encoding="utf-8")
        if result.path.suffix == ".html":
            text = re.sub(r"<h([23])>(.*?)</h\1>", lambda m: "\n" + "#" * int(m[1]) + " " + m[2] + "\n", text)
            text = re.sub(r"<[^>]+>", "\n", text)
        for heading, section in _sections(text):
            prose = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", section)
            prose = re.sub(r"\([^()]*\b(?:1[89]|20)\d\d\b[^()]*\)", "", prose)  # citations: "(Raalte 2019, p. 10)"
            sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", prose) if len(s.split()) >= 6]
            repeated = [s for s, n in Counter(sentences).items() if n > 1]
            assert not repeated, (heading, repeated[:2])


def test_the_text_before_the_appendix_is_within_the_njis_length(nji_md):
    nji_words = 9042  # /work/shared/seeds/004: the NJi synthesis as published
    assert 0 < nji_md.words_before_appendix <= 1.2 * nji_words


def test_every_statement_cites_an_item(nji_md):
    text = nji_md.path.read_text(encoding="utf-8")
    chapters = text.split("\n## 1 ")[1].split("## Bijlage")[0]
    for line in chapters.splitlines():
        if line.startswith(("- ", "> ")):
            assert "](#item-" in line, line


def test_store_synthesis_cites_stored_items_with_pages(store_md, store_rows):
    text = store_md.path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    links = assert_citations_resolve(text, {r["id"] for r in store_rows})
    assert not any(link.startswith("nji_synthese_metadossier:") for link in links)  # a synthese is no source
    assert "Niet meegeteld" in text and re.search(r"Raalte 2019, p\. \d+", text)


def test_committed_examples_resolve(store_rows, gold_ids):
    nji = EXAMPLES / "nji_synthese.md"
    corpus = EXAMPLES / "corpus_synthese.md"
    assert nji.exists() and corpus.exists(), "regenerate docs/examples (see docs/examples/README.md)"
    assert_citations_resolve(nji.read_text(encoding="utf-8"), gold_ids)
    assert_citations_resolve(corpus.read_text(encoding="utf-8"), {r["id"] for r in store_rows})


def test_unsupported_extension_is_refused(nji_gold, embedder, tmp_path):
    with pytest.raises(MetadossierError, match=r"out.txt: schrijf de synthese naar een \.md-, \.html-, \.docx- of \.pdf-bestand"):
        synthesize(nji_gold[:3], tmp_path / "out.txt", embedder, corpus=nji_corpus(nji_gold))


def test_cli_synthesize_and_themes(tmp_path, corpus_store):
    runner = CliRunner()
    out = tmp_path / "nji.md"
    result = runner.invoke(main, ["synthesize", "--out", str(out), "--source", "nji"])
    assert result.exit_code == 0, result.output
    assert "177 items aangehaald" in result.output and out.exists()

    db = tmp_path / "copy.sqlite"
    with sqlite3.connect(corpus_store) as source, sqlite3.connect(db) as target:
        source.backup(target)
    listed = runner.invoke(main, ["themes", "--db", str(db), "--doel", "D1"])
    assert listed.exit_code == 0, listed.output
    assert (tmp_path / "copy.themes.json").exists() and "D1-" in listed.output
    again = runner.invoke(main, ["recluster", "--db", str(db)])
    assert again.exit_code == 0 and "onveranderd" in again.output
    missing = runner.invoke(main, ["themes", "--db", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 1 and "ingest" in missing.output


def test_summary_sentences_drop_a_heading_that_runs_into_the_text() -> None:
    from pipeline.synthesize import _body

    text = ("Aanbeveling 2: Gemeenten kunnen van elkaar leren Uit een interview blijkt dat er geen cijfers over "
            "effectiviteit van de jeugdhulp beschikbaar zijn in gemeente Hoogeveen.")
    assert _body(text, "Gemeenten kunnen van elkaar leren").startswith("Uit een interview blijkt")
    punctuated = "Zorg voor overzicht. Stel een monitor op met de raad."
    assert _body(punctuated, "Zorg voor overzicht") == punctuated  # a full stop already separates them
    assert _body("Zorg dat de raad weet wat er speelt.", "Zorg dat de raad") == "Zorg dat de raad weet wat er speelt."


def _audits(rows: list[dict[str, Any]], cited: list[str]) -> set[str]:
    """The distinct audits among the cited primary items, told apart as a reader would: by the
    gemeenten audited (a report's own page and news articles about it are one audit)."""
    by_id = {r["id"]: r for r in rows}
    return {", ".join(sorted(g.strip().lower() for g in re.split(r",| en ", by_id[i]["gemeente"] or by_id[i]["report_id"])))
            for i in cited if by_id[i]["doc_type"] in ("rekenkamerrapport", "import")}


def test_recurrence_counts_distinct_rekenkamer_reports_only(store_md, store_rows):
    """'komt terug bij N rekenkamers' is the number of distinct audits among the items it cites; a
    thesis on Apeldoorn and Hoogeveen, a presentation or the NJi synthesis adds nothing."""
    text = store_md.path.read_text(encoding="utf-8")
    body = text.split("<h2>Bijlage")[0]
    items = re.findall(r"<li>(.*?)</li>", body)
    assert items
    for line in items:
        audits = _audits(store_rows, re.findall(r'href="#item-([^"]+)"', line))
        said = re.search(r"komt terug bij (\d+) rekenkamers", line)
        assert (int(said[1]) if said else min(len(audits), 1)) == (len(audits) if len(audits) >= 2 else min(len(audits), 1)), line
    # the bundled corpus has one rekenkamer report: nothing can recur, though the thesis names two gemeenten
    assert "komt terug" not in body and "gemeenten)" not in body


@pytest.fixture(scope="session")
def demo_synthesis(tmp_path_factory: pytest.TempPathFactory, demo_store: Settings, embedder, taxonomy):
    with Store(demo_store.db_path) as store:
        rows = store.items()
        evidence = store_evidence(rows, taxonomy)
        corpus = store_corpus(store.reports(), evidence)
    from pipeline.cluster import build_themes

    index = build_themes(sorted(evidence, key=lambda e: e.item_id), embedder, taxonomy=taxonomy)
    out = tmp_path_factory.mktemp("synth") / "demo.html"
    return synthesize(evidence, out, embedder, corpus=corpus, taxonomy=taxonomy, themes=index), rows, index


def test_recurrence_counted_by_audit_on_imported_items(demo_synthesis):
    """With the imported rekenkamer items, one audit arrives under several report ids (Lelystad 2021
    from its own page and three news articles). Every count the synthesis says — 'komt terug bij N
    rekenkamers' under a recommendation — equals the distinct audits among the items it bundles."""
    result, rows, index = demo_synthesis
    lelystad = {r["report_id"] for r in rows if (r.get("rekenkamer") or "") == "Rekenkamer Lelystad" and r.get("year") == 2021}
    assert len(lelystad) >= 3  # the case this guards
    text = result.path.read_text(encoding="utf-8")
    body, appendix = text.split("<h2>Bijlage", 1)
    for line in re.findall(r"<li>(.*?)</li>", body):
        said = re.search(r"komt terug bij (\d+) rekenkamers", line)
        if said:
            assert int(said[1]) == len(_audits(rows, re.findall(r'href="#item-([^"]+)"', line))), line
    by_heading = {t.heading: t for t in index.themes if t.group == "aanbevelingen"}
    checked = 0
    for heading, n in re.findall(r"‘(.+?)’: categorie .*?; (\d+|geen) rekenkamers?[^<]*</li>", appendix):
        theme = by_heading[heading.replace("&#x27;", "'")]
        assert (0 if n == "geen" else int(n)) == len(_audits(rows, list(theme.item_ids))), heading
        checked += 1
    assert checked == len(by_heading) >= 5


def test_primary_sources_are_audits_not_report_ids():
    from pipeline.cluster import Evidence
    from pipeline.synthesize import primary_sources

    text = "De raad krijgt geen zicht op de kosten."
    one_audit = [Evidence(f"{r}:1", text, "bevinding", ("algemeen",), gemeenten=("Lelystad",), report_id=r,
                          rekenkamer="Rekenkamer Lelystad", primary=True) for r in ("site", "nieuws_a", "nieuws_b")]
    joint = Evidence("j:1", text, "bevinding", ("algemeen",), gemeenten=("Leiden", "Leiderdorp"), report_id="j", primary=True)
    nameless = [Evidence(f"{r}:1", text, "bevinding", ("algemeen",), report_id=r, primary=True) for r in ("x", "y")]
    thesis = Evidence("t:1", text, "bevinding", ("algemeen",), gemeenten=("Ede",), report_id="t")
    assert len(primary_sources([*one_audit, joint, *nameless, thesis])) == 4


def test_chapter_opening_names_subjects_not_one_lead_thrice(demo_synthesis):
    """A chapter's opening gives each recurring subject of the findings in its own words: the lead
    before an example is never the same twice in one paragraph, and its count is the distinct
    audits among that subject's findings."""
    result, rows, _ = demo_synthesis
    text = result.path.read_text(encoding="utf-8").split("<h2>Bijlage")[0]
    openings = [p for p in re.findall(r"<p>(.*?)</p>", text) if "rekenkamers" in p and "Over " in p]
    assert openings
    for paragraph in openings:
        leads = re.findall(r"(?:^|\) )([A-Z][^:(]{0,120}:) ", paragraph)
        assert len(leads) == len(set(leads)), paragraph
        assert "In bevindingen en conclusies van" not in paragraph


def test_recurrence_counts_reports_not_gemeenten(embedder, taxonomy, tmp_path):
    from pipeline.cluster import Evidence
    from pipeline.synthesize import Corpus, ReportRef

    text = "Stel heldere en meetbare indicatoren op om de voortgang van de jeugdhulp te volgen."
    evidence = [
        Evidence("thesis:1", text, "aanbeveling", ("D1",), gemeenten=("Apeldoorn", "Hoogeveen"), report_id="thesis"),
        Evidence("a:1", text, "aanbeveling", ("D1",), gemeenten=("Raalte",), report_id="a", primary=True),
        Evidence("b:1", text + " Doe dit jaarlijks.", "aanbeveling", ("D1",), gemeenten=("Ede",), report_id="b",
                 primary=True),
        Evidence("c:1", "Zorg dat de raad elk kwartaal cijfers over wachtlijsten krijgt.", "aanbeveling", ("D1",),
                 gemeenten=("Ede",), report_id="c", primary=True),
    ]
    corpus = Corpus("store", (ReportRef("thesis", "Scriptie", ("Apeldoorn", "Hoogeveen"), 2020, "onderzoek"),
                              ReportRef("a", "Rapport A", ("Raalte",), 2019, "rekenkamerrapport"),
                              ReportRef("b", "Rapport B", ("Ede",), 2021, "rekenkamerrapport"),
                              ReportRef("c", "Rapport C", ("Ede",), 2022, "rekenkamerrapport")))
    result = synthesize(evidence, tmp_path / "s.md", embedder, corpus=corpus, taxonomy=taxonomy)
    text = result.path.read_text(encoding="utf-8")
    assert "komt terug bij 2 rekenkamers" in text and "komt terug bij 3" not in text
    assert not result.title.startswith("Wat rekenkamers")  # one source is a thesis
    assert "3 rekenkamerrapporten (Ede, Raalte)" in text  # a few gemeenten are named in the opening


def test_opening_counts_many_gemeenten_instead_of_listing_them(tmp_path, embedder, taxonomy):
    """Seventy names make no sentence: past a handful the opening counts them and points to the sources appendix."""
    from pipeline.cluster import Evidence
    from pipeline.synthesize import MAX_NAMED_GEMEENTEN, Corpus, ReportRef

    places = [f"Gemeente{chr(65 + i)}" for i in range(MAX_NAMED_GEMEENTEN + 3)]
    evidence = [Evidence(f"r{i}:1", f"Zorg dat {place} de wachttijden voor jeugdhulp elk kwartaal meldt aan de raad.",
                         "aanbeveling", ("D1",), gemeenten=(place,), report_id=f"r{i}", primary=True)
                for i, place in enumerate(places)]
    corpus = Corpus("store", tuple(ReportRef(f"r{i}", f"Rapport {i}", (place,), 2020, "rekenkamerrapport")
                                   for i, place in enumerate(places)))
    text = synthesize(evidence, tmp_path / "s.md", embedder, corpus=corpus, taxonomy=taxonomy).path.read_text("utf-8")
    opening = text.split("\n## ")[0]
    assert f"rekenkamerrapporten over {len(places)} gemeenten (bijlage B noemt ze)" in opening
    assert places[0] not in opening
    assert all(place in text.split("Bijlage B")[1] for place in places)


def test_word_and_pdf_have_every_heading(nji_md, tmp_path):
    import docx
    import pypdfium2

    from pipeline.render import render

    headings = [b.text for b in nji_md.blocks if b.kind in ("h2", "h3")]
    render(nji_md.blocks, nji_md.title, tmp_path / "s.docx")
    document = docx.Document(str(tmp_path / "s.docx"))
    styled = {p.text: p.style.name for p in document.paragraphs}
    for block in nji_md.blocks:
        if block.kind in ("h2", "h3"):
            assert styled.get(block.text) == {"h2": "Heading 1", "h3": "Heading 2"}[block.kind], block.text
    assert 'TOC \\o' in document.element.xml  # the table of contents field
    assert any(h.text == nji_md.title and h.style.name == "Title" for h in document.paragraphs)

    render(nji_md.blocks, nji_md.title, tmp_path / "s.pdf")
    pdf = pypdfium2.PdfDocument(str(tmp_path / "s.pdf"))
    text = " ".join(page.get_textpage().get_text_range() for page in pdf)
    flat = re.sub(r"\s+", " ", text.replace("\ufffe", "").replace("\u00ad", ""))
    missing = [h for h in headings if re.sub(r"\s+", " ", h) not in flat]
    assert not missing, missing[:3]


def test_cli_writes_word_and_pdf(tmp_path):
    runner = CliRunner()
    for name in ("nji.docx", "nji.pdf"):
        result = runner.invoke(main, ["synthesize", "--out", str(tmp_path / name), "--source", "nji"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 10_000
    bad = runner.invoke(main, ["synthesize", "--out", str(tmp_path / "nji.txt"), "--source", "nji"])
    assert bad.exit_code != 0 and ".docx- of .pdf-bestand" in bad.output and bad.output.startswith("fout: ") and "Traceback" not in bad.output


def test_make_demo_synthesis_is_the_explorers_own(labelled_store: Settings, tmp_path: Path) -> None:
    """`metadossier synthesize --out <store>.synthese.md` (what `make demo` runs) writes what the
    Synthese page offers: Word, PDF and HTML beside the Markdown, and the note that says the store
    has not changed since — not a stale warning and a Markdown download only."""
    import shutil

    from pipeline.explore import Explorer
    from pipeline.themes import synthesis_path

    db = tmp_path / "demo.sqlite"
    shutil.copy(labelled_store.db_path, db)
    settings = labelled_store.replace(db_path=db)
    target = synthesis_path(settings)
    result = CliRunner().invoke(main, ["synthesize", "--db", str(db), "--out", str(target)])
    assert result.exit_code == 0, result.output
    explorer = Explorer(settings)
    assert set(explorer.synthesis_files()) == {"md", "html", "docx", "pdf"}
    assert explorer.synthesis_status()["stale"] is False


def test_counts_in_the_synthesis_agree_with_their_verb(nji_md, store_md):
    """'De 1 aanbeveling vallen' is wrong Dutch; the committed corpus example had one chapter with a single
    recommendation."""
    texts = [nji_md.path.read_text(encoding="utf-8"), store_md.path.read_text(encoding="utf-8"),
             (EXAMPLES / "corpus_synthese.md").read_text(encoding="utf-8")]
    for text in texts:
        assert not re.search(r"\b1 (aanbeveling|bevinding|conclusie|thema)\b[^.]{0,40}\b(vallen|zijn|komen)\b", text)


@pytest.mark.parametrize(("lead", "good"), [
    ("De gemeente Raalte is goed op weg.", True),
    ("De gemeenteraad is in positie.", True),
    ("Positief is dat zowel ouders als jeugdigen aangeven, dat de hulp helpt bij het beter voelen.", True),
    ("In hoeverre doelen bereikt worden is onduidelijk; de informatievoorziening is niet op orde.", False),
    ("De informatievoorziening hieromtrent is niet op orde.", False),
    ("De Rekenkamer concludeert dat er sprake is van een Arnhemse doelenjungle waardoor een goed functionerende "
     "jeugdbeleidscyclus niet mogelijk is, terwijl de ingrediënten wel aanwezig zijn.", False),
    ("De administratie is op orde, maar de wachttijden zijn niet op orde.", True),
    ("Ouders zijn onvoldoende tevreden over de toegang.", False),
])
def test_good_practice_is_a_positive_clause_not_denied(lead: str, good: bool) -> None:
    """'Wat gemeenten al goed doen' held 'de informatievoorziening is niet op orde': a positive phrase
    only counts in a clause that does not deny it."""
    from pipeline.synthesize import is_good_practice

    assert is_good_practice(lead) is good


def test_advice_in_several_chapters_says_where_else(demo_synthesis):
    """One recommendation labelled with several doelen stands in each of their chapters; every time it
    says where else it stands, so a reader of one chapter knows it is not particular to that doel."""
    result, _, _ = demo_synthesis
    body = result.path.read_text(encoding="utf-8").split("<h2>Bijlage")[0]
    chapters = re.split(r"<h2>", body)[1:]
    cited_in: dict[str, list[str]] = {}
    for chapter in chapters:
        for line in re.findall(r"<li>(.*?)</li>", chapter):
            ids = re.findall(r'href="#item-([^"]+)"', line)
            if len(ids) == 1:
                cited_in.setdefault(ids[0], []).append(line)
    repeated = {i: lines for i, lines in cited_in.items() if len(lines) >= 2}
    assert repeated, "the demo store has advice in several chapters (the VWS 'Leer van lokale diversiteit')"
    for item_id, lines in repeated.items():
        assert all("staat ook bij hoofdstuk" in line for line in lines), item_id
