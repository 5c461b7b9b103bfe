"""What people read: the one place that turns stored codes into Dutch names and phrases.

Codes stay in the data (`D2`, `visie_en_doelen`, `gold`, `deels`); the explorer, the exports
and the synthesis show them through these functions, so a name is changed here once and
everywhere. Also Dutch counting ("1 resultaat", "3 aanbevelingen"), decimal commas and
citations ("Rekenkamercommissie Raalte 2019, p. 10").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from . import errors
from .records import PRIMARY_SOURCE_KINDS
from .taxonomy import CATEGORY_NAMES

DOEL_SHORT: dict[str, str] = {
    "D1": "samenhangende hulp",
    "D2": "ruimte voor professionals",
    "D3": "eigen kracht",
    "D4": "demedicaliseren en preventie",
    "D5": "eerder hulp op maat",
}
"""The Jeugdwet doelen as a researcher names them in a list or filter (the long names are in taxonomy.DOEL_NAMES)."""
ALGEMEEN = "Algemeen (beleidscyclus)"

LABEL_ORIGINS: dict[str, str] = {"model": "model", "gold": "annotator", "human": "correctie", "import": "import"}
"""Who decided a label: the classifier, an annotator of the gold set, a person's correction in the
explorer, or the coded file it was imported from."""

SOURCE_KIND_NAMES: dict[str, str] = {
    "rekenkamerrapport": "rekenkamerrapport",
    "synthese": "synthese",
    "onderzoek": "onderzoek",
    "scriptie": "scriptie",
    "presentatie": "presentatie",
    "import": "rekenkamer (website)",
}
"""records.SOURCE_KINDS as people read them: imported items are a rekenkamer's published findings."""

STANCE_NAMES: dict[str, str] = {
    "overgenomen": "overgenomen",
    "deels": "deels overgenomen",
    "deels overgenomen": "deels overgenomen",
    "niet overgenomen": "niet overgenomen",
    "onbekend": "onbekend",
}
STANCE_PHRASES: dict[str, str] = {
    "overgenomen": "het college neemt de aanbeveling over",
    "deels overgenomen": "het college neemt de aanbeveling deels over",
    "niet overgenomen": "het college neemt de aanbeveling niet over",
    "onbekend": "reactie van het college onbekend",
}

ITEM_TYPES: dict[str, tuple[str, str]] = {
    "aanbeveling": ("aanbeveling", "aanbevelingen"),
    "conclusie": ("conclusie", "conclusies"),
    "bevinding": ("bevinding", "bevindingen"),
    "onderzoeksvraag": ("onderzoeksvraag", "onderzoeksvragen"),
    "norm": ("norm", "normen"),
}

PLURALS: dict[str, str] = {
    **{singular: plural for singular, plural in ITEM_TYPES.values()},
    "resultaat": "resultaten",
    "item": "items",
    "gemeente": "gemeenten",
    "rekenkamer": "rekenkamers",
    "rapport": "rapporten",
    "bron": "bronnen",
    "pagina": "pagina's",
    "thema": "thema's",
    "bestand": "bestanden",
    "label": "labels",
    "waarschuwing": "waarschuwingen",
    "regel": "regels",
}
"""Dutch plurals are irregular enough to be listed (-en, -s, -'s)."""


# ---------------------------------------------------------------------------------- names


def doel_name(code: str) -> str:
    """"D2 · ruimte voor professionals"; "algemeen" → "Algemeen (beleidscyclus)"."""
    if code == "algemeen":
        return ALGEMEEN
    short = DOEL_SHORT.get(code)
    return f"{code} · {short}" if short else code


def doelen_names(codes: Iterable[str] | None, algemeen: bool = False) -> str:
    """A label's doelen as one line: "D1 · samenhangende hulp, D5 · eerder hulp op maat"."""
    names = [doel_name(c) for c in codes or ()]
    if algemeen:
        names.append(ALGEMEEN)
    return ", ".join(names)


def categorie_name(code: str | None) -> str:
    """"clientervaring_en_participatie" → "Cliëntervaring en participatie"; empty when unlabelled."""
    if not code:
        return ""
    name = CATEGORY_NAMES.get(code, code.replace("_", " "))
    return name[:1].upper() + name[1:]


def label_origin(source: str | None) -> str:
    return LABEL_ORIGINS.get(source or "", "model")


def source_kind(kind: str | None) -> str:
    return SOURCE_KIND_NAMES.get(kind or "", kind or "onbekend")


def kind_of(record: Mapping[str, Any]) -> str:
    """A record's source kind (items carry `source_kind`, reports `doc_type`)."""
    return str(record.get("source_kind") or record.get("doc_type") or "rekenkamerrapport")


def is_primary(record: Mapping[str, Any]) -> bool:
    """A rekenkamer's own report or its published items — not a synthesis, thesis or other study."""
    return kind_of(record) in PRIMARY_SOURCE_KINDS


def stance_name(stance: str | None) -> str:
    """The college's stance as a short label: "overgenomen", "deels overgenomen", "niet overgenomen", "onbekend"."""
    return STANCE_NAMES.get((stance or "onbekend").strip().lower(), "onbekend")


def stance_phrase(stance: str | None) -> str:
    """The stance as a sentence part: "het college neemt de aanbeveling deels over"."""
    return STANCE_PHRASES[stance_name(stance)]


METHOD_NAMES: dict[str, str] = {
    "documentonderzoek": "documentonderzoek", "interviews": "interviews", "dossieronderzoek": "dossieronderzoek",
    "casusonderzoek": "casusonderzoek", "financiele_analyse": "financiële analyse",
    "analyse_bestaande_gegevens": "analyse van bestaande gegevens", "enquete": "enquête",
    "bijeenkomsten": "bijeenkomsten", "overig": "overig",
}
"""profile.METHODS as a reader writes them."""


def method_name(code: str) -> str:
    return METHOD_NAMES.get(code, code.replace("_", " "))


def type_name(item_type: str, n: int = 1) -> str:
    singular, plural = ITEM_TYPES.get(item_type, (item_type, item_type))
    return singular if n == 1 else plural


def theme_scope_name(scope: str) -> str:
    """A theme's scope (a doel code or "algemeen") as it is shown."""
    return doel_name(scope)


def theme_heading(scope: str, title: str) -> str:
    """"D5 · eerder hulp op maat — Aanbod en wachtlijsten: wachttijd · …"."""
    return f"{theme_scope_name(scope)} — {title}"


# ---------------------------------------------------------------------------------- numbers


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """"1 resultaat", "3 resultaten", "1 bevinding": the plural from PLURALS unless given."""
    if plural is None:
        plural = PLURALS.get(singular, singular + "en")
    return f"{number(n)} {singular if n == 1 else plural}"


def sources_named(total: int, imported: int, *, reports: str = "rapport", whose: str = "") -> str:
    """'5 rapporten', or with imported items '81 bronnen (5 rapporten en 76 geïmporteerde publicaties)': an
    imported publication may be a news article about a report, so it is not called a report."""
    if not imported:
        return counted(total, reports)
    return (f"{counted(total, 'bron', 'bronnen')}{whose} ({counted(total - imported, 'rapport')} en "
            f"{counted(imported, 'geïmporteerde publicatie', 'geïmporteerde publicaties')})")


def number(n: int) -> str:
    """Whole numbers with a dot per thousand, as Dutch writes them ("12.345")."""
    return f"{n:,}".replace(",", ".")


def decimal(value: float, digits: int = 2) -> str:
    """"0,85": a decimal comma."""
    return f"{value:.{digits}f}".replace(".", ",")


def percent(share: float, digits: int = 0) -> str:
    """"85%", "12,5%" for a share between 0 and 1."""
    return f"{decimal(share * 100, digits)}%"


# ---------------------------------------------------------------------------------- citations


def pages_label(start: int | None, end: int | None = None) -> str:
    """"p. 10" or "p. 10–11"; empty without a page (an imported item)."""
    if not start:
        return ""
    return f"p. {start}" if not end or end == start else f"p. {start}–{end}"


def short_title(title: str, limit: int = 60) -> str:
    title = re.sub(r"\s+", " ", title or "").strip()
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(" ,:;–-") + " …"


def source_name(record: Mapping[str, Any]) -> str:
    """Who speaks: the rekenkamer, else the kind and title of the source ("scriptie ‘Sturing op de toegang …’")."""
    rekenkamer = (record.get("rekenkamer") or "").strip()
    if rekenkamer:
        return rekenkamer
    title = short_title(record.get("report_title") or record.get("title") or "")
    kind = source_kind(kind_of(record))
    if title:
        return f"{kind[:1].upper()}{kind[1:]} ‘{title}’"
    gemeente = (record.get("gemeente") or "").strip()
    return f"{kind[:1].upper()}{kind[1:]}" + (f" {gemeente}" if gemeente else "")


def citation(record: Mapping[str, Any], page: int | None = None) -> str:
    """"Rekenkamercommissie Raalte 2019, p. 10" for an item (or report) record; `page` overrides its pages."""
    who = source_name(record)
    year = record.get("year")
    head = f"{who} {year}" if year else who
    pages = pages_label(page) if page else pages_label(record.get("page_start"), record.get("page_end"))
    return f"{head}, {pages}" if pages else head


def source_url(record: Mapping[str, Any]) -> str:
    """The web address the item or report was published at ("" when unknown)."""
    raw = record.get("extra")
    extra: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    for value in (record.get("source_url"), record.get("url"), extra.get("source_url"), extra.get("url")):
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return ""


def has_pdf(record: Mapping[str, Any]) -> bool:
    """Whether the item comes from a stored PDF (imported items have no pages to show)."""
    if "has_pdf" in record:
        return bool(record["has_pdf"])
    return kind_of(record) != "import"


# ---------------------------------------------------------------------------------- text


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str | None) -> str:
    """Text from a report, escaped for Markdown: its "1." or "*" stays text, "[x](y)" no link, "$" no formula."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")



# ---------------------------------------------------------------------------------- messages

_FAILURES: tuple[tuple[str, str], ...] = (
    (errors.EmptyFile.reason, "het bestand is leeg — download of exporteer het rapport opnieuw"),
    (errors.NotAPDF.reason, "dit is geen PDF — sla het rapport op als PDF en voeg het opnieuw toe"),
    (errors.UnreadablePDF.reason, "de PDF is beschadigd of onvolledig — download het bestand opnieuw"),
    (errors.EncryptedPDF.reason, "de PDF is met een wachtwoord beveiligd — vraag een onbeveiligde versie op"),
    ("de tekstherkenning vond er geen leesbare tekst op",
     "de gescande pagina's konden niet worden gelezen — vraag een PDF met tekst op"),
    (errors.NoTextLayer.reason, "de PDF bevat alleen gescande pagina's zonder tekst — vraag een PDF met tekst op"),
    (errors.TooLarge.reason, "het bestand is te groot — splits het rapport in delen"),
    (errors.NotDutch.reason, "de tekst lijkt niet Nederlands — alleen Nederlandstalige rapporten worden gelezen"),
    (errors.NoReadPermission.reason, "het bestand kon niet worden geopend — probeer het opnieuw"),
    (errors.InputFileError.reason, "het bestand kon niet worden gelezen — probeer het opnieuw"),
)
"""The reasons of pipeline.errors (with command-line advice) → what the explorer says instead."""


def failure_message(message: str, file_name: str) -> str:
    """A failed file's one-line message (from ingest, with command-line advice) in plain Dutch for the explorer."""
    detail = message.split(": ", 1)[1] if message.startswith(file_name + ":") else message
    for marker, dutch in _FAILURES:
        if detail.startswith(marker) or f"({marker}" in detail or marker in detail.split(" — ")[0]:
            return f"{file_name}: {dutch}"
    return f"{file_name}: kon niet worden verwerkt — controleer of het een leesbare PDF van een rapport is"


def warning_message(message: str, file_name: str) -> str | None:
    """An ingest warning in plain Dutch; None for the ones the preview says itself (missing items, reaction)."""
    if "gevonden — toch opgeslagen" in message:
        return None
    if "de taal kon niet worden vastgesteld" in message:
        return (f"{file_name}: de taal van de tekst kon niet worden vastgesteld — controleer of de tekst in de "
                "voorvertoning goed leesbaar is")
    pages = re.search(r"pagina\('s\) ([\d, ]+) zijn gescand", message)
    if pages:
        return (f"{file_name}: pagina {pages.group(1)} is gescand en kon niet worden gelezen — de tekst van die "
                "pagina('s) ontbreekt")
    if "gescand" in message or "tekstherkenning" in message:
        return f"{file_name}: een deel van de pagina's is gescand; de herkende tekst kan fouten bevatten"
    return f"{file_name}: let op bij het nalezen — niet alles in het bestand kon worden gelezen"


def preview_warnings(items: Iterable[Mapping[str, Any]], doc_type: str | None) -> list[str]:
    """What to check before storing a report: no aanbevelingen, no reaction found, stances unknown."""
    items = list(items)
    recommendations = [it for it in items if it.get("type") == "aanbeveling"]
    out = []
    if (doc_type or "rekenkamerrapport") == "rekenkamerrapport":
        if not recommendations:
            out.append("Geen aanbevelingen gevonden. Staan ze onder een kop die niet werd herkend? Sla dan niet op, "
                       "of controleer het rapport na het opslaan.")
        if not any(it.get("type") in ("conclusie", "bevinding") for it in items):
            out.append("Geen conclusies of bevindingen gevonden.")
    if recommendations and all(it.get("stance") is None for it in recommendations):
        out.append("Geen bestuurlijke reactie gevonden bij de aanbevelingen.")
    else:
        unknown = sum(1 for it in recommendations if stance_name(it.get("stance")) == "onbekend")
        if unknown:
            out.append(f"Bij {counted(unknown, 'aanbeveling')} is het standpunt van het college onbekend.")
    return out
