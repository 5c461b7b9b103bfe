"""Report metadata from the PDF itself: its document information, cover page and colofon.

Used when no manifest row describes a file. Every value is one clean line — never a newline
or a label word such as "Rekenkamer" or "Inhoudsopgave" glued to a gemeente.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import ExtractedDocument

_REKENKAMER_RE = re.compile(
    r"\b((?:gezamenlijke\s+|lokale\s+)?(?:rekenkamer(?:commissie)?s?|rkc)\b[^\n,;:|]{0,70})", re.I
)
_NAME = r"(?:'s-|[A-Z])[\w'’\-]+(?:(?:[ ](?:aan|op|de|den|der|van|in|ter))+[ ][A-Z][\w'’\-]+|[ ][A-Z][a-z][\w'’\-]+)*"
_GEMEENTE_RE = re.compile(rf"\b[Gg]emeenten?[ ]+({_NAME}(?:[ ]*,[ ]*{_NAME})*(?:[ ]+en[ ]+{_NAME})?)")
_NAME_LIST_RE = re.compile(rf"((?:[ ]*,[ ]*{_NAME}){{2,}}(?:[ ]*(?:,|en)[ ]*{_NAME})?)[ ]*$")
_STOP_WORDS = re.compile(r"\s+(Postbus|Stadhuis\w*|Bezoekadres|Telefoon|Tel\.|E-mail|www\.|\d).*$", re.I)
_NOT_A_NAME = {"rekenkamer", "rekenkamercommissie", "inhoudsopgave", "inhoud", "onderzoek", "rapport", "eindrapport",
               "colofon", "samenvatting", "het", "de", "jeugd", "jeugdhulp", "jeugdzorg"}
_BAD_TITLES = re.compile(r"(^untitled$|^anonymous$|\.(html?|docx?|odt|pdf|tex|typ|dvi|ps)$|^microsoft word|"
                         r"^concept\b|\bv(ersie\s*)?\d+\.\d+$)", re.I)
"""An info Title that names a file or a draft ("Microsoft Word - rapport.docx", "CONCEPT Rapport jeugdhulp v0.9")."""
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"


@dataclass(frozen=True)
class FoundMeta:
    title: str = ""
    gemeente: str = ""
    rekenkamer: str = ""
    year: int | None = None


def _clean(value: str) -> str:
    value = re.sub(r"\s+", " ", value).strip(" -–—:|,.")
    return value


_NAME_JOINERS = ("en", "van", "de", "den", "der", "aan", "op", "in", "ter")
"""Small words inside a name ("Rekenkamer Capelle aan den IJssel", "Bergen op Zoom")."""


def _rekenkamer(lines: list[str]) -> str:
    for line in lines:
        match = _REKENKAMER_RE.search(line)
        if not match:
            continue
        name = _clean(_STOP_WORDS.sub("", match.group(1)))
        words = name.split()
        prefix = []
        if words and words[0].lower() in ("gezamenlijke", "lokale"):  # "Gezamenlijke rekenkamercommissie X"
            prefix, words = [words[0]], words[1:]
        # "Rekenkamer Arnhem", "Rekenkamercommissie Midden-Brabant (RMB)"; not "rekenkamer heeft …"
        if len(words) >= 2 and (words[1][:1].isupper() or words[1].startswith(("'s", "("))):
            kept = [words[0]]
            for word in words[1:]:
                if not (word[:1].isupper() or word.startswith(("'s", "(")) or word in _NAME_JOINERS):
                    break
                kept.append(word)
            while kept and kept[-1] in _NAME_JOINERS:
                kept.pop()
            if len(kept) >= 2:
                name = " ".join(prefix + kept)
                # A joint rekenkamer named after all its gemeenten ("Rekenkamercommissie Beek,
                # Eijsden-Margraten, Gulpen-Wittem, …, Valkenburg aan de Geul") keeps the list.
                at = line.find(name)
                listed = _NAME_LIST_RE.match(line[at + len(name):]) if at >= 0 else None
                return name + listed.group(1) if listed else name
    return ""


def _without_site_name(title: str) -> str:
    """A web page saved as PDF carries the browser's page title, "Snel de juiste hulp? | Rekenkamer Gouda": the
    report's title without the site's name after the bar or dash."""
    parts = re.split(r"\s+[|–—·-]\s+", title.strip())
    if len(parts) > 1 and re.search(r"rekenkamer|\brkc\b", parts[-1], re.I):
        return " – ".join(parts[:-1])
    return title


def _unshout(name: str) -> str:
    """A name printed in capitals as it is written ("REKENKAMER VENLO" → "Rekenkamer Venlo", "… AAN DEN IJSSEL"
    → "… aan den IJssel", "REKENKAMER DEN HAAG" → "Rekenkamer Den Haag"); an acronym in brackets stays; a
    name in mixed case is left as it is."""
    if not name.isupper():
        return name

    def part(text: str, first: bool) -> str:
        if text.lower() in _NAME_JOINERS and not first:
            return text.lower()
        return "IJ" + text[2:].lower() if text.startswith("IJ") else text[:1] + text[1:].lower()

    words = name.split()
    out = []
    for i, word in enumerate(words):
        after_kind = i > 0 and re.match(r"(rekenkamer|rkc)", words[i - 1], re.I) is not None
        out.append(word if word.startswith("(") else
                   "-".join(part(p, after_kind or i == 0) for p in word.split("-")))
    return " ".join(out)


_NAMES_WITH_EN = ("Aa en Hunze", "Nuenen, Gerwen en Nederwetten")
"""Gemeenten whose own name has "en" (or a comma) in it: not two gemeenten."""


def _split_names(text: str) -> list[str]:
    kept = {f"\x00{i}\x00": name for i, name in enumerate(_NAMES_WITH_EN)}
    for placeholder, name in kept.items():
        text = re.sub(re.escape(name), placeholder, text, flags=re.I)
    parts = re.split(r"\s*,\s*|\s+en\s+", text)
    names = [kept.get(p.strip(), p.strip()) for p in parts]
    return [name for name in names if name and name.lower() not in _NOT_A_NAME]


_HYPHENATED_GEMEENTEN = {name.lower(): name for name in (
    "Alphen-Chaam", "Baarle-Nassau", "Bodegraven-Reeuwijk", "Borger-Odoorn", "Echt-Susteren", "Edam-Volendam",
    "Eijsden-Margraten", "Etten-Leur", "Gemert-Bakel", "Goeree-Overflakkee", "Gulpen-Wittem", "Hardinxveld-Giessendam",
    "Heeze-Leende", "Leidschendam-Voorburg", "Midden-Delfland", "Midden-Drenthe", "Midden-Groningen", "Neder-Betuwe",
    "Noardeast-Fryslân", "Noord-Beveland", "Olst-Wijhe", "Oud-Beijerland", "Ouder-Amstel", "Pijnacker-Nootdorp",
    "Rijssen-Holten", "Schouwen-Duiveland", "Sint-Michielsgestel", "Sittard-Geleen", "Súdwest-Fryslân",
)}
"""Gemeenten whose own name has a hyphen: a rekenkamer named after one of them is not a joint one of two."""


def _gemeente(text: str, rekenkamer: str) -> str:
    for match in _GEMEENTE_RE.finditer(text):
        names = _split_names(match.group(1))
        if names:
            return ", ".join(names)
    if rekenkamer:
        rest = re.sub(r"^(gezamenlijke\s+|lokale\s+)?(rekenkamer(commissie)?s?|rkc)\s+", "", rekenkamer, flags=re.I)
        rest = re.sub(r"\s*\(.*\)$", "", rest)
        rest = re.sub(r"^(metropool|regio)\s+", "", rest, flags=re.I)
        if rest and rest[0].isupper():
            # "Rekenkamercommissie Leiden-Leiderdorp" names two gemeenten; a name that already lists
            # them ("Noardeast-Fryslân en Dantumadiel") keeps its hyphens.
            known = _HYPHENATED_GEMEENTEN.get(rest.lower())
            if known:
                return known  # "Rekenkamercommissie Borger-Odoorn": one gemeente whose name has a hyphen
            two = "-" in rest and rest.count("-") == 1 and " en " not in rest and "," not in rest \
                and all(p[:1].isupper() for p in rest.split("-"))
            names = _split_names(rest.replace("-", " en ") if two else rest)
            # a letter-spaced cover line comes in capitals ("REKENKAMERCOMMISSIE SCHIEDAM-VLAARDINGEN")
            return ", ".join(_unshout(name) for name in names)
    return ""


def _year(lines: list[str]) -> int | None:
    dated = [int(y) for line in lines for y in re.findall(rf"(?:{_MONTHS})\s+(20[0-3]\d)\b", line, re.I)]
    if dated:
        return max(dated)
    years = [int(y) for line in lines for y in re.findall(r"\b(20[0-3]\d)\b", line)]
    return max(years) if years else None


def _colofon_lines(document: ExtractedDocument) -> list[str]:
    candidates = list(document.pages[:4]) + list(document.pages[-2:])
    for page in candidates:
        if re.search(r"^\s*colofon\b", page.text, re.I | re.M):
            return [ln.strip() for ln in page.text.splitlines() if ln.strip()]
    return []


def _subtitle_after(title: str, cover_title: str) -> bool:
    """Whether an info Title is the cover's title followed by its subtitle ("Onderweg naar hulp: Toegang tot …",
    "Wie wijst de weg? - Rapport in beeld", "Hulp die werkt? Sturing op …")."""
    if len(cover_title.split()) < 2 or not title.lower().startswith(cover_title.lower()):
        return False
    rest = title[len(cover_title):]
    return bool(re.match(r"\s*[:|–—-]\s+\S", rest) or cover_title.endswith(("?", "!")) and re.match(r"\s+[A-Z]", rest))


def read_metadata(document: ExtractedDocument) -> FoundMeta:
    """Title, gemeente(n), rekenkamer and year as the PDF states them (empty where it does not)."""
    info = dict(document.info)
    # The cover is the first page with text: a blank first page (a layout engine that pushed the
    # title on) does not hide the cover lines that follow.
    cover_page = next((page for page in document.pages[:3] if page.text.strip()), None)
    cover_text = cover_page.text if cover_page else ""
    if cover_page:  # a year alone at the cover's foot ("2020") was set apart as if it were a page number
        cover_text += "".join(f"\n{line.text}" for line in document.furniture
                              if line.page == cover_page.number and re.fullmatch(r"(19|20)\d\d", line.text.strip()))
    # A name broken over two cover lines ("gemeente Midden-" / "Groningen", "Oegstgeest en" /
    # "Leidschendam-Voorburg") is one name.
    cover_text = re.sub(r"(?<=\w-)\n(?=[A-Z])", "", cover_text)
    cover_text = re.sub(r"(,| en)\n(?=[A-Z])", r"\1 ", cover_text)
    cover = [ln.strip() for ln in cover_text.splitlines() if ln.strip()]
    colofon = _colofon_lines(document)
    first_pages = "\n".join(p.text for p in document.pages[:3])
    rekenkamer = _rekenkamer(cover) or _rekenkamer([info.get("Author", "")]) or _rekenkamer(colofon)
    if not rekenkamer:
        rekenkamer = _rekenkamer(first_pages.splitlines()[:80])
    cover_text = "\n".join(cover)
    gemeente = ""
    for source in (cover_text, info.get("Title", "") + "\n" + info.get("Subject", ""), "\n".join(colofon)):
        gemeente = _gemeente(source, "")
        if gemeente:
            break
    if not gemeente:
        gemeente = _gemeente("", rekenkamer) or _gemeente(first_pages, "")
        named = [name for name in gemeente.split(", ")
                 if re.search(rf"\b{re.escape(name)}\b", cover_text.replace(rekenkamer, ""), re.I)]
        if "," in gemeente and len(named) == 1:
            gemeente = named[0]  # a joint rekenkamer ("Schiedam-Vlaardingen") on a report about one of them
    title = _without_site_name(info.get("Title", ""))
    if not title or _BAD_TITLES.search(title.strip()):
        title = _clean(document.title_guess)
    elif _subtitle_after(title, _clean(document.title_guess)):
        title = _clean(document.title_guess)  # the info Title adds the subtitle the cover sets apart
    year = _year(cover) or _year(colofon) or _year(first_pages.splitlines()[:120])
    return FoundMeta(title=_clean(title), gemeente=gemeente, rekenkamer=_unshout(rekenkamer), year=year)
