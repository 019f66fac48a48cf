"""How long the identifier check takes on the longest text the forms accept.

    .venv/bin/python bench/masking_limits.py

Every free-text field has a length limit (tsunagu/lib/limits.py); the case form checks its
eight free-text fields for names, addresses and numbers before saving, and the minutes are
checked the same way. This times masking.mask() on:

- one field at the case limit (TEXT_CHARS), in three kinds of text: ordinary case notes,
  text dense with names and honorifics, and text dense with numbers and dates;
- the minutes at their limit (MINUTES_CHARS), dense with names;
- all eight case fields at the limit, as one autosave with identifiers would check them.

Each figure is the best of three runs, after one warm-up (SudachiPy loads its dictionary on
first use). Before the limits, a 2.4 MB autosave took 346 s.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tsunagu.confidentiality.masking import mask  # noqa: E402
from tsunagu.lib.limits import MINUTES_CHARS, TEXT_CHARS  # noqa: E402

SAMPLES = {
    "ordinary": "本人は独居で、週2回のデイサービスに通っている。買い物は長女が週末に支援。",
    "names": "山田花子さんと佐藤一郎様、担当の鈴木ケアマネ、司会：長谷川、記録：宮本。",
    "numbers": "電話047-361-2211、被保険者番号1234567890、昭和15年3月2日生まれ、〒270-0000。",
}


def text_of(sample: str, length: int) -> str:
    return (sample * (length // len(sample) + 1))[:length]


def best_of_three(texts: list[str]) -> str:
    """Wall-clock and CPU seconds (the CPU time tells when the machine is busy with others)."""
    times = []
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            mask(text)
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, cpu = min(times)
    return f"{wall:6.3f} s (CPU {cpu:6.3f} s)"


def main():
    mask("山田花子さん")  # warm-up: the dictionary
    print(f"limits: case field {TEXT_CHARS:,} characters, minutes {MINUTES_CHARS:,}")
    for kind, sample in SAMPLES.items():
        seconds = best_of_three([text_of(sample, TEXT_CHARS)])
        print(f"case field at the limit, {kind:8}: {seconds}")
    seconds = best_of_three([text_of(SAMPLES["names"], MINUTES_CHARS)])
    print(f"minutes at the limit, names      : {seconds}")
    fields = [text_of(SAMPLES[kind], TEXT_CHARS) for kind in ("names", "numbers") * 4]
    seconds = best_of_three(fields)
    print(f"autosave, 8 fields at the limit  : {seconds}")


if __name__ == "__main__":
    main()
