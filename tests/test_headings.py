"""Message headings (pipeline/headings.py): the clause forms, and the forms a heading must not take."""

from __future__ import annotations

import re

import pytest

from pipeline.headings import candidates, infinitive_of_imperative, purpose_clause


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


def test_imperatives_the_lookup_table_does_not_lead_back() -> None:
    # 'informeer' is informeren, not the particle 'in' + formeren
    assert infinitive_of_imperative("Informeer") == "informeren"
    assert infinitive_of_imperative("Meet") == "meten"
    assert infinitive_of_imperative("Stel") == "stellen"
    assert infinitive_of_imperative("Beleid") is None
