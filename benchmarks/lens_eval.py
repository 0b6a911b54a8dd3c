"""Accuracy of the lens's `loaded` findings against the lessons' `loaded_terms` keys.

Run from the project root:

    .venv/bin/python benchmarks/lens_eval.py            # the table
    .venv/bin/python benchmarks/lens_eval.py --details  # plus every hit, miss and false alarm

For every `loaded_terms` question in lessons/*.yaml, the lens analyses the question's
excerpt. Its `loaded` findings are compared with the keyed phrases (positives); every
other word, including the question's neutral controls, is a negative. Spans are compared
as sets of word indices (app.domain.text.words), two ways:

* exact: a finding counts when it covers exactly the words of a keyed phrase;
* overlap: a finding counts when it shares at least one word with a keyed phrase.

Precision = findings that count / all findings; recall = keyed phrases found / all keyed
phrases; F1 their harmonic mean. Totals are micro-averaged over questions. No database:
documents and lessons are read from seeds/ and lessons/ directly.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.documents import decode_document, parse_catalogue  # noqa: E402
from app.domain.lens import analyze  # noqa: E402
from app.domain.library import check_library  # noqa: E402
from app.domain.text import words, words_in  # noqa: E402


@dataclass
class Tally:
    """Counts for one document (or the total)."""

    questions: int = 0
    findings: int = 0
    phrases: int = 0
    exact_findings: int = 0
    exact_phrases: int = 0
    overlap_findings: int = 0
    overlap_phrases: int = 0
    on_controls: int = 0
    details: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("questions", "findings", "phrases", "exact_findings", "exact_phrases",
                     "overlap_findings", "overlap_phrases", "on_controls"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _prf(hits_findings: int, findings: int, hits_phrases: int, phrases: int
         ) -> tuple[float, float, float]:
    precision = hits_findings / findings if findings else 0.0
    recall = hits_phrases / phrases if phrases else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_library() -> tuple[dict[str, str], dict[str, dict]]:
    """The seed documents by slug and the compiled lessons by slug."""
    seeds = ROOT / "seeds"
    catalogue = parse_catalogue((seeds / "documents.yaml").read_text(encoding="utf-8"))
    documents = {meta.slug: decode_document(meta, (seeds / meta.file).read_bytes())
                 for meta in catalogue}
    files = [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
             for path in sorted((ROOT / "lessons").glob("*.yaml"))]
    report = check_library(files, documents)
    if report.issues:
        for issue in report.issues:
            print(f"warning: {issue}", file=sys.stderr)
    return documents, report.lessons


def score_question(text: str, phrases: list[list[int]], controls: list[list[int]],
                   label: str) -> Tally:
    """Compare the lens's loaded findings in ``text`` with one question's key."""
    spans = words(text)
    found = [(f, set(words_in(spans, f.start, f.end)))
             for f in analyze(text) if f.kind == "loaded"]
    keyed = [set(p) for p in phrases]
    control_words = {i for c in controls for i in c}
    tally = Tally(questions=1, findings=len(found), phrases=len(keyed))
    for finding, indices in found:
        exact = any(indices == phrase for phrase in keyed)
        overlap = any(indices & phrase for phrase in keyed)
        tally.exact_findings += exact
        tally.overlap_findings += overlap
        if not overlap and indices & control_words:
            tally.on_controls += 1
        verdict = "exact" if exact else "overlap" if overlap else "FALSE"
        tally.details.append(f"  {verdict:<7} {finding.category:<12} {finding.text!r}")
    for phrase in keyed:
        tally.exact_phrases += any(indices == phrase for _, indices in found)
        hit = any(indices & phrase for _, indices in found)
        tally.overlap_phrases += hit
        if not hit:
            missed = " ".join(spans[i].text for i in sorted(phrase))
            tally.details.append(f"  missed  {'':<12} {missed!r}")
    tally.details.insert(0, label)
    return tally


def evaluate() -> dict[str, Tally]:
    """A tally per document, over every loaded_terms question of every lesson."""
    _, lessons = load_library()
    per_document: dict[str, Tally] = defaultdict(Tally)
    for slug, lesson in sorted(lessons.items()):
        excerpts = {excerpt["id"]: excerpt for excerpt in lesson["excerpts"]}
        for question in lesson["questions"]:
            if question["kind"] != "loaded_terms":
                continue
            excerpt = excerpts[question["excerpt"]]
            tally = score_question(
                excerpt["text"], [p["words"] for p in question["phrases"]],
                [c["words"] for c in question.get("controls", [])],
                f"{slug} / {question['id']} ({excerpt['document']})")
            per_document[excerpt["document"]].add(tally)
            per_document[excerpt["document"]].details.extend(tally.details)
    return dict(sorted(per_document.items()))


def render(per_document: dict[str, Tally]) -> str:
    """The results table (plain text, fixed width)."""
    header = (f"{'document':<28} {'qs':>3} {'found':>5} {'keys':>5} | "
              f"{'exact P':>7} {'R':>5} {'F1':>5} | {'overlap P':>9} {'R':>5} {'F1':>5} | "
              f"{'on ctrl':>7}")
    lines = [header, "-" * len(header)]
    total = Tally()
    rows = list(per_document.items())
    for _, tally in rows:
        total.add(tally)
    for name, tally in rows + [("ALL (micro)", total)]:
        if name == "ALL (micro)":
            lines.append("-" * len(header))
        ep, er, ef = _prf(tally.exact_findings, tally.findings, tally.exact_phrases,
                          tally.phrases)
        op, orr, of = _prf(tally.overlap_findings, tally.findings, tally.overlap_phrases,
                           tally.phrases)
        lines.append(f"{name:<28} {tally.questions:>3} {tally.findings:>5} {tally.phrases:>5} | "
                     f"{ep:>7.2f} {er:>5.2f} {ef:>5.2f} | {op:>9.2f} {orr:>5.2f} {of:>5.2f} | "
                     f"{tally.on_controls:>7}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--details", action="store_true",
                        help="list every finding (exact/overlap/FALSE) and every missed key")
    args = parser.parse_args()
    per_document = evaluate()
    if args.details:
        for tally in per_document.values():
            print("\n".join(tally.details))
        print()
    print(render(per_document))
    print("\nfound = loaded findings; keys = keyed phrases; on ctrl = false findings that "
          "fall on a neutral control.")


if __name__ == "__main__":
    main()
