"""Segmentation on PDFs we did not typeset with corpus/render.py: the layout corpus.

corpus/layouts/ holds reports made with reportlab, LibreOffice, headless Chromium and Typst,
each with gold derived from its spec. Every test is named after the hazard it guards and
asserts the level reached today, so a regression in any of them fails here. Where a level is
still below the issue's target, the test says so in its docstring.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.annotations import load_segmentation_gold
from pipeline.evaluate import score_report
from pipeline.evaluate_layouts import evaluate_layouts
from pipeline.extract import extract
from pipeline.metadata import read_metadata
from pipeline.records import ExtractedDocument, PageText
from pipeline.settings import Settings
from pipeline.structure import build

LAYOUTS = Path(__file__).resolve().parent.parent / "corpus" / "layouts"
OCR_LAYER = "ocrscan"
"""The producer of scanned reports with an OCR text layer: below the targets, tested on their own level."""
NOT_YET_READ = {
    "lochem_2024_h21c": "a design tool's 'rapport in beeld': conclusions as tiles and recommendations as cards in a "
                        "grid, whose columns are read as one",
}
"""Blind documents whose layout is not read yet: left out of the corpus-wide floors, their level asserted on its own
(test_a_design_tool_export_is_not_read_yet_h21c) so that a change either way shows."""


@pytest.fixture(scope="module")
def layouts() -> dict[str, Any]:
    return evaluate_layouts(Settings())["documents"]


def _read_from_images(result: dict[str, Any]) -> bool:
    """A document whose text came from OCR (a scanned report with an OCR layer, or three or more pages read by
    Tesseract: text as outlines, a broken font): held to its own level, not the born-digital floor."""
    return result["producer"] == OCR_LAYER or len(result["ocr_pages"]) >= 3


def _matched(result: dict[str, Any], item_type: str) -> tuple[int, int]:
    score = result["scores"][item_type]
    return score["matched"], score["gold"]


def _assert_read_right(result: dict[str, Any], doc_id: str) -> None:
    """Every item type found exactly (no item missed, none invented), every stance right, no heading an item."""
    for kind in ("aanbeveling", "conclusie", "bevinding"):
        score = result["scores"][kind]
        assert score["matched"] == score["gold"] == score["predicted"], (doc_id, kind, score)
    assert result["stance"]["right"] == result["stance"]["gold"], (doc_id, result["stance"])
    assert result["headings_as_items"] == 0, doc_id


def test_layout_corpus_has_twelve_documents_from_four_producers(layouts: dict[str, Any]) -> None:
    producers = {r["producer"] for r in layouts.values()}
    assert len(layouts) >= 12
    assert {"reportlab", "libreoffice", "chromium", "typst"} <= producers


def test_torn_words_text_is_the_pdfs_own(layouts: dict[str, Any]) -> None:
    """Words agree with pypdfium2's plain text (hyphens and whitespace normalised). A scan's OCR layer (the
    ocrscan documents) is read through the page image's lines, which put some of its words in another line than
    pdfium does: 0.985 there."""
    for doc_id, result in layouts.items():
        floor = 0.985 if result["producer"] == OCR_LAYER else 0.995
        assert result["word_agreement"] >= floor, doc_id


def test_torn_words_letter_spaced_browser_headings_read_whole() -> None:
    """Chromium sets letter-spaced headings glyph by glyph; pdfium's own spacing keeps the words."""
    document = extract(LAYOUTS / "pdf" / "okt_preventie_2023_ch.pdf")
    text = " ".join(p.text for p in document.paragraphs)
    assert "Rekenkamer Metropool Amsterdam" in text or "Stichting OKT" in text
    assert not re.search(r"\b(R e k|Re ke n|ka m e r)\b", text)


def test_recs_table_rows_are_items(layouts: dict[str, Any]) -> None:
    """Nr. | Aanbeveling | Gericht aan: one item per row, the cells not split into items."""
    for doc_id in ("lelystad_2021_rl", "okt_preventie_2023_ch"):
        assert _matched(layouts[doc_id], "aanbeveling") == (layouts[doc_id]["aanbevelingen"]["gold"],) * 2, doc_id


def test_recs_table_shaded_cells_give_the_grid() -> None:
    """Tables drawn as filled cell rectangles (no rules) still come out as rows of cells."""
    document = extract(LAYOUTS / "pdf" / "lelystad_2021_rl.pdf")
    rows = [p for p in document.paragraphs if p.kind == "table_row"]
    header = next(p for p in rows if p.cells[:2] == ("Nr.", "Aanbeveling"))
    assert header.cells[2] == "Gericht aan"
    assert any(p.cells[0] == "1" and p.cells[1].startswith("Stel concrete") for p in rows)


def test_recs_table_addressee_from_its_column(layouts: dict[str, Any]) -> None:
    from pipeline.ingest import report_meta
    from pipeline.segment import segment

    pdf = LAYOUTS / "pdf" / "lelystad_2021_rl.pdf"
    document = extract(pdf)
    items = [it for it in segment(document, report_meta(pdf, document, None)).items if it.type == "aanbeveling"]
    addressed = [it.addressee for it in items if it.addressee]
    assert len(addressed) >= 6 and set(addressed) <= {"raad", "college", "raad en college"}
    assert items[0].number == "1"


def test_recs_numbered_and_repeat_in_samenvatting_one_item_each(layouts: dict[str, Any]) -> None:
    """Recommendations repeated in the Samenvatting are not stored twice."""
    for doc_id in ("wvolv_2021_rl", "eindhoven_2017_lo"):
        result = layouts[doc_id]
        assert result["aanbevelingen"]["emitted"] == result["aanbevelingen"]["gold"], doc_id
        assert _matched(result, "aanbeveling")[0] == result["aanbevelingen"]["gold"], doc_id


def test_recs_number_own_line_keeps_its_text(layouts: dict[str, Any]) -> None:
    assert _matched(layouts["eindhoven_2017_lo"], "aanbeveling") == (5, 5)


def test_heading_after_last_recommendation_is_not_an_item(layouts: dict[str, Any]) -> None:
    for doc_id in ("wvolv_2021_rl", "leiden_2022_lo"):
        assert layouts[doc_id]["aanbevelingen"]["emitted"] == layouts[doc_id]["aanbevelingen"]["gold"], doc_id
    assert all(r["headings_as_items"] == 0 for r in layouts.values())


def test_concl_table_and_label_rows_are_conclusions(layouts: dict[str, Any]) -> None:
    for doc_id in ("arnhem_2020_rl", "eindhoven_2017_lo", "okt_preventie_2023_ch", "jeugd_almere_2021_ch", "rmb_2022_lo"):
        matched, gold = _matched(layouts[doc_id], "conclusie")
        assert matched == gold, doc_id


def test_norm_findings_become_one_bevinding_per_norm(layouts: dict[str, Any]) -> None:
    """"Norm 2.1: …" then the findings and the verdict: one bevinding (also a norm in a table cell)."""
    assert _matched(layouts["jeugd_almere_2021_ch"], "bevinding") == (4, 4)
    assert _matched(layouts["wvolv_2021_rl"], "bevinding")[0] >= 3
    assert _matched(layouts["leiden_2022_lo"], "bevinding")[0] >= 3


def test_findings_paragraphs_in_body_chapters(layouts: dict[str, Any]) -> None:
    """Findings paragraphs of the body chapters are bevindingen (interview results and the gemeente's
    arrangements as found included); method prose, reading guidance ("In dit hoofdstuk …") and general
    norms ("Een raad die wil sturen, moet …") are not. The gold follows the written convention and was
    checked blind (corpus/layouts/README.md). The issue's target, F1 ≥ 0.97 on every document."""
    assert _matched(layouts["okt_preventie_2023_ch"], "bevinding") == (11, 11)
    assert _matched(layouts["jeugdhulp_utrecht_2014_ch"], "bevinding") == (10, 10)
    assert _matched(layouts["eindhoven_2017_lo"], "bevinding")[0] >= 13
    for name, result in layouts.items():
        score = result["scores"]["bevinding"]
        if score["gold"] and not _read_from_images(result) and name not in NOT_YET_READ:
            assert 2 * score["matched"] / (score["gold"] + score["predicted"]) >= 0.97, name


def test_background_closed_by_the_question_looked_into_is_not_a_finding(layouts: dict[str, Any]) -> None:
    """General background closed by what the rekenkamer looked into ("In de uitvoering van het
    jeugdbeleid zijn veel partijen actief … De Rekenkamer heeft onderzocht hoe zij samenwerken") or by
    what a role requires ("De raad stelt de kaders vast … Daarvoor moet hij … worden geïnformeerd")
    introduces findings; a finding closed that way ("Het college noemt in de jaarrekening 2018 …
    Wij hebben nagegaan of …") is still one."""
    unmatched = [u["text"] for name in ("arnhem_2020_rl", "gooisemeren_2022_tx", "haarlemmermeer_jeugdzorg_2021_wp")
                 for u in layouts[name]["unmatched"]]
    assert not any(text.startswith(("In de uitvoering van het jeugdbeleid", "Rond een jeugdige zijn vaak",
                                    "De raad stelt de kaders")) for text in unmatched)
    zaanstad = layouts["zaanstad_jeugdhulp_2020_wp"]
    assert "Het college noemt in de jaarrekening" not in " ".join(m["text"] for m in zaanstad["missed"])


def test_column_break_after_a_full_stop_inside_a_paragraph(layouts: dict[str, Any]) -> None:
    """A column break that falls right after a full stop on a full line does not end the paragraph
    (a paragraph's last line is short); a new column that opens with "Conclusie 4:" starts that item."""
    rmb = layouts["rmb_2022_lo"]
    assert not any(u["text"].startswith("Ongeveer de helft van de verwijzingen") for u in rmb["unmatched"])
    assert _matched(rmb, "bevinding") == (7, 7)
    assert _matched(layouts["zaanstad_jeugdhulp_2020_wp"], "conclusie") == (5, 5)


def test_paragraph_break_after_a_full_stop_with_modest_spacing(layouts: dict[str, Any]) -> None:
    """LibreOffice's 6 pt paragraph spacing on a page of short paragraphs: the break is seen (the
    page's line pitch is its lower quartile, footnotes left out), and a footnote number after the full
    stop ("… in de wijken.3") still ends the sentence."""
    missed = " ".join(m["text"] for m in layouts["eindhoven_2017_lo"]["missed"])
    assert "De beoogde maatschappelijke effecten" not in missed
    assert _matched(layouts["purmerend_2022_ty"], "bevinding") == (7, 7)


def test_cover_colofon_metadata_without_a_manifest(layouts: dict[str, Any]) -> None:
    """Gemeente, rekenkamer, year and title from the PDF itself; never a newline or label word."""
    ok = sum(r["metadata_ok"] for r in layouts.values())
    assert ok >= 0.95 * 4 * len(layouts)
    for doc_id, result in layouts.items():
        for field, value in result["metadata"].items():
            assert "\n" not in str(value["found"]), (doc_id, field)
            assert not re.search(r"\b(Inhoudsopgave|Postbus|Eindrapport)\b", str(value["found"])), (doc_id, field)


def _metadata_of_cover(text: str) -> Any:
    """What metadata extraction reads from a one-page document holding only this cover text."""
    page = PageText(number=1, width=595, height=842, text=text)
    document = ExtractedDocument(path="x.pdf", content_hash="0", page_count=1, pages=(page,), paragraphs=(),
                                 body_size=10.0, title_guess=text.splitlines()[0])
    return read_metadata(document)


def test_cover_metadata_rekenkamer_line_does_not_leak_into_gemeente() -> None:
    found = _metadata_of_cover("Deventer\nRekenkamer Deventer\nGrip op jeugdhulp\nnovember 2021")
    assert found.rekenkamer == "Rekenkamer Deventer"
    assert found.gemeente == "Deventer"
    assert found.year == 2021


def test_outline_or_inhoudsopgave_gives_the_sections() -> None:
    """Bookmarks when the PDF has them, else the printed inhoudsopgave with its page numbers."""
    with_outline = build(extract(LAYOUTS / "pdf" / "wvolv_2021_rl.pdf"))
    assert with_outline.heading_source == "outline"
    roles = {s.role.value for s in with_outline.sections()}
    assert {"aanbeveling", "reactie", "nawoord"} <= roles
    without = build(extract(LAYOUTS / "pdf" / "lelystad_2021_rl.pdf"))
    assert without.heading_source == "inhoudsopgave"


def test_running_header_kept_apart_as_furniture() -> None:
    document = extract(LAYOUTS / "pdf" / "lelystad_2021_rl.pdf")
    assert document.furniture
    body = " ".join(p.text for p in document.paragraphs)
    header = document.furniture[0].text
    assert body.count(header) <= 1


def test_structure_not_found_is_stored_with_a_warning_never_invented_items(tmp_path: Path) -> None:
    """A rekenkamer report in which no recommendations or conclusions can be found is stored with a
    warning that names what is missing, and without items made up to fill the gap."""
    from pipeline.ingest import process_file

    from .pdf_factory import text_pdf

    text = ("De rekenkamer heeft onderzoek gedaan naar de jeugdhulp in de gemeente. Het college en de raad "
            "hebben de informatie over de kosten en de wachttijden besproken in de vergadering.")
    result = process_file(str(text_pdf(tmp_path / "rapport.pdf", text=text)), Settings())
    assert hasattr(result, "segmented"), result
    assert not [it for it in result.segmented.items if it.type in ("aanbeveling", "conclusie")]  # type: ignore[union-attr]
    warning = " ".join(result.warnings)  # type: ignore[union-attr]
    assert "rapport.pdf: geen aanbevelingen en geen conclusies gevonden — toch opgeslagen" in warning


def test_short_whole_sentence_finding_is_a_bevinding_cross_reference_is_not(layouts: dict[str, Any]) -> None:
    """A one-sentence findings paragraph of 8–11 words is a bevinding; a short line without a full
    stop (a run-in heading) or a cross-reference ("Paragraaf 4.3.3 gaat verder in op …") is not."""
    missed = " ".join(m["text"] for m in layouts["eindhoven_2017_lo"]["missed"])
    assert "maatschappelijke effecten behaald worden" not in missed
    from pipeline.evaluate import find_report_pdf, segment_pdf

    raalte = segment_pdf(find_report_pdf("raalte_2019", Settings()), Settings(), "pdfium")
    bevindingen = [item.text for item in raalte if item.type == "bevinding"]
    assert not any(text.startswith("Paragraaf 4.3.3 gaat verder") for text in bevindingen)
    assert not any(text.startswith("Toegang tot 2e lijnshulpverlening via") for text in bevindingen)
    assert len(bevindingen) >= 110


def test_method_prose_is_judged_by_its_opening_not_by_a_word_further_on(layouts: dict[str, Any]) -> None:
    """'… dat die niet in samenhang wordt geanalyseerd' is a finding about the gemeente, not method
    prose; 'In 2015 deed de rekenkamer aanbevelingen …' (why the rekenkamer looked again) is not a
    finding; 'Het college noemt … drie oorzaken … Wij hebben nagegaan of …' is."""
    haarlemmermeer = " ".join(m["text"] for m in layouts["haarlemmermeer_jeugdzorg_2021_wp"]["missed"])
    assert "Ambtenaren gaven in de interviews aan" not in haarlemmermeer
    zaanstad = layouts["zaanstad_jeugdhulp_2020_wp"]
    assert not any(u["text"].startswith("In 2015 deed de rekenkamer") for u in zaanstad["unmatched"])
    assert "Het college noemt in de jaarrekening" not in " ".join(m["text"] for m in zaanstad["missed"])


def test_table_cells_painted_line_by_line_are_one_row_each(layouts: dict[str, Any]) -> None:
    """fpdf2 paints a table cell's background one band per text line: bands of one colour stacked
    over the same span are one row (not one row per line), and the header band joins the grid, so
    the reaction table's columns (Aanbeveling | Reactie college | Nawoord) are known."""
    for name in ("barendrecht_2018_h3fp", "nijmegen_2017_h3fp"):
        result = layouts[name]
        assert result["aanbevelingen"]["emitted"] == result["aanbevelingen"]["gold"], name
        assert result["headings_as_items"] == 0, name
    assert layouts["barendrecht_2018_h3fp"]["stance"]["right"] == 5


def test_norm_in_a_tinted_box_painted_line_by_line_opens_its_findings(layouts: dict[str, Any]) -> None:
    """A norm set in a tinted box whose lines are painted one band each is one paragraph
    ("Norm 2.1: … geformuleerd."), so the findings up to the verdict form one bevinding."""
    assert _matched(layouts["ede_2019_h3fp"], "bevinding") == (5, 5)


def test_boxed_label_band_then_a_list_that_continues_the_numbering(layouts: dict[str, Any]) -> None:
    """"AANBEVELING 3" in a filled band over a stroked frame labels the text below it; the lead-in
    "Aan de raad beveelt de rekenkamercommissie aan:" and the list numbered 4, 5 after it are new
    items, not the rest of recommendation 3. Under "5.2 Aan de raad" the numbered list holds the
    items; the addressee heading is none."""
    for name in ("soest_2021_h3gr", "waadhoeke_2022_h3gr"):
        assert _matched(layouts[name], "aanbeveling") == (5, 5), name
        assert layouts[name]["aanbevelingen"]["emitted"] == 5, name


def test_scanned_letter_placed_inside_a_form_is_read_with_ocr(layouts: dict[str, Any]) -> None:
    """groff places a scanned page as an image inside a form XObject: the page is still a scan,
    read with Tesseract, and its answers give the stances."""
    if shutil.which("tesseract") is None:
        pytest.skip("Tesseract is not installed")
    assert layouts["waadhoeke_2022_h3gr"]["ocr_pages"] == [7]
    assert layouts["waadhoeke_2022_h3gr"]["stance"]["right"] == 5


def test_reaction_ad_several_numbers_answers_each(layouts: dict[str, Any]) -> None:
    """"Ad 5 en 6. Deze aanbevelingen zijn aan uw raad gericht." answers both; the sentence is the
    evidence for their stance (onbekend: the college leaves them to the raad)."""
    stance = layouts["ede_2019_h3fp"]["stance"]
    assert stance["linked"] == stance["gold"] == 6
    assert stance["right"] == 6


def test_prose_beside_set_out_conclusions_is_not_an_item(layouts: dict[str, Any]) -> None:
    """A "Hoofdconclusie" section in prose beside labelled deelconclusies: the chapter sets its
    conclusions out, so the prose around them (an overall verdict, a nuance) is not read as items."""
    result = layouts["ede_2019_h3fp"]
    assert _matched(result, "conclusie") == (4, 4)
    assert not any(u["type"] == "conclusie" for u in result["unmatched"])


def test_line_shading_inside_a_shaded_box_is_not_a_table(layouts: dict[str, Any]) -> None:
    """AbiWord shades a box and then every text line in it again, in the same colour: the line
    bands are not table cells, the box holds one recommendation ("AANBEVELING 1" + its text)."""
    result = layouts["barneveld_2015_h4ab"]
    assert _matched(result, "aanbeveling") == (4, 4)
    assert result["aanbevelingen"]["emitted"] == 4


def test_heading_drawn_over_a_column_foot_does_not_cut_the_sentence(layouts: dict[str, Any]) -> None:
    """A chapter heading drawn at the foot of the left column, between a line that breaks off
    mid-sentence and a right column that carries on in lower case, comes after that column: the
    findings paragraph stays whole and the findings in the right column stay findings; a bare
    "2.3 Verantwoording" inside the findings chapter holds findings, not the research's account."""
    assert _matched(layouts["woerden_2012_h4ab"], "bevinding") == (7, 7)
    assert _matched(layouts["woerden_2012_h4ab"], "conclusie") == (3, 3)


def test_norm_with_a_dash_and_a_research_question_paragraph(layouts: dict[str, Any]) -> None:
    """"Norm 1 – De raad heeft …" opens a norm like "Norm 1:"; "De centrale vraag luidt: …" is
    method prose, not a finding."""
    assert _matched(layouts["vlaardingen_2015_h4wk"], "bevinding") == (3, 3)
    assert _matched(layouts["capelle_2016_h4wk"], "bevinding") == (7, 7)


def test_metadata_joint_rekenkamer_and_names_with_small_words(layouts: dict[str, Any]) -> None:
    """A joint rekenkamer ("Rekenkamercommissie Schiedam-Vlaardingen") on a report whose cover names
    one of its gemeenten gives that gemeente; "Capelle aan den IJssel" keeps its small words."""
    assert layouts["vlaardingen_2015_h4wk"]["metadata"]["gemeente"]["found"] == "Vlaardingen"
    assert layouts["capelle_2016_h4wk"]["metadata"]["gemeente"]["found"] == "Capelle aan den IJssel"
    assert layouts["capelle_2016_h4wk"]["metadata"]["rekenkamer"]["found"] == "Rekenkamer Capelle aan den IJssel"


def test_scanned_letter_has_no_footnotes_and_a_blanket_endorsement(layouts: dict[str, Any]) -> None:
    """A scanned page is read at one estimated type size: with no running text above, none of it
    is a footnote; "Het college onderschrijft de aanbevelingen" answers all of them, and "zien wij op
    dit moment geen aanleiding" is a refusal."""
    if shutil.which("tesseract") is None:
        pytest.skip("Tesseract is not installed")
    assert layouts["vlaardingen_2015_h4wk"]["stance"]["right"] == 3
    assert layouts["barneveld_2015_h4ab"]["stance"]["right"] == 4


def test_borderless_table_with_centred_cells_and_a_wrapped_header(tmp_path: Path) -> None:
    """A report laid out by LibreOffice's HTML import (tests/fixtures/borderless_table_lowriterweb.html,
    converted with `soffice --convert-to pdf:writer_web_pdf_Export`): its recommendations table is
    printed without rule lines, the header "Gericht aan" wraps over two lines beside centred labels,
    and the row number and addressee sit centred beside two-line cells. Each row is one
    recommendation with its addressee, and the letter's stances land on the right rows. Its first
    page is blank (the HTML import pushed the title on): the cover is the first page with text."""
    from pipeline.ingest import process_file

    result = process_file(str(Path(__file__).parent / "fixtures" / "borderless_table_lowriterweb.pdf"), Settings())
    assert hasattr(result, "segmented"), result
    recommendations = [it for it in result.segmented.items if it.type == "aanbeveling"]  # type: ignore[union-attr]
    assert [it.number for it in recommendations] == ["1", "2", "3"]
    assert recommendations[0].text.startswith("Verbeter de informatievoorziening")
    assert recommendations[0].text.endswith("specifieke jeugdzorgproducten.")
    assert [it.addressee for it in recommendations] == ["raad"] * 3
    assert [it.stance for it in recommendations] == ["overgenomen", "overgenomen", "niet overgenomen"]
    assert len([it for it in result.segmented.items if it.type == "conclusie"]) == 2  # type: ignore[union-attr]
    meta = result.segmented.meta  # type: ignore[union-attr]
    assert (meta.gemeente, meta.rekenkamer, meta.year) == ("Voorschoten", "Rekenkamer WVOLV", 2021)


def test_cover_line_gemeente_with_a_capital_is_preferred_over_the_rekenkamers_name() -> None:
    found = _metadata_of_cover("Jeugdzorg in beeld\nRekenkamer Oost-Betuwe\nGemeente Lingewaard\nmaart 2020")
    assert (found.gemeente, found.rekenkamer, found.year) == ("Lingewaard", "Rekenkamer Oost-Betuwe", 2020)


def test_paired_conclusion_recommendation_table_in_a_ghostscript_pdf() -> None:
    """A report printed by Chromium and then rewritten by Ghostscript (`gs -sDEVICE=pdfwrite`, as
    print-to-PDF drivers and PDF optimisers do; tests/fixtures/paired_table_ghostscript.html).
    Ghostscript writes font weights of 900 for regular faces and draws the table header as one
    text object across both columns; its table has a rule above each row and none under the last.
    The table pairs each conclusion with the recommendation that follows from it (Conclusie |
    Aanbeveling): every row gives one of each, numbered as printed in its cells."""
    from pipeline.ingest import process_file

    result = process_file(str(Path(__file__).parent / "fixtures" / "paired_table_ghostscript.pdf"), Settings())
    assert hasattr(result, "segmented"), result
    items = result.segmented.items  # type: ignore[union-attr]
    conclusions = [it for it in items if it.type == "conclusie"]
    recommendations = [it for it in items if it.type == "aanbeveling"]
    assert [it.number for it in conclusions] == ["1", "2", "3"]
    assert [it.number for it in recommendations] == ["1", "2", "3"]
    assert conclusions[2].text == "De ervaringen van cliënten worden niet structureel opgehaald."
    assert recommendations[2].text.startswith("Vraag cliënten en ouders jaarlijks")
    assert recommendations[2].text.endswith("betrek de uitkomsten bij het beleid.")
    assert [it.stance for it in recommendations] == ["overgenomen", "deels", "overgenomen"]
    assert len([it for it in items if it.type == "bevinding"]) == 3


def test_outline_of_subsections_only_and_label_lines_without_spacing(layouts: dict[str, Any]) -> None:
    """LibreOffice's Writer/Web bookmarks only its second heading level ("2.1", "4.2"): the chapters
    it leaves out ("2 Bevindingen", "5 Reactie van het college") still hold their sections, so the
    recommendations in "4.1 Aan het college" and "4.2 Aan de raad" are found and addressed, and the
    letter in chapter 5 is the reaction. "Conclusie 2:" lines set without paragraph spacing start
    their own conclusion; notes set only a little smaller than the text are notes, not findings."""
    result = layouts["ooststellingwerf_2020_h5lw"]
    assert result["heading_source"] == "outline"
    assert _matched(result, "aanbeveling") == (5, 5) and result["scores"]["aanbeveling"]["predicted"] == 5
    assert _matched(result, "conclusie") == (3, 3)
    assert result["scores"]["bevinding"]["predicted"] == result["scores"]["bevinding"]["gold"] == 6
    assert result["stance"]["right"] == 5


def test_scan_placed_on_a_report_page_is_read(layouts: dict[str, Any]) -> None:
    """A scanned letter placed as an image on a page that also carries the running header, the page
    number and the next chapter's heading is read by OCR (only the image's region); the blanket
    endorsement in it ("nemen de aanbevelingen die aan ons zijn gericht over") gives the college's
    recommendations their stance and leaves the raad's alone."""
    if not shutil.which("tesseract"):
        pytest.skip("Tesseract is not installed")
    result = layouts["ooststellingwerf_2020_h5lw"]
    assert result["ocr_pages"] == [9]
    assert result["ocr_cer"] is not None and result["ocr_cer"] < 0.05
    pdf = LAYOUTS / "pdf" / "ooststellingwerf_2020_h5lw.pdf"
    from pipeline.ingest import report_meta
    from pipeline.segment import segment

    document = extract(pdf)
    recommendations = [it for it in segment(document, report_meta(pdf, document, None)).items if it.type == "aanbeveling"]
    assert [(it.addressee, it.stance) for it in recommendations] == [("college", "overgenomen")] * 3 + [("raad", "onbekend")] * 2


def test_cells_drawn_as_overlapping_boxes_and_unruled_reaction_table(layouts: dict[str, Any]) -> None:
    """MuPDF draws every table cell as its own framed box, a little wider than its column and as tall
    as its own text: the slivers where boxes overlap are not columns and a cell's bottom is not a
    row edge (text runs across it). Its reaction table has no rules at all, and the header "Nawoord
    van de / rekenkamercommissie" wraps in a top-aligned cell. Both tables give one row per
    recommendation; lead-ins ("Aan de raad doet de rekenkamercommissie de volgende aanbevelingen.")
    and the "Gericht aan …" column give the addressees."""
    for doc_id in ("hilversum_2019_h5mu", "gulpenwittem_2019_h5mu"):
        result = layouts[doc_id]
        assert _matched(result, "aanbeveling") == (5, 5) and result["scores"]["aanbeveling"]["predicted"] == 5, doc_id
        assert result["stance"]["right"] == 5, (doc_id, result["stance"])
        assert result["headings_as_items"] == 0
    from pipeline.ingest import report_meta
    from pipeline.segment import segment

    for doc_id in ("hilversum_2019_h5mu", "gulpenwittem_2019_h5mu"):
        pdf = LAYOUTS / "pdf" / f"{doc_id}.pdf"
        document = extract(pdf)
        items = [it for it in segment(document, report_meta(pdf, document, None)).items if it.type == "aanbeveling"]
        assert [it.addressee for it in items] == ["college"] * 4 + ["raad"] if doc_id.startswith("hilversum") \
            else ["college"] * 3 + ["raad"] * 2, doc_id


def test_lettered_recommendations_and_lettered_replies() -> None:
    """Recommendations lettered a, b, c after a lead-in ("De rekenkamer beveelt het college aan:"),
    laid out by WeasyPrint, which paints a list's markers after the whole list: each marker joins the
    line it stands in front of, so no item ends in the next one's letter; the college replies per
    letter ("a. Overgenomen. …", "b. Niet overgenomen. …"). Source: tests/fixtures/lettered_recommendations_weasyprint.html."""
    from pipeline.ingest import process_file

    result = process_file(str(Path(__file__).parent / "fixtures" / "lettered_recommendations_weasyprint.pdf"), Settings())
    assert hasattr(result, "segmented"), result
    recommendations = [it for it in result.segmented.items if it.type == "aanbeveling"]  # type: ignore[union-attr]
    assert [it.text for it in recommendations] == [
        "maak afspraken met de aanbieders over maximale wachttijden voor specialistische hulp;",
        "bied jeugdigen die op specialistische hulp wachten overbruggingszorg aan;",
        "rapporteer twee keer per jaar aan de raad over de wachttijden.",
    ]
    assert [(it.addressee, it.stance) for it in recommendations] == [
        ("college", "overgenomen"), ("college", "niet overgenomen"), ("college", "overgenomen")]


def test_distilled_postscript_words_levels_and_mixed_lists(layouts: dict[str, Any]) -> None:
    """PostScript distilled with ps2pdf: justified groff lines place words with no space glyph, so
    the PDF's own text runs them together ("anderegemeenten"); the word space comes back from the
    glyph gap, and a space glyph drawn over by the next letter ("Bevinding en") is none. A numbered
    list for the colleges before "Aanbeveling 4:" for the raden gives items of its own; replies
    "1. Overgenomen." and "4 en 5. … aan de raden gericht" answer by number. In the LaTeX/dvips
    report chapters set in a smaller type than the one before ("2 Normen en bevindingen" after
    "1 Inleiding") keep their level, and "Norm 1 De taken …" opens a norm."""
    for doc_id in ("noordveluwe_2020_h6ds", "oosterhout_2021_h6ds"):
        result = layouts[doc_id]
        _assert_read_right(result, doc_id)
        assert result["word_agreement"] >= 0.995, doc_id
    document = extract(LAYOUTS / "pdf" / "noordveluwe_2020_h6ds.pdf")
    text = " ".join(p.text for p in document.paragraphs)
    assert "andere gemeenten" in text and "anderegemeenten" not in text
    assert "2 Bevindingen" in text and "Bevinding en" not in text


def test_table_column_that_only_refers_to_conclusions(layouts: dict[str, Any]) -> None:
    """A recommendations table with a column "Conclusie" that names the conclusion a row answers
    ("2 en 4") holds recommendations only: the numbers are references, not conclusions."""
    result = layouts["zandvoort_2018_h6xp"]
    assert _matched(result, "aanbeveling") == (4, 4)
    assert result["scores"]["conclusie"]["predicted"] == result["scores"]["conclusie"]["gold"] == 4
    assert result["headings_as_items"] == 0


def test_new_house_styles_sidebar_merged_paired_table_and_run_in_recommendations(layouts: dict[str, Any]) -> None:
    """Layouts a blind writer added from known producers (the h7 set): recommendations only in a
    sidebar box headed "Onze aanbevelingen" beside the conclusions (the conclusion that carries on
    under the box is a conclusion again), with the nawoord under "3.2 Nawoord" of a chapter
    "Reactie van het college en nawoord"; "HOOFDSTUK 3 – CONCLUSIES EN AANBEVELINGEN" headings; one
    Conclusie | Aanbeveling table whose conclusion cell spans rows "Aanbeveling 1a" and "1b", answered
    by quoting each recommendation; recommendations run in as "(b) …; (c) …" after "Wij bevelen het
    college aan te zorgen voor informatie aan de raad die:", answered "a tot en met d"; a cover whose
    only date is "2020" at its foot."""
    for doc_id in ("almelo_2021_h7wp", "zutphen_2019_h7lo", "tiel_2020_h7ch"):
        result = layouts[doc_id]
        _assert_read_right(result, doc_id)
        assert result["metadata_ok"] == 4, (doc_id, result["metadata"])


def test_new_producers_fop_pandoc_context_chapter_numbers_standpunt_column_margin_numbers(layouts: dict[str, Any]) -> None:
    """New producers a blind writer added (the h8 set: Apache FOP, pandoc → LuaLaTeX, ConTeXt): chapters "H1
    Inleiding" and sections "§ 1.1 Aanleiding" (the label stripped before the heading's role is read, so the
    introduction is no findings chapter); recommendations numbered per chapter ("Aanbeveling 2.1 Spreek …", or
    "5.1 Laat …" with the number in the margin) answered as "De aanbevelingen 3.1 en 4.1 nemen wij over";
    lettered conclusions "Conclusie A"; a six-column landscape table (Nr. | Aanbeveling | Beoogd effect |
    Gericht aan | Conclusie | Termijn) whose row runs over a page break; the college's table with a
    "Standpunt college" column ("Overnemen", "Deels overnemen", "Niet overnemen", "n.v.t."); a lead-in "Aan de
    raad doet de rekenkamer de volgende aanbeveling." between two recommendations; a table of figures without
    rules; the national frame ("Landelijk geldt geen wettelijke norm …") as background. First figures before any change: venlo aanbeveling 0.556 (12 for 6), stance 3/6; zwolle stance 3/6,
    bevinding 0.880; meppel stance 0/5 (aanbeveling matched at 0.800 with the margin number in its text)."""
    for doc_id in ("zwolle_2022_h8fo", "venlo_2023_h8fo", "roermond_2022_h8pd", "meppel_2020_h8cx"):
        result = layouts[doc_id]
        _assert_read_right(result, doc_id)
        assert result["metadata_ok"] == 4, (doc_id, result["metadata"])


def test_a_rekenkamer_printed_in_capitals_is_named_as_written() -> None:
    """Small capitals or a capitals-only cover give "REKENKAMER VENLO"; a researcher should see the name."""
    from pipeline.metadata import _unshout

    assert _unshout("REKENKAMER VENLO") == "Rekenkamer Venlo"
    assert _unshout("REKENKAMER DEN HAAG") == "Rekenkamer Den Haag"
    assert _unshout("REKENKAMERCOMMISSIE CAPELLE AAN DEN IJSSEL") == "Rekenkamercommissie Capelle aan den IJssel"
    assert _unshout("REKENKAMERCOMMISSIE MIDDEN-BRABANT (RMB)") == "Rekenkamercommissie Midden-Brabant (RMB)"
    assert _unshout("Rekenkamer 's-Hertogenbosch") == "Rekenkamer 's-Hertogenbosch"


def test_word_built_and_per_chapter_numbered_reports_blind_h10(layouts: dict[str, Any]) -> None:
    """The h10 set a blind writer added: a Word-built report (automatic heading numbers, Symbol-font bullets,
    recommendations 5.1-5.5 answered in a table whose first column holds only "5.1"), and a WeasyPrint report with
    per-chapter recommendation boxes labelled in letter-spaced capitals ("AANBEVELING 2.1"), its conclusions only in a
    Norm | Oordeel | Toelichting table, and a reply letter whose answers start with the bare number ("2.1 Wij …").
    First figures: dronten stance 3/5 (before the per-chapter table numbers, which preceded the set); weert
    aanbeveling 0.667, conclusie 0.000, stance 0/5 (CSS borders read as boxes made headings table rows)."""
    for doc_id in ("dronten_2023_h10wd", "weert_2022_h10wp"):
        _assert_read_right(layouts[doc_id], doc_id)


def test_a_web_page_saved_as_pdf_and_a_rekenkamerbrief_blind_h11(layouts: dict[str, Any]) -> None:
    """The h11 set a blind writer added: a rekenkamer's web page printed to PDF by Chromium (site chrome, a sidebar,
    the browser's header and footer, recommendations as cards whose borders Chromium draws as clipped boxes, a white
    page background on every page), and a rekenkamerbrief (a letter to the raad with question headings "Wat zagen
    wij?", "Wat bevelen wij aan?", and the college's letter bound in under its own letterhead). First figures: gouda
    aanbeveling 0.286, bevinding 0.720, stance 1/5; weert_h11xx aanbeveling 0.000, conclusie 0.000, stance 0/5."""
    for doc_id in ("gouda_2022_h11wb", "weert_2023_h11xx"):
        _assert_read_right(layouts[doc_id], doc_id)


def test_two_part_follow_up_and_regional_reports_blind_h12(layouts: dict[str, Any]) -> None:
    """The h12 sets two blind writers added: a two-part report (own page numbers per part, conclusions and
    recommendations paired in one table with a cell merged over two rows, the college's letter only as scanned
    images), a report whose recommendations close each chapter and whose reaction table quotes them (an inhoudsopgave
    without dot leaders), and an opvolgingsonderzoek that quotes the 2018 recommendations in a table, in quotes and in
    headings before its own new ones. First figures: zeist aanbeveling 0.889, stance 3/4; bergenopzoom conclusie 0.714
    (the inhoudsopgave as conclusions), stance 4/5; steenwijkerland aanbeveling 0.400 (20 for 5), bevinding 0.000,
    stance 1/5."""
    for doc_id in ("zeist_2023_h12a", "bergenopzoom_2022_h12c", "steenwijkerland_2024_h12d"):
        _assert_read_right(layouts[doc_id], doc_id)


def test_a_regional_report_with_three_reactions_h12b(layouts: dict[str, Any]) -> None:
    """One rekenkamer for three gemeenten, three college letters (per number, by subject in prose, and a Standpunt
    table). Every item is found; the stance aggregated over the three colleges is right for four of five (the one
    answered by subject by one college and "n.v.t." by another is not: stated in corpus/layouts/README.md)."""
    result = layouts["maasenwaal_2022_h12b"]
    for kind in ("aanbeveling", "conclusie", "bevinding"):
        score = result["scores"][kind]
        assert score["matched"] == score["gold"] == score["predicted"], (kind, score)
    assert result["headings_as_items"] == 0
    assert result["stance"]["right"] >= 4, result["stance"]


def test_slides_factsheet_latex_boxes_and_a_dated_table_report_blind_h13(layouts: dict[str, Any]) -> None:
    """The h13 sets: a report published as a slide deck (LibreOffice Impress; findings as bullets, big figures with
    their sentence under them), a factsheet ("Wat gaat goed | Wat kan beter" columns, the college's e-mail quoted),
    a LaTeX report (Roman conclusions, lettered recommendations in a box closing each findings chapter and repeated in
    one line in the first chapter, "Ad A" replies) and a 2016-style report (a Conclusies | Aanbevelingen table over
    two pages under a bold-italic hoofdconclusie, "Overnemen." in bold opening each reply). First figures: hardenberg
    bevinding 0.741; heusden aanbeveling 0.667, conclusie 0.000, stance 1/4; sittardgeleen aanbeveling 0.667 (10 for
    5), stance 1/5; heerhugowaard bevinding 0.880, conclusie 0.923."""
    for doc_id in ("hardenberg_2023_h13a", "heusden_2022_h13c", "sittardgeleen_2020_h13b", "heerhugowaard_2016_h13d"):
        _assert_read_right(layouts[doc_id], doc_id)


def test_outlined_titles_reactions_in_the_recommendation_table_and_several_topics_blind_h14(
        layouts: dict[str, Any]) -> None:
    """The h14 sets: a designed report whose cover, chapter titles and one whole page are vector outlines (no text:
    the chapters are known only from the inhoudsopgave and their numbered sub-sections), a report answering each
    recommendation in a "Reactie college" column of the recommendations' own table, and a report on three topics
    with recommendations numbered across them. First figures: katwijk every type 0.000 (no chapter heading in the
    text, so the inhoudsopgave's exclusion ran to the end); schagen aanbeveling 0.000 ("Aanbevelingen en reactie van
    het college" read as the reaction); oss 1.000."""
    for doc_id in ("katwijk_2022_h14a", "schagen_2022_h14b", "oss_2023_h14d"):
        _assert_read_right(layouts[doc_id], doc_id)


def test_answers_under_each_recommendation_and_coded_items_blind_h15(layouts: dict[str, Any]) -> None:
    """The h15 sets: conclusions and recommendations only in a bestuurlijke samenvatting, repeated in a last chapter
    where each is followed by "Reactie van het college: …" (and once "Nawoord: …"); and items coded "C1"/"R1" with an
    English summary, endnotes and a letter answering "R1: …". First figures: kampen aanbeveling 0.000 (the answers
    read into the repeated recommendations), stance 0/5; hellendoorn conclusie 0.625, stance 1/5."""
    for doc_id in ("kampen_2022_h15a", "hellendoorn_2023_h15b"):
        _assert_read_right(layouts[doc_id], doc_id)


def test_a_reply_naming_recommendations_by_ordinal_blind_h16(layouts: dict[str, Any]) -> None:
    """The h16 document: unnumbered bold-lead recommendations under "Aan het college" / "Aan de raad", findings with
    bulleted lists, and a letter that names them "de eerste aanbeveling" … "de vijfde". Read right on first contact
    (every type 1.000, stance 5/5) — kept so that it stays so."""
    _assert_read_right(layouts["roosendaal_2022_h16"], "roosendaal_2022_h16")


def test_designed_reports_frames_columns_pull_quotes_and_number_frames(layouts: dict[str, Any]) -> None:
    """Scribus (DTP) reports a blind writer added (the h9b set): a running title set up the margin (rotated text),
    body text in two or three justified columns flowing frame to frame, pull quotes set across the columns in large
    type, key figures in their own frames, and recommendations each in a frame beside a big number and an addressee
    tag ("AAN HET COLLEGE"). First figures before any change: doetinchem_h9sc aanbeveling 0.533 (the tags as
    items), stance 0/5; helmond_h9sc bevinding 0.000 (three columns read across), aanbeveling 0.706."""
    for doc_id in ("doetinchem_2022_h9sc", "helmond_2021_h9sc"):
        _assert_read_right(layouts[doc_id], doc_id)


def test_scanned_reports_with_an_ocr_layer_read_their_typography_from_the_scan(layouts: dict[str, Any]) -> None:
    """Whole reports scanned and made searchable by OCR (the h9a set): the text layer is invisible and gives every
    line a size of its own and no weight, so each line was a paragraph and no heading or bold lead was seen. Sizes
    and weights come from the page image: one body size for all scanned pages, strokes thicker than the page's
    typical word bold, numbered headings ranked by their numbering, the skew turned back. First figures were
    aanbeveling 5 of 10 matched, conclusie 0 of 9, stance 1 of 10; with ink density instead of stroke thickness (the
    previous reading) heerenveen's typewriter bold leads were lost (conclusie 0.000, stance 2/5)."""
    ocr = [r for r in layouts.values() if r["producer"] == OCR_LAYER]
    assert len(ocr) == 2
    matched = {kind: sum(_matched(r, kind)[0] for r in ocr) for kind in ("aanbeveling", "conclusie", "bevinding")}
    assert matched == {"aanbeveling": 10, "conclusie": 9, "bevinding": 20}, matched
    assert sum(r["scores"]["conclusie"]["predicted"] for r in ocr) == 9
    assert sum(r["stance"]["right"] for r in ocr) == 10
    assert all(r["headings_as_items"] == 0 for r in ocr)


def test_a_report_scanned_without_text_layer_is_read_with_its_typography(tmp_path: Path) -> None:
    """A whole report as page images only (no OCR layer): Tesseract reads the words, and the scans give the type
    sizes and weights, so paragraphs, headings and the numbered recommendations come out. Before the scans' typography
    was read, every page had one type size and no bold: 2 recommendations found, none right, 0 of 11 findings."""
    import pypdfium2 as pdfium

    from pipeline.ingest import report_meta
    from pipeline.ocr import ocr_available
    from pipeline.segment import segment

    from .conftest import require_optional

    if not ocr_available():
        require_optional("Tesseract with Dutch (tesseract-ocr, tesseract-ocr-nld) is not installed")
    source = pdfium.PdfDocument(str(LAYOUTS / "pdf" / "heerenveen_2016_h9oc.pdf"))
    images = [source[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for i in range(len(source))]
    source.close()
    scan = tmp_path / "heerenveen_scan.pdf"
    images[0].save(scan, save_all=True, append_images=images[1:], resolution=200)
    document = extract(scan)
    assert document.ocr_pages == tuple(range(1, document.page_count + 1))
    items = segment(document, report_meta(scan, document, None)).items
    scores = score_report(items, load_segmentation_gold(LAYOUTS / "gold" / "heerenveen_2016_h9oc.jsonl"))
    assert scores["aanbeveling"].matched >= 3, scores["aanbeveling"]
    assert scores["bevinding"].matched >= 9, scores["bevinding"]


def test_spreads_sideways_tables_and_a_browser_print_blind_h17(layouts: dict[str, Any]) -> None:
    """The h17 sets. vlissingen_h17a: a designed report exported as spreads (two A4 pages on each A3 sheet, a
    blank half, paragraphs over the gutter) — read right on first contact. delft_h17b (pdfLaTeX): conclusions
    and recommendations only in a table set sideways on a portrait page (a partial rule under two
    recommendations beside one conclusion), the college's table on a /Rotate 90 page, findings in a Norm |
    Bevindingen | Oordeel table over two pages, a nawoord 'aanbeveling 1 overneemt, aanbeveling 2 gedeeltelijk en
    aanbeveling 3 niet' — first figures aanbeveling 0.000, conclusie 0.000, bevinding 0.737, stance 0/5.
    alphenaandenrijn_h17c (cairo, a web page printed from Firefox): a fixed '↑ Naar boven' button over the last
    lines of the pages, accordion bars 'Conclusie 1 ▾', a web font whose 'ti' ligature has no Unicode ('Reac�e
    van het college') — first figures aanbeveling 0.800, conclusie 0.889, bevinding 0.857, stance 4/5."""
    for doc_id in ("vlissingen_2023_h17a", "delft_2022_h17b", "alphenaandenrijn_2023_h17c"):
        _assert_read_right(layouts[doc_id], doc_id)
    assert layouts["delft_2022_h17b"]["word_agreement"] >= 0.99  # the sideways text is read, on both sides


def test_a_verdict_per_recommendation_in_one_sentence() -> None:
    from pipeline.reactions import nawoord_verdicts, verdicts_per_reference

    sentence = ("Wij stellen vast dat het college aanbeveling 1 overneemt, aanbeveling 2 gedeeltelijk en "
                "aanbeveling 3 niet.")
    assert verdicts_per_reference(sentence) == {1: "overgenomen", 2: "deels", 3: "niet overgenomen"}
    assert verdicts_per_reference("Aanbeveling 1 en 2 nemen wij over, aanbeveling 3 niet.") == {
        1: "overgenomen", 2: "overgenomen", 3: "niet overgenomen"}
    assert verdicts_per_reference("Wij nemen aanbeveling 1 en aanbeveling 2 over.") is None  # one verdict for both
    assert verdicts_per_reference("Aanbeveling 4 nemen wij over.") is None
    verdicts, corrections = nawoord_verdicts("De rekenkamer dankt het college. " + sentence)
    assert {n: v[0] for n, v in verdicts.items()} == {1: "overgenomen", 2: "deels", 3: "niet overgenomen"}
    assert corrections == {1, 2, 3}


def test_ligatures_without_unicode_are_restored_to_dutch_words() -> None:
    from pipeline.extract import repair_lost_ligatures

    assert repair_lost_ligatures("Reac\ufffde van het college") == "Reactie van het college"
    assert repair_lost_ligatures("Resultaten in de prak\ufffdjk") == "Resultaten in de praktijk"
    assert repair_lost_ligatures("de informa\ufffdevoorziening") == "de informatievoorziening"  # a compound
    assert repair_lost_ligatures("een de\ufffdnitief besluit") == "een definitief besluit"
    assert repair_lost_ligatures("code X\ufffdQ") == "code X\ufffdQ"  # nothing makes it a word: the mark stays


def test_a_workbook_symbols_for_stances_and_floating_word_boxes_blind_h18(layouts: dict[str, Any]) -> None:
    """The h18 sets. cranendonck_h18a: a report printed from a Calc workbook — cell borders whose vertical rules
    begin a hair above the top rule (the table fell apart into columns of rules), a Thema cell merged down beside
    the findings (its centred label crossed the row rules), a 'Reactie college | Standpunt' table, an 'Algemeen
    beeld' before the conclusions table; first figures aanbeveling 0.000, conclusie 0.909, bevinding 0.300, stance
    0/5. westerveld_h18b (Typst): recommendations as a checklist (☐), the college's stance only as ✔ ◐ ✘ ? – with
    a legend, case stories in rounded 'Kader' boxes; first figures aanbeveling 0.727, bevinding 0.865, stance 2/6.
    loonopzand_h18c (Word via LibreOffice): recommendations only in text boxes floated right, the findings
    wrapping around them; first figures aanbeveling 0.000 (nine fragments), bevinding 0.722, stance 0/5."""
    for doc_id in ("cranendonck_2023_h18a", "westerveld_2024_h18b", "loonopzand_2022_h18c"):
        _assert_read_right(layouts[doc_id], doc_id)


def test_stance_symbols_read_through_their_legend() -> None:
    from pipeline.reactions import symbol_legend
    from pipeline.records import Paragraph

    def para(text: str, bullet: str = "") -> Paragraph:
        return Paragraph(index=0, kind="list_item" if bullet else "text", text=text, page_start=1, page_end=1,
                         bbox=(0, 0, 1, 1), size=10, bullet=bullet)

    legend = symbol_legend([para("= overgenomen ◐ = gedeeltelijk overgenomen ✘ = niet overgenomen ? = nog geen "
                                 "standpunt", bullet="✔"), para("= niet van toepassing (aanbeveling aan de raad)", bullet="–")])
    assert legend == {"✔": "overgenomen", "◐": "deels", "✘": "niet overgenomen", "?": "onbekend", "–": "onbekend"}
    assert symbol_legend([para("De kosten stegen met 8 procent.")]) == {}


def test_colour_headings_appendix_recommendations_and_an_a5_booklet_blind_h19(layouts: dict[str, Any]) -> None:
    """The h19 sets. pekela_h19a: a Word template whose headings and the letter's 'Aanbeveling n' labels differ
    from the text only by colour, the letter under its own letterhead addressed 'Aan de rekenkamercommissie' —
    first figures aanbeveling 0.000, conclusie 0.000, bevinding 0.586, stance 0/5. borgerodoorn_h19b: the
    recommendations only in 'Bijlage 1 Overzicht van de aanbevelingen', a 'DEEL 2' band over the part's title, the
    rekenkamercommissie named after a gemeente with a hyphen — first figures aanbeveling 0.000, stance 0/5.
    middendelfland_h19c: an A5 booklet in Typst, paragraphs set apart by a fifth of a line — first figures
    bevinding 0.571."""
    for doc_id in ("pekela_2023_h19a", "borgerodoorn_2023_h19b", "middendelfland_2023_h19c"):
        _assert_read_right(layouts[doc_id], doc_id)
    assert all(field["ok"] for field in layouts["borgerodoorn_2023_h19b"]["metadata"].values())  # gemeente Borger-Odoorn


def test_an_annex_that_sets_out_the_reports_own_items_holds_them() -> None:
    from pipeline.structure import Role, heading_role

    assert heading_role("Bijlage 1 Overzicht van de aanbevelingen") is Role.AANBEVELING
    assert heading_role("Bijlage 2: Conclusies en aanbevelingen") is Role.MIXED
    assert heading_role("Bijlage 2 Normenkader") is Role.EXCLUDED
    assert heading_role("Bijlage 3 Aanbevelingen uit 2018") is not Role.AANBEVELING  # an earlier report's advice


def test_a_rekenkamer_named_after_a_gemeente_with_a_hyphen() -> None:
    from pipeline.metadata import _gemeente

    assert _gemeente("", "Rekenkamercommissie Borger-Odoorn") == "Borger-Odoorn"
    assert _gemeente("", "REKENKAMERCOMMISSIE SITTARD-GELEEN") == "Sittard-Geleen"
    assert _gemeente("", "Rekenkamercommissie Leiden-Leiderdorp") == "Leiden, Leiderdorp"  # a joint one: two


def test_thematic_runin_pairs_and_an_infographic_page_blind_h20(layouts: dict[str, Any]) -> None:
    """The h20 sets. beesel_h20a: each theme of the findings closes with an unnumbered run-in 'Conclusie:' and
    'Aanbeveling:' (or 'Aanbevelingen:' over a list), the college answering per theme in prose ('Wat betreft de
    toegang …', two recommendations of one theme told apart by their words) — first figures conclusie 0.000,
    aanbeveling 0.800, stance 1/6. drechterland_h20c: an
    'In één oogopslag' infographic page whose labels beside numbered circles read as recommendations — first
    figures aanbeveling 0.769 (eight for five), stance 1/5."""
    _assert_read_right(layouts["beesel_2024_h20a"], "beesel_2024_h20a")
    _assert_read_right(layouts["drechterland_2024_h20c"], "drechterland_2024_h20c")
    # scherpenzeel_h20b: Writer sections in two balanced columns, a full-width heading under them, a numbered bold
    # conclusion that fills its two lines with its explanation below, 'Tabel 2.1 laat zien dat …' as a finding —
    # first figures conclusie 0.000, aanbeveling 0.769 (conclusions read as recommendations), stance 1/5.
    _assert_read_right(layouts["scherpenzeel_2024_h20b"], "scherpenzeel_2024_h20b")


def test_agreement_said_with_the_verb_first() -> None:
    from pipeline.reactions import stance_of

    assert stance_of("Ook hier zijn wij het met de rekenkamercommissie eens: vanaf 2024 ontvangt de raad twee "
                     "keer per jaar een rapportage.")[0] == "overgenomen"
    assert stance_of("Op dit punt zijn wij het niet met de rekenkamercommissie eens.")[0] != "overgenomen"


def test_prawn_and_reports_printed_without_unicode_maps_blind_h21(layouts: dict[str, Any]) -> None:
    """The h21 sets. tynaarlo_h21a (asciidoctor-pdf on Prawn, conclusions in admonition blocks, lettered sub-points,
    a Standpunt column): read right at first contact. harderwijk_h21d: the college's letter printed with a font that
    lost its /ToUnicode map, so its text layer is control codes — first figures stance 1/5 (items right); the page is
    now read by OCR like a scan. aaenhunze_h21e: the whole body font without a map (only headings readable) — first
    figures 0.000 for every type and metadata 1/4 ('Aa, Hunze')."""
    from pipeline.ocr import ocr_available

    from .conftest import require_optional

    _assert_read_right(layouts["tynaarlo_2024_h21a"], "tynaarlo_2024_h21a")
    if not ocr_available():
        require_optional("Tesseract with Dutch (tesseract-ocr, tesseract-ocr-nld) is not installed")
    for doc_id in ("harderwijk_2023_h21d", "aaenhunze_2019_h21e"):
        _assert_read_right(layouts[doc_id], doc_id)
    assert layouts["aaenhunze_2019_h21e"]["metadata"]["gemeente"]["found"] == "Aa en Hunze"


def test_a_text_layer_without_unicode_is_recognised_as_unreadable() -> None:
    from pipeline.extract import _unmapped_text
    from pipeline.layout import Fragment

    def fragments(text: str) -> list[Fragment]:
        return [Fragment(text=word + " ", x0=10.0 * i, top=0, x1=10.0 * i + 8, bottom=10, size=10, bold=False)
                for i, word in enumerate(text.split(" "))]

    garbage = "\x0e\x0f\x10\x11\x04\x12\x05\x13 \x14\x15\x05\x16\x17\x18 \x19\x1a\x01\x02\x03 "
    assert _unmapped_text(fragments(garbage * 2 + "Rekenkamer Harderwijk – Op tijd de juiste hulp"))
    assert not _unmapped_text(fragments("De gemeente heeft geen zicht op de resultaten van de jeugdhulp ☐ ✓"))


def test_a_letter_spaced_label_set_glyph_by_glyph_reads_as_its_words() -> None:
    """A design tool places each capital of a tracked label apart: pdfium's text says "A A N H E T C O L L E G E";
    the words are where the gap is clearly wider than the tracking."""
    from pipeline.layout import Fragment, page_lines

    parts, x = [], 100.0
    for word in ("AAN", "HET", "COLLEGE"):
        for letter in word:
            parts.append(Fragment(text=letter, x0=x, top=100, x1=x + 6, bottom=110, size=10, bold=True))
            x += 6 + 2.0
        x += 4.0
    assert [line.text for line in page_lines(parts, 1, 595, [])] == ["AAN HET COLLEGE"]


def test_a_gemeente_whose_name_has_en_in_it_is_one_gemeente() -> None:
    found = _metadata_of_cover("Rekenkamercommissie Aa en Hunze\nSamen rond het kind\njuni 2019")
    assert found.gemeente == "Aa en Hunze"


def test_a_verb_stem_from_the_lemma_table_makes_a_lead_advice() -> None:
    from pipeline.models import is_verb_stem

    assert is_verb_stem("rapporteer") and is_verb_stem("registreer") and is_verb_stem("verhoog")
    assert not any(is_verb_stem(word) for word in ("in", "minder", "ruim", "vier", "de", "gemeente", "is", "veel"))


def test_a_design_tool_export_is_not_read_yet_h21c(layouts: dict[str, Any]) -> None:
    """lochem_h21c, exported the way Canva or Figma write a design: every word its own text object without spaces,
    text in layer order, tracked capitals glyph by glyph, conclusions as numbered tiles and recommendations as six
    cards in a 2x3 grid under an introduction set across their gutters. First figures: aanbeveling 0.000, conclusie
    0.000, bevinding 0.490, stance 0/6. Tracked labels now read as words, the three card columns apart, and a page's
    kicker ("AANBEVELINGEN" over larger card titles) names the part the whole page belongs to: the recommendations
    are all found. Findings and stances are still below target: asserted as they stand."""
    result = layouts["lochem_2024_h21c"]
    assert _matched(result, "aanbeveling") == (6, 6) and result["scores"]["aanbeveling"]["predicted"] == 6
    assert _matched(result, "conclusie") == (4, 5)
    assert _matched(result, "bevinding")[0] == 12 and result["stance"]["right"] == 3
    assert result["headings_as_items"] == 0


def test_unnumbered_recommendations_answered_by_subject_blind_h21b(layouts: dict[str, Any]) -> None:
    """heerde_h21b (rinohtype): deelconclusies at the end of each findings chapter, recommendations as a definition
    list with short titles and no numbers, the college answering in running text by subject ("Uw aanbeveling over de
    regie op de toegang …", "Wat de wachtlijsten betreft …", "Eigen resultaatafspraken met de aanbieders … zien wij
    niet als haalbaar"), one recommendation left unanswered. First figures: every item type 1.000, stance 1/6 (the
    answers after the first went on the first recommendation)."""
    _assert_read_right(layouts["heerde_2024_h21b"], "heerde_2024_h21b")


def test_a_letter_answering_unnumbered_recommendations_in_turn_links_each_by_its_words() -> None:
    from pipeline.reactions import _named_by_content

    texts = {1: "Zorg dat de gemeente zicht heeft op alle routes naar jeugdhulp, ook via de huisarts.",
             2: "Houd bij welke jeugdigen op jeugdhulp wachten en hoe lang.",
             3: "Maak met de grootste aanbieders afspraken over de resultaten van de hulp."}
    assert _named_by_content("Eigen resultaatafspraken met de aanbieders zien wij niet als haalbaar.", texts) == [3]
    assert _named_by_content("Wij danken u voor de prettige samenwerking.", texts) == []


def test_an_info_title_that_adds_the_subtitle_gives_the_covers_title() -> None:
    from pipeline.metadata import _subtitle_after

    assert _subtitle_after("Onderweg naar hulp: Toegang tot jeugdhulp in Tynaarlo", "Onderweg naar hulp")
    assert _subtitle_after("Wie wijst de weg? - Rapport in beeld", "Wie wijst de weg?")
    assert _subtitle_after("Hulp die werkt? Sturing op resultaten van jeugdhulp", "Hulp die werkt?")
    assert not _subtitle_after("Jeugdhulp in beeld", "Jeugdhulp in beeld")
    assert not _subtitle_after("Grip op jeugdhulpkosten", "Grip op jeugdhulp")


def test_three_columns_under_a_band_of_text_across_them_are_read_apart() -> None:
    """lochem_h21c page 8: six recommendation cards in three columns, under an introduction set across the second
    and third columns' gutter, so the page as a whole shows one gutter. The second and third columns were read as
    one ("Houd contact tijdens het wachten Breng de wachttijden in beeld")."""
    import pypdfium2 as pdfium

    from pipeline.extract import _pdfium_page_fragments
    from pipeline.layout import page_lines

    pdf = pdfium.PdfDocument(str(LAYOUTS / "pdf" / "lochem_2024_h21c.pdf"))
    try:
        fragments, width, _, rects = _pdfium_page_fragments(pdf, 7)
    finally:
        pdf.close()
    texts = [line.text for line in page_lines(fragments, 8, width, rects)]
    assert "Houd contact tijdens het wachten" in texts and "Breng de wachttijden in beeld" in texts
    assert texts.index("Maak afspraken met de huisartsen") < texts.index("Houd contact tijdens het wachten")


def test_a_published_concept_with_line_numbers_and_a_watermark_blind_h22a(layouts: dict[str, Any]) -> None:
    """oldebroek_h22a: a concept report as sent for wederhoor — Writer's line numbers beside every line, a diagonal
    'CONCEPT' watermark as text on every page, 'versie 0.9' in the footer, an info Title 'CONCEPT Rapport jeugdhulp
    Oldebroek v0.9'. First figures: aanbeveling 0.100 (15 for 5: every numbered line cut apart), stance 1/5, 4
    headings as items, metadata 3/4. Now the margin numbers are dropped, bullets under a numbered recommendation are
    its points, a table's 'Bron:' note is no finding, and a draft's info Title is not the title."""
    _assert_read_right(layouts["oldebroek_2023_h22a"], "oldebroek_2023_h22a")
    assert layouts["oldebroek_2023_h22a"]["metadata_ok"] == 4


def test_margin_line_numbers_are_dropped_and_nothing_else() -> None:
    from pipeline.layout import Fragment, without_line_numbers

    lines = [Fragment(text=f"Regel {n} van de tekst.", x0=72, top=70 + 14 * n, x1=400, bottom=80 + 14 * n, size=10,
                      bold=False) for n in range(1, 13)]
    numbers = [Fragment(text=str(n), x0=48 if n < 10 else 42, top=70 + 14 * n, x1=54, bottom=80 + 14 * n, size=11,
                        bold=False) for n in range(1, 13)]
    assert without_line_numbers(lines + numbers) == lines
    # a column of figures inside the text (a table of counts) stays
    counts = [Fragment(text=str(10 * n), x0=300, top=70 + 14 * n, x1=320, bottom=80 + 14 * n, size=10, bold=False)
              for n in range(1, 13)]
    assert without_line_numbers(lines + counts) == lines + counts


def test_a_rekenkamerbrief_with_a_photographed_reply_bound_in_an_annex_blind_h22b(layouts: dict[str, Any]) -> None:
    """brummen_h22b: a rekenkamerbrief with pages of four sizes, a landscape annex, and the college's letter as a phone
    photo (perspective, shadow, no text layer) after 'Bijlage 1'. First figures: stance 2/5 (none linked: the photo's
    OCR'd letter sat in the annex's section), bevinding 0.941 ('Onderzoeksvraag en aanpak' not taken for method).
    A page that opens as a reply letter is the reaction whatever section it was bound into; conclusions written as
    letter paragraphs ("Wij concluderen dat …", "Daarnaast concluderen wij dat …") that met at a page break are split
    at each such sentence (first figure conclusie 0.571)."""
    from pipeline.ocr import ocr_available

    from .conftest import require_optional

    if not ocr_available():
        require_optional("Tesseract with Dutch (tesseract-ocr, tesseract-ocr-nld) is not installed")
    result = layouts["brummen_2024_h22b"]
    assert result["stance"]["right"] == result["stance"]["gold"] == 5
    assert _matched(result, "aanbeveling") == (5, 5) and result["scores"]["bevinding"]["predicted"] == 16
    assert _matched(result, "bevinding") == (16, 16) and _matched(result, "conclusie") == (4, 4)
    assert result["scores"]["conclusie"]["predicted"] == 4


def test_method_headings_are_the_introduction() -> None:
    from pipeline.structure import Role, heading_role

    assert heading_role("Onderzoeksvraag en aanpak") is Role.INLEIDING
    assert heading_role("Werkwijze") is Role.INLEIDING
    assert heading_role("Aanpak van de wachtlijsten") is not Role.INLEIDING


def test_a_report_whose_text_is_all_outlines_is_read_with_ocr_blind_h23a(layouts: dict[str, Any]) -> None:
    """montferland_h23a: every glyph turned into a filled path (Ghostscript -dNoOutputFonts): no text and no image on
    any page. First figures: nothing read ('de PDF bevat geen tekst', every type 0.000). A page without text that
    draws a hundred shapes or more is read by OCR like a scan."""
    from pipeline.ocr import ocr_available

    from .conftest import require_optional

    if not ocr_available():
        require_optional("Tesseract with Dutch (tesseract-ocr, tesseract-ocr-nld) is not installed")
    result = layouts["montferland_2024_h23a"]
    assert "error" not in result
    assert _matched(result, "aanbeveling")[0] >= 4 and _matched(result, "conclusie") == (5, 5)
    assert _matched(result, "bevinding") == (15, 15) and result["stance"]["right"] >= 4


def test_an_old_latex_report_with_bitmap_fonts_blind_h23b(layouts: dict[str, Any]) -> None:
    """culemborg_h23b: latex → dvips with bitmap (Type 3) fonts → ps2pdf. pdfium reads the fonts' codes, so the fi
    and ff ligatures come out as control codes (U+001C for "fi"); the inhoudsopgave sets each chapter without
    leaders, its page number apart; the info Title is the .dvi file's name. First figures: aanbeveling 1.000,
    conclusie 1.000, bevinding 0.000 (every chapter nested under the inhoudsopgave), stance 5/5, metadata 3/4."""
    _assert_read_right(layouts["culemborg_2016_h23b"], "culemborg_2016_h23b")
    assert layouts["culemborg_2016_h23b"]["metadata_ok"] == 4


def test_tex_ligature_slots_read_as_their_letters() -> None:
    from pipeline.layout import normalise

    assert normalise("\x1cnanciële e\x1bectiviteit") == "financiële effectiviteit"
    assert normalise("a\x07b") == "ab"
