"""metadossier explorer: search, precedent, themes, synthesis, reports, overview and corrections.

A thin Streamlit shell over `pipeline.explore.Explorer` (the same library API and store as the
CLI). Run with `streamlit run app.py` (or `make demo`); the store is $METADOSSIER_DB or data/.
The page and a search's query and filters live in the URL, so a search can be shared.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from pipeline.errors import MetadossierError
from pipeline.explore import (
    PRECEDENT_TYPES,
    STANCES,
    Explorer,
    SearchFilters,
    export_csv,
    export_excel,
    hits_table,
    shared_explorer,
)
from pipeline.language import counted
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
DOEL_NAMES = {
    "D1": "D1 samenhangende hulp",
    "D2": "D2 ruimte voor professionals",
    "D3": "D3 eigen kracht",
    "D4": "D4 demedicaliseren, preventie",
    "D5": "D5 eerder hulp op maat",
}
# Hits rendered at once: a browser draws 20 items in half the time of 50, and the export holds all.
# (A comment, not a string: Streamlit's magic would print a bare string on the page.)
RESULTS_PER_STEP = 20
TYPE_NAMES = {
    "aanbeveling": "aanbeveling",
    "conclusie": "conclusie",
    "bevinding": "bevinding",
    "onderzoeksvraag": "onderzoeksvraag",
    "norm": "norm",
}


def explorer(db_path: str) -> Explorer:
    """One Explorer per store for all sessions (shared_explorer); it reloads itself when the store changes."""
    return shared_explorer(db_path)


def params() -> dict[str, str]:
    return {k: st.query_params.get(k, "") for k in st.query_params}


def link(page: str, **values: Any) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode({"p": page, **{k: v for k, v in values.items() if v not in (None, "")}})


def pages_label(record: dict[str, Any]) -> str:
    start, end = record["page_start"], record["page_end"]
    return f"p. {start}" if start == end else f"p. {start}–{end}"


LABEL_SOURCES = {"human": "door een mens", "gold": "gold-annotatie", "model": "model"}


def label_line(record: dict[str, Any]) -> str:
    """Labels with the model's confidence, and who decided them: the model, an annotator (gold) or a person's correction."""
    if record.get("label_source") is None:
        return "_nog niet geclassificeerd_"
    scores = record.get("scores") or {}
    parts = [f"**{d}** {scores[d]:.0%}" if d in scores else f"**{d}**" for d in record.get("doelen") or []]
    if record.get("algemeen"):
        parts.append(f"**algemeen** {scores['algemeen']:.0%}" if "algemeen" in scores else "**algemeen**")
    categorie = record.get("categorie") or ""
    cat_score = (record.get("categorie_scores") or {}).get(categorie)
    parts.append(f"categorie *{categorie}*" + (f" {cat_score:.0%}" if cat_score is not None else ""))
    source = LABEL_SOURCES.get(record.get("label_source") or "", "model")
    return " · ".join(parts) + f" ({source})"


def show_item(record: dict[str, Any], extra: str = "") -> None:
    with st.container(border=True):
        gemeenten = ", ".join(record.get("gemeenten") or ()) or record.get("gemeente") or "geen gemeente"
        where = " · ".join(str(x) for x in (gemeenten, record.get("year") or "") if x)
        st.markdown(
            f"**{TYPE_NAMES.get(record['type'], record['type'])}** · {where} · "
            f"[{record['report_id']}, {pages_label(record)}]"
            f"({link('rapport', rapport=record['report_id'], item=record['id'])}) {extra}"
        )
        st.markdown(record["text"])
        st.caption(label_line(record) + f" · [corrigeer]({link('correctie', item=record['id'])})")
        elsewhere = (record.get("extra") or {}).get("ook_op")
        if elsewhere:
            st.caption(f"Staat ook in: {elsewhere}")
        known = record.get("stance") not in (None, "", "onbekend") or record.get("reaction")
        if known and record["type"] == "aanbeveling":  # where known: an NJi bullet has no college to react
            st.markdown(f"Reactie college: **{record['stance']}**"
                        + (f" (aan: {record['addressee']})" if record.get("addressee") else ""))
            if record.get("stance_evidence"):
                page = f" (p. {record['reaction_page']})" if record.get("reaction_page") else ""
                st.caption(f"Waarop dit standpunt rust{page}: “{record['stance_evidence']}”")
            if record.get("reaction"):
                with st.expander("Bestuurlijke reactie"):
                    st.write(record["reaction"])


# ------------------------------------------------------------------------------------ pages


def page_zoeken(ex: Explorer) -> None:
    st.header("Zoeken")
    url = params()
    start = SearchFilters.from_params(url)
    facets = ex.facets()
    defaults = {
        "q": url.get("q", ""), "f_doelen": list(start.doelen), "f_categorieen": list(start.categorieen),
        "f_types": list(start.types), "f_gemeenten": [g for g in start.gemeenten if g in facets["gemeenten"]],
        "f_years": [y for y in start.years if y in facets["years"]],
        "f_rekenkamers": [r for r in start.rekenkamers if r in facets["rekenkamers"]],
        "f_stances": list(start.stances),
        "f_algemeen": {True: "ja", False: "nee"}.get(start.algemeen, "alle") if start.algemeen is not None else "alle",
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    query = st.text_input("Zoek in bevindingen, conclusies en aanbevelingen", key="q",
                          placeholder="bijv. wachtlijsten, cliëntervaringen, Centrum voor Jeugd en Gezin")
    with st.expander("Filters", expanded=any(defaults[k] for k in defaults if k.startswith("f_") and k != "f_algemeen")):
        c1, c2, c3 = st.columns(3)
        doelen = c1.multiselect("Doel", DOELEN, format_func=lambda d: DOEL_NAMES[d], key="f_doelen", placeholder="alle")
        algemeen = c1.radio("Algemeen (beleidscyclus)", ["alle", "ja", "nee"], horizontal=True, key="f_algemeen")
        categorieen = c2.multiselect("Categorie", CATEGORIES, key="f_categorieen", placeholder="alle")
        types = c2.multiselect("Soort", facets["types"], key="f_types", placeholder="alle")
        gemeenten = c3.multiselect("Gemeente", facets["gemeenten"], key="f_gemeenten", placeholder="alle")
        years = c3.multiselect("Jaar", facets["years"], key="f_years", placeholder="alle")
        rekenkamers = c1.multiselect("Rekenkamer", facets["rekenkamers"], key="f_rekenkamers", placeholder="alle")
        stances = c2.multiselect("Reactie college", STANCES, key="f_stances", placeholder="alle")
    filters = SearchFilters(
        doelen=tuple(doelen), algemeen={"ja": True, "nee": False}.get(algemeen), categorieen=tuple(categorieen),
        types=tuple(types), gemeenten=tuple(gemeenten), years=tuple(int(y) for y in years),
        rekenkamers=tuple(rekenkamers), stances=tuple(stances), report_id=start.report_id,
    )
    st.query_params.from_dict({"p": "zoeken", **({"q": query} if query else {}), **filters.to_params()})
    hits = ex.search(query, filters, limit=200)
    st.markdown(f"**{len(hits)}** resultaten" + (" (eerste 200)" if len(hits) == 200 else "")
                + " · deel deze zoekopdracht met de adresbalk")
    if any(hit.doelen_mogelijk for hit in hits):
        st.caption("Zodat u geen items mist, toont het doelfilter ook items die het model *mogelijk* bij het doel "
                   "rekent: minder zeker dan bij een toegekend doel. Die staan gemarkeerd als **mogelijk**.")
    if hits:
        rows = hits_table(hits)
        c1, c2 = st.columns(2)
        # Files are made only when clicked (a callable), so a search never waits for Excel writing.
        c1.download_button("Exporteer CSV", lambda: export_csv(rows), "metadossier_zoekresultaten.csv", "text/csv",
                           on_click="ignore")
        c2.download_button("Exporteer Excel", lambda: export_excel(rows), "metadossier_zoekresultaten.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
    shown = _results_shown(query, filters, len(hits))
    for hit in hits[:shown]:
        how = []
        if hit.keyword_rank:
            how.append("trefwoord")
        if hit.semantic_rank and hit.semantic_rank <= 20:
            how.append("betekenis")
        mogelijk = f" · **mogelijk {', '.join(hit.doelen_mogelijk)}**" if hit.doelen_mogelijk else ""
        show_item(hit.item, (f"· _{' + '.join(how)}_" if how else "") + mogelijk)
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
    st.write("Plak een concept-aanbeveling of onderzoeksvraag: u ziet wat andere gemeenten kregen aanbevolen, "
             "per thema, met de reactie van het college.")
    url = params()
    gemeenten = ex.facets()["gemeenten"]
    st.session_state.setdefault("draft", url.get("tekst", ""))
    st.session_state.setdefault("precedent_own", url.get("eigen", "") if url.get("eigen", "") in gemeenten else "")
    draft = st.text_area("Concepttekst", key="draft", height=120)
    c1, c2 = st.columns(2)
    kinds = c1.multiselect("Zoek onder", ["aanbeveling", "onderzoeksvraag", "norm", "conclusie", "bevinding"],
                           default=list(PRECEDENT_TYPES), key="precedent_types", placeholder="kies een of meer soorten")
    own = c2.selectbox("Eigen gemeente (uitsluiten)", ["", *gemeenten], key="precedent_own")
    st.query_params.from_dict({"p": "precedent", **({"tekst": draft} if draft.strip() else {}),
                               **({"eigen": own} if own else {})})
    if not draft.strip():
        return
    found = ex.precedent(draft, exclude_gemeente=own, types=kinds or PRECEDENT_TYPES, limit=15)
    if found.message:
        st.info(found.message[:1].upper() + found.message[1:] + ".")
    for group in found.groups:
        st.subheader(group.title)
        for hit in group.hits:
            show_item(hit.item, f"· gelijkenis {hit.similarity:.2f}" if hit.similarity is not None else "")


def page_themas(ex: Explorer) -> None:
    import altair as alt
    import pandas as pd

    st.header("Thema's")
    themes = ex.themes()
    if not themes:
        st.info("Er zijn nog geen thema's voor deze opslag.")
        if st.button("Thema's maken (clusteren)"):
            with st.spinner("Clusteren…"):
                n = ex.build_themes()
            st.success(f"{n} thema's gemaakt.")
            st.rerun()
        return
    scopes = sorted({t.scope for t in themes}, key=lambda s: (s != "algemeen", s))
    scope = st.selectbox("Doel", scopes, format_func=lambda s: DOEL_NAMES.get(s, "algemeen (beleidscyclus)"),
                         key="theme_scope")
    records = {r["id"]: r for r in ex.records()}
    for theme in [t for t in themes if t.scope == scope]:
        central = records.get(theme.central_item_id)
        with st.expander(f"{theme.title} — {counted(theme.size, 'item', 'items')}, "
                         f"{counted(theme.n_gemeenten, 'gemeente', 'gemeenten')} ({theme.group})"):
            st.caption("Kenmerkende termen: " + ", ".join(theme.terms))
            if central:
                st.markdown("**Meest centrale item**")
                show_item(central)
            for bundle in theme.bundles:
                if len(bundle.item_ids) > 1:
                    st.markdown(f"- {bundle.text} — komt terug bij {bundle.n_gemeenten} gemeenten")
            st.markdown("**Leden**")
            for item_id in theme.item_ids:
                if item_id in records and item_id != theme.central_item_id:
                    r = records[item_id]
                    st.markdown(f"- [{r['gemeente'] or r['report_id']}, {pages_label(r)}]"
                                f"({link('rapport', rapport=r['report_id'], item=item_id)}): {r['lead'][:200]}")
    colour_by = st.radio("Kaart kleuren naar", ["thema", "doel"], horizontal=True, key="map_colour")
    points = ex.theme_map(colour_by, scope=scope)
    if points:
        frame = pd.DataFrame(points)
        chart = alt.Chart(frame).mark_circle(size=70, opacity=0.8).encode(
            x=alt.X("x", title=None, axis=None), y=alt.Y("y", title=None, axis=None),
            color=alt.Color("kleur", legend=alt.Legend(title=colour_by, orient="bottom", columns=2)),
            tooltip=["id", "type", "gemeente", "kleur", "tekst"],
        ).properties(height=480)
        st.altair_chart(chart, use_container_width=True)


def page_synthese(ex: Explorer) -> None:
    st.header("Synthese")
    path = ex.synthesis_path()
    if st.button("Synthese (opnieuw) maken" if path.exists() else "Synthese maken"):
        with st.spinner("Thema's en samenvattingen maken…"):
            ex.write_synthesis()
    if not path.exists():
        st.info("Nog geen synthese voor deze opslag (of `metadossier synthesize --out "
                f"{path}`).")
        return
    text = path.read_text(encoding="utf-8")
    st.download_button("Download (Markdown)", text, path.name, "text/markdown")
    # Citations point at #item-ID anchors; in the explorer they open the item in its report.
    def to_report(match: re.Match[str]) -> str:
        item_id = match.group(1)
        return f"]({link('rapport', rapport=item_id.split(':', 1)[0], item=item_id)})"

    st.markdown(re.sub(r"\]\(#item-([^)\s]+)\)", to_report, text), unsafe_allow_html=True)


def page_rapport(ex: Explorer) -> None:
    st.header("Rapport")
    reports = ex.reports()
    if not reports:
        st.info("Nog geen rapporten opgeslagen.")
        return
    ids = [r["id"] for r in reports]
    wanted = params().get("rapport", "")
    st.session_state.setdefault("rapport", wanted if wanted in ids else ids[0])
    titles = {r["id"]: f"{r['title'] or r['id']} ({r['gemeente'] or 'geen gemeente'}, {r['year'] or '?'})"
              for r in reports}
    report_id = st.selectbox("Rapport", ids, format_func=titles.__getitem__, key="rapport")
    view = ex.report(report_id)
    meta = view["meta"]
    st.markdown(f"**{meta['title']}** — {meta['rekenkamer'] or 'rekenkamer onbekend'}, {meta['gemeente'] or '-'}, "
                f"{meta['year'] or '-'} · {meta['doc_type']} · {meta['page_count']} pagina's · `{meta['file_name']}`")
    with st.expander("Onderzoeksprofiel: vragen, normen, aanpak"):
        st.markdown(view["profile_markdown"] or "Geen profiel.")
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
    left, right = st.columns([1, 1])
    with left:
        item_id = st.radio(
            "Items in leesvolgorde", item_ids, key="rapport_item",
            format_func=lambda i: f"{by_id[i]['type']} {pages_label(by_id[i])}: {by_id[i]['lead'][:90]}",
        )
        st.query_params.from_dict({"p": "rapport", "rapport": report_id, "item": item_id})
        show_item(by_id[item_id])
        if by_id[item_id].get("section"):
            st.caption("Sectie: " + by_id[item_id]["section"])
    with right:
        record = by_id[item_id]
        regions = ex.item_regions(item_id)
        pages = list(range(record["page_start"], record["page_end"] + 1))
        reaction_page = record.get("reaction_page")
        if reaction_page and reaction_page not in pages:
            pages.append(reaction_page)  # the college's answer, beside the recommendation
        ocr = set(view.get("ocr_pages") or ())

        def page_name(number: int) -> str:
            return f"{number}" + (" (reactie college)" if number == reaction_page and number not in regions else "") \
                + (" (gescand, tekst automatisch herkend)" if number in ocr else "")

        page = st.selectbox("Pagina", pages, key=f"page_{item_id}", format_func=page_name) if len(pages) > 1 else pages[0]
        try:
            marked = " (item gemarkeerd)" if regions.get(page) else ""
            st.image(ex.page_image(report_id, page, regions.get(page, ())),
                     caption=f"{meta['file_name']}, pagina {page}{marked}"
                     + (" · gescande pagina: de tekst is automatisch herkend en kan fouten bevatten" if page in ocr else ""))
        except MetadossierError as exc:
            st.warning(str(exc))


def page_overzicht(ex: Explorer) -> None:
    import altair as alt
    import pandas as pd

    st.header("Overzicht")
    overview = ex.overview()
    c1, c2, c3 = st.columns(3)
    c1.metric("Rapporten met items", overview["reports"])
    c2.metric("Items", overview["items"])
    c3.metric("Nog niet geclassificeerd", overview["unlabelled"])
    cells = pd.DataFrame(overview["doel_x_categorie"])
    if not cells.empty:
        st.subheader("Doel × categorie")
        heatmap = alt.Chart(cells).mark_rect().encode(
            x=alt.X("doel:N", title="doel"), y=alt.Y("categorie:N", title="categorie"),
            color=alt.Color("aantal:Q", scale=alt.Scale(scheme="blues")), tooltip=["doel", "categorie", "aantal"],
        )
        text = alt.Chart(cells).mark_text().encode(x="doel:N", y="categorie:N", text="aantal:Q")
        st.altair_chart(heatmap + text, use_container_width=True)
    st.subheader("Waar elk doel op rust")
    # Six rows need no interactive grid: a plain table reads and prints better.
    st.table(pd.DataFrame([{"doel": DOEL_NAMES.get(k, k), "items": v["items"], "aandeel": f"{v['share']:.0%}",
                            "rapporten": v["reports"]} for k, v in overview["per_doel"].items()]).set_index("doel"))
    c1, c2 = st.columns(2)
    with c1:
        st.subheader("Per jaar")
        st.bar_chart(pd.Series(overview["per_year"], name="items"))
    with c2:
        st.subheader("Per gemeente")
        st.bar_chart(pd.Series(overview["per_gemeente"], name="items"))


def page_correctie(ex: Explorer) -> None:
    st.header("Correctie")
    st.write("Klopt een label niet? Geef het juiste. Uw label wordt bewaard in `annotations/human_labels.jsonl`, "
             "gaat direct boven het label van het model en telt mee bij de volgende `metadossier train`.")
    records = ex.records()
    if not records:
        st.info("Nog geen items.")
        return
    ids = [r["id"] for r in records]
    wanted = params().get("item", "")
    st.session_state.setdefault("correct_item", wanted if wanted in ids else ids[0])
    by_id = {r["id"]: r for r in records}
    item_id = st.selectbox("Item", ids, key="correct_item",
                           format_func=lambda i: f"{i}: {by_id[i]['lead'][:80]}")
    st.query_params.from_dict({"p": "correctie", "item": item_id})
    record = by_id[item_id]
    show_item(record)
    with st.form("correct_form"):
        doelen = st.multiselect("Doelen", DOELEN, default=list(record.get("doelen") or []),
                                format_func=lambda d: DOEL_NAMES[d], placeholder="geen doel")
        algemeen = st.checkbox("Algemeen (beleidscyclus)", value=bool(record.get("algemeen")))
        categorie = st.selectbox("Categorie", CATEGORIES, index=CATEGORIES.index(record["categorie"])
                                 if record.get("categorie") in CATEGORIES else len(CATEGORIES) - 1)
        who = st.text_input("Uw naam of initialen", key="correct_who")
        note = st.text_input("Toelichting (optioneel)")
        submitted = st.form_submit_button("Label opslaan")
    if submitted:
        try:
            ex.correct(item_id, doelen=doelen, algemeen=algemeen, categorie=categorie, who=who, note=note)
        except MetadossierError as exc:
            st.error(str(exc))
        else:
            st.success(f"Label opgeslagen voor {item_id}: {', '.join(doelen) or '-'}"
                       f"{' + algemeen' if algemeen else ''} / {categorie}")
            st.markdown("Nu in gebruik: " + label_line(ex.item(item_id) or record))
    with st.expander("Items waar het model het minst zeker van is"):
        for row in ex.uncertain(limit=15):
            st.markdown(f"- [{row['id']}]({link('correctie', item=row['id'])}) "
                        f"(marge {row['uncertainty_margin']:.2f}): {row['lead'][:120]}")


def page_invoer(ex: Explorer) -> None:
    st.header("Invoer")
    st.write("Voeg een rekenkamerrapport (PDF) toe. Het wordt gelezen, in items verdeeld en geclassificeerd, "
             "net als met `metadossier ingest`. Een onleesbaar bestand verandert niets aan de opslag.")
    upload = st.file_uploader("PDF", type=["pdf"], key="upload")
    if upload is not None and st.button("Toevoegen", key="upload_go"):
        progress = st.progress(0.0, text=f"{upload.name} lezen…")

        def show_progress(path: str, status: str) -> None:
            progress.progress(1.0, text=status)

        try:
            summary = ex.ingest_upload(upload.name, upload.getvalue(), on_progress=show_progress)
        except MetadossierError as exc:
            progress.empty()
            st.error(str(exc))
        else:
            if summary.stored:
                st.success(f"Opgeslagen: {', '.join(summary.stored)} ({summary.pages} pagina's, "
                           + ", ".join(f"{n} {t}" for t, n in sorted(summary.items.items())) + ")")
            else:
                st.info("Dit bestand stond al in de opslag; er is niets veranderd.")
    st.subheader("Opnieuw classificeren")
    if st.button("Alle items opnieuw classificeren met het huidige model"):
        with st.status("Classificeren…", expanded=True) as status:
            try:
                result = ex.reclassify()
            except MetadossierError as exc:
                status.update(label="Mislukt", state="error")
                st.error(str(exc))
            else:
                status.update(label=f"{result['items']} items geclassificeerd ({result['model_version']})",
                              state="complete")
                st.write(f"{len(result['flipped'])} items kregen een ander label.")
    st.subheader("Thema's")
    if st.button("Thema's opnieuw maken"):
        with st.spinner("Clusteren…"):
            n = ex.build_themes()
        st.success(f"{n} thema's gemaakt.")


RENDER = {
    "zoeken": page_zoeken, "precedent": page_precedent, "themas": page_themas, "synthese": page_synthese,
    "rapport": page_rapport, "overzicht": page_overzicht, "correctie": page_correctie, "invoer": page_invoer,
}


def main() -> None:
    st.set_page_config(page_title="metadossier", page_icon=":material/menu_book:", layout="wide")
    settings = Settings.from_env()
    ex = explorer(str(settings.db_path))
    wanted = st.query_params.get("p", "zoeken")
    st.session_state.setdefault("page", wanted if wanted in PAGES else "zoeken")
    with st.sidebar:
        st.title("metadossier")
        st.caption("Rekenkamerrapporten over jeugdhulp, doorzoekbaar per Jeugdwet-doel")
        page = st.radio("Pagina", list(PAGES), format_func=PAGES.__getitem__, key="page")
        st.caption(f"Opslag: `{settings.db_path}`")
    if page != wanted:
        st.query_params.from_dict({"p": page})
    try:
        RENDER[page](ex)
    except MetadossierError as exc:
        st.error(str(exc))


main()
