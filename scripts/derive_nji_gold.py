"""Derive the NJi gold set from the NJi synthesis of the NVRR metadossier Jeugd.

Run from anywhere as ``python scripts/derive_nji_gold.py``.  Paths are resolved
relative to the repository root (the parent of this script's directory):

    input   corpus/sources/nji_synthese_metadossier.txt   (pdftotext output of
            "Lokale rekenkamers over beleid gericht op de jeugdwet", NJi, juni 2023)
    labels  annotations/labels/nji_labels.jsonl           (hand labels, one per item id)
    schema  annotations/taxonomy.yaml                     (doelen + categorieen)
    output  annotations/nji_synthesis.jsonl               (one JSON object per item)

What is an item
---------------
* every bullet ("•") in chapters 1-6, with its sub-bullets ("o ...", "Laag 1: ...")
  folded into the parent bullet;
* every quoted rekenkamer passage (a paragraph that opens with a quote mark, or
  "Over de gemeente X zegt de rekenkamer: '...'", "De rekenkamer zegt over X: ..."),
  without the NJi lead-in and without the outer quote marks;
* in a numbered section that has no bullet and no quote at all (3.2 and 3.3), every
  prose paragraph that contains a recommendation cue ("raden ... aan", "vinden het
  belangrijk", an imperative such as "Benoem", "Zorg") - so every NJi section is
  represented.  Field ``form`` says "bullet", "quote" or "prose".

Bullets before the first numbered section of a chapter get section "<n>.0 Inleiding";
1.3 has unnumbered sub-headings ("Kies indicatoren die ..."), kept in ``subsection``.

Bullets in the introduction of chapters 2-6 (before the first numbered section) are
examples of what municipalities already do well ("goede praktijk"); all other
bullets are recommendations ("aanbeveling"); quotes are "citaat".  Chapter 7
(conclusie) holds no bullets or quotes; the script checks that.  The list of the
five Jeugdwet goals in the Inleiding is not an item.

PDF-extraction artifacts handled
--------------------------------
* page breaks: the first line of every page starts with a single space, and the
  running footer ("Lokale rekenkamers over beleid ... | juni 2023 20") and footnote
  URLs are inserted in the text; they are dropped;
* sentences broken over blank lines: a line that starts in lower case continues
  the open bullet/quote, also across blank lines;
* bullets spanning lines: wrapped lines are joined with a single space;
* multi-line chapter and section headings are joined;
* a lost bullet glyph: a line directly under a *short* line that ends a sentence
  (the previous bullet ended there, the line did not wrap) and that starts with a
  capital starts a new bullet (happens once, in 5.2); these recoveries are printed.

Identity and grouping
---------------------
id     = "nji-" + sha1("chapter|section|normalised text")[:10]  (stable across runs)
group  = items that recur (near-)verbatim in several places: token sets (accent-folded,
         lower-case word tokens) with Jaccard >= 0.8, or a light rewording/extension
         (Jaccard >= 0.5 and overlap |A&B|/min(|A|,|B|) >= 0.8); transitive closure.
         The group id is "g-" + the hash part of the id of its first member in
         document order; singletons form their own group.  nji_doelen = sorted union
         of nji_doel over the group; algemeen_nji = some member is in chapter 1.

The script validates the hand labels against the taxonomy and exits non-zero,
naming the offending ids, when an item has no label, a label names an unknown id,
an unknown doel or an unknown categorie, or a field is malformed.  Nothing is
written in that case.  Output is deterministic (document order, sorted keys in
lists, no timestamps generated here).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE = REPO_ROOT / "corpus" / "sources" / "nji_synthese_metadossier.txt"
TAXONOMY = REPO_ROOT / "annotations" / "taxonomy.yaml"
LABELS = REPO_ROOT / "annotations" / "labels" / "nji_labels.jsonl"
RAALTE_LABELS = REPO_ROOT / "annotations" / "labels" / "raalte_2019_labels.jsonl"
OUTPUT = REPO_ROOT / "annotations" / "nji_synthesis.jsonl"

CHAPTER_DOEL = {1: None, 2: "D1", 3: "D2", 4: "D3", 5: "D4", 6: "D5"}
ITEM_CHAPTERS = set(CHAPTER_DOEL)
JACCARD_THRESHOLD = 0.8  # near-verbatim
# light rewording / extension: Jaccard >= 0.5 and overlap coefficient >= 0.8
REWORD_JACCARD, REWORD_OVERLAP = 0.5, 0.8
SHORT_LINE = 60  # a line shorter than this did not wrap: the paragraph ended there

OPEN_QUOTES = "‘“"
CLOSE_QUOTES = "’”"
BULLET_RE = re.compile(r"^[•●▪]\s*")
SUB_ITEM_RE = re.compile(r"^(?:o\s|-\s|–\s|Laag \d+:)")
CHAPTER_RE = re.compile(r"^(\d{1,2}) ([A-Z][^\n]*)$")
SECTION_RE = re.compile(r"^(\d{1,2})\.(\d{1,2}) (\S[^\n]*)$")
FOOTER_RE = re.compile(r"^Lokale rekenkamers over beleid gericht op de jeugdwet\s+\|")
URL_RE = re.compile(r"^https?://\S+$")
QUOTE_INTRO_RE = re.compile(r"^(?P<intro>[^‘“]*\brekenkamer\b[^‘“]*):\s*[‘“]")
GOOD_PRACTICE_LEADIN_RE = re.compile(r"voorbeeld|wel doen|doen dit|goed oppakken", re.IGNORECASE)
GEMEENTE_INTRO_RE = re.compile(r"\b(?:gemeente|over|in)\s+(?P<names>[A-Z][\w\-]+(?:(?:,\s*|\s+en\s+)[A-Z][\w\-]+)*)")
GEMEENTE_TEXT_RE = re.compile(r"\bgemeente\s+(?P<names>[A-Z][\w\-]+(?:\s+en\s+[A-Z][\w\-]+)*)")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ParseError(RuntimeError):
    pass


# --------------------------------------------------------------------------- text utils


def clean_join(lines: list[str]) -> str:
    text = " ".join(s.strip() for s in lines if s.strip())
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def tokens(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", fold(normalise(text))))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def same_recommendation(a: frozenset[str], b: frozenset[str]) -> bool:
    j = jaccard(a, b)
    return j >= JACCARD_THRESHOLD or (j >= REWORD_JACCARD and overlap(a, b) >= REWORD_OVERLAP)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def starts_lower(s: str) -> bool:
    s = s.strip()
    return bool(s) and s[0].islower()


def ends_sentence(s: str) -> bool:
    return s.rstrip().endswith((".", "!", "?", "…", ".’", ".”"))


# --------------------------------------------------------------------------- parser


def preprocess(raw: str) -> list[str]:
    """Split into lines, dropping footers and footnote URLs (replaced by blanks)."""
    out = []
    for line in raw.replace("\r\n", "\n").replace("\f", "\n").split("\n"):
        line = line.replace("\u00a0", " ").rstrip()
        if FOOTER_RE.match(line.strip()) or URL_RE.match(line.strip()):
            line = ""
        out.append(line)
    return out


def heading_continuation(lines: list[str], i: int, kind: str) -> tuple[str, int]:
    """Return (continuation text, index of last consumed line) for a heading at i."""
    j = i + 1
    blanks = 0
    while j < len(lines) and not lines[j].strip():
        blanks += 1
        j += 1
    if j >= len(lines):
        return "", i
    nxt = lines[j].strip()
    if kind == "chapter":
        ok = blanks <= 1 and len(nxt) < 50 and not nxt.endswith((".", ":")) and not BULLET_RE.match(nxt)
    else:
        ok = blanks <= 1 and len(nxt) < 50 and starts_lower(nxt)
    if ok:
        return nxt, j
    return "", i


def parse(raw: str) -> tuple[list[dict], dict]:
    lines = preprocess(raw)
    items: list[dict] = []
    info = {
        "chapters": {},
        "sections": {},
        "paragraphs": [],
        "recovered_bullets": [],
        "chapter_bullets_outside": {},
    }

    chapter = 0
    chapter_title = ""
    section = None  # "n.m Title"
    subsection = None
    expected_chapter = 1
    lead_in = ""  # last plain paragraph line before a run of bullets
    cur: dict | None = None  # open item
    blank_run = 0
    prev_line = ""  # previous non-blank stripped line

    def close():
        nonlocal cur
        if cur is not None:
            finish(cur)
            cur = None

    def finish(it: dict):
        if it["kind_raw"] == "quote":
            text = clean_join(it["lines"])
            if not text or text[0] not in OPEN_QUOTES or text[-1] not in CLOSE_QUOTES:
                raise ParseError(f"quote not delimited at line {it['line']}: {text[:80]!r}")
            it["text"] = text[1:-1].strip()
        else:
            it["text"] = clean_join(it["lines"])
        items.append(it)

    def new_item(kind_raw: str, first: str, lineno: int, intro: str | None = None):
        nonlocal cur
        close()
        if chapter not in ITEM_CHAPTERS:
            info["chapter_bullets_outside"].setdefault(chapter, []).append(lineno)
            cur = None
            return
        sec = section or f"{chapter}.0 Inleiding"
        cur = {
            "kind_raw": kind_raw,
            "lines": [first],
            "line": lineno,
            "chapter": chapter,
            "chapter_title": chapter_title,
            "section": sec,
            "subsection": subsection,
            "intro": intro,
            "lead_in": lead_in,
        }

    i = 0
    started = False
    while i < len(lines):
        raw_line = lines[i]
        s = raw_line.strip()
        lineno = i + 1

        # ---- open quote: consume until the closing quote at a line end
        if cur is not None and cur["kind_raw"] == "quote" and not cur.get("closed"):
            if s:
                if CHAPTER_RE.match(s) and int(CHAPTER_RE.match(s).group(1)) == expected_chapter:
                    raise ParseError(f"unterminated quote starting at line {cur['line']}")
                cur["lines"].append(s)
                if s[-1] in CLOSE_QUOTES:
                    cur["closed"] = True
                    close()
            i += 1
            continue

        if not s:
            blank_run += 1
            i += 1
            continue

        # ---- chapter heading
        m = CHAPTER_RE.match(s)
        if m and int(m.group(1)) == expected_chapter and len(s) < 70:
            close()
            cont, last = heading_continuation(lines, i, "chapter")
            chapter = expected_chapter
            expected_chapter += 1
            chapter_title = clean_join([m.group(2), cont]).rstrip(":").strip()
            chapter_title = re.sub(r"\s*:\s*$", "", chapter_title)
            info["chapters"][chapter] = chapter_title
            section, subsection, lead_in = None, None, ""
            started = True
            i = last + 1
            blank_run = 1  # the next line starts a paragraph
            prev_line = s
            continue

        if not started:
            i += 1
            prev_line = s
            continue

        # ---- section heading
        m = SECTION_RE.match(s)
        if m and int(m.group(1)) == chapter and len(s) < 90:
            close()
            cont, last = heading_continuation(lines, i, "section")
            title = clean_join([m.group(3), cont])
            title = re.sub(r"\s*:\s*$", "", title)
            section = f"{m.group(1)}.{m.group(2)} {title}"
            info["sections"].setdefault(chapter, []).append(section)
            subsection, lead_in = None, ""
            i = last + 1
            blank_run = 1  # the next line starts a paragraph
            prev_line = s
            continue

        after_blank = blank_run > 0
        blank_run = 0

        # ---- bullet
        if BULLET_RE.match(s):
            new_item("bullet", BULLET_RE.sub("", s), lineno)
            prev_line = s
            i += 1
            continue

        # ---- quote start (paragraph start only)
        if after_blank:
            qm = QUOTE_INTRO_RE.match(s)
            # a quoted phrase that closes mid-line and is followed by more words
            # ("'1 gezin, 1 plan, 1 regisseur' actief opgepakt") is not a quote box
            inline = re.match(r"^[‘“][^’”]*[’”]\s*\S", s) is not None
            if (s[0] in OPEN_QUOTES and not inline) or qm:
                intro = qm.group("intro").strip() if qm else None
                first = s[qm.end() - 1 :] if qm else s
                new_item("quote", first, lineno, intro=intro)
                if cur is not None and first.rstrip()[-1] in CLOSE_QUOTES and len(first) > 2:
                    cur["closed"] = True
                    close()
                prev_line = s
                i += 1
                continue

        # ---- continuation of an open bullet
        if cur is not None and cur["kind_raw"] == "bullet":
            joined = clean_join(cur["lines"])
            if after_blank:
                if starts_lower(s) and not SUB_ITEM_RE.match(s):
                    cur["lines"].append(s)  # sentence broken over a blank line
                    prev_line = s
                    i += 1
                    continue
                if SUB_ITEM_RE.match(s) and (joined.endswith(":") or cur.get("sub")):
                    cur["sub"] = True
                    cur["lines"].append(re.sub(r"^(?:o|-|–)\s+", "", s))
                    prev_line = s
                    i += 1
                    continue
                close()  # a new plain paragraph
            else:
                if (
                    ends_sentence(prev_line)
                    and len(prev_line) < SHORT_LINE
                    and s[0].isupper()
                    and not SUB_ITEM_RE.match(s)
                ):
                    # the previous line did not wrap: this line starts a new
                    # paragraph; directly under a bullet it is a bullet whose glyph
                    # was lost in extraction
                    info["recovered_bullets"].append((lineno, s[:60]))
                    new_item("bullet", s, lineno)
                    prev_line = s
                    i += 1
                    continue
                if SUB_ITEM_RE.match(s):
                    cur["sub"] = True
                    s_add = re.sub(r"^(?:o|-|–)\s+", "", s)
                else:
                    s_add = s
                cur["lines"].append(s_add)
                prev_line = s
                i += 1
                continue

        # ---- plain text: lower-case continuation of a paragraph, a sub-heading,
        #      or a lead-in paragraph
        close()
        paras = info["paragraphs"]
        if after_blank and not starts_lower(s):
            paras.append(
                {
                    "chapter": chapter,
                    "chapter_title": chapter_title,
                    "section": section,
                    "subsection": subsection,
                    "lines": [s],
                    "line": lineno,
                }
            )
        elif paras and paras[-1]["section"] == section and paras[-1]["chapter"] == chapter:
            paras[-1]["lines"].append(s)
        if not starts_lower(s):
            nxt_j = i + 1
            while nxt_j < len(lines) and not lines[nxt_j].strip():
                nxt_j += 1
            nxt = lines[nxt_j].strip() if nxt_j < len(lines) else ""
            followed_by_blank = i + 1 < len(lines) and not lines[i + 1].strip()
            if (
                after_blank
                and followed_by_blank
                and BULLET_RE.match(nxt)
                and not re.search(r"[.:;,!?]$", s)
                and len(s) < 90
            ):
                subsection = s
                paras.pop()
            else:
                lead_in = s if after_blank else (lead_in + " " + s).strip()
        else:
            lead_in = (lead_in + " " + s).strip()
        prev_line = s
        i += 1

    if cur is not None:
        if cur["kind_raw"] == "quote" and not cur.get("closed"):
            raise ParseError(f"unterminated quote starting at line {cur['line']}")
        close()
    return items, info


RECOMMENDATION_CUE_RE = re.compile(
    r"\b(?:raden|adviseren|bevelen)\b[^.]*\baan\b|vinden het [^.]*belangrijk|"
    r"(?:^|[.:] )(?:Benoem|Zorg|Laat|Bied|Stel|Maak|Ga|Breng|Betrek)\b"
)


def prose_items(info: dict, parsed: list[dict]) -> list[dict]:
    """Numbered sections without any bullet or quote (3.2, 3.3) carry their
    recommendations in running text: every paragraph of such a section that
    contains a recommendation cue becomes an item (form "prose")."""
    covered = {(it["chapter"], it["section"]) for it in parsed}
    out = []
    for ch, secs in info["sections"].items():
        if ch not in ITEM_CHAPTERS:
            continue
        for sec in secs:
            if (ch, sec) in covered:
                continue
            for p in info["paragraphs"]:
                if p["chapter"] != ch or p["section"] != sec:
                    continue
                text = clean_join(p["lines"])
                if not RECOMMENDATION_CUE_RE.search(text):
                    continue
                out.append(
                    {
                        "kind_raw": "prose",
                        "text": text,
                        "line": p["line"],
                        "chapter": ch,
                        "chapter_title": p["chapter_title"],
                        "section": sec,
                        "subsection": p["subsection"],
                        "intro": None,
                        "lead_in": "",
                    }
                )
    return out


def find_gemeente(it: dict) -> str | None:
    if it["kind_raw"] == "quote" and it.get("intro"):
        m = GEMEENTE_INTRO_RE.search(it["intro"])
        if m:
            return m.group("names")
    m = GEMEENTE_TEXT_RE.search(it["text"])
    if m:
        return m.group("names")
    return None


def build_items(raw: str) -> tuple[list[dict], dict]:
    parsed, info = parse(raw)
    parsed = sorted(parsed + prose_items(info, parsed), key=lambda it: it["line"])
    if info["chapter_bullets_outside"]:
        raise ParseError(
            "bullets/quotes found outside chapters 1-6 at lines "
            f"{info['chapter_bullets_outside']} - extend CHAPTER_DOEL or fix the parser"
        )
    out = []
    seen = {}
    for it in parsed:
        if it["kind_raw"] == "quote":
            kind = "citaat"
        elif it["kind_raw"] == "prose":
            kind = "aanbeveling"
        elif it["chapter"] >= 2 and it["section"].startswith(f"{it['chapter']}.0 "):
            if not GOOD_PRACTICE_LEADIN_RE.search(it["lead_in"] or ""):
                raise ParseError(f"chapter-intro bullet at line {it['line']} has unexpected lead-in {it['lead_in']!r}")
            kind = "goede praktijk"
        else:
            kind = "aanbeveling"
        norm = normalise(it["text"])
        key = f"{it['chapter']}|{it['section']}|{norm}"
        iid = "nji-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        if iid in seen:
            raise ParseError(f"duplicate item id {iid} (lines {seen[iid]} and {it['line']})")
        seen[iid] = it["line"]
        out.append(
            {
                "id": iid,
                "text": it["text"],
                "chapter": it["chapter"],
                "chapter_title": it["chapter_title"],
                "nji_doel": CHAPTER_DOEL[it["chapter"]],
                "algemeen_chapter": it["chapter"] == 1,
                "section": it["section"],
                "subsection": it["subsection"],
                "kind": kind,
                "form": {"quote": "quote", "prose": "prose"}.get(it["kind_raw"], "bullet"),
                "gemeente": find_gemeente(it),
                "_line": it["line"],
            }
        )
    assign_groups(out)
    return out, info


def assign_groups(items: list[dict]) -> None:
    n = len(items)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    toks = [tokens(it["text"]) for it in items]
    for a in range(n):
        for b in range(a + 1, n):
            if same_recommendation(toks[a], toks[b]):
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    members: dict[int, list[int]] = {}
    for k in range(n):
        members.setdefault(find(k), []).append(k)
    for idxs in members.values():
        gid = "g-" + items[min(idxs)]["id"][len("nji-") :]
        doelen = sorted({items[k]["nji_doel"] for k in idxs if items[k]["nji_doel"]})
        alg = any(items[k]["chapter"] == 1 for k in idxs)
        for k in idxs:
            items[k]["group"] = gid
            items[k]["nji_doelen"] = doelen
            items[k]["algemeen_nji"] = alg


# --------------------------------------------------------------------------- labels


def load_taxonomy(path: Path) -> tuple[set[str], set[str]]:
    tax = yaml.safe_load(path.read_text(encoding="utf-8"))
    doelen = set(tax["doelen"])
    cats = set(tax["categorieen"])
    if not doelen or not cats:
        raise SystemExit(f"error: {path} has no doelen or categorieen")
    return doelen, cats


def read_jsonl(path: Path) -> list[tuple[int, dict]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append((n, json.loads(line)))
        except json.JSONDecodeError as e:
            raise SystemExit(f"error: {path.name} line {n}: invalid JSON ({e})") from e
    return rows


def check_label(row: dict, doelen: set[str], cats: set[str], where: str) -> list[str]:
    errs = []
    rid = row.get("id", "?")
    d = row.get("doelen")
    if not isinstance(d, list) or not all(isinstance(x, str) for x in d):
        errs.append(f"{where} id {rid}: 'doelen' must be a list of codes")
    else:
        bad = [x for x in d if x not in doelen]
        if bad:
            errs.append(f"{where} id {rid}: unknown doel {bad} (taxonomy: {sorted(doelen)})")
        if len(set(d)) != len(d):
            errs.append(f"{where} id {rid}: duplicate doel in {d}")
    if not isinstance(row.get("algemeen"), bool):
        errs.append(f"{where} id {rid}: 'algemeen' must be true/false")
    if row.get("categorie") not in cats:
        errs.append(f"{where} id {rid}: unknown categorie {row.get('categorie')!r}")
    if not isinstance(row.get("labeler"), str) or not row.get("labeler"):
        errs.append(f"{where} id {rid}: missing 'labeler'")
    la = row.get("labeled_at")
    if not isinstance(la, str) or not ISO_DATE_RE.match(la):
        errs.append(f"{where} id {rid}: 'labeled_at' must be an ISO date (YYYY-MM-DD)")
    else:
        try:
            _dt.date.fromisoformat(la)
        except ValueError:
            errs.append(f"{where} id {rid}: invalid date {la!r}")
    return errs


def merge_labels(items: list[dict], labels_path: Path, taxonomy_path: Path) -> list[str]:
    doelen, cats = load_taxonomy(taxonomy_path)
    errs: list[str] = []
    if not labels_path.exists():
        return [f"label file {labels_path} is missing; every item needs a hand label"]
    by_id: dict[str, dict] = {}
    for n, row in read_jsonl(labels_path):
        rid = row.get("id")
        if rid in by_id:
            errs.append(f"{labels_path.name} line {n}: duplicate label for id {rid}")
            continue
        by_id[rid] = row
        errs.extend(check_label(row, doelen, cats, f"{labels_path.name} line {n}"))
    known = {it["id"] for it in items}
    for rid in by_id:
        if rid not in known:
            errs.append(f"{labels_path.name}: label references unknown id {rid}")
    for it in items:
        row = by_id.get(it["id"])
        if row is None:
            errs.append(f"item {it['id']} has no hand label ({it['section']}, line {it['_line']}: {it['text'][:60]!r})")
            continue
        it["doelen"] = sorted(row.get("doelen") or [])
        it["algemeen"] = row.get("algemeen")
        it["categorie"] = row.get("categorie")
        it["labeler"] = row.get("labeler")
        it["labeled_at"] = row.get("labeled_at")
    if RAALTE_LABELS.exists():
        for n, row in read_jsonl(RAALTE_LABELS):
            if not re.match(r"^raalte_2019:[CA]\d+$", str(row.get("id"))):
                errs.append(f"{RAALTE_LABELS.name} line {n}: bad id {row.get('id')!r}")
            errs.extend(check_label(row, doelen, cats, f"{RAALTE_LABELS.name} line {n}"))
    return errs


# --------------------------------------------------------------------------- main

FIELD_ORDER = [
    "id",
    "text",
    "chapter",
    "chapter_title",
    "nji_doel",
    "algemeen_chapter",
    "section",
    "subsection",
    "kind",
    "form",
    "gemeente",
    "group",
    "nji_doelen",
    "algemeen_nji",
    "doelen",
    "algemeen",
    "categorie",
    "labeler",
    "labeled_at",
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, default=SOURCE)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--taxonomy", type=Path, default=TAXONOMY)
    ap.add_argument("--output", type=Path, default=OUTPUT)
    ap.add_argument(
        "--dump-unlabeled",
        action="store_true",
        help="print the parsed items (without labels) as JSONL to stdout and exit",
    )
    args = ap.parse_args(argv)

    try:
        items, info = build_items(args.source.read_text(encoding="utf-8"))
    except ParseError as e:
        print(f"error: parsing {args.source}: {e}", file=sys.stderr)
        return 2
    for lineno, text in info["recovered_bullets"]:
        print(f"note: line {lineno}: bullet glyph missing, treated as new bullet: {text!r}", file=sys.stderr)

    if args.dump_unlabeled:
        for it in items:
            row = {k: it[k] for k in FIELD_ORDER if k in it}
            print(json.dumps(row, ensure_ascii=False))
        return 0

    errs = merge_labels(items, args.labels, args.taxonomy)
    if errs:
        for e in errs:
            print(f"error: {e}", file=sys.stderr)
        print(f"error: {len(errs)} label problem(s); {args.output} not written", file=sys.stderr)
        return 1

    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="\n") as fh:
        for it in items:
            fh.write(json.dumps({k: it[k] for k in FIELD_ORDER}, ensure_ascii=False) + "\n")
    shown = args.output.relative_to(REPO_ROOT) if args.output.is_relative_to(REPO_ROOT) else args.output
    print(f"wrote {len(items)} items to {shown}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
