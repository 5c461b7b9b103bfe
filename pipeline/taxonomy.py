"""The labelling scheme: five Jeugdwet doelen, the `algemeen` flag, the beleidscyclus categories.

Read from annotations/taxonomy.yaml and validated, so a typo there fails loudly with the
file and the offending key rather than as a silently missing class.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AnnotationError

DOELEN: tuple[str, ...] = ("D1", "D2", "D3", "D4", "D5")
CATEGORIES: tuple[str, ...] = (
    "visie_en_doelen",
    "indicatoren_en_monitoring",
    "informatievoorziening_raad",
    "evaluatie_en_leren",
    "rol_gemeenteraad",
    "financien_en_budget",
    "inkoop_en_contractering",
    "toegang",
    "samenwerking_en_netwerk",
    "preventie_en_vroegsignalering",
    "aanbod_en_wachtlijsten",
    "clientervaring_en_participatie",
    "professionals_en_regeldruk",
    "overig",
)
CATEGORY_NAMES: dict[str, str] = {
    "visie_en_doelen": "visie en doelen",
    "indicatoren_en_monitoring": "indicatoren en monitoring",
    "informatievoorziening_raad": "informatievoorziening aan de raad",
    "evaluatie_en_leren": "evaluatie en leren",
    "rol_gemeenteraad": "rol van de gemeenteraad",
    "financien_en_budget": "financiën en budget",
    "inkoop_en_contractering": "inkoop en contractering",
    "toegang": "toegang",
    "samenwerking_en_netwerk": "samenwerking en netwerk",
    "preventie_en_vroegsignalering": "preventie en vroegsignalering",
    "aanbod_en_wachtlijsten": "aanbod en wachtlijsten",
    "clientervaring_en_participatie": "cliëntervaring en participatie",
    "professionals_en_regeldruk": "professionals en regeldruk",
    "overig": "overig",
}
"""The categories as a reader writes them (for titles; the codes stay what is stored)."""
DOEL_NAMES: dict[str, str] = {
    "D1": "samenhangende hulp: één gezin, één plan, één regisseur",
    "D2": "meer ruimte voor professionals, minder regeldruk",
    "D3": "eigen kracht van jongeren, ouders en hun sociale netwerk",
    "D4": "demedicaliseren: minder snel medicijnen, de zorgvraag terugbrengen (preventie)",
    "D5": "eerder hulp op maat voor kwetsbare kinderen",
}


@dataclass(frozen=True)
class Concept:
    code: str
    name: str
    definition: str
    cues: tuple[str, ...]

    @property
    def description(self) -> str:
        """Text that stands for the concept when compared with items (zero-shot, features)."""
        return f"{self.name}. {self.definition} {'; '.join(self.cues)}"


@dataclass(frozen=True)
class Taxonomy:
    version: str
    doelen: tuple[Concept, ...]
    algemeen: Concept
    categories: tuple[Concept, ...]

    @property
    def label_concepts(self) -> tuple[Concept, ...]:
        """D1–D5 then algemeen: the multi-label targets in order."""
        return (*self.doelen, self.algemeen)


def _concept(code: str, raw: Any, path: Path) -> Concept:
    if not isinstance(raw, dict):
        raise AnnotationError(str(path), None, f"'{code}' moet een mapping (sleutels met waarden) zijn")
    cues = raw.get("cues") or []
    if not isinstance(cues, list) or not all(isinstance(c, str) for c in cues):
        raise AnnotationError(str(path), None, f"'{code}.cues' moet een lijst teksten zijn")
    return Concept(
        code=code,
        name=str(raw.get("name") or raw.get("naam") or code),
        definition=str(raw.get("definition") or raw.get("definitie") or "").strip(),
        cues=tuple(c.lower() for c in cues),
    )


def load_taxonomy(path: Path) -> Taxonomy:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnnotationError(str(path), None, f"kan niet worden gelezen ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise AnnotationError(str(path), None, f"geen geldige YAML ({exc})") from None
    if not isinstance(data, dict):
        raise AnnotationError(str(path), None, "verwacht bovenaan een mapping (sleutels met waarden)")
    doelen_raw = data.get("doelen")
    categories_raw = data.get("categories") or data.get("categorieen") or data.get("categorieën")
    if not isinstance(doelen_raw, dict) or set(doelen_raw) != set(DOELEN):
        raise AnnotationError(str(path), None, f"'doelen' moet precies {', '.join(DOELEN)} beschrijven")
    if not isinstance(categories_raw, dict) or set(categories_raw) != set(CATEGORIES):
        found = set(categories_raw or {})
        raise AnnotationError(
            str(path), None,
            f"'categories' moet precies de {len(CATEGORIES)} categorieën van de beleidscyclus bevatten "
            f"(ontbreekt: {sorted(set(CATEGORIES) - found)}, onbekend: {sorted(found - set(CATEGORIES))})",
        )
    if "algemeen" not in data:
        raise AnnotationError(str(path), None, "'algemeen' ontbreekt")
    return Taxonomy(
        version=str(data.get("version", "0")),
        doelen=tuple(_concept(code, doelen_raw[code], path) for code in DOELEN),
        algemeen=_concept("algemeen", data["algemeen"], path),
        categories=tuple(_concept(code, categories_raw[code], path) for code in CATEGORIES),
    )
