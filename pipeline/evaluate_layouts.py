"""Segmentation measured on the layout corpus: PDFs from several producers, gold from their specs.

Per document and per producer: P/R/F1 per item type, aanbevelingen emitted against gold,
headings taken as items, metadata read from the PDF itself (there is no manifest row),
stance accuracy and linked reactions, and how well the extracted words agree with
pypdfium2's own plain text.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

from .annotations import GoldItem, load_segmentation_gold
from .errors import MetadossierError
from .evaluate import TypeScore, match_items, overlap, score_report
from .extract import extract
from .ingest import report_meta
from .records import ExtractedDocument, Item
from .segment import segment
from .settings import Settings
from .structure import ReportDocument, build

META_FIELDS = ("gemeente", "rekenkamer", "year", "title")


_LETTER_SPACED = re.compile(r"(?<!\S)(?:[^\W\d_] ){3,}[^\W\d_](?!\S)")
"""Letter-spaced display type as pdfium's plain text gives it ("A A N B E V E L I N G"): counted as the word it
spells, on both sides, whether extraction joined the letters or not."""


def _hyphen_free_words(text: str) -> Counter[str]:
    text = _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    # words in capitals that follow each other count as one: a letter-spaced label is one run of letters in pdfium's
    # text ("A A N H E T C O L L E G E") and words in extraction's ("AAN HET COLLEGE")
    text = re.sub(r"\b[A-ZÀ-Þ]+(?: +[A-ZÀ-Þ]+)+\b", lambda m: m.group(0).replace(" ", ""), text)
    text = re.sub(r"[-\ufffe\xad\x02\u2010\u2011]\s*", "", text)
    return Counter(w.lower() for w in re.findall(r"\w+", text))


def word_agreement(pdf: Path, document: ExtractedDocument, source_words: frozenset[str] = frozenset()) -> float:
    """Share of words on which extraction and pypdfium2's plain text agree (the smaller of the
    two directions), after hyphens and whitespace are normalised. Pages where pdfium's own text
    comes out one character per line (its ordering failed, ours did not) are left out, and so are
    pages with OCR'd words on them (scored by their character error rate instead). Where the PDF's
    text runs two words together that extraction separated by their glyph gap, and both are words
    of the text the document was made from (`source_words`), the two count as agreeing."""
    import pypdfium2 as pdfium

    reference: Counter[str] = Counter()
    skipped: set[int] = set()
    handle = pdfium.PdfDocument(str(pdf))
    try:
        for index in range(len(handle)):
            page = handle[index]
            textpage = page.get_textpage()
            text = _unrotated_text(textpage)
            lines = [ln for ln in text.splitlines() if ln.strip()]
            letters = sum(1 for ln in lines if len(ln.strip()) == 1 and ln.strip().isalpha())
            if lines and letters > 0.3 * len(lines):
                skipped.add(index + 1)  # pdfium broke this page's text into single characters
            elif index + 1 not in document.ocr_pages:  # a page with a scan on it is compared by OCR error rate
                reference.update(_hyphen_free_words(text))
            textpage.close()
            page.close()
    finally:
        handle.close()
    left_out = skipped | set(document.ocr_pages)  # OCR'd words are not in the PDF's text at all
    ours: Counter[str] = Counter()
    for para in document.paragraphs:
        if para.page_start not in left_out:
            ours.update(_hyphen_free_words(para.text))
    for line in document.furniture:
        if line.page not in left_out:
            ours.update(_hyphen_free_words(line.text))
    for word in [w for w in reference if w.isdigit()]:
        # a number pdfium has more often than extraction: a concept's margin line numbers, dropped as furniture
        reference[word] = min(reference[word], ours[word])
    common = sum((ours & reference).values())
    if not ours and not reference:
        return 1.0
    common += 2 * _restored_spaces(reference - ours, ours - reference, source_words)
    return min(1.0, common / max(1, sum(ours.values())), common / max(1, sum(reference.values())))


def _unrotated_text(textpage) -> str:  # type: ignore[no-untyped-def]
    """pypdfium2's plain text of a page without the characters turned more than extraction keeps (a running title
    set up the margin is furniture there, so it is left out on both sides)."""
    import pypdfium2.raw as pdfium_c

    from .extract import _MAX_TEXT_ANGLE, dominant_frame

    text = textpage.get_text_range()
    if len(text) != pdfium_c.FPDFText_CountChars(textpage.raw):
        return text
    angles = [pdfium_c.FPDFText_GetCharAngle(textpage.raw, i) for i in range(len(text))]
    # the page is read in the quarter turn most of its text runs in (a table set sideways), as extraction does
    frame = math.radians(dominant_frame(a for ch, a in zip(text, angles) if not ch.isspace()))

    def turned(angle: float) -> bool:
        off = abs(angle - frame)
        return angle >= 0 and min(off, 2 * math.pi - off) > _MAX_TEXT_ANGLE

    return "".join(" " if turned(a) else ch for ch, a in zip(text, angles))


def _restored_spaces(fused: Counter[str], parts: Counter[str], source_words: frozenset[str]) -> int:
    """Words the PDF's own text runs together where extraction restored the word space from the
    glyph gap ("anderegemeenten" → "andere gemeenten", a justified line distilled from PostScript).
    A split counts only where both parts are words of the source text, so a word torn apart
    ("reken kamer") does not pass as one. Each restored space matches two of our words."""
    restored = 0
    parts = Counter(parts)
    for word, count in fused.items():
        for cut in range(1, len(word)):
            left, right = word[:cut], word[cut:]
            while count and parts[left] and parts[right] and left in source_words and right in source_words \
                    and (left != right or parts[left] >= 2):
                parts[left] -= 1
                parts[right] -= 1
                count -= 1
                restored += 1
    return restored


def levenshtein(a: str, b: str) -> int:
    """Edit distance by characters (two rows of the usual table)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _letter_text(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _letter_text(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in ("kind", "scanned", "seed") for s in _letter_text(v)]
    return []


def source_words(spec_path: Path) -> frozenset[str]:
    """The words of the text a layout document was made from (every string in its spec)."""
    import yaml

    if not spec_path.exists():
        return frozenset()
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    return frozenset(_hyphen_free_words(" ".join(_letter_text(spec))))


def ocr_error_rate(spec_path: Path, document: ExtractedDocument) -> float | None:
    """Character error rate of the OCR'd pages against the scanned letter's source text in the spec
    (whitespace normalised), or None when nothing was scanned or read."""
    import yaml

    if not spec_path.exists() or not document.ocr_pages:
        return None
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    letters = [b for b in spec.get("blocks", []) if b.get("kind") == "reaction_letter" and b.get("scanned")]
    if not letters:
        return None
    squash = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    reference = squash(" ".join(s for block in letters for s in _letter_text(block)))
    read = squash(" ".join(p.text for p in document.pages if p.number in document.ocr_pages))
    return levenshtein(read, reference) / max(1, len(reference))


def _same(field: str, expected: Any, found: Any) -> bool:
    if field == "year":
        return expected == found
    squash = lambda s: re.sub(r"\s+", " ", str(s or "")).strip().lower()  # noqa: E731
    return squash(expected) == squash(found)


def headings_as_items(items: list[Item], model: ReportDocument) -> int:
    """Items whose text is a heading of the document (or a bare number or label)."""
    headings = {re.sub(r"[^a-z0-9]", "", re.sub(r"^[\d.\s]+", "", p.text.lower())) for p in model.paragraphs
                if p.kind == "heading"}
    count = 0
    for item in items:
        key = re.sub(r"[^a-z0-9]", "", re.sub(r"^[\d.\s]+", "", item.text.lower()))
        if key in headings or len(item.text.split()) <= 2:
            count += 1
    return count


def _unread(error: Exception, gold: list[GoldItem], meta_gold: dict[str, Any], raw_gold: list[dict[str, Any]]) -> dict[str, Any]:
    """The result for a document that could not be read at all: every item missed, the reason kept."""
    stance_gold = [r for r in raw_gold if r["type"] == "aanbeveling"]
    return {
        "producer": meta_gold.get("producer", ""), "error": str(error),
        "scores": {t: s.as_dict() for t, s in score_report([], gold).items()},
        "aanbevelingen": {"gold": len(stance_gold), "emitted": 0}, "headings_as_items": 0,
        "metadata": {f: {"expected": meta_gold.get(f), "found": None, "ok": False} for f in META_FIELDS},
        "metadata_ok": 0,
        "stance": {"gold": len(stance_gold), "right": 0, "linked": 0,
                   "evidence_gold": sum(1 for r in stance_gold if r.get("evidence")), "evidence_right": 0},
        "ocr_pages": [], "ocr_cer": None, "word_agreement": 0.0, "heading_source": "",
        "unmatched": [], "missed": [{"type": g.type, "text": g.text[:100], "best": 0.0} for g in gold][:12],
    }


def evaluate_document(pdf: Path, gold: list[GoldItem], meta_gold: dict[str, Any], raw_gold: list[dict[str, Any]],
                      settings: Settings) -> dict[str, Any]:
    try:
        document = extract(pdf, max_pages=settings.max_pages, max_mb=settings.max_mb)
    except MetadossierError as exc:
        return _unread(exc, gold, meta_gold, raw_gold)
    spec_path = settings.corpus_dir / "layouts" / "specs" / f"{pdf.stem}.yaml"
    cer = ocr_error_rate(spec_path, document)
    model = build(document)
    meta = report_meta(pdf, document, None)
    items = list(segment(model, meta).items)
    scored = [it for it in items if it.type in {g.type for g in gold}]
    scores = score_report(scored, gold)
    matches = match_items(scored, gold)
    by_gold = {g.item_id: p for p, g, _ in matches}
    stance_gold = [r for r in raw_gold if r["type"] == "aanbeveling"]
    stance_right = sum(1 for r in stance_gold if r["id"] in by_gold and by_gold[r["id"]].stance == r.get("stance"))
    def evidence_ok(record: dict[str, Any]) -> bool:
        item = by_gold.get(record["id"])
        reaction = item.reaction if item is not None else None
        return bool(record.get("evidence")) and reaction is not None and overlap(reaction.evidence, record["evidence"]) >= 0.6

    evidence_right = sum(1 for r in stance_gold if evidence_ok(r))
    evidence_gold = sum(1 for r in stance_gold if r.get("evidence"))
    linked = sum(1 for r in stance_gold if r["id"] in by_gold and by_gold[r["id"]].reaction is not None)
    metadata = {f: {"expected": meta_gold.get(f), "found": getattr(meta, f),
                    "ok": _same(f, meta_gold.get(f), getattr(meta, f))} for f in META_FIELDS}
    unmatched = [p for p in scored if p.item_id not in {m[0].item_id for m in matches}]
    return {
        "producer": meta_gold.get("producer", ""),
        "scores": {t: s.as_dict() for t, s in scores.items()},
        "aanbevelingen": {"gold": sum(1 for g in gold if g.type == "aanbeveling"),
                          "emitted": sum(1 for p in items if p.type == "aanbeveling")},
        "headings_as_items": headings_as_items(unmatched, model),
        "metadata": metadata,
        "metadata_ok": sum(1 for m in metadata.values() if m["ok"]),
        "stance": {"gold": len(stance_gold), "right": stance_right, "linked": linked,
                   "evidence_gold": evidence_gold, "evidence_right": evidence_right},
        "ocr_pages": list(document.ocr_pages),
        "ocr_cer": round(cer, 4) if cer is not None else None,
        "word_agreement": round(word_agreement(pdf, document, source_words(spec_path)), 4),
        "heading_source": model.heading_source,
        "unmatched": [{"type": p.type, "text": p.text[:100]} for p in unmatched][:12],
        "missed": [{"type": g.type, "text": g.text[:100], "best": round(max((overlap(p.text, g.text) for p in scored
                    if p.type == g.type), default=0.0), 2)} for g in gold if g.item_id not in by_gold][:12],
    }


def evaluate_layouts(settings: Settings, only: str | None = None) -> dict[str, Any]:
    """Every document of corpus/layouts/ with a gold file; totals per producer and overall."""
    root = settings.corpus_dir / "layouts"
    documents: dict[str, Any] = {}
    for gold_path in sorted((root / "gold").glob("*.jsonl")):
        doc_id = gold_path.stem
        if only and only not in doc_id:
            continue
        pdf = root / "pdf" / f"{doc_id}.pdf"
        if not pdf.exists():
            continue
        meta_gold = json.loads((root / "gold" / f"{doc_id}.meta.json").read_text(encoding="utf-8"))
        raw = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        documents[doc_id] = evaluate_document(pdf, load_segmentation_gold(gold_path), meta_gold, raw, settings)
    producers: dict[str, Any] = {}
    for result in documents.values():
        bucket = producers.setdefault(result["producer"], {"documents": 0, "types": {}, "stance_gold": 0,
                                                           "stance_right": 0, "linked": 0, "metadata_ok": 0,
                                                           "metadata_fields": 0, "headings_as_items": 0,
                                                           "word_agreement_min": 1.0, "evidence_gold": 0,
                                                           "evidence_right": 0, "ocr_cer": []})
        bucket["documents"] += 1
        for t, s in result["scores"].items():
            bucket["types"].setdefault(t, []).append(s)
        bucket["stance_gold"] += result["stance"]["gold"]
        bucket["stance_right"] += result["stance"]["right"]
        bucket["linked"] += result["stance"]["linked"]
        bucket["evidence_gold"] += result["stance"]["evidence_gold"]
        bucket["evidence_right"] += result["stance"]["evidence_right"]
        if result["ocr_cer"] is not None:
            bucket["ocr_cer"].append(result["ocr_cer"])
        bucket["metadata_ok"] += result["metadata_ok"]
        bucket["metadata_fields"] += len(META_FIELDS)
        bucket["headings_as_items"] += result["headings_as_items"]
        bucket["word_agreement_min"] = min(bucket["word_agreement_min"], result["word_agreement"])
    for bucket in producers.values():
        bucket["types"] = {
            t: TypeScore.summed(t, ss).as_dict() for t, ss in sorted(bucket["types"].items())
        }
    return {"documents": documents, "producers": producers}


def format_layouts(result: dict[str, Any]) -> str:
    lines = [f"{'layout document':30} {'producer':11} {'type':12} {'gold':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    for doc_id, r in result["documents"].items():
        for t, s in r["scores"].items():
            lines.append(f"{doc_id:30} {r['producer']:11} {t:12} {s['gold']:4d} {s['predicted']:4d} "
                         f"{s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}")
        wrong = [f"{f}: {m['found']!r} (expected {m['expected']!r})" for f, m in r["metadata"].items() if not m["ok"]]
        lines.append(f"{'':30} {'':11} aanbevelingen {r['aanbevelingen']['emitted']}/{r['aanbevelingen']['gold']}, "
                     f"headings as items {r['headings_as_items']}, stance {r['stance']['right']}/{r['stance']['gold']}"
                     f" (linked {r['stance']['linked']}, evidence {r['stance']['evidence_right']}/"
                     f"{r['stance']['evidence_gold']}), words {r['word_agreement']:.4f}"
                     + (f", OCR pages {r['ocr_pages']} CER {r['ocr_cer']:.3f}" if r["ocr_cer"] is not None else "")
                     + ", headings from "
                     f"{r['heading_source']}, metadata {r['metadata_ok']}/{len(META_FIELDS)}"
                     + (f" — {'; '.join(wrong)}" if wrong else ""))
    lines.append("")
    lines.append(f"{'producer':14} {'docs':>4} {'type':12} {'gold':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for producer, b in sorted(result["producers"].items()):
        for t, s in b["types"].items():
            lines.append(f"{producer:14} {b['documents']:4d} {t:12} {s['gold']:4d} {s['predicted']:4d} "
                         f"{s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}")
        cers = b["ocr_cer"]
        lines.append(f"{producer:14} stance {b['stance_right']}/{b['stance_gold']} (linked {b['linked']}, evidence "
                     f"{b['evidence_right']}/{b['evidence_gold']}), "
                     + (f"OCR CER ≤ {max(cers):.3f}, " if cers else "") + "metadata "
                     f"{b['metadata_ok']}/{b['metadata_fields']}, headings as items {b['headings_as_items']}, "
                     f"word agreement ≥ {b['word_agreement_min']:.4f}")
    return "\n".join(lines)
