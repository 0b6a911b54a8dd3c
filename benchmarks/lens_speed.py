"""How long the lens takes on a ~10,000-word article (target: under 1 second).

Run from the project root:

    .venv/bin/python benchmarks/lens_speed.py [--words 10000] [--repeat 5]

The article is the five seed documents joined and repeated until it has at least the
requested number of words (as app.domain.text.words counts them). Loading the lexicon
is timed separately (it happens once per process); the analysis is timed best of
``--repeat`` runs. This is a benchmark to run by hand, never a timed unit test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.documents import decode_document, parse_catalogue  # noqa: E402
from app.domain.lens import analyze, load_lexicon  # noqa: E402
from app.domain.text import words  # noqa: E402


def build_article(target_words: int) -> str:
    """The seed documents, joined by blank lines and repeated up to ``target_words`` words."""
    seeds = ROOT / "seeds"
    catalogue = parse_catalogue((seeds / "documents.yaml").read_text(encoding="utf-8"))
    texts = [decode_document(meta, (seeds / meta.file).read_bytes()) for meta in catalogue]
    parts: list[str] = []
    count = 0
    while count < target_words:
        for text in texts:
            parts.append(text)
            count += len(words(text))
            if count >= target_words:
                break
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    article = build_article(args.words)
    started = time.perf_counter()
    lexicon = load_lexicon()
    load_seconds = time.perf_counter() - started

    timings = []
    findings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        findings = analyze(article, lexicon)
        timings.append(time.perf_counter() - started)
    best = min(timings)
    print(f"article: {len(words(article)):,} words, {len(article):,} characters")
    print(f"lexicon load (once per process): {load_seconds * 1000:.0f} ms")
    print(f"analysis, best of {args.repeat}: {best * 1000:.0f} ms "
          f"(worst {max(timings) * 1000:.0f} ms) — target < 1000 ms: "
          f"{'OK' if best < 1 else 'TOO SLOW'}")
    counts = ", ".join(f"{kind} {sum(f.kind == kind for f in findings)}"
                       for kind in ("loaded", "attribution", "hedge"))
    print(f"findings: {len(findings)} ({counts})")


if __name__ == "__main__":
    main()
