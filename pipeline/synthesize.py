"""Synthesis: evidence and its themes → a document shaped like the NJi synthesis, every statement cited.

`load_nji_evidence` and `store_evidence` turn the two inputs (the NJi gold items, the items
of a store) into `cluster.Evidence`. `synthesize` clusters the evidence with
`cluster.build_themes` and writes Markdown or HTML (by the file extension): a general
chapter on the beleidscyclus, then a chapter per doel; per theme its most representative
sentences, the bundled recommendations ordered by how many gemeenten make them, what
gemeenten already do well and quotes. Every statement links to the item it comes from
(`#item-<id>`), and an appendix lists every cited item under that anchor with gemeente,
year and page (or NJi section). The document says what it rests on and which doelen the
corpus says little about.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .annotations import read_jsonl
from .cluster import SCOPES, Evidence, Theme, ThemeIndex, build_themes, content_key, find_near_duplicates
from .errors import MetadossierError
from .language import counted
from .models import Embedder, load_spacy
from .taxonomy import DOEL_NAMES, DOELEN, Taxonomy

SUMMARY_SENTENCES = 3
THIN_SHARE = 0.5
"""A doel is 'thin' when it has fewer than this share of the items of the best-covered doel."""
KIND_PLURALS = {"aanbeveling": "aanbevelingen", "bevinding": "bevindingen", "conclusie": "conclusies",
                "goede praktijk": "goede praktijken", "citaat": "citaten", "onderzoeksvraag": "onderzoeksvragen",
                "norm": "normen"}

CHAPTER_TITLES: dict[str, str] = {
    "algemeen": "Algemeen: versterk de beleidscyclus",
    **{d: DOEL_NAMES[d][0].upper() + DOEL_NAMES[d][1:] for d in DOELEN},
}


# ------------------------------------------------------------------------------ evidence: the NJi gold, a store

NJI_REPORT_ID = "nji_synthese_metadossier"


def split_gemeenten(value: str | None) -> tuple[str, ...]:
    """'Hulst en Terneuzen' / 'Apeldoorn;Hoogeveen' → the separate gemeente names."""
    if not value:
        return ()
    parts = re.split(r"\s*(?:;|,|\ben\b)\s*", value)
    return tuple(sorted({p.strip() for p in parts if p.strip()}))


def load_nji_evidence(path: Path) -> list[Evidence]:
    """The NJi gold items: doel from the chapter (chapter 1 = algemeen), gemeente where the NJi names one."""
    if not path.exists():
        raise MetadossierError(f"{path}: NJi gold not found — run `python scripts/derive_nji_gold.py`")
    out = []
    for _, obj in read_jsonl(path):
        scope = "algemeen" if obj.get("algemeen_chapter") or obj.get("chapter") == 1 else obj.get("nji_doel")
        if scope not in SCOPES:
            continue
        out.append(Evidence(
            item_id=obj["id"], text=obj["text"], kind=obj["kind"], scopes=(scope,),
            gemeenten=split_gemeenten(obj.get("gemeente")), report_id=NJI_REPORT_ID, year=2023,
            section=obj.get("section") or "", origin="nji", placed_by="nji",
        ))
    return out


POSITIVE_LEAD = re.compile(
    r"goed op weg|op orde|tevreden|positief|goed geregeld|werkt goed|in positie|sterk punt|goede praktijk|"
    r"goed functionerend|naar tevredenheid|doet het goed",
    re.IGNORECASE,
)


def store_evidence(
    rows: Iterable[dict[str, Any]], taxonomy: Taxonomy, *, include_syntheses: bool = False
) -> list[Evidence]:
    """Stored items (`Store.items()` rows) as evidence.

    Scopes come from the current label: every doel of the item, and the general chapter when
    it is labelled algemeen (the NJi repeats such advice across chapters too); unlabelled
    items fall back to the taxonomy keyword rules. A conclusie or bevinding whose lead
    sentence is positive counts as goede praktijk. Reports of doc_type "synthese" are left
    out unless asked, so a synthesis is not counted as a source.
    """
    from .classify import LABELS, keyword_predict

    rows = [r for r in rows if r["type"] in ("aanbeveling", "bevinding", "conclusie")
            and (include_syntheses or r.get("doc_type") != "synthese")]
    unlabelled = [r for r in rows if not r.get("label")]
    rules = dict(zip((r["id"] for r in unlabelled), keyword_predict([r["text"] for r in unlabelled], taxonomy)[0]))
    out = []
    for row in rows:
        label = row.get("label")
        if label:
            algemeen, doelen = bool(label["algemeen"]), tuple(label["doelen"])
        else:
            flags = dict(zip(LABELS, rules[row["id"]]))
            algemeen, doelen = bool(flags["algemeen"]), tuple(d for d in DOELEN if flags[d])
        kind = row["type"]
        if kind != "aanbeveling" and POSITIVE_LEAD.search(row.get("lead") or ""):
            kind = "goede praktijk"
        out.append(Evidence(
            item_id=row["id"], text=row["text"], kind=kind, scopes=(("algemeen",) if algemeen else ()) + doelen,
            gemeenten=split_gemeenten(row.get("gemeente")), report_id=row["report_id"], year=row.get("year"),
            page_start=row.get("page_start"), page_end=row.get("page_end"),
            section=" › ".join(row.get("section_path") or ()), lead=row.get("lead") or "", origin="store",
            placed_by="label" if label else "rules",
        ))
    return out


# ------------------------------------------------------------------------------ the document model


@dataclass(frozen=True)
class Citation:
    """A link to one item: shown as `text`, resolving to the appendix anchor `item-<item_id>`."""

    item_id: str
    text: str


Inline = str | Citation


@dataclass(frozen=True)
class Block:
    kind: str
    """h1 | h2 | h3 | h4 | p | li | quote | item (an appendix entry with its anchor)"""
    parts: tuple[Inline, ...]
    anchor: str = ""


@dataclass(frozen=True)
class ReportRef:
    """A source document the synthesis rests on."""

    report_id: str
    title: str
    gemeenten: tuple[str, ...]
    year: int | None
    doc_type: str


@dataclass(frozen=True)
class Corpus:
    """What the evidence comes from, for the opening section of the document."""

    kind: str
    """"nji" or "store"."""
    reports: tuple[ReportRef, ...]
    note: str = ""
    left_out: tuple[ReportRef, ...] = ()


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


def cite(item: Evidence) -> Citation:
    """'Raalte 2019, p. 9' for a stored item; 'NJi 2023, §2.1 (Maassluis)' for an NJi item."""
    if item.origin == "nji":
        number = item.section.split(" ", 1)[0] if item.section else ""
        text = f"NJi {item.year or 2023}, §{number}" if number else f"NJi {item.year or 2023}"
        if item.gemeenten:
            text += f" ({' en '.join(item.gemeenten)})"
        return Citation(item.item_id, text)
    who = "/".join(item.gemeenten) or item.report_id
    year = f" {item.year}" if item.year else ""
    pages = ""
    if item.page_start:
        pages = f", p. {item.page_start}" + (f"–{item.page_end}" if item.page_end and item.page_end != item.page_start else "")
    return Citation(item.item_id, f"{who}{year}{pages}")


# ------------------------------------------------------------------------------ building the document


def synthesize(
    evidence: Sequence[Evidence],
    out: Path,
    embedder: Embedder,
    *,
    corpus: Corpus,
    taxonomy: Taxonomy | None = None,
    themes: ThemeIndex | None = None,
    title: str = "Wat rekenkamers gemeenten aanbevelen over jeugdbeleid",
    spacy_model: str = "nl_core_news_lg",
    seed: int = 13,
) -> SynthesisResult:
    """Write the synthesis of `evidence` to `out` (.md, or .html/.htm) and say what it cites."""
    if not evidence:
        raise MetadossierError("nothing to synthesise: no aanbevelingen, bevindingen or conclusies found")
    suffix = out.suffix.lower()
    if suffix not in (".md", ".markdown", ".html", ".htm"):
        raise MetadossierError(f"{out}: write the synthesis to a .md or .html file")
    evidence = sorted(evidence, key=content_key)
    index = themes or build_themes(evidence, embedder, taxonomy=taxonomy, spacy_model=spacy_model, seed=seed)
    builder = _DocumentBuilder(evidence, index, embedder, corpus, spacy_model)
    blocks = builder.build(title)
    rendered = render_html(blocks, title) if suffix in (".html", ".htm") else render_markdown(blocks)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(rendered, encoding="utf-8")
    return SynthesisResult(
        path=out, cited=tuple(builder.cited), items=len(evidence), reports=len(corpus.reports),
        gemeenten=builder.gemeenten, thin_doelen=builder.thin, themes=len(index.themes), blocks=tuple(blocks),
    )


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
        # bevindingen and attached kinds hang under the aanbevelingen theme they are nearest to
        self.elsewhere: dict[str, set[str]] = defaultdict(set)
        recommendations = [e for e in evidence if e.group == "aanbevelingen"]
        for group in find_near_duplicates(recommendations, embedder, spacy_model=spacy_model):
            for item in group:
                self.elsewhere[item.item_id] = {s for other in group for s in other.scopes}
        attachable = [e for e in evidence if e.group != "aanbevelingen"]
        self.attached: dict[str, list[tuple[Evidence, float]]] = defaultdict(list)
        for assignment in index.assign(attachable, group="aanbevelingen"):
            self.attached[assignment.theme_id].append((self.by_id[assignment.item_id], assignment.similarity))

    def ref(self, item: Evidence) -> Citation:
        citation = cite(item)
        self.cited.setdefault(item.item_id, citation)
        return citation

    def build(self, title: str) -> list[Block]:
        blocks = [Block("h1", (title,))]
        blocks += self._foundation()
        for number, scope in enumerate(SCOPES, start=1):
            blocks += self._chapter(number, scope)
        blocks += self._appendix()
        return blocks

    # -- the opening: what this rests on
    def _foundation(self) -> list[Block]:
        kinds = Counter(e.kind for e in self.evidence)
        what = ", ".join(counted(n, k, KIND_PLURALS.get(k, k)) for k, n in sorted(kinds.items()))
        blocks = [Block("h2", ("Waar deze synthese op rust",))]
        if self.corpus.note:
            blocks.append(Block("p", (self.corpus.note,)))
        named = len(self.gemeenten)
        blocks.append(Block("p", (
            f"Deze synthese rust op {len(self.evidence)} items ({what}) uit "
            f"{counted(len(self.corpus.reports), 'document', 'documenten')}; "
            f"{counted(named, 'gemeente wordt', 'gemeenten worden')} bij naam genoemd"
            + (f" ({', '.join(self.gemeenten)})." if named else "."),
        )))
        for report in self.corpus.reports:
            where = ", ".join(report.gemeenten) or "geen gemeente"
            blocks.append(Block("li", (f"{report.title or report.report_id} — {where}, {report.year or 'jaar onbekend'}"
                                       f" ({report.doc_type}; {report.report_id})",)))
        for report in self.corpus.left_out:
            blocks.append(Block("li", (f"Niet meegeteld: {report.title or report.report_id} ({report.doc_type}) — "
                                       "een synthese is geen eigen bron",)))
        if self.thin:
            names = "; ".join(f"{d} ({DOEL_NAMES[d]}, {self.counts[d]} items)" for d in self.thin)
            blocks.append(Block("p", (f"Weinig te zeggen heeft het corpus over: {names} — minder dan de helft "
                                      "van de items van het best gedekte doel.",)))
        placed = Counter(e.placed_by for e in self.evidence)
        if placed["label"] or placed["rules"]:
            blocks.append(Block("p", (
                f"Indeling bij de doelen: {placed['label']} items volgens hun label (model, gold-annotatie of mens), "
                f"{placed['rules']} volgens de trefwoordregels van de taxonomie (nog niet geclassificeerd).",
            )))
        unplaced = sum(1 for e in self.evidence if not e.scopes)
        if unplaced:
            blocks.append(Block("p", (f"{unplaced} items konden bij geen doel worden ingedeeld en staan hier niet in.",)))
        blocks.append(Block("p", (
            f"Thema's zijn per doel gevonden door clustering ({self.index.embedder_name}; "
            "aantal thema's gekozen op silhouet); elke uitspraak verwijst naar het item waar hij vandaan komt, "
            "opgesomd in de bijlage.",
        )))
        return blocks

    # -- a chapter per doel
    def _chapter(self, number: int, scope: str) -> list[Block]:
        items = [e for e in self.evidence if scope in e.scopes]
        heading = f"{number} {CHAPTER_TITLES[scope]}" + (f" ({scope})" if scope != "algemeen" else "")
        blocks = [Block("h2", (heading,))]
        if not items:
            return [*blocks, Block("p", ("Het corpus bevat hierover geen items.",))]
        reports = {e.report_id for e in items}
        gemeenten = {g for e in items for g in e.gemeenten}
        line = (f"{len(items)} items uit {counted(len(reports), 'document', 'documenten')}"
                + (f", {counted(len(gemeenten), 'gemeente', 'gemeenten')}." if gemeenten else "."))
        if scope in self.thin:
            line += " Het corpus zegt weinig over dit doel."
        blocks.append(Block("p", (line,)))
        themes = sorted(self.index.themes_for(scope, "aanbevelingen"), key=lambda t: (-t.n_gemeenten, -t.size, t.theme_id))
        for k, theme in enumerate(themes, start=1):
            blocks += self._theme(f"{number}.{k}", theme)
        if not themes:
            loose = [e for e in items if e.group != "bevindingen"]
            if loose:
                blocks.append(Block("h3", ("Overige bronnen",)))
                blocks += [Block("li", (_sentence(e.headline), " ", self.ref(e))) for e in loose]
        findings = self.index.themes_for(scope, "bevindingen")
        if findings:
            blocks.append(Block("h3", (f"{number}.{len(themes) + 1} Wat de rekenkamers vaststellen",)))
            for theme in findings:
                members = [self.by_id[i] for i in theme.item_ids]
                summary = self._summary(theme, members, limit=2)
                blocks.append(Block("p", (
                    f"{theme.title} ({counted(theme.size, 'bevinding', 'bevindingen')}"
                    f"{_gemeenten_note(theme.gemeenten)}): ", *summary,
                )))
        return blocks

    def _theme(self, number: str, theme: Theme) -> list[Block]:
        members = [self.by_id[i] for i in theme.item_ids]
        attached = sorted(self.attached.get(theme.theme_id, ()), key=lambda p: (-p[1], p[0].item_id))
        blocks = [
            Block("h3", (f"{number} {theme.title}",)),
            Block("p", (f"Thema {theme.theme_id}: {counted(theme.size, 'aanbeveling', 'aanbevelingen')}"
                        f"{_gemeenten_note(theme.gemeenten)}. Kenmerkende woorden: {', '.join(theme.terms)}.",)),
        ]
        findings = [e for e, _ in attached if e.kind in ("bevinding", "conclusie")]
        summary = self._summary(theme, findings + members)
        if summary:
            blocks.append(Block("p", tuple(summary)))
        blocks.append(Block("h4", ("Aanbevelingen",)))
        for bundle in theme.bundles:
            sources = [self.by_id[i] for i in bundle.item_ids]
            recurrence = (f" — komt terug bij {counted(bundle.n_gemeenten, 'gemeente', 'gemeenten')}"
                          if bundle.n_gemeenten else "")
            here = {theme.scope}
            also = sorted(set().union(*(self.elsewhere.get(i, set()) for i in bundle.item_ids)) - here,
                          key=SCOPES.index)
            if also:
                recurrence += f" — staat ook bij {', '.join(also)}"
            parts: list[Inline] = [_sentence(bundle.text), recurrence, " ("]
            for n, source in enumerate(sources):
                parts += ["; " if n else "", self.ref(source)]
            blocks.append(Block("li", (*parts, ")")))
        good = [e for e, _ in attached if e.kind == "goede praktijk"]
        if good:
            blocks.append(Block("h4", ("Wat gemeenten al goed doen",)))
            blocks += [Block("li", (_sentence(e.headline), " (", self.ref(e), ")")) for e in good]
        quotes = [e for e, _ in attached if e.kind == "citaat"]
        if quotes:
            blocks.append(Block("h4", ("Citaten",)))
            blocks += [Block("quote", (f"‘{_clip(e.text, 600)}’ — ", self.ref(e))) for e in quotes]
        return blocks

    def _summary(self, theme: Theme, sources: Sequence[Evidence], limit: int = SUMMARY_SENTENCES) -> list[Inline]:
        """The sentences nearest the theme's centre (maximal marginal relevance), each cited."""
        candidates: list[tuple[str, Evidence]] = []
        nlp = load_spacy(self.spacy_model)
        for item, doc in zip(sources, nlp.pipe([_body(s.text, s.lead) for s in sources], batch_size=32)):
            for sent in doc.sents:
                text = sent.text.strip()
                if 6 <= len(text.split()) and len(text) <= 400:
                    candidates.append((text, item))
        if not candidates:
            return []
        vectors = self.embedder.encode([c[0] for c in candidates])
        members = self.embedder.encode([self.by_id[i].text for i in theme.item_ids])
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
        parts: list[Inline] = []
        for n, i in enumerate(chosen):
            text, item = candidates[i]
            parts += [" " if n else "", _sentence(text), " (", self.ref(item), ")"]
        return parts

    # -- the appendix every citation resolves to
    def _appendix(self) -> list[Block]:
        blocks = [Block("h2", ("Bijlage: geciteerde items",)),
                  Block("p", (f"{len(self.cited)} items, in de volgorde waarin ze het eerst worden geciteerd.",))]
        for item_id, citation in self.cited.items():
            item = self.by_id[item_id]
            where = item.section if item.origin == "nji" else (item.section or "")
            blocks.append(Block("item", (
                f"{item_id} — {citation.text} — {item.kind}" + (f" — {where}" if where else "") + ": ",
                _clip(item.text, 900),
            ), anchor=f"item-{item_id}"))
        return blocks


def _gemeenten_note(gemeenten: Sequence[str]) -> str:
    if not gemeenten:
        return ""
    return f", {counted(len(gemeenten), 'gemeente', 'gemeenten')} ({', '.join(gemeenten)})"


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


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", ":", ";", "’", "”", "'")) else text + "."


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " …"


# ------------------------------------------------------------------------------ rendering

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_inline(parts: Sequence[Inline]) -> str:
    return "".join(f"[{_md(p.text)}](#item-{p.item_id})" if isinstance(p, Citation) else _md(p) for p in parts)


def render_markdown(blocks: Sequence[Block]) -> str:
    lines: list[str] = []
    previous = ""
    for block in blocks:
        if previous == "li" and block.kind != "li":
            lines.append("")
        text = _md_inline(block.parts)
        if block.kind in ("h1", "h2", "h3", "h4"):
            lines += ["", "#" * int(block.kind[1]) + " " + text, ""]
        elif block.kind == "p":
            lines += [text, ""]
        elif block.kind == "li":
            lines.append(f"- {text}")
        elif block.kind == "quote":
            lines += [f"> {text}", ""]
        elif block.kind == "item":
            head, *rest = block.parts
            lines += [f'<a id="{html.escape(block.anchor)}"></a>**{_md_inline([head]).rstrip()}** '
                      + _md_inline(rest), ""]
        previous = block.kind
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines).strip()) + "\n"


def _html_inline(parts: Sequence[Inline]) -> str:
    return "".join(
        f'<a href="#{html.escape("item-" + p.item_id)}">{html.escape(p.text)}</a>' if isinstance(p, Citation)
        else html.escape(p)
        for p in parts
    )


def render_html(blocks: Sequence[Block], title: str) -> str:
    body: list[str] = []
    in_list = False
    for block in blocks:
        if block.kind == "li" and not in_list:
            body.append("<ul>")
            in_list = True
        elif block.kind != "li" and in_list:
            body.append("</ul>")
            in_list = False
        text = _html_inline(block.parts)
        if block.kind in ("h1", "h2", "h3", "h4"):
            body.append(f"<{block.kind}>{text}</{block.kind}>")
        elif block.kind == "p":
            body.append(f"<p>{text}</p>")
        elif block.kind == "li":
            body.append(f"<li>{text}</li>")
        elif block.kind == "quote":
            body.append(f"<blockquote>{text}</blockquote>")
        elif block.kind == "item":
            head, *rest = block.parts
            body.append(f'<p id="{html.escape(block.anchor)}" class="item"><strong>{_html_inline([head])}</strong>'
                        f"{_html_inline(rest)}</p>")
    if in_list:
        body.append("</ul>")
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:sans-serif;max-width:52rem;margin:2rem auto;line-height:1.45}"
        "blockquote{border-left:3px solid #bbb;margin-left:0;padding-left:1rem;color:#333}"
        ".item{font-size:.9rem}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


# ------------------------------------------------------------------------------ the two inputs


def nji_corpus(gold: Sequence[Evidence]) -> Corpus:
    """The NJi synthesis as the one document the NJi gold rests on."""
    return Corpus(
        kind="nji",
        reports=(ReportRef(NJI_REPORT_ID, "Lokale rekenkamers over beleid gericht op de jeugdwet (NJi, juni 2023)",
                           tuple(sorted({g for e in gold for g in e.gemeenten})), 2023, "synthese"),),
        note=("Invoer: de items van de NJi-synthese (annotations/nji_synthesis.jsonl). Het NJi bundelde daarin 44 "
              "rekenkameronderzoeken uit het NVRR-metadossier Jeugd; de items noemen zelden een gemeente, dus "
              "citaten verwijzen naar de NJi-paragraaf. Hoofdstuk 1 van het NJi is hier 'algemeen', hoofdstuk 2–6 "
              "zijn D1–D5."),
    )


def store_corpus(reports: Sequence[dict[str, Any]], evidence: Sequence[Evidence]) -> Corpus:
    """The stored reports the evidence comes from, and the syntheses left out."""
    used = {e.report_id for e in evidence}

    def ref(r: dict[str, Any]) -> ReportRef:
        return ReportRef(r["id"], r.get("title") or "", split_gemeenten(r.get("gemeente")), r.get("year"),
                         r.get("doc_type") or "")

    return Corpus(
        kind="store",
        reports=tuple(ref(r) for r in reports if r["id"] in used),
        left_out=tuple(ref(r) for r in reports if r["id"] not in used and r.get("doc_type") == "synthese"),
    )


def citation_targets(markdown_or_html: str) -> tuple[list[str], set[str]]:
    """(item ids linked to, item ids with an anchor) in a rendered synthesis, for checking it."""
    links = re.findall(r'(?:\]\(|href=")#item-([^)"\s]+)', markdown_or_html)
    anchors = set(re.findall(r'id="item-([^"]+)"', markdown_or_html))
    return [html.unescape(x) for x in links], {html.unescape(x) for x in anchors}
