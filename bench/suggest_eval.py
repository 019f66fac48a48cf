"""Quality of the "similar existing issues" suggestions, and of the candidate groups.

    .venv/bin/python bench/suggest_eval.py

data/textmining/issues.csv holds 64 fictional community issues (4 per theme
of tsunagu/issues/choices.py);
data/textmining/labelled_texts.csv holds 320 fictional short texts in the style of advice,
minutes and case summaries, each labelled with one of the same 16 themes. Both were written by
hand for this evaluation.

Suggestions: a SimilarityIndex over the issues (title + description); for each labelled text
the top 3 issues are suggested. precision@3 = mean over texts of (suggestions whose theme is
the text's theme) / 3; since every theme has 4 issues, 1.0 is reachable. hit@3 = share of
texts with at least one right suggestion; precision@1 = share whose first suggestion is right.
A text for which nothing is suggested counts 0. Each issue covers one facet of its theme (4
facets), and a short text is usually about one facet, so precision@3 is held down by design:
its second and third suggestions are mostly issues of other themes sharing a word.

Candidate groups: candidate_groups() over the labelled texts of one half, as if they were
untagged case texts. Purity = share of grouped texts whose theme is their group's majority
theme; coverage = share of texts that end up in some group.

Tuning honesty: the texts are split by id (odd ids: dev, even ids: test). Both files were
written before any code ran on them. Settings (blend of words and bigrams, compound parts,
group threshold and shared-word minimum) were compared on the dev half only; the test half is
reported, not tuned on (its figures were printed once, by the first untuned run).
"""

import csv
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tsunagu.issues.textmining import SimilarityIndex, candidate_groups  # noqa: E402

DATA = ROOT / "data" / "textmining"
K = 3


def load():
    with open(DATA / "issues.csv", encoding="utf-8", newline="") as f:
        issues = list(csv.DictReader(f))
    with open(DATA / "labelled_texts.csv", encoding="utf-8", newline="") as f:
        texts = list(csv.DictReader(f))
    return issues, texts


def split(texts):
    """Odd numeric ids are the dev half, even ones the test half (10 + 10 per theme)."""
    dev = [t for t in texts if int(t["id"][1:]) % 2 == 1]
    test = [t for t in texts if int(t["id"][1:]) % 2 == 0]
    return dev, test


def suggestions(index, theme_of, texts):
    """Per text: (its theme, right suggestions among the top K, whether the first is right)."""
    results = []
    for t in texts:
        top = index.query(t["text"], k=K)
        right = [theme_of[key] == t["theme"] for key, _ in top]
        results.append((t["theme"], sum(right), bool(right and right[0])))
    return results


def summarise(results):
    n = len(results)
    return {
        "texts": n,
        "precision@3": sum(r[1] for r in results) / (K * n),
        "hit@3": sum(r[1] > 0 for r in results) / n,
        "precision@1": sum(r[2] for r in results) / n,
    }


def _purity(groups, theme):
    grouped = sum(len(g.keys) for g in groups)
    majority = sum(Counter(theme[k] for k in g.keys).most_common(1)[0][1] for g in groups)
    return majority / grouped if grouped else 0.0


def group_quality(texts, **options):
    theme = {t["id"]: t["theme"] for t in texts}
    groups = candidate_groups(((t["id"], t["text"]) for t in texts), **options)
    grouped = sum(len(g.keys) for g in groups)
    # Chance level: the same groups with the themes shuffled among the texts (fixed seed).
    shuffled = list(theme.values())
    random.Random(0).shuffle(shuffled)
    return {
        "groups": len(groups),
        "grouped": grouped,
        "coverage": grouped / len(texts),
        "purity": _purity(groups, theme),
        "chance": _purity(groups, dict(zip(theme, shuffled, strict=True))),
        "examples": groups[:3],
    }


def main():
    issues, texts = load()
    dev, test = split(texts)
    theme_of = {row["id"]: row["theme"] for row in issues}

    started = time.perf_counter()
    index = SimilarityIndex((row["id"], f"{row['title']}。{row['description']}") for row in issues)
    built = time.perf_counter() - started

    print(
        f"Issues: {len(issues)} in {len(set(theme_of.values()))} themes; labelled texts: "
        f"{len(texts)} (dev {len(dev)}, test {len(test)})"
    )
    print(f"Index built in {built * 1000:.1f} ms")
    print()
    print("Similar-issue suggestions (top 3)")
    by_half = {}
    for name, half in (("dev", dev), ("test", test), ("all", texts)):
        started = time.perf_counter()
        by_half[name] = suggestions(index, theme_of, half)
        elapsed = time.perf_counter() - started
        s = summarise(by_half[name])
        print(
            f"  {name:<4} texts={s['texts']:>3}  precision@3={s['precision@3']:.3f}  "
            f"hit@3={s['hit@3']:.3f}  precision@1={s['precision@1']:.3f}  "
            f"({elapsed / s['texts'] * 1000:.2f} ms/query)"
        )
    print()
    print("Per theme, test half (precision@3, hit@3):")
    per_theme = defaultdict(list)
    for result in by_half["test"]:
        per_theme[result[0]].append(result)
    for theme in dict.fromkeys(row["theme"] for row in issues):
        s = summarise(per_theme[theme])
        print(f"  {s['precision@3']:.3f}  {s['hit@3']:.3f}  {theme}")
    print()
    print("Candidate groups (texts of one half treated as untagged case texts)")
    for name, half in (("dev", dev), ("test", test)):
        q = group_quality(half)
        print(
            f"  {name:<4} groups={q['groups']}  grouped={q['grouped']}/{len(half)}  "
            f"coverage={q['coverage']:.3f}  purity={q['purity']:.3f} "
            f"(shuffled themes: {q['chance']:.3f})"
        )
    theme = {t["id"]: t["theme"] for t in texts}
    for g in group_quality(test)["examples"]:
        themes = Counter(theme[k] for k in g.keys).most_common()
        print(f"    e.g. {len(g.keys)} texts, words {'・'.join(g.words)}: {themes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
