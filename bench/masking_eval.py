"""Recall and precision of the personal-identifier masking on the labelled set.

    .venv/bin/python bench/masking_eval.py [data/masking/labelled.jsonl]

Each line of the set is {"text": ..., "spans": [{"kind", "start", "end"}, ...]}.

Matching rule: a predicted span is correct when it has the same kind as a gold span, overlaps
it and covers at least half of the gold span's characters. Each gold span is matched at most
once. Recall = matched gold spans / gold spans; precision = correct predictions / predictions.
The honorific or a postcode in or out of the span therefore does not count as a miss, but
finding only 小金原 of 松戸市小金原3丁目5番2号 does.

No Django needed: tsunagu.confidentiality.masking is plain Python.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tsunagu.confidentiality.masking import KIND_LABELS, find  # noqa: E402

DEFAULT_PATH = ROOT / "data" / "masking" / "labelled.jsonl"


def _matches(pred: dict, gold: dict) -> bool:
    overlap = min(pred["end"], gold["end"]) - max(pred["start"], gold["start"])
    return pred["kind"] == gold["kind"] and overlap * 2 >= gold["end"] - gold["start"]


def evaluate(path: str | Path = DEFAULT_PATH) -> dict:
    """Per kind and "overall": support, predicted, tp, precision, recall; plus the misses.

    "errors" lists (text, "missed"/"false", kind, span text) for looking at what went wrong.
    """
    counts = {
        kind: {"support": 0, "predicted": 0, "tp_gold": 0, "tp_pred": 0} for kind in KIND_LABELS
    }
    errors = []
    sentences = 0
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        sentences += 1
        text, gold = row["text"], row["spans"]
        pred = [{"kind": f.kind, "start": f.start, "end": f.end} for f in find(text)]
        for g in gold:
            counts[g["kind"]]["support"] += 1
            if any(_matches(p, g) for p in pred):
                counts[g["kind"]]["tp_gold"] += 1
            else:
                errors.append((text, "missed", g["kind"], text[g["start"] : g["end"]]))
        for p in pred:
            counts[p["kind"]]["predicted"] += 1
            if any(_matches(p, g) for g in gold):
                counts[p["kind"]]["tp_pred"] += 1
            else:
                errors.append((text, "false", p["kind"], text[p["start"] : p["end"]]))

    result = {}
    total = {"support": 0, "predicted": 0, "tp_gold": 0, "tp_pred": 0}
    for kind, c in [*counts.items(), ("overall", total)]:
        if kind != "overall":
            for key in total:
                total[key] += c[key]
        result[kind] = {
            "support": c["support"],
            "predicted": c["predicted"],
            "tp": c["tp_gold"],
            "recall": c["tp_gold"] / c["support"] if c["support"] else 1.0,
            "precision": c["tp_pred"] / c["predicted"] if c["predicted"] else 1.0,
        }
    result["sentences"] = sentences
    result["errors"] = errors
    return result


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    path = args[0] if args else DEFAULT_PATH
    result = evaluate(path)
    print(f"{result['sentences']} sentences, {Path(path).name}")
    print(
        f"{'kind':<16}{'label':<10}{'support':>8}{'found':>7}{'TP':>5}"
        f"{'precision':>11}{'recall':>8}"
    )
    for kind in [*KIND_LABELS, "overall"]:
        r = result[kind]
        label = KIND_LABELS.get(kind, "全体")
        print(
            f"{kind:<16}{label:<10}{r['support']:>8}{r['predicted']:>7}{r['tp']:>5}"
            f"{r['precision']:>11.3f}{r['recall']:>8.3f}"
        )
    if "-v" in sys.argv:
        for text, what, kind, span in result["errors"]:
            print(f"{what:<7}{kind:<16}{span!r:<28}{text}")


if __name__ == "__main__":
    main()
