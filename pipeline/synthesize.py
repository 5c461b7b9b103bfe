"""Synthesis: evidence and its themes → a document shaped like the NJi synthesis, every statement cited.

`load_nji_evidence` and `store_evidence` turn the two inputs (the NJi gold items, the items of a
store) into `cluster.Evidence`. `synthesize` clusters the evidence with `cluster.build_themes`
and writes it as the NJi writes: one short paragraph on what the document rests on, then the
general chapter on the beleidscyclus and a chapter per doel, each opening with what the
bevindingen and conclusies of that doel say and how many rekenkamers say it, then its themes.
A theme is headed by what its recommendations ask ("Stel heldere en meetbare indicatoren op",
see pipeline.headings) and gives its findings first, then the bundled recommendations ordered
by how many distinct rekenkamers make them, then good practice and quotes; no sentence twice.
Recurrence counts only primary sources (rekenkamer reports and imported rekenkamer items), never
a thesis's case gemeenten or a synthesis. Theme ids, keyword labels and counts per kind are in
the appendix, with the sources and every cited item under the anchor its citations link to.
Markdown, HTML, Word or PDF by the file extension (pipeline.render).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import display
from .annotations import read_jsonl
from .cluster import SCOPES, Evidence, Theme, ThemeIndex, build_themes, content_key, find_near_duplicates
from .errors import MetadossierError
from .language import counted
from .models import Embedder, load_spacy
from .render import FORMATS, Block, Citation, Inline, render, render_html, render_markdown
from .taxonomy import CATEGORY_NAMES, DOEL_NAMES, DOELEN, Taxonomy

__all__ = ["Block", "Citation", "Inline", "render_html", "render_markdown"]

THIN_SHARE = 0.5
"""A doel is 'thin' when it has fewer than this share of the items of the best-covered doel."""
PRIMARY_DOC_TYPES: tuple[str, ...] = ("rekenkamerrapport", "import")
"""Source kinds whose items count as a rekenkamer saying something: rekenkamer reports and
imported rekenkamer items. Theses, other research, presentations and syntheses are cited, never counted."""
OPENING_FINDINGS = 3
"""How many recurring findings a chapter's opening analysis names."""
THEME_FINDINGS = 2
"""How many findings sentences open a theme."""
KIND_PLURALS = {"aanbeveling": "aanbevelingen", "bevinding": "bevindingen", "conclusie": "conclusies",
                "goede praktijk": "goede praktijken", "citaat": "citaten", "onderzoeksvraag": "onderzoeksvragen",
                "norm": "normen"}

CHAPTER_TITLES: dict[str, str] = {
    "algemeen": "Algemeen: versterk de beleidscyclus",
    **{d: DOEL_NAMES[d][0].upper() + DOEL_NAMES[d][1:] for d in DOELEN},
}


def category_name(code: str) -> str:
    """What a reader sees for a category code: the project's one code → name mapping."""
    return display.categorie_name(code)


# ------------------------------------------------------------------------------ evidence: the NJi gold, a store

NJI_REPORT_ID = "nji_synthese_metadossier"


def split_gemeenten(value: str | None) -> tuple[str, ...]:
    """'Hulst en Terneuzen' / 'Apeldoorn;Hoogeveen' → the separate gemeente names."""
    if not value:
        return ()
    parts = re.split(r"\s*(?:;|,|\ben\b)\s*", value)
    return tuple(sorted({p.strip() for p in parts if p.strip()}))


def load_nji_evidence(path: Path) -> list[Evidence]:
    """The NJi gold items: doel from the chapter (chapter 1 = algemeen), gemeente where the NJi names
    one, the hand-labelled category. None is primary: the NJi synthesis is not a rekenkamer."""
    if not path.exists():
        raise MetadossierError(f"{path}: NJi-goudstandaard niet gevonden — draai `python scripts/derive_nji_gold.py`")
    out = []
    for _, obj in read_jsonl(path):
        scope = "algemeen" if obj.get("algemeen_chapter") or obj.get("chapter") == 1 else obj.get("nji_doel")
        if scope not in SCOPES:
            continue
        out.append(Evidence(
            item_id=obj["id"], text=obj["text"], kind=obj["kind"], scopes=(scope,),
            gemeenten=split_gemeenten(obj.get("gemeente")), report_id=NJI_REPORT_ID, year=2023,
            section=obj.get("section") or "", origin="nji", placed_by="nji", categorie=obj.get("categorie") or "",
        ))
    return out


POSITIVE_LEAD = re.compile(
    r"goed op weg|op orde|tevreden|positief|goed geregeld|werkt goed|in positie|sterk punt|goede praktijk|"
    r"goed functionerend|naar tevredenheid|doet het goed",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:niet|geen|onvoldoende|nauwelijks|onduidelijk|ontbr(?:eekt|eken)|te weinig|nooit)\b",
                       re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:,.]|\b(?:maar|terwijl|echter|hoewel|waardoor)\b", re.IGNORECASE)


def is_good_practice(lead: str) -> bool:
    """Whether a finding's lead says something goes well: a positive phrase in a clause that does not
    deny it ('de informatievoorziening is niet op orde', 'waardoor een goed functionerende cyclus niet
    mogelijk is' are no good practice)."""
    for match in POSITIVE_LEAD.finditer(lead):
        breaks = [m for m in _CLAUSE_BREAK.finditer(lead)]
        start = max((m.end() for m in breaks if m.end() <= match.start()), default=0)
        end = min((m.start() for m in breaks if m.start() >= match.end()), default=len(lead))
        if not _NEGATION.search(lead[start:end]):
            return True
    return False


def store_evidence(
    rows: Iterable[dict[str, Any]], taxonomy: Taxonomy, *, include_syntheses: bool = False
) -> list[Evidence]:
    """Stored items (`Store.items()` rows) as evidence.

    Scopes come from the current label: every doel of the item, and the general chapter when
    it is labelled algemeen (the NJi repeats such advice across chapters too); unlabelled
    items fall back to the taxonomy keyword rules, for the category too. A conclusie or
    bevinding whose lead sentence is positive counts as goede praktijk. Reports of doc_type
    "synthese" are left out unless asked, so a synthesis is not counted as a source; items of
    a rekenkamer report or an imported rekenkamer item are primary (`PRIMARY_DOC_TYPES`).
    """
    from .classify import LABELS, keyword_predict

    rows = [r for r in rows if r["type"] in ("aanbeveling", "bevinding", "conclusie")
            and (include_syntheses or r.get("doc_type") != "synthese")]
    unlabelled = [r for r in rows if not r.get("label")]
    flags_of, categories_of = keyword_predict([r["text"] for r in unlabelled], taxonomy)
    rules = {r["id"]: (flags, cat) for r, flags, cat in zip(unlabelled, flags_of, categories_of)}
    out = []
    for row in rows:
        label = row.get("label")
        if label:
            algemeen, doelen = bool(label["algemeen"]), tuple(label["doelen"])
            categorie = label.get("categorie") or ""
        else:
            flag_row, categorie = rules[row["id"]]
            flags = dict(zip(LABELS, flag_row))
            algemeen, doelen = bool(flags["algemeen"]), tuple(d for d in DOELEN if flags[d])
        kind = row["type"]
        if kind != "aanbeveling" and is_good_practice(row.get("lead") or ""):
            kind = "goede praktijk"
        out.append(Evidence(
            item_id=row["id"], text=row["text"], kind=kind, scopes=(("algemeen",) if algemeen else ()) + doelen,
            gemeenten=split_gemeenten(row.get("gemeente")), report_id=row["report_id"], year=row.get("year"),
            page_start=row.get("page_start"), page_end=row.get("page_end"),
            section=" › ".join(row.get("section_path") or ()), lead=row.get("lead") or "", origin="store",
            placed_by="label" if label else "rules", categorie=categorie,
            primary=(row.get("doc_type") or "") in PRIMARY_DOC_TYPES, report_title=row.get("report_title") or "",
            rekenkamer=row.get("rekenkamer") or "",
        ))
    return out


def primary_sources(items: Iterable[Evidence]) -> tuple[str, ...]:
    """The distinct audits among the primary items: what 'komt terug bij N rekenkamers' counts.

    An audit is known by the gemeenten it covers (else its rekenkamer, else its report): items
    imported from a report's own page and from news articles about it carry different report ids,
    but are one rekenkamer's finding, and so are two reports of one rekenkamer on one gemeente. A
    thesis that studies two gemeenten, or the NJi synthesis, adds nothing."""
    return tuple(sorted({audit_key(e) for e in items if e.primary}))


def audit_key(item: Evidence) -> str:
    """'gemeente:ede' / 'rekenkamer:rekenkamer lelystad' / 'report:<id>': who audited what."""
    if item.gemeenten:
        return "gemeente:" + ",".join(sorted(_norm(g) for g in item.gemeenten))
    if item.rekenkamer:
        return "rekenkamer:" + _norm(item.rekenkamer)
    return "report:" + item.report_id


# ------------------------------------------------------------------------------ the document model


@dataclass(frozen=True)
class ReportRef:
    """A source document the synthesis rests on."""

    report_id: str
    title: str
    gemeenten: tuple[str, ...]
    year: int | None
    doc_type: str

    @property
    def primary(self) -> bool:
        return self.doc_type in PRIMARY_DOC_TYPES


@dataclass(frozen=True)
class Corpus:
    """What the evidence comes from, for the opening paragraph and the sources appendix."""

    kind: str
    """"nji" or "store"."""
    reports: tuple[ReportRef, ...]
    note: str = ""
    left_out: tuple[ReportRef, ...] = ()
    fingerprint: str = ""
    """What the store held when the synthesis was made (see `store_fingerprint`), written into
    the document so a reader of it can tell it is out of date."""


@dataclass(frozen=True)
class SynthesisResult:
    path: Path
    cited: tuple[str, ...]
    items: int
    reports: int
    gemeenten: tuple[str, ...]
    thin_doelen: tuple[str, ...]
    themes: int
    blocks: tuple[Block, ...] = field(default=(), repr=False)
    words_before_appendix: int = 0
    title: str = ""


def default_title(corpus: Corpus) -> str:
    """A title that claims no more than the sources: 'Wat rekenkamers …' only when every source is one."""
    if corpus.kind == "nji":
        return "Aanbevelingen van lokale rekenkamers over jeugdbeleid, uit de NJi-synthese opnieuw geordend"
    primary = sum(r.primary for r in corpus.reports)
    if corpus.reports and primary == len(corpus.reports):
        return "Wat rekenkamers gemeenten aanbevelen over jeugdbeleid"
    if primary:
        return "Aanbevelingen over jeugdbeleid uit rekenkamerrapporten en ander onderzoek"
    return "Aanbevelingen over jeugdbeleid uit onderzoek"


def cite(item: Evidence) -> Citation:
    """'Raalte 2019, p. 9' for a stored item; 'NJi 2023, §2.1 (Maassluis)' for an NJi item."""
    if item.origin == "nji":
        number = item.section.split(" ", 1)[0] if item.section else ""
        text = f"NJi {item.year or 2023}, §{number}" if number else f"NJi {item.year or 2023}"
        if item.gemeenten:
            text += f" ({' en '.join(item.gemeenten)})"
        return Citation(item.item_id, text)
    # A report without a gemeente (a ministry study) is cited by its title, never by its file id.
    who = "/".join(item.gemeenten) or _title_for_citation(item.report_title) or "onbekende bron"
    year = f" {item.year}" if item.year else ""
    pages = ""
    if item.page_start:
        pages = f", p. {item.page_start}" + (f"–{item.page_end}" if item.page_end and item.page_end != item.page_start else "")
    return Citation(item.item_id, f"{who}{year}{pages}")


def _title_for_citation(title: str, limit: int = 45) -> str:
    """A title cut to its words before a colon and to about `limit` characters, without an ellipsis
    (a citation sits inside a sentence)."""
    words, out = title.split(":")[0].split(), list[str]()
    for word in words:
        if out and len(" ".join([*out, word])) > limit:
            break
        out.append(word)
    return " ".join(out)


APPENDIX_MARK = "Bijlage"
"""Chapter headings from here on are the appendix (not counted in the document's length)."""


def words_before_appendix(blocks: Sequence[Block]) -> int:
    """Words of the document up to its first appendix chapter: what a reader reads as the synthesis."""
    total = 0
    for block in blocks:
        if block.kind == "h2" and block.text.startswith(APPENDIX_MARK):
            break
        total += len(block.text.split())
    return total


# ------------------------------------------------------------------------------ building the document


def synthesize(
    evidence: Sequence[Evidence],
    out: Path,
    embedder: Embedder,
    *,
    corpus: Corpus,
    taxonomy: Taxonomy | None = None,
    themes: ThemeIndex | None = None,
    title: str | None = None,
    spacy_model: str = "nl_core_news_lg",
    seed: int = 13,
) -> SynthesisResult:
    """Write the synthesis of `evidence` to `out` (.md, .html, .docx or .pdf) and say what it cites."""
    if not evidence:
        raise MetadossierError("niets om samen te vatten: geen aanbevelingen, bevindingen of conclusies gevonden")
    if out.suffix.lower() not in FORMATS:
        raise MetadossierError(f"{out}: schrijf de synthese naar een .md-, .html-, .docx- of .pdf-bestand")
    title = title or default_title(corpus)
    evidence = sorted(evidence, key=content_key)
    index = themes or build_themes(evidence, embedder, taxonomy=taxonomy, spacy_model=spacy_model, seed=seed)
    builder = _DocumentBuilder(evidence, index, embedder, corpus, spacy_model)
    blocks = builder.build(title)
    try:
        render(blocks, title, out)
    except OSError as exc:
        raise MetadossierError(f"{out}: de synthese kan niet worden geschreven ({exc.strerror or exc}) — kies een ander bestand of een andere map") from None
    return SynthesisResult(
        path=out, cited=tuple(builder.cited), items=len(evidence), reports=len(corpus.reports),
        gemeenten=builder.gemeenten, thin_doelen=builder.thin, themes=len(index.themes), blocks=tuple(blocks),
        words_before_appendix=words_before_appendix(blocks), title=title,
    )


def _norm(sentence: str) -> str:
    return re.sub(r"\W+", " ", sentence.lower()).strip()


class _DocumentBuilder:
    """Turns evidence and themes into blocks; remembers what it cited for the appendix."""

    def __init__(self, evidence: Sequence[Evidence], index: ThemeIndex, embedder: Embedder, corpus: Corpus,
                 spacy_model: str) -> None:
        self.evidence = evidence
        self.by_id = {e.item_id: e for e in evidence}
        self.index = index
        self.embedder = embedder
        self.corpus = corpus
        self.spacy_model = spacy_model
        self.cited: dict[str, Citation] = {}
        self.gemeenten = tuple(sorted({g for r in corpus.reports for g in r.gemeenten} |
                                      {g for e in evidence for g in e.gemeenten}))
        counts = {s: sum(1 for e in evidence if s in e.scopes) for s in SCOPES}
        best = max(counts[d] for d in DOELEN)
        self.counts = counts
        self.thin = tuple(d for d in DOELEN if counts[d] < THIN_SHARE * best or counts[d] == 0)
        self.countable = any(e.primary for e in evidence)
        # the same advice in several chapters: "staat ook bij hoofdstuk 6 (…)"
        self.elsewhere: dict[str, set[str]] = defaultdict(set)
        recommendations = [e for e in evidence if e.group == "aanbevelingen"]
        for item in recommendations:  # one item labelled with several doelen stands in each of their chapters
            self.elsewhere[item.item_id] = set(item.scopes)
        for group in find_near_duplicates(recommendations, embedder, spacy_model=spacy_model):
            for item in group:
                self.elsewhere[item.item_id] |= {s for other in group for s in other.scopes}
        # findings, good practice and quotes hang under the aanbevelingen theme they are nearest to
        attachable = [e for e in evidence if e.group != "aanbevelingen"]
        self.attached: dict[str, list[tuple[Evidence, float]]] = defaultdict(list)
        for assignment in index.assign(attachable, group="aanbevelingen"):
            self.attached[assignment.theme_id].append((self.by_id[assignment.item_id], assignment.similarity))
        self.numbers: dict[str, str] = {}
        # an example finding opens one chapter only: an item filed under several doelen would
        # otherwise open each of their chapters with the same sentence
        self.opening_examples: set[str] = set()

    def ref(self, item: Evidence) -> Citation:
        citation = cite(item)
        self.cited.setdefault(item.item_id, citation)
        return citation

    def build(self, title: str) -> list[Block]:
        blocks = [Block("h1", (title,)), self._foundation()]
        for scope in SCOPES:
            blocks += self._chapter(chapter_number(scope), scope)
        blocks += self._themes_appendix()
        blocks += self._sources_appendix()
        blocks += self._items_appendix()
        return blocks

    # -- the opening: what this rests on, in one paragraph
    def _foundation(self) -> Block:
        kinds = Counter(e.kind for e in self.evidence)
        what = ", ".join(counted(n, k, KIND_PLURALS.get(k, k)) for k, n in sorted(kinds.items()))
        if self.corpus.kind == "nji":
            text = (f"Deze synthese ordent opnieuw de {len(self.evidence)} items ({what}) van de NJi-synthese "
                    "'Lokale rekenkamers over beleid gericht op de jeugdwet' (2023), die 44 rekenkameronderzoeken "
                    "uit het NVRR-metadossier Jeugd bundelde. De items noemen zelden de rekenkamer die ze deed; hoe "
                    "vaak een aanbeveling terugkomt is daarom niet te tellen, en elke verwijzing gaat naar de "
                    "NJi-paragraaf. Hoofdstuk 1 volgt het algemene hoofdstuk van het NJi, hoofdstuk 2–6 de vijf doelen "
                    "van de Jeugdwet.")
        else:
            primary = [r for r in self.corpus.reports if r.primary]
            other = [r for r in self.corpus.reports if not r.primary]
            where = sorted({g for r in primary for g in r.gemeenten})
            text = (f"Deze synthese rust op {len(self.evidence)} items ({what}) uit "
                    f"{counted(len(self.corpus.reports), 'document', 'documenten')}: "
                    f"{_primary_sources_named(primary)}"
                    + (f" ({', '.join(where)})" if 0 < len(where) <= MAX_NAMED_GEMEENTEN else
                       f" over {counted(len(where), 'gemeente', 'gemeenten')} (bijlage B noemt ze)" if where else ""))
            if other:
                text += (f" en {counted(len(other), 'ander document', 'andere documenten')} "
                         f"({', '.join(sorted({_DOC_TYPE_NAMES.get(r.doc_type, r.doc_type) for r in other}))}), "
                         "die worden aangehaald maar niet meetellen als rekenkamer")
            text += (". 'Komt terug bij' telt alleen verschillende rekenkamers: een rapport en publicaties erover tellen één keer. "
                     if primary else ". Geen bron is een rekenkamerrapport, dus hoe vaak iets terugkomt wordt niet geteld. ")
            if self.corpus.left_out:
                text += "Syntheses van anderen tellen niet als bron. "
            text = text.rstrip()
        if self.thin:
            doelen = _dutch_list(display.DOEL_SHORT.get(d, d) for d in self.thin)
            text += (f" Over {'het doel' if len(self.thin) == 1 else 'de doelen'} {doelen} zegt het materiaal weinig "
                     "(minder dan de helft van de items van het best gedekte doel).")
        text += " De bronnen, de thema's en alle aangehaalde items staan in de bijlagen."
        return Block("p", (text,))

    # -- a chapter per doel: opening analysis, then the themes
    def _chapter(self, number: int, scope: str) -> list[Block]:
        items = [e for e in self.evidence if scope in e.scopes]
        heading = f"{number} {CHAPTER_TITLES[scope]}"
        blocks = [Block("h2", (heading,))]
        if not items:
            return [*blocks, Block("p", ("Het materiaal bevat hierover geen items.",))]
        seen: set[str] = set()
        themes = sorted(self.index.themes_for(scope, "aanbevelingen"),
                        key=lambda t: (-len(primary_sources(self.by_id[i] for i in t.item_ids)), -t.size, t.theme_id))
        blocks += self._opening(scope, items, themes, seen)
        for k, theme in enumerate(themes, start=1):
            self.numbers[theme.theme_id] = f"{number}.{k}"
            blocks += self._theme(f"{number}.{k}", theme, set(seen))
        if not themes:
            loose = [e for e in items if e.group == "aanbevelingen" or e.kind in ("goede praktijk", "citaat")]
            advice = [e for e in loose if e.group == "aanbevelingen"]
            others = [e for e in loose if e.group != "aanbevelingen"]
            # a good practice or a quote is no recommendation: it gets the heading of what it is
            for k, (heading, part) in enumerate((h, p) for h, p in (
                    ("Overige aanbevelingen", advice),
                    ("Wat gemeenten al goed doen" if all(e.kind == "goede praktijk" for e in others)
                     else "Goede voorbeelden en citaten", others)) if p):
                blocks.append(Block("h3", (f"{number}.{k + 1} {heading}",)))
                blocks += [Block("li", (_sentence(e.headline), " (", self.ref(e), ")")) for e in part]
        return blocks

    def _opening(self, scope: str, items: Sequence[Evidence], themes: Sequence[Theme], seen: set[str]) -> list[Block]:
        """What the bevindingen and conclusies of the doel say that recurs, and in how many rekenkamers;
        then what the chapter's recommendations come down to."""
        blocks: list[Block] = []
        findings_themes = sorted(self.index.themes_for(scope, "bevindingen"),
                                 key=lambda t: (-len(primary_sources(self.by_id[i] for i in t.item_ids)), -t.size,
                                                t.theme_id))
        # Findings themes of one category are one subject: counted together, named once.
        subjects: dict[str, list[Theme]] = {}
        for theme in findings_themes:
            subjects.setdefault(theme.categorie or "overig", []).append(theme)
        ranked = sorted(subjects.items(), key=lambda kv: (
            -len(primary_sources(self.by_id[i] for t in kv[1] for i in t.item_ids)),
            -sum(t.size for t in kv[1]), kv[0] == "overig", kv[0]))
        if len(ranked) > 1:
            ranked = [kv for kv in ranked if kv[0] != "overig"]  # "overige onderwerpen" names nothing
        parts: list[Inline] = []
        shown = 0  # example findings given so far: each gets its lead worded its own way
        for categorie, subject_themes in ranked[:OPENING_FINDINGS]:
            members = [self.by_id[i] for t in subject_themes for i in t.item_ids]
            # the example is a finding of the subject's own category, so it says what the lead names
            own = [m for m in members if m.categorie == categorie] or members
            own = [m for m in own if m.primary] or own  # the lead counts rekenkamers: one of them speaks
            own = [m for m in own if m.kind == "conclusie"] or own  # a conclusion says what a finding shows
            chosen = self._central_sentences(own, 1, seen | self.opening_examples)
            if not chosen:
                continue
            sentence, item = chosen[0]
            seen.add(_norm(sentence))
            self.opening_examples.add(_norm(sentence))
            lead = _finding_lead(shown, categorie, len(primary_sources(members)))
            parts += [" " if parts else "", lead, _lower_if_lead(sentence, lead), " (", self.ref(item), ")"]
            shown += 1
        if parts:
            blocks.append(Block("p", tuple(parts)))
        elif self.corpus.kind == "nji":
            blocks.append(Block("p", ("De NJi-items bevatten voor dit hoofdstuk alleen aanbevelingen, goede "
                                      "voorbeelden en citaten; de analyse van het NJi zelf is hier niet overgenomen.",)))
        else:
            blocks.append(Block("p", ("Voor dit doel zijn geen bevindingen of conclusies gevonden, alleen aanbevelingen.",)))
        recommendations = [e for e in items if e.group == "aanbevelingen"]
        if themes:
            named = [t for t in themes if t.heading][:3]
            if len(recommendations) == 1:
                summary = "De enige aanbeveling valt in " + ("één thema" if len(themes) == 1 else
                                                             counted(len(themes), 'thema', 'thema’s'))
            else:
                summary = (f"De {counted(len(recommendations), 'aanbeveling', 'aanbevelingen')} vallen in "
                           f"{counted(len(themes), 'thema', 'thema’s')}")
            if named:
                summary += ", vooral: " + "; ".join(f"‘{t.heading.lower() if t.heading[:2] != t.heading[:2].upper() else t.heading}’"
                                                  for t in named)
            blocks.append(Block("p", (summary + ".",)))
        return blocks

    def _theme(self, number: str, theme: Theme, seen: set[str]) -> list[Block]:
        members = [self.by_id[i] for i in theme.item_ids]
        attached = sorted(self.attached.get(theme.theme_id, ()), key=lambda p: (-p[1], p[0].item_id))
        blocks = [Block("h3", (f"{number} {theme.heading or theme.title}",))]
        findings = [e for e, _ in attached if e.kind in ("bevinding", "conclusie")]
        chosen = self._central_sentences(findings, THEME_FINDINGS, seen, centre_of=members)
        if chosen:
            who = "de rekenkamers" if all(item.primary for _, item in chosen) else "de bronnen"
            parts: list[Inline] = [f"Wat {who} vaststellen: "]
            for n, (sentence, item) in enumerate(chosen):
                parts += [" " if n else "", sentence, " (", self.ref(item), ")"]
            blocks.append(Block("p", tuple(parts)))
        blocks.append(Block("h4", ("Aanbevelingen",)))
        centre = self.embedder.encode([m.text for m in members]).mean(axis=0)
        closeness = dict(zip((b.bundle_id for b in theme.bundles),
                             (self.embedder.encode([b.text for b in theme.bundles]) @ centre).tolist()))
        bundles = sorted(theme.bundles, key=lambda b: (
            -len(primary_sources(self.by_id[i] for i in b.item_ids)), -len(b.item_ids), -closeness[b.bundle_id]))
        for bundle in bundles:
            sources = [self.by_id[i] for i in bundle.item_ids]
            text = _sentence(bundle.text)
            if _norm(text) in seen:
                continue
            seen.add(_norm(text))
            n_sources = len(primary_sources(sources))
            recurrence = f" — komt terug bij {n_sources} rekenkamers" if n_sources >= 2 else ""
            also = sorted(set().union(*(self.elsewhere.get(i, set()) for i in bundle.item_ids)) - {theme.scope},
                          key=SCOPES.index)
            if also:
                recurrence += " — staat ook bij " + _dutch_list(
                    f"hoofdstuk {chapter_number(scope)} ({display.DOEL_SHORT.get(scope, 'algemeen')})" for scope in also)
            parts = [text, recurrence, " ("]
            for n, source in enumerate(sources):
                parts += ["; " if n else "", self.ref(source)]
            blocks.append(Block("li", (*parts, ")")))
        good = [e for e, _ in attached if e.kind == "goede praktijk" and _norm(_sentence(e.headline)) not in seen]
        if good:
            blocks.append(Block("h4", ("Wat gemeenten al goed doen",)))
            for e in good:
                seen.add(_norm(_sentence(e.headline)))
                blocks.append(Block("li", (_sentence(e.headline), " (", self.ref(e), ")")))
        quotes = [e for e, _ in attached if e.kind == "citaat" and _norm(e.text) not in seen]
        if quotes:
            blocks.append(Block("h4", ("Citaten",)))
            for e in quotes:
                seen.add(_norm(e.text))
                blocks.append(Block("quote", (f"‘{_clip(e.text, 600)}’ — ", self.ref(e))))
        return blocks

    def _central_sentences(self, sources: Sequence[Evidence], limit: int, seen: set[str],
                           centre_of: Sequence[Evidence] | None = None) -> list[tuple[str, Evidence]]:
        """Up to `limit` sentences of `sources` nearest the centre of `centre_of` (default: the
        sources), each unlike those chosen before (maximal marginal relevance) and not in `seen`;
        the chosen ones are added to `seen`."""
        candidates: list[tuple[str, Evidence]] = []
        nlp = load_spacy(self.spacy_model)
        for item, doc in zip(sources, nlp.pipe([_body(s.text, s.lead) for s in sources], batch_size=32)):
            for sent in doc.sents:
                text = _sentence(sent.text.strip())
                if 6 <= len(text.split()) and len(text) <= 400 and _norm(text) not in seen and not _RESEARCH_QUESTION.search(text):
                    candidates.append((text, item))
        if not candidates:
            return []
        vectors = self.embedder.encode([c[0] for c in candidates])
        members = self.embedder.encode([e.text for e in (centre_of or sources)])
        centre = members.mean(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        relevance = vectors @ centre
        chosen: list[int] = []
        while len(chosen) < min(limit, len(candidates)):
            redundancy = (vectors @ vectors[chosen].T).max(axis=1) if chosen else np.zeros(len(candidates))
            score = 0.7 * relevance - 0.3 * redundancy
            score[chosen] = -np.inf
            best = int(np.argmax(score))
            if chosen and redundancy[best] > 0.9:
                break
            chosen.append(best)
        out = [candidates[i] for i in chosen]
        seen.update(_norm(text) for text, _ in out)
        return out

    # -- the appendices: themes (the technical lines), sources, cited items
    def _themes_appendix(self) -> list[Block]:
        blocks = [Block("h2", (f"{APPENDIX_MARK} A: de thema’s",)),
                  Block("p", (f"Per doel gevonden door clustering ({self.index.embedder_name}); de kop van een thema "
                              "noemt waar de leden samen over gaan: een aanbeveling van het thema zelf, uit de "
                              "categorie van de meeste leden, of anders de eigen formulering van die categorie.",))]
        for theme in self.index.themes:
            if theme.group != "aanbevelingen":
                continue
            attached = Counter(e.kind for e, _ in self.attached.get(theme.theme_id, ()))
            kinds = [counted(theme.size, "aanbeveling", "aanbevelingen")] + [
                counted(n, k, KIND_PLURALS.get(k, k)) for k, n in sorted(attached.items())]
            sources = primary_sources(self.by_id[i] for i in theme.item_ids)
            blocks.append(Block("li", (
                f"{self.numbers.get(theme.theme_id, '–')} ‘{theme.heading or theme.title}’: "
                f"categorie {category_name(theme.categorie)}; trefwoorden {', '.join(theme.terms[:6])}; "
                f"{', '.join(kinds)}" + (f"; {_audit_count(len(sources))}" if self.countable else ""),
            )))
        for theme in self.index.themes:
            if theme.group == "bevindingen":
                blocks.append(Block("li", (f"{display.theme_scope_name(theme.scope)}, bevindingen: {theme.label}; "
                                           f"{counted(theme.size, 'item', 'items')}",)))
        return blocks

    def _sources_appendix(self) -> list[Block]:
        blocks = [Block("h2", (f"{APPENDIX_MARK} B: bronnen",))]
        if self.corpus.note:
            blocks.append(Block("p", (self.corpus.note,)))
        for report in self.corpus.reports:
            where = ", ".join(report.gemeenten) or "geen gemeente"
            kind = _DOC_TYPE_NAMES.get(report.doc_type, report.doc_type)
            blocks.append(Block("li", (f"{report.title or report.report_id} — {where}, {report.year or 'jaar onbekend'}"
                                       f" ({kind}{'' if report.primary else ', telt niet mee'})",)))
        for report in self.corpus.left_out:
            blocks.append(Block("li", (f"Niet meegeteld: {report.title or report.report_id} ({report.doc_type}) — "
                                       "een synthese is geen eigen bron",)))
        placed = Counter(e.placed_by for e in self.evidence)
        if placed["label"] or placed["rules"]:
            blocks.append(Block("p", (
                f"Indeling bij de doelen: {placed['label']} items volgens hun label (model, annotator of correctie), "
                f"{placed['rules']} volgens de trefwoordregels van de taxonomie (nog niet geclassificeerd).",
            )))
        unplaced = sum(1 for e in self.evidence if not e.scopes)
        if unplaced:
            blocks.append(Block("p", (f"{unplaced} items konden bij geen doel worden ingedeeld en staan hier niet in.",)))
        counts = "; ".join(f"{display.theme_scope_name(s)}: {self.counts[s]}" for s in SCOPES)
        blocks.append(Block("p", (f"Items per hoofdstuk — {counts}.",)))
        if self.corpus.fingerprint:
            blocks.append(Block("p", (f"Gemaakt van opslagstand {self.corpus.fingerprint}.",)))
        return blocks

    def _items_appendix(self) -> list[Block]:
        blocks = [Block("h2", (f"{APPENDIX_MARK} C: aangehaalde items",)),
                  Block("p", (f"{len(self.cited)} items, in de volgorde waarin ze het eerst worden aangehaald.",))]
        for item_id, citation in self.cited.items():
            item = self.by_id[item_id]
            where = item.section or ""
            blocks.append(Block("item", (
                f"{item_id} — {citation.text} — {item.kind}" + (f" — {where}" if where else "") + ": ",
                _clip(item.text, 900),
            ), anchor=f"item-{item_id}"))
        return blocks


_RESEARCH_QUESTION = re.compile(r"\?[”\"’']?\.?$|onderzoeksvraag|de (?:centrale )?vraag:|in dit onderzoek", re.I)
"""Sentences that ask or describe the research rather than find something: never quoted as a finding."""

_DOC_TYPE_NAMES = {"rekenkamerrapport": "rekenkamerrapport", "import": "rekenkameritem", "onderzoek": "onderzoek",
                   "scriptie": "scriptie", "presentatie": "presentatie", "synthese": "synthese"}


_SUBJECT_IN_PROSE = {"rol_gemeenteraad": "de rol van de gemeenteraad",
                     "informatievoorziening_raad": "de informatie aan de raad", "toegang": "de toegang",
                     "overig": "overige onderwerpen"}
"""Category names that need an article in a sentence ('Over de toegang …', not 'Over toegang …')."""


def _primary_sources_named(primary: Sequence[ReportRef]) -> str:
    """'3 rekenkamerrapporten', or '77 bronnen van rekenkamers (4 rapporten en 73 geïmporteerde publicaties)'."""
    return display.sources_named(len(primary), sum(r.doc_type != "rekenkamerrapport" for r in primary),
                                 reports="rekenkamerrapport", whose=" van rekenkamers")


def _audit_count(audits: int) -> str:
    return counted(audits, "rekenkamer", "rekenkamers") if audits else "geen rekenkamer (alleen ander onderzoek)"


def _finding_lead(position: int, categorie: str, audits: int) -> str:
    """The words before an example finding in a chapter's opening: its subject and, where it recurs,
    in how many rekenkamers; worded differently for the first, second and third subject so the
    paragraph does not say the same thing three times."""
    subject = _SUBJECT_IN_PROSE.get(categorie) or CATEGORY_NAMES.get(categorie, categorie.replace("_", " "))
    if audits < 2:
        return f"Over {subject}: "
    many = counted(audits, "rekenkamer", "rekenkamers")
    return (f"Over {subject} stellen {many} iets vast, bijvoorbeeld: ",
            f"Bij {many} gaat het om {subject}, zoals: ",
            f"Ook {subject} komt bij {many} aan de orde: ")[min(position, 2)]


def _lower_if_lead(sentence: str, lead: str) -> str:
    """After '…, bijvoorbeeld: ' the sentence goes on in lower case (not a name or acronym)."""
    if not lead or not sentence:
        return sentence
    first = sentence.split(" ", 1)[0]
    return sentence[:1].lower() + sentence[1:] if first[1:].islower() and first.lower() in _LOWERABLE else sentence


_LOWERABLE = frozenset({"de", "het", "een", "er", "in", "op", "bij", "uit", "voor", "veel", "niet", "alle", "deze",
                        "dit", "die", "dat", "zowel", "ook", "wel", "hoewel", "door", "na", "sinds", "ondanks", "met"})


def _body(text: str, lead: str) -> str:
    """The item's text without its heading when the heading runs into the first sentence
    ("Aanbeveling 2: Gemeenten kunnen van elkaar leren Uit een interview blijkt …"): the PDF
    set them on separate lines, the extracted text has no full stop between them, and the
    heading is already the bundled recommendation."""
    lead = " ".join(lead.split())
    flat = " ".join(text.split())
    at = flat.find(lead) if lead else -1
    if at < 0 or at > 40:
        return text
    end = at + len(lead)
    rest = flat[end:].lstrip()
    if not rest or flat[end:end + 1] in ".!?:;" or not rest[0].isupper():
        return text
    return rest


MAX_NAMED_GEMEENTEN = 8
"""More gemeenten than this are counted in the opening, not listed: a list of seventy names is no sentence."""


def chapter_number(scope: str) -> int:
    """A scope's chapter in the synthesis: the general (beleidscyclus) chapter first, then the doelen in order."""
    return SCOPES.index(scope) + 1


def _dutch_list(parts: Iterable[str]) -> str:
    """"a", "a en b", "a, b en c": how a Dutch sentence lists things."""
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def _sentence(text: str) -> str:
    """One sentence as it stands in running text: a list item's closing ';' or ',' becomes a full stop."""
    text = " ".join(text.split()).rstrip(";,").rstrip()
    return text if text.endswith((".", "!", "?", ":", "’", "”", "'")) else text + "."


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " …"


# ------------------------------------------------------------------------------ the two inputs


def nji_corpus(gold: Sequence[Evidence]) -> Corpus:
    """The NJi synthesis as the one document the NJi gold rests on (not a primary source)."""
    return Corpus(
        kind="nji",
        reports=(ReportRef(NJI_REPORT_ID, "Lokale rekenkamers over beleid gericht op de jeugdwet (NJi, juni 2023)",
                           tuple(sorted({g for e in gold for g in e.gemeenten})), 2023, "synthese"),),
        note=("Invoer: de items van de NJi-synthese (annotations/nji_synthesis.jsonl). Het NJi bundelde daarin 44 "
              "rekenkameronderzoeken uit het NVRR-metadossier Jeugd; de items noemen zelden een gemeente, dus "
              "citaten verwijzen naar de NJi-paragraaf. Hoofdstuk 1 van het NJi is hier 'algemeen', hoofdstuk 2–6 "
              "zijn D1–D5."),
    )


def store_corpus(reports: Sequence[dict[str, Any]], evidence: Sequence[Evidence], fingerprint: str = "") -> Corpus:
    """The stored reports the evidence comes from, and the syntheses left out."""
    used = {e.report_id for e in evidence}

    def ref(r: dict[str, Any]) -> ReportRef:
        return ReportRef(r["id"], r.get("title") or "", split_gemeenten(r.get("gemeente")), r.get("year"),
                         r.get("doc_type") or "")

    return Corpus(
        kind="store",
        reports=tuple(ref(r) for r in reports if r["id"] in used),
        left_out=tuple(ref(r) for r in reports if r["id"] not in used and r.get("doc_type") == "synthese"),
        fingerprint=fingerprint,
    )


def store_fingerprint(rows: Iterable[dict[str, Any]]) -> str:
    """A short hash of what a synthesis is made of: every item's id, text and current label.
    When it differs from the one a synthesis was made with, the store has changed since."""
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: r["id"]):
        label = row.get("label") or {}
        digest.update(f"{row['id']}\x1f{row['text']}\x1f{label.get('doelen')}\x1f{label.get('algemeen')}"
                      f"\x1f{label.get('categorie')}\x1e".encode())
    return digest.hexdigest()[:12]


def citation_targets(markdown_or_html: str) -> tuple[list[str], set[str]]:
    """(item ids linked to, item ids with an anchor) in a rendered synthesis, for checking it."""
    import html

    links = re.findall(r'(?:\]\(|href=")#item-([^)"\s]+)', markdown_or_html)
    anchors = set(re.findall(r'id="item-([^"]+)"', markdown_or_html))
    return [html.unescape(x) for x in links], {html.unescape(x) for x in anchors}
