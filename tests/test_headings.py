"""Message headings (pipeline/headings.py): the clause forms, the forms a heading must not take, and
how a theme's heading is chosen — what its members share, in its own category — without an embedder."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from pipeline.headings import (
    CATEGORY_HEADINGS,
    CATEGORY_SUBJECTS,
    MAX_WORDS,
    MIN_WORDS,
    candidates,
    infinitive_of_imperative,
    purpose_clause,
    theme_heading,
)


def _flat(clauses: Sequence[str]) -> list[float]:
    """A relevance that knows nothing of meaning: every candidate equally close to the theme."""
    return [0.3] * len(clauses)


@pytest.mark.parametrize(("text", "heading"), [
    ("Stel heldere indicatoren op om goed te kunnen monitoren op doelbereik.", "Stel heldere indicatoren op"),
    ("De gemeenteraad moet zijn informatiebehoefte duidelijk formuleren, zodat hierover helderheid is.",
     "Formuleer als raad de informatiebehoefte duidelijk"),
    ("De informatievoorziening binnen het netwerk zelf verbeteren.",
     "Verbeter de informatievoorziening binnen het netwerk zelf"),
    ("Vraag het college om een nulmeting die elk kwartaal wordt aangevuld.", "Vraag het college om een nulmeting"),
    # "met behulp van" counts as three words when the clause is shortened
    ("Evalueer vaker op de ‘outcome’ met behulp van meetbare kwaliteitsindicatoren.", "Evalueer vaker op de ‘outcome’"),
])
def test_a_sentence_gives_its_advice_as_an_imperative(text: str, heading: str) -> None:
    assert candidates(text)[0] == heading


def test_the_aim_of_advice_is_a_candidate_too() -> None:
    text = "Richt een taskforce ‘regelluwte’ in om de administratieve lastendruk bij professionals weg te nemen."
    assert candidates(text) == ["Richt een taskforce ‘regelluwte’ in",
                                "Neem de administratieve lastendruk bij professionals weg"]
    assert purpose_clause("Stel een raadswerkgroep in om jeugdhulpambities te vertalen naar meetbare indicatoren.") \
        == "Vertaal jeugdhulpambities naar meetbare indicatoren"
    # only the aim of advice, and only an aim that says something by itself
    assert purpose_clause("Het zijn thema’s die interessant zijn om de komende tijd nader te onderzoeken.") is None
    assert purpose_clause("Stel indicatoren op om goed te kunnen monitoren op doelbereik.") is None
    assert purpose_clause("Maak afspraken om deze doelen te halen.") is None  # 'deze' points back


@pytest.mark.parametrize("text", [
    # cut before what the attention is for; 'verder' tied it to the sentence before
    "Besteed verder bij samenwerkingsrelaties aandacht aan zowel het ophalen van informatie als aan het "
    "terugkoppelen van status.",
    "Focus op laagdrempelig versus focus op eigen kracht. De gemeenten kiezen verschillend.",
    "Vraag als raad het college om het Centrum voor Jeugd en Gezin extra aandacht te laten besteden aan het "
    "zichtbaar zijn bij samenwerkingspartners.",
])
def test_clumsy_forms_are_no_heading(text: str) -> None:
    for clause in candidates(text):
        assert not re.search(r"\b(?:aandacht|versus)$|^\w+ verder\b|\bom het Centrum$|zowel(?!.*\bals\b)", clause), clause


def test_every_category_heading_is_a_short_imperative_naming_its_category() -> None:
    seen: set[str] = set()
    for categorie, phrases in CATEGORY_HEADINGS.items():
        assert len(phrases) >= 3, categorie
        for phrase in phrases:
            words = phrase.split()
            assert MIN_WORDS <= len(words) <= MAX_WORDS and infinitive_of_imperative(words[0]), phrase
            assert any(re.search(p, phrase.lower()) for p in CATEGORY_SUBJECTS[categorie]), phrase
            assert phrase.lower() not in seen, phrase
            seen.add(phrase.lower())


def test_a_theme_is_headed_by_what_its_members_share() -> None:
    # three of four members are about the waiting lists; the one about a booklet is narrower
    texts = ["Geef een folder uit over de gemeentelijke loketten.",
             "Pak de wachtlijsten in de jeugd-ggz aan.",
             "Breng de wachtlijsten en wachttijden per aanbieder in beeld.",
             "Onderzoek waarom de wachtlijsten groeien."]
    found = theme_heading(texts, [True] * 4, _flat, terms=("wachtlijst",), categorie="aanbod_en_wachtlijsten")
    assert found is not None and "wachtlijsten" in found.text and found.member in (1, 2, 3)


def test_without_a_member_naming_the_subject_the_category_says_it() -> None:
    # every member's advice is narrower than what they share (each names its own tool)
    texts = ["Geef een folder uit over lokale diversiteit.",
             "Organiseer een klankbordgroep met scholen.",
             "Richt een werkgroep voor huisartsen in."]
    categorie = "samenwerking_en_netwerk"
    found = theme_heading(texts, [True] * 3, _flat, categorie=categorie)
    assert found is not None and found.member is None and found.text in CATEGORY_HEADINGS[categorie]
    # a phrasing another chapter took goes to the next; never one that is taken
    taken = frozenset({found.text.lower()})
    again = theme_heading(texts, [True] * 3, _flat, taken=taken, categorie=categorie)
    assert again is not None and again.text.lower() not in taken


def test_only_members_of_the_themes_category_give_the_heading() -> None:
    texts = ["Schenk meer aandacht aan preventie in de wijk.", "Maak de toegang tot jeugdhulp eenvoudiger."]
    found = theme_heading(texts, [True, False], _flat, categorie="preventie_en_vroegsignalering")
    assert found is not None and found.member in (0, None) and "toegang" not in found.text


def test_imperatives_the_lookup_table_does_not_lead_back() -> None:
    # 'informeer' is informeren, not the particle 'in' + formeren
    assert infinitive_of_imperative("Informeer") == "informeren"
    assert infinitive_of_imperative("Meet") == "meten"
    assert infinitive_of_imperative("Stel") == "stellen"
    assert infinitive_of_imperative("Beleid") is None
