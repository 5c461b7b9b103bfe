"""metadossier explorer: search, precedent, themes, synthesis, reports, overview and corrections.

A thin Streamlit shell over `pipeline.explore.Explorer` (the same library API and store as the
CLI). Run with `streamlit run app.py` (or `make demo`); the store is $METADOSSIER_DB or data/.
The page and a search's query and filters live in the URL, so a search can be shared. Every
name people read comes from `pipeline.display`; item text is escaped, never read as Markdown.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from pipeline import display as nl
from pipeline.errors import MetadossierError
from pipeline.explore import PRECEDENT_TYPES, STANCES, Explorer, SearchFilters, UploadPreview, shared_explorer
from pipeline.export import DEFAULT_BASE_URL, export_rows, to_csv, to_xlsx
from pipeline.records import PRIMARY_SOURCE_KINDS, SOURCE_KINDS
from pipeline.settings import Settings
from pipeline.taxonomy import CATEGORIES, DOELEN

PAGES = {
    "zoeken": "Zoeken",
    "precedent": "Precedent",
    "themas": "Thema's",
    "synthese": "Synthese",
    "rapport": "Rapport",
    "overzicht": "Overzicht",
    "correctie": "Correctie",
    "invoer": "Invoer",
}
GEMEENTEN_SHOWN = 25
# Hits rendered at once, about two screens: every card is work for the browser before the page is usable
# (20 -> 10 took 0.2 s off the first page at load 8 on 2 cores), and the export holds all hits.
RESULTS_PER_STEP = 10
STATIC_PDF = Path(__file__).resolve().parent / "static" / "pdf"
# Streamlit's input hints ("Press Enter to submit form", "200MB per file") are English and cannot be
# configured; the forms have a Dutch button instead (Enter still submits) and the uploaders a Dutch caption.
HIDE_ENGLISH_HINTS = ("<style>[data-testid='InputInstructions'],[data-testid='stFileUploaderDropzoneInstructions']"
                      "{display:none}</style>")
OTHER_SOURCES = "Ook andere bronnen (synthese, onderzoek, scriptie, presentatie)"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def explorer(db_path: str) -> Explorer:
    """One Explorer per store for all sessions (shared_explorer); it reloads itself when the store changes."""
    return shared_explorer(db_path)


def params() -> dict[str, str]:
    return {k: st.query_params.get(k, "") for k in st.query_params}


def link(page: str, **values: Any) -> str:
    return "?" + urlencode({"p": page, **{k: v for k, v in values.items() if v not in (None, "")}})


def base_url() -> str:
    """The explorer's own address (for links in exports), as the browser sees it."""
    url = getattr(st.context, "url", None)
    return url.split("?", 1)[0] if url else DEFAULT_BASE_URL


# ------------------------------------------------------------------------------------ one item


def label_line(record: dict[str, Any]) -> str:
    """Doelen and category with the model's confidence, and who decided them (model, annotator, correctie, import)."""
    if record.get("label_source") is None:
        return "nog niet geclassificeerd"
    scores = record.get("scores") or {}
    doelen = [nl.doel_name(d) + (f" ({nl.percent(scores[d])})" if d in scores else "")
              for d in record.get("doelen") or []]
    if record.get("algemeen"):
        doelen.append(nl.ALGEMEEN + (f" ({nl.percent(scores['algemeen'])})" if "algemeen" in scores else ""))
    categorie = record.get("categorie") or ""
    cat_score = (record.get("categorie_scores") or {}).get(categorie)
    parts = [("Doelen: " + ", ".join(doelen)) if doelen else "Geen doel",
             "Categorie: " + nl.categorie_name(categorie) + (f" ({nl.percent(cat_score)})" if cat_score is not None else ""),
             "label door: " + nl.label_origin(record.get("label_source"))]
    return " · ".join(parts)


def item_heading(record: dict[str, Any], extra: str = "") -> str:
    """"**Aanbeveling** · Raalte · [Rekenkamercommissie Raalte 2019, p. 10](link)": type, gemeenten, citation."""
    gemeenten = ", ".join(record.get("gemeenten") or ()) or record.get("gemeente") or ""
    kind = "" if nl.is_primary(record) else f" · _{nl.source_kind(nl.kind_of(record))}_"
    cite = f"[{nl.plain(nl.citation(record))}]({link('rapport', rapport=record['report_id'], item=record['id'])})"
    name = nl.type_name(record["type"])
    return " · ".join(x for x in (f"**{name[:1].upper()}{name[1:]}**", nl.plain(gemeenten), cite) if x) + kind + extra


def show_item(record: dict[str, Any], extra: str = "") -> None:
    """One item as a card. Few elements per card: a page of 20 cards draws noticeably faster."""
    with st.container(border=True):
        st.markdown(item_heading(record, extra) + "\n\n" + nl.plain(record["text"]))
        notes = [nl.plain(label_line(record)) + f" · [corrigeer]({link('correctie', item=record['id'])})"]
        elsewhere = (record.get("extra") or {}).get("ook_op")
        if elsewhere:
            notes.append("Staat ook in: " + nl.plain(elsewhere))
        url = nl.source_url(record)
        if not nl.has_pdf(record):
            notes.append("Van deze bron is geen PDF opgeslagen"
                         + (f": [bekijk de bron op de website]({url})" if url else " en geen webadres bekend"))
        st.caption("  \n".join(notes))
        known = record.get("stance") not in (None, "", "onbekend") or record.get("reaction")
        if known and record["type"] == "aanbeveling":  # where known: an NJi bullet has no college to react
            st.markdown(f"Reactie college: **{nl.stance_name(record.get('stance'))}**"
                        + (f" (aan: {nl.plain(record['addressee'])})" if record.get("addressee") else ""))
            if record.get("stance_evidence"):
                page = f" ({nl.pages_label(record['reaction_page'])})" if record.get("reaction_page") else ""
                st.caption(f"Waarop dit standpunt rust{page}: “{nl.plain(record['stance_evidence'])}”")
            if record.get("reaction"):
                with st.expander("Bestuurlijke reactie"):
                    st.markdown(nl.plain(record["reaction"]))


# ------------------------------------------------------------------------------------ pages


def page_zoeken(ex: Explorer) -> None:
    st.header("Zoeken")
    url = params()
    start = SearchFilters.from_params(url)
    # The filter widgets are drawn only while their expander is open: seven pickers are much of what a
    # browser draws for this page, and most searches use none. The filters in force are a widget's own
    # state while it has one, else the URL's (rewritten below on every run, so the two never differ).
    # Keys are seeded only in a run that draws their widget: a value seeded while the widget is away
    # would outlive the widget's own state and bring back an old filter.
    alle = st.session_state.get("f_alle", set(start.source_kinds) != set(PRIMARY_SOURCE_KINDS))
    kinds = SOURCE_KINDS if alle else PRIMARY_SOURCE_KINDS
    facets = ex.facets(kinds)
    st.session_state.setdefault("q", url.get("q", ""))
    chosen = {k: st.session_state.get(k, v) for k, v in {
        "f_doelen": list(start.doelen), "f_categorieen": list(start.categorieen), "f_types": list(start.types),
        "f_gemeenten": [g for g in start.gemeenten if g in facets["gemeenten"]],
        "f_years": [y for y in start.years if y in facets["years"]],
        "f_rekenkamers": [r for r in start.rekenkamers if r in facets["rekenkamers"]],
        "f_stances": list(start.stances),
        "f_algemeen": {True: "ja", False: "nee"}.get(start.algemeen, "alle") if start.algemeen is not None else "alle",
    }.items()}
    with st.form("zoekform", border=False):
        c1, c2 = st.columns([6, 1], vertical_alignment="bottom")
        c1.text_input("Zoek in bevindingen, conclusies en aanbevelingen", key="q",
                      placeholder="bijv. wachtlijsten, cliëntervaringen, Centrum voor Jeugd en Gezin")
        c2.form_submit_button("Zoeken", type="primary", width="stretch")
    query = st.session_state["q"]
    st.session_state.setdefault("filters_open", alle or any(v for k, v in chosen.items() if k != "f_algemeen"))
    panel = st.expander("Filters", key="filters_open", on_change="rerun")
    if panel.open:
        for key, value in {**chosen, "f_alle": alle}.items():
            st.session_state.setdefault(key, value)
        with panel:
            c1, c2, c3 = st.columns(3)
            c1.multiselect("Doel", DOELEN, format_func=nl.doel_name, key="f_doelen", placeholder="alle doelen")
            c1.radio("Algemeen (beleidscyclus)", ["alle", "ja", "nee"], horizontal=True, key="f_algemeen")
            c2.multiselect("Categorie", CATEGORIES, format_func=nl.categorie_name, key="f_categorieen",
                           placeholder="alle categorieën")
            c2.multiselect("Soort item", facets["types"], format_func=nl.type_name, key="f_types",
                           placeholder="alle soorten")
            c3.multiselect("Gemeente", facets["gemeenten"], key="f_gemeenten", placeholder="alle gemeenten")
            c3.multiselect("Jaar", facets["years"], key="f_years", placeholder="alle jaren")
            c1.multiselect("Rekenkamer", facets["rekenkamers"], key="f_rekenkamers", placeholder="alle rekenkamers")
            c2.multiselect("Reactie college", STANCES, format_func=nl.stance_name, key="f_stances",
                           placeholder="alle reacties")
            c3.checkbox(OTHER_SOURCES, key="f_alle",
                        help="Standaard zoekt u in wat rekenkamers zelf schreven: hun rapporten en gepubliceerde "
                             "bevindingen en aanbevelingen.")
        chosen = {k: st.session_state[k] for k in chosen}
    doelen, algemeen, categorieen, types, gemeenten, years, rekenkamers, stances = (chosen[k] for k in (
        "f_doelen", "f_algemeen", "f_categorieen", "f_types", "f_gemeenten", "f_years", "f_rekenkamers", "f_stances"))
    filters = SearchFilters(
        doelen=tuple(doelen), algemeen={"ja": True, "nee": False}.get(algemeen), categorieen=tuple(categorieen),
        types=tuple(types), gemeenten=tuple(gemeenten), years=tuple(int(y) for y in years),
        rekenkamers=tuple(rekenkamers), stances=tuple(stances), report_id=start.report_id, source_kinds=kinds,
    )
    st.query_params.from_dict({"p": "zoeken", **({"q": query} if query else {}), **filters.to_params()})
    hits = ex.search(query, filters, limit=200)
    st.markdown(f"**{nl.number(len(hits))}** {'resultaat' if len(hits) == 1 else 'resultaten'}"
                + (" (de eerste 200)" if len(hits) == 200 else "")
                + " · deel deze zoekopdracht door de adresbalk te kopiëren")
    if any(hit.doelen_mogelijk for hit in hits):
        st.caption("Zodat u geen items mist, toont het doelfilter ook items die het model *mogelijk* bij het doel "
                   "rekent: minder zeker dan bij een toegekend doel. Die staan gemarkeerd als **mogelijk**.")
    if hits:
        rows = export_rows([hit.item for hit in hits], base_url())
        c1, c2, _ = st.columns([1, 1, 3])
        # Files are made only when clicked (a callable), so a search never waits for Excel writing.
        c1.download_button("Exporteer CSV (Excel)", lambda: to_csv(rows), "metadossier_zoekresultaten.csv",
                           "text/csv", on_click="ignore", width="stretch")
        c2.download_button("Exporteer Excel", lambda: to_xlsx(rows), "metadossier_zoekresultaten.xlsx", XLSX,
                           on_click="ignore", width="stretch")
    shown = _results_shown(query, filters, len(hits))
    for hit in hits[:shown]:
        how = []
        if hit.keyword_rank:
            how.append("trefwoord")
        if hit.semantic_rank and hit.semantic_rank <= 20:
            how.append("betekenis")
        mogelijk = (f" · **mogelijk {', '.join(nl.doel_name(d) for d in hit.doelen_mogelijk)}**"
                    if hit.doelen_mogelijk else "")
        show_item(hit.item, (f" · _gevonden op {' en '.join(how)}_" if how else "") + mogelijk)
    if shown < len(hits) and st.button(f"Toon meer resultaten ({shown} van {len(hits)} getoond)", key="more"):
        st.session_state["shown"] = (st.session_state["shown"][0], shown + RESULTS_PER_STEP)
        st.rerun()


def _results_shown(query: str, filters: SearchFilters, total: int) -> int:
    """How many hits to render: RESULTS_PER_STEP at first, more on request, back to the first
    step when the search changes."""
    search = (query, tuple(sorted(filters.to_params().items())))
    remembered = st.session_state.get("shown")
    if not remembered or remembered[0] != search:
        st.session_state["shown"] = remembered = (search, RESULTS_PER_STEP)
    return min(int(remembered[1]), total)


def page_precedent(ex: Explorer) -> None:
    st.header("Precedent")
    st.write("Plak een concept-aanbeveling of onderzoeksvraag: u ziet wat andere rekenkamers aanbevalen of vonden, "
             "per thema, met de reactie van het college.")
    url = params()
    gemeenten = ex.facets()["gemeenten"]
    st.session_state.setdefault("draft", url.get("tekst", ""))
    st.session_state.setdefault("precedent_own", url.get("eigen", "") if url.get("eigen", "") in gemeenten else "")
    st.session_state.setdefault("precedent_alle", url.get("bronnen", "") == "alle")
    with st.form("precedentform", border=False):
        st.text_area("Concepttekst", key="draft", height=120,
                     placeholder="bijv. Zorg dat de raad periodiek inzicht krijgt in de wachttijden")
        c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
        c1.multiselect("Zoek onder", ["aanbeveling", "conclusie", "bevinding", "onderzoeksvraag", "norm"],
                       default=list(PRECEDENT_TYPES), key="precedent_types", format_func=lambda t: nl.type_name(t, 2),
                       placeholder="kies een of meer soorten")
        c2.selectbox("Eigen gemeente (uitsluiten)", ["", *gemeenten], key="precedent_own",
                     format_func=lambda g: g or "geen")
        c3.form_submit_button("Zoek precedent", type="primary", width="stretch")
        st.checkbox(OTHER_SOURCES, key="precedent_alle")
    draft, own = st.session_state["draft"], st.session_state["precedent_own"]
    kinds = st.session_state["precedent_types"]
    everything = st.session_state["precedent_alle"]
    st.query_params.from_dict({"p": "precedent", **({"tekst": draft} if draft.strip() else {}),
                               **({"eigen": own} if own else {}), **({"bronnen": "alle"} if everything else {})})
    if not draft.strip():
        return
    found = ex.precedent(draft, exclude_gemeente=own, types=kinds or PRECEDENT_TYPES, limit=15,
                         source_kinds=SOURCE_KINDS if everything else PRIMARY_SOURCE_KINDS)
    if found.message:
        st.info(found.message[:1].upper() + found.message[1:] + ". Probeer andere woorden, of zoek ook onder "
                "andere soorten items of bronnen.")
        return
    st.markdown(f"**{nl.counted(len(found.hits), 'resultaat')}** van "
                f"**{nl.counted(found.n_rekenkamers, 'rekenkamer')}**, per thema; het meest gelijkende eerst")
    for group in found.groups:
        st.subheader(group.title)
        for hit in group.hits:
            show_item(hit.item, f" · gelijkenis {nl.decimal(hit.similarity)}" if hit.similarity is not None else "")


def page_themas(ex: Explorer) -> None:
    import altair as alt
    import pandas as pd

    st.header("Thema's")
    kinds = SOURCE_KINDS if st.checkbox(OTHER_SOURCES, key="themes_alle") else PRIMARY_SOURCE_KINDS
    themes = ex.themes(kinds)
    if not themes:
        st.info("Er zijn nog geen thema's voor deze opslag.")
        if st.button("Thema's maken (clusteren)"):
            with st.spinner("Clusteren…"):
                n = ex.build_themes()
            st.success(f"{nl.counted(n, 'thema')} gemaakt.")
            st.rerun()
        return
    scopes = sorted({t.scope for t in themes}, key=lambda s: (s == "algemeen", s))
    scope = st.selectbox("Doel", scopes, format_func=nl.theme_scope_name, key="theme_scope")
    records = {r["id"]: r for r in ex.records()}
    for theme in [t for t in themes if t.scope == scope]:
        central = records.get(theme.central_item_id)
        # A theme of recommendations carries the message heading the synthesis uses, with its category
        # and distinctive terms beneath; findings ask nothing, so their themes keep the category title.
        heading = theme.heading if theme.group == "aanbevelingen" else ""
        with st.expander(f"{heading or theme.title} — {nl.counted(theme.size, 'item')}, "
                         f"{nl.counted(theme.n_gemeenten, 'gemeente')}"):
            if heading:
                st.caption(nl.plain(theme.title))
            st.caption("Kenmerkende termen: " + nl.plain(", ".join(theme.terms)))
            if central:
                st.markdown("**Meest kenmerkende item**")
                show_item(central)
            for bundle in theme.bundles:
                if len(bundle.item_ids) > 1:
                    st.markdown(f"- {nl.plain(bundle.text)} — komt terug bij {nl.counted(bundle.n_gemeenten, 'gemeente')}")
            st.markdown("**Alle items in dit thema**")
            for item_id in theme.item_ids:
                if item_id in records and item_id != theme.central_item_id:
                    r = records[item_id]
                    st.markdown(f"- [{nl.plain(nl.citation(r))}]({link('rapport', rapport=r['report_id'], item=item_id)}):"
                                f" {nl.plain(r['lead'][:200])}")
    colour_by = st.radio("Kaart kleuren naar", ["thema", "doel"], horizontal=True, key="map_colour")
    points = ex.theme_map(colour_by, scope=scope, source_kinds=kinds)
    if points:
        frame = pd.DataFrame(points)
        frame["soort"] = frame["type"].map(nl.type_name)
        chart = alt.Chart(frame).mark_circle(size=70, opacity=0.8).encode(
            x=alt.X("x", title=None, axis=None), y=alt.Y("y", title=None, axis=None),
            color=alt.Color("kleur", title=colour_by,
                            legend=alt.Legend(title=colour_by, orient="bottom", columns=2, labelLimit=360)),
            tooltip=[alt.Tooltip("soort", title="soort"), alt.Tooltip("gemeente", title="gemeente"),
                     alt.Tooltip("kleur", title=colour_by), alt.Tooltip("tekst", title="tekst")],
        ).properties(height=480)
        st.altair_chart(chart, width="stretch")


SYNTHESIS_DOWNLOADS = {"docx": ("Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                       "pdf": ("PDF", "application/pdf"), "md": ("Markdown", "text/markdown"),
                       "html": ("HTML", "text/html")}


def page_synthese(ex: Explorer) -> None:
    st.header("Synthese")
    path = ex.synthesis_path()
    if path.exists():
        status = ex.synthesis_status()
        if status["stale"]:
            made = status["made"].replace("T", " om ") if status["made"] else "eerder"
            st.warning(f"De opslag is veranderd sinds deze synthese is gemaakt ({made}): nieuwe of verwijderde "
                       "items of gewijzigde labels staan er nog niet in. Maak haar opnieuw om ze mee te nemen.")
    if st.button("Synthese opnieuw maken" if path.exists() else "Synthese maken"):
        with st.spinner("Thema's en samenvattingen maken…"):
            ex.write_synthesis()
        st.rerun()
    if not path.exists():
        st.info("Er is nog geen synthese van deze verzameling. Kies ‘Synthese maken’ om haar te maken.")
        return
    files = ex.synthesis_files()
    columns = st.columns(len(files))
    for column, (fmt, file) in zip(columns, files.items()):
        label, mime = SYNTHESIS_DOWNLOADS[fmt]
        column.download_button(f"Download {label}", file.read_bytes(), file.name, mime, key=f"synthese-{fmt}")
    text = path.read_text(encoding="utf-8")

    # Citations point at #item-ID anchors; in the explorer they open the item in its report.
    def to_report(match: re.Match[str]) -> str:
        item_id = match.group(1)
        return f"]({link('rapport', rapport=item_id.split(':', 1)[0], item=item_id)})"

    st.markdown(re.sub(r"\]\(#item-([^)\s]+)\)", to_report, text), unsafe_allow_html=True)


def published_pdf(ex: Explorer, meta: dict[str, Any]) -> str | None:
    """A relative URL under which the browser can open the report's PDF (static/pdf/<hash>.pdf), or None.

    Streamlit serves only files inside the app's static/ folder, so the PDF is linked (or copied)
    there once, named by its content hash."""
    path = ex.pdf_path(meta["id"])
    if path is None:
        return None
    target = STATIC_PDF / f"{meta['content_hash'][:32]}.pdf"
    if not target.exists():
        try:
            STATIC_PDF.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target)
        except OSError:
            return None
    return f"app/static/pdf/{target.name}"


def page_rapport(ex: Explorer) -> None:
    st.header("Rapport")
    reports = ex.reports()
    if not reports:
        st.info("Nog geen rapporten opgeslagen.")
        return
    ids = [r["id"] for r in reports]
    wanted = params().get("rapport", "")
    st.session_state.setdefault("rapport", wanted if wanted in ids else ids[0])
    by_report = {r["id"]: r for r in reports}

    def report_name(report_id: str) -> str:
        r = by_report[report_id]
        who = r.get("rekenkamer") or nl.source_kind(nl.kind_of(r))
        return f"{nl.short_title(report_title(r), 80)} ({who}, {r['year'] or 'jaar onbekend'})"

    report_id = st.selectbox("Rapport", ids, format_func=report_name, key="rapport")
    view = ex.report(report_id)
    meta = view["meta"]
    who = meta.get("rekenkamer") or ("rekenkamer onbekend" if nl.is_primary(meta) else "")
    where = ", ".join(str(x) for x in (who, meta.get("gemeente"), meta.get("year")) if x)
    source = nl.source_url(meta)
    st.markdown(f"**{nl.plain(report_title(meta))}** — {nl.plain(where)} · {nl.source_kind(nl.kind_of(meta))}"
                + (f" · {nl.counted(meta['page_count'], 'pagina')}" if meta.get("page_count") else "")
                + (f" · [bekijk de bron op de website]({source})" if source else ""))
    if view["profile_markdown"]:
        with st.expander("Onderzoeksprofiel: vragen, normen, aanpak"):
            st.markdown(view["profile_markdown"])
    items = view["items"]
    if not items:
        st.info("Dit document bevat geen bevindingen, conclusies of aanbevelingen.")
        return
    item_ids = [r["id"] for r in items]
    wanted_item = params().get("item", "")
    st.session_state.setdefault("rapport_item", wanted_item if wanted_item in item_ids else item_ids[0])
    if st.session_state["rapport_item"] not in item_ids:
        st.session_state["rapport_item"] = item_ids[0]
    by_id = {r["id"]: r for r in items}
    counts = ", ".join(nl.counted(n, nl.type_name(t)) for t, n in _type_counts(items))
    left, right = st.columns([2, 3], gap="large")
    with left:
        with st.container(height=820, border=False):
            item_id = st.radio(
                f"Items in leesvolgorde ({counts})", item_ids, key="rapport_item",
                format_func=lambda i: nl.plain(item_label(by_id[i])),
            )
    st.query_params.from_dict({"p": "rapport", "rapport": report_id, "item": item_id})
    record = by_id[item_id]
    with right:
        show_item(record)
        if record.get("section"):
            st.caption("Plaats in het rapport: " + nl.plain(record["section"]))
        _page_view(ex, meta, view, record)


def report_title(meta: dict[str, Any]) -> str:
    """A report's title; imported items without one are the rekenkamer's published findings."""
    if meta.get("title"):
        return str(meta["title"])
    return "Gepubliceerde bevindingen en aanbevelingen" if nl.kind_of(meta) == "import" else "Zonder titel"


def item_label(record: dict[str, Any]) -> str:
    """One line in a report's list of items: "Aanbeveling, p. 10: Zorg als raad voor …"."""
    kind = nl.type_name(record["type"])
    pages = nl.pages_label(record["page_start"], record["page_end"]) if nl.has_pdf(record) else ""
    lead = record["lead"] if len(record["lead"]) <= 90 else record["lead"][:88].rsplit(" ", 1)[0] + " …"
    return f"{kind[:1].upper()}{kind[1:]}{', ' + pages if pages else ''}: {lead}"


def _type_counts(items: list[dict[str, Any]]) -> list[tuple[str, int]]:
    order = list(nl.ITEM_TYPES)
    counts: dict[str, int] = {}
    for r in items:
        counts[r["type"]] = counts.get(r["type"], 0) + 1
    return sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


def _page_view(ex: Explorer, meta: dict[str, Any], view: dict[str, Any], record: dict[str, Any]) -> None:
    """The item's page with the item highlighted, links into the PDF, and the page of the college's reaction."""
    if not nl.has_pdf(record):
        return  # the item's card says where it was published
    url = nl.source_url(record) or nl.source_url(meta)
    pdf_url = published_pdf(ex, meta)
    if pdf_url is None:
        if url:
            st.info(f"Van deze bron is geen PDF opgeslagen. [Bekijk de bron op de website]({url}).")
        else:
            st.info("De PDF van dit rapport is niet (meer) aanwezig, dus de pagina kan niet worden getoond. "
                    "Voeg het rapport opnieuw toe op de pagina Invoer.")
        return
    item_id = record["id"]
    regions = ex.item_regions(item_id)
    pages = list(range(record["page_start"], record["page_end"] + 1))
    reaction_page = record.get("reaction_page")
    if reaction_page and reaction_page not in pages:
        pages.append(reaction_page)  # the college's answer, beside the recommendation
    ocr = set(view.get("ocr_pages") or ())

    def page_name(number: int) -> str:
        return f"pagina {number}" + (" (reactie college)" if number == reaction_page and number not in regions else "") \
            + (" (gescand)" if number in ocr else "")

    page = st.selectbox("Pagina", pages, key=f"page_{item_id}", format_func=page_name) if len(pages) > 1 else pages[0]
    links = [f"[Open de PDF op deze pagina]({pdf_url}#page={page})"]
    if reaction_page:
        links.append(f"[reactie van het college ({nl.pages_label(reaction_page)})]({pdf_url}#page={reaction_page})")
    st.markdown(" · ".join(links))
    try:
        marked = " (item gemarkeerd)" if regions.get(page) else ""
        st.image(ex.page_image(meta["id"], page, regions.get(page, ()), scale=2.0), width="stretch",
                 caption=f"{nl.plain(nl.source_name(meta | {'report_title': meta.get('title')}))}, pagina {page}{marked}"
                 + (" · gescande pagina: de tekst is automatisch herkend en kan fouten bevatten" if page in ocr else ""))
    except MetadossierError:
        st.warning(f"Pagina {page} kon niet worden getoond. [Open de PDF]({pdf_url}#page={page}) om haar te bekijken.")


def page_overzicht(ex: Explorer) -> None:
    import altair as alt
    import pandas as pd

    st.header("Overzicht")
    everything = st.checkbox(OTHER_SOURCES, key="overzicht_alle")
    overview = ex.overview(SOURCE_KINDS if everything else PRIMARY_SOURCE_KINDS)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Bronnen met items", nl.number(overview["reports"]))
    c2.metric("Rekenkamers", nl.number(len(overview.get("per_rekenkamer") or {})))
    c3.metric("Items", nl.number(overview["items"]))
    c4.metric("Nog niet geclassificeerd", nl.number(overview["unlabelled"]))
    per_kind = overview.get("per_source_kind") or {}
    if per_kind:
        st.caption("In de opslag: " + ", ".join(f"{nl.source_kind(k)}: {nl.counted(n, 'item')}"
                                                 for k, n in per_kind.items())
                   + ("" if everything else ". De cijfers hieronder tellen alleen wat rekenkamers zelf schreven."))
    cells = pd.DataFrame(overview["doel_x_categorie"])
    if not cells.empty:
        st.subheader("Doel × categorie")
        cells["doel"] = cells["doel"].map(nl.doel_name)
        cells["categorie"] = cells["categorie"].map(lambda c: nl.categorie_name(c) or "nog niet gelabeld")
        heatmap = alt.Chart(cells).mark_rect().encode(
            x=alt.X("doel:N", title="doel", sort=[nl.doel_name(d) for d in (*DOELEN, "algemeen")],
                    axis=alt.Axis(labelAngle=-25, labelLimit=240, labelOverlap=False)),
            y=alt.Y("categorie:N", title="categorie", axis=alt.Axis(labelLimit=260)),
            color=alt.Color("aantal:Q", scale=alt.Scale(scheme="blues"), title="aantal"),
            tooltip=["doel", "categorie", "aantal"],
        )
        text = alt.Chart(cells).mark_text().encode(x=alt.X("doel:N", sort=[nl.doel_name(d) for d in (*DOELEN, "algemeen")]),
                                                   y="categorie:N", text="aantal:Q")
        st.altair_chart(heatmap + text, width="stretch")
    st.subheader("Waar elk doel op rust")
    # Six rows need no interactive grid: a plain table reads and prints better.
    st.table(pd.DataFrame([{"doel": nl.doel_name(k), "items": v["items"], "aandeel": nl.percent(v["share"]),
                            "rapporten": v["reports"]} for k, v in overview["per_doel"].items()]).set_index("doel"))
    c1, c2 = st.columns(2)
    with c1:
        st.subheader("Per jaar")
        years = pd.DataFrame({"jaar": [str(y) for y in overview["per_year"]], "items": list(overview["per_year"].values())})
        st.bar_chart(years, x="jaar", y="items")
    with c2:
        per_gemeente = sorted(overview["per_gemeente"].items(), key=lambda kv: (-kv[1], kv[0]))
        shown = per_gemeente[:GEMEENTEN_SHOWN]
        st.subheader("Per gemeente" + (f" (top {len(shown)})" if len(shown) < len(per_gemeente) else ""))
        frame = pd.DataFrame({"gemeente": [g for g, _ in shown], "items": [n for _, n in shown]})
        st.altair_chart(alt.Chart(frame).mark_bar().encode(
            y=alt.Y("gemeente:N", sort="-x", title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X("items:Q", title="items"), tooltip=["gemeente", "items"],
        ).properties(height=max(120, 18 * len(shown))), width="stretch")


def page_correctie(ex: Explorer) -> None:
    st.header("Correctie")
    st.write("Klopt een label niet? Geef het juiste. Uw correctie wordt bewaard bij de annotaties, gaat direct boven "
             "het label van het model en telt mee wanneer het model opnieuw wordt getraind.")
    records = ex.records()
    if not records:
        st.info("Nog geen items.")
        return
    ids = [r["id"] for r in records]
    wanted = params().get("item", "")
    st.session_state.setdefault("correct_item", wanted if wanted in ids else ids[0])
    by_id = {r["id"]: r for r in records}
    item_id = st.selectbox("Item", ids, key="correct_item",
                           format_func=lambda i: f"{nl.citation(by_id[i])}: {by_id[i]['lead'][:80]}")
    st.query_params.from_dict({"p": "correctie", "item": item_id})
    record = by_id[item_id]
    show_item(record)
    with st.form("correct_form"):
        doelen = st.multiselect("Doelen", DOELEN, default=list(record.get("doelen") or []),
                                format_func=nl.doel_name, placeholder="geen doel")
        algemeen = st.checkbox("Algemeen (beleidscyclus)", value=bool(record.get("algemeen")))
        categorie = st.selectbox("Categorie", CATEGORIES, format_func=nl.categorie_name,
                                 index=CATEGORIES.index(record["categorie"])
                                 if record.get("categorie") in CATEGORIES else len(CATEGORIES) - 1)
        who = st.text_input("Uw naam of initialen", key="correct_who")
        note = st.text_input("Toelichting (optioneel)")
        submitted = st.form_submit_button("Label opslaan", type="primary")
    if submitted:
        try:
            ex.correct(item_id, doelen=doelen, algemeen=algemeen, categorie=categorie, who=who, note=note)
        except MetadossierError as exc:
            st.error(str(exc))
        else:
            st.success(f"Label opgeslagen voor {nl.citation(record)}: "
                       f"{nl.doelen_names(doelen, algemeen) or 'geen doel'} / {nl.categorie_name(categorie)}")
            st.markdown("Nu in gebruik: " + nl.plain(label_line(ex.item(item_id) or record)))
    with st.expander("Items waar het model het minst zeker van is"):
        for row in ex.uncertain(limit=15):
            shown = by_id.get(row["id"], row)
            st.markdown(f"- [{nl.plain(nl.citation(shown))}]({link('correctie', item=row['id'])}) "
                        f"(zekerheidsmarge {nl.decimal(row['uncertainty_margin'])}): {nl.plain(row['lead'][:120])}")


# ------------------------------------------------------------------------------------ Invoer


def _preview(ex: Explorer, name: str, data: bytes) -> UploadPreview:
    """The upload read once per file and session (reading a long report takes seconds)."""
    key = "preview_" + hashlib.sha1(data).hexdigest()
    if key not in st.session_state:
        with st.spinner(f"{name} lezen…"):
            st.session_state[key] = ex.preview_upload(name, data)
    preview: UploadPreview = st.session_state[key]
    return preview


def page_invoer(ex: Explorer) -> None:
    st.header("Invoer")
    st.write("Voeg rekenkamerrapporten (PDF) toe. U ziet per bestand wat er gevonden is en kunt de gegevens "
             "verbeteren voordat u het opslaat. Een bestand dat niet gelezen kan worden, verandert niets aan de opslag.")
    uploads = st.file_uploader("Rapporten (PDF, een of meer)", type=["pdf"], accept_multiple_files=True, key="upload")
    st.caption("Sleep de bestanden hierheen of kies ze met de knop; tot 200 MB per bestand.")
    for upload in uploads or []:
        _upload_form(ex, upload.name, upload.getvalue(), show_items=len(uploads or []) == 1)
    _import_section(ex)
    _reclassify_section(ex)
    st.subheader("Thema's")
    if st.button("Thema's opnieuw maken"):
        with st.spinner("Clusteren…"):
            n = ex.build_themes()
        st.success(f"{nl.counted(n, 'thema')} gemaakt.")


def _upload_form(ex: Explorer, name: str, data: bytes, show_items: bool = False) -> None:
    digest = hashlib.sha1(data).hexdigest()[:16]
    done = st.session_state.get(f"stored_{digest}")
    with st.container(border=True):
        preview = _preview(ex, name, data)
        if preview.failure:
            st.markdown(f"**{nl.plain(name)}** · :red[mislukt]")
            st.error(nl.failure_message(preview.failure, name))
            return
        if done or preview.already_stored:
            st.markdown(f"**{nl.plain(name)}** · :green[opgeslagen]")
            st.info(done or "Dit bestand stond al in de opslag; er is niets veranderd.")
            return
        meta = preview.meta
        st.markdown(f"**{nl.plain(name)}** · {nl.counted(preview.pages, 'pagina')} · nog niet opgeslagen")
        counts = ", ".join(nl.counted(n, nl.type_name(t)) for t, n in _type_counts(preview.items)) or "geen items"
        st.markdown(f"Gevonden: {counts}")
        for warning in [*nl.preview_warnings(preview.items, meta.get("doc_type")),
                        *filter(None, (nl.warning_message(w, name) for w in preview.warnings))]:
            st.warning(warning)
        with st.expander("Voorvertoning van de items", expanded=show_items):
            import pandas as pd

            st.dataframe(pd.DataFrame([{
                "soort": nl.type_name(it["type"]), "pagina": nl.pages_label(it["page_start"], it["page_end"]),
                "tekst": it["lead"][:160],
                "reactie college": nl.stance_name(it["stance"]) if it["type"] == "aanbeveling" else "",
            } for it in preview.items]), hide_index=True, width="stretch")
        with st.form(f"meta_{digest}"):
            st.markdown("Controleer de gegevens van het rapport (gelezen uit de PDF):")
            c1, c2 = st.columns(2)
            title = c1.text_input("Titel", value=meta.get("title") or "", key=f"title_{digest}")
            rekenkamer = c2.text_input("Rekenkamer", value=meta.get("rekenkamer") or "", key=f"rk_{digest}")
            gemeente = c1.text_input("Gemeente(n)", value=meta.get("gemeente") or "", key=f"gem_{digest}",
                                     help="Meerdere gemeenten gescheiden door een komma.")
            year = c2.text_input("Jaar", value=str(meta.get("year") or ""), key=f"jaar_{digest}")
            kinds = [k for k in SOURCE_KINDS if k != "import"]  # a PDF is never an import of coded items
            doc_type = c1.selectbox("Soort bron", kinds, format_func=nl.source_kind, key=f"soort_{digest}",
                                    index=kinds.index(meta["doc_type"]) if meta.get("doc_type") in kinds else 0)
            save = st.form_submit_button("Opslaan", type="primary")
        if save:
            if year.strip() and not (year.strip().isdigit() and 1990 <= int(year) <= 2100):
                st.error(f"Jaar ‘{year}’ is geen jaartal — vul bijvoorbeeld 2019 in, of laat het leeg.")
                return
            override = {"title": title.strip(), "rekenkamer": rekenkamer.strip(), "gemeente": gemeente.strip(),
                        "year": int(year) if year.strip() else None, "doc_type": doc_type}
            try:
                summary = ex.ingest_upload(name, data, meta_override=override)
            except MetadossierError as exc:
                st.error(nl.failure_message(str(exc), name))
                return
            if summary.stored:
                found = ", ".join(nl.counted(n, nl.type_name(t)) for t, n in sorted(summary.items.items()))
                st.session_state[f"stored_{digest}"] = (
                    f"Opgeslagen: ‘{title.strip() or name}’ ({nl.counted(summary.pages, 'pagina')}; {found}).")
            else:
                st.session_state[f"stored_{digest}"] = "Dit bestand stond al in de opslag; er is niets veranderd."
            st.rerun()


def _import_section(ex: Explorer) -> None:
    """Coded items from a file (as the NVRR metadossier exports them): stored at once, bad rows named by line."""
    st.subheader("Gecodeerde items importeren")
    st.write("Heeft iemand bevindingen en aanbevelingen al overgenomen en gecodeerd, bijvoorbeeld uit het "
             "metadossier van de NVRR? Voeg het bestand toe (CSV, Excel of JSONL) met per regel de tekst, de soort, "
             "gemeente, rekenkamer, jaar en titel of webadres van het rapport; doel, categorie, reactie en "
             "standpunt mogen erbij. Ontbrekende labels vult het model in. Twee keer hetzelfde bestand "
             "importeren voegt niets dubbel toe.")
    files = st.file_uploader("Bestanden met gecodeerde items", type=["csv", "xlsx", "jsonl"],
                             accept_multiple_files=True, key="import_upload")
    st.caption("CSV (met komma of puntkomma), Excel (.xlsx) of JSONL; tot 200 MB per bestand.")
    if files and st.button("Importeren", key="import_go", type="primary"):
        for upload in files:
            with st.spinner(f"{upload.name} importeren…"):
                done, warnings = ex.import_upload(upload.name, upload.getvalue())
            if done.failed:
                st.error(f"{upload.name}: mislukt — {done.failed.removeprefix(upload.name + ': ')}")
                continue
            new, known = done.items_new, done.items_known
            text = (f"{upload.name}: {nl.counted(new, 'nieuw item', 'nieuwe items')} uit "
                    f"{nl.counted(done.reports, 'rapport')}" + (f", {known} stonden er al" if known else ""))
            (st.success if new or known else st.warning)(text)
            for error in done.errors[:20]:
                st.warning(f"{upload.name}, regel {error.line}: {error.reason} — overgeslagen")
            if len(done.errors) > 20:
                st.warning(f"… en nog {nl.counted(len(done.errors) - 20, 'regel')} overgeslagen.")
            for warning in warnings:
                st.info(warning)


def _reclassify_section(ex: Explorer) -> None:
    st.subheader("Opnieuw classificeren")
    if not st.button("Alle items opnieuw classificeren met het huidige model"):
        return
    with st.status("Classificeren…", expanded=True) as status:
        try:
            result = ex.reclassify()
        except MetadossierError as exc:
            status.update(label="Mislukt", state="error")
            st.error(str(exc))
            return
        status.update(label=f"{nl.counted(result['items'], 'item')} opnieuw geclassificeerd", state="complete")
        import pandas as pd

        st.table(pd.DataFrame([{"doel": nl.doel_name(key), "voor": before, "na": after, "verschil": after - before}
                               for key, (before, after) in result["per_label"].items()]).set_index("doel"))
        flipped = result["flipped"]
        st.write(f"{nl.counted(len(flipped), 'item')} {'kreeg' if len(flipped) == 1 else 'kregen'} een ander label.")
        records = {r["id"]: r for r in ex.records()}

        def summary(label: dict[str, Any] | None) -> str:
            if not label:
                return "geen label"
            return (nl.doelen_names(label["doelen"], label["algemeen"]) or "geen doel") + \
                " / " + nl.categorie_name(label["categorie"])

        for flip in flipped[:50]:
            r = records.get(flip["id"])
            where = nl.citation(r) if r else flip["id"]
            st.markdown(f"- {nl.plain(where)}: {nl.plain(summary(flip.get('before_label')))} → "
                        f"**{nl.plain(summary(flip.get('after_label')))}**")


RENDER = {
    "zoeken": page_zoeken, "precedent": page_precedent, "themas": page_themas, "synthese": page_synthese,
    "rapport": page_rapport, "overzicht": page_overzicht, "correctie": page_correctie, "invoer": page_invoer,
}


def main() -> None:
    st.set_page_config(page_title="metadossier", page_icon=":material/menu_book:", layout="wide")
    st.html(HIDE_ENGLISH_HINTS)
    settings = Settings.from_env()
    ex = explorer(str(settings.db_path))
    wanted = st.query_params.get("p", "zoeken")
    st.session_state.setdefault("page", wanted if wanted in PAGES else "zoeken")
    with st.sidebar:
        st.title("metadossier")
        st.caption("Rekenkamerrapporten over jeugdhulp, doorzoekbaar per Jeugdwet-doel")
        page = st.radio("Pagina", list(PAGES), format_func=PAGES.__getitem__, key="page")
    if page != wanted:
        st.query_params.from_dict({"p": page})
    if not settings.db_path.exists() and page != "invoer":
        st.info("Er zijn nog geen rapporten opgeslagen. Voeg ze toe op de pagina Invoer.")
        return
    try:
        RENDER[page](ex)
    except MetadossierError as exc:
        st.error(str(exc))


main()
