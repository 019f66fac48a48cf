"""Throughput and memory of the text mining on 50,000 texts.

    .venv/bin/python bench/textmining_throughput.py [number of texts]

The texts are made from the sentences of data/textmining/labelled_texts.csv: each is 2 to 5
sentences drawn with a fixed seed, about the length of one piece of advice or a short
paragraph of minutes. Figures:

- analyse() (tokenise once, frequent words, co-occurrence network): texts/s, timed without
  tracing; then run again under tracemalloc for the peak of Python allocations made by the
  analysis itself (the input list already exists). ru_maxrss is the whole process at its
  largest, SudachiPy's dictionary included.
- network_svg() on the resulting network.
- SimilarityIndex: build and query times for the 64 issues of data/textmining/issues.csv and
  for 5,000 generated texts.
- candidate_groups() on 1,000 and 3,000 generated texts.
- tokenize() on one pasted text of 1,000,000 characters (stored records are not length-checked).
"""

import csv
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tsunagu.issues.textmining import (  # noqa: E402
    SimilarityIndex,
    analyse,
    candidate_groups,
    network_svg,
    tokenize,
)

DATA = ROOT / "data" / "textmining"


def sentences() -> list[str]:
    with open(DATA / "labelled_texts.csv", encoding="utf-8", newline="") as f:
        return [row["text"] for row in csv.DictReader(f)]


def generate(count: int, seed: int = 20240601) -> list[str]:
    pool = sentences()
    rng = random.Random(seed)
    return ["".join(rng.sample(pool, rng.randint(2, 5))) for _ in range(count)]


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    tokenize("辞書を読み込む")  # load the dictionary outside the timings
    texts = generate(count)
    chars = sum(map(len, texts))
    print(f"Texts: {count:,} ({chars:,} characters, {chars / count:.0f} per text)")

    started = time.perf_counter()
    calls = []
    analysis = analyse(texts, on_progress=lambda done, total: calls.append(done))
    elapsed = time.perf_counter() - started
    print(
        f"analyse(): {elapsed:.1f} s = {count / elapsed:,.0f} texts/s "
        f"({chars / elapsed / 1000:,.0f} k characters/s); progress reported {len(calls)} times; "
        f"{len(analysis.words)} words, {len(analysis.network.nodes)} nodes, "
        f"{len(analysis.network.edges)} edges"
    )

    tracemalloc.start()
    analyse(texts)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"analyse() peak of traced Python allocations: {peak / 2**20:.1f} MiB")
    # Linux reports ru_maxrss in KiB.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Process peak RSS (ru_maxrss, dictionary and input included): {rss:.0f} MiB")

    started = time.perf_counter()
    svg = network_svg(analysis.network)
    print(f"network_svg(): {time.perf_counter() - started:.2f} s, {len(svg):,} bytes")

    with open(DATA / "issues.csv", encoding="utf-8", newline="") as f:
        issues = [(r["id"], f"{r['title']}。{r['description']}") for r in csv.DictReader(f)]
    queries = texts[:1000]
    for name, documents in (
        ("64 issues", issues),
        ("5,000 texts", list(enumerate(texts[-5000:]))),
    ):
        started = time.perf_counter()
        index = SimilarityIndex(documents)
        built = time.perf_counter() - started
        started = time.perf_counter()
        for q in queries:
            index.query(q, k=3)
        per_query = (time.perf_counter() - started) / len(queries)
        print(
            f"SimilarityIndex over {name}: built in {built * 1000:,.0f} ms, "
            f"query {per_query * 1000:.2f} ms (mean of {len(queries):,})"
        )

    for size in (1000, 3000):
        items = list(enumerate(texts[:size]))
        started = time.perf_counter()
        groups = candidate_groups(items)
        print(
            f"candidate_groups() over {size:,} texts: {time.perf_counter() - started:.1f} s, "
            f"{len(groups)} groups"
        )

    huge = "".join(texts)[:1_000_000]
    started = time.perf_counter()
    words = tokenize(huge)
    print(
        f"tokenize() of one {len(huge):,}-character text: "
        f"{time.perf_counter() - started:.1f} s, {len(words):,} words"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
