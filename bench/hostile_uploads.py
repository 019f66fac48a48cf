"""Time and memory of reading the worst uploads: hostile files and the largest accepted ones.

    .venv/bin/python bench/hostile_uploads.py

For each file: its size, how long reading (and, for benefit data, parsing and screening) took,
the memory of the process that did it at its largest (ru_maxrss of a child forked for it, so
it includes Django and openpyxl, some 60 MB), and the answer (rows read, or the message staff
see). No database is needed: this is the part of an upload that grows with the file; the views
around it only stage the file and render at most 200 problems.
"""

import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")

import django  # noqa: E402

django.setup()

from tsunagu.cases import screening  # noqa: E402
from tsunagu.lib.tabular import DEFAULT_LIMITS, UnreadableFile, read_table  # noqa: E402
from tsunagu.lib.tests import hostile  # noqa: E402


def expanding_xlsx(target_bytes: int) -> tuple[str, bytes]:
    """Like the file of the issue: a small .xlsx whose sheet expands to `target_bytes`."""
    row = "".join(f'<c r="{c}1"><v>1</v></c>' for c in "ABCDEFGHIJ")
    rows = "".join(f'<row r="{n}">{row}</row>' for n in range(1, 1001))
    repeats = target_bytes // len(rows) + 1
    body = f'<worksheet xmlns="{NS}"><sheetData>{rows * repeats}</sheetData></worksheet>'
    return "expanding.xlsx", hostile.xlsx_with({hostile.SHEET: body.encode()})


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def largest_resource_csv() -> tuple[str, bytes]:
    """As many rows of 16 columns as the default limits accept."""
    line = (
        "いきいきサロン{n},サロン,明第1町会,体操と茶話会,明第1,会館,,,"
        "第2火曜 10:00〜12:00,,,20,,,,\n"
    )
    rows = min(DEFAULT_LIMITS.max_rows, DEFAULT_LIMITS.max_cells // 9) - 1
    text = ",".join(resource_columns()) + "\n"
    return "resources.csv", (text + "".join(line.format(n=n) for n in range(rows))).encode()


def repeated_rows(cells: int) -> tuple[str, bytes]:
    """As hostile.repeated_rows, with varied values so that it compresses as real data does."""
    rows = "".join(
        f'<row r="1">{"".join(f"<c><v>{n * 10 + i}</v></c>" for i in range(10))}</row>'
        for n in range(cells // 10)
    )
    body = f'<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>'
    return "repeated_at_limit.xlsx", hostile.xlsx_with({hostile.SHEET: body.encode()})


def resource_columns():
    from tsunagu.resources.exports import COLUMNS

    return COLUMNS


def largest_benefit_csv() -> tuple[str, bytes]:
    """A month of benefit data at its own row limit."""
    header = ",".join(screening.COLUMNS) + "\n"
    line = "12700000{o:02d},事業所{o},U{u:06d},要介護1,2021-10,訪問介護,3,0,12000,167650\n"
    rows = screening.LIMITS.max_rows - 1
    body = "".join(line.format(o=n % 100, u=n) for n in range(rows))
    return "benefit.csv", (header + body).encode()


def xlsx_of(filename_rows) -> tuple[str, bytes]:
    name, data = filename_rows
    table = read_table(data, name, screening.LIMITS)
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return name.replace(".csv", ".xlsx"), buffer.getvalue()


def measure(label, filename, data, work):
    """Run `work` in a child process: its time, and its memory at its largest (ru_maxrss)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        started = time.perf_counter()
        try:
            answer = work(data, filename)
        except UnreadableFile as error:
            answer = f"拒否: {error}"
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        os.write(writer, f"{seconds:.2f}\t{peak:.0f}\t{answer}".encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        seconds, peak, answer = pipe.read().decode().split("\t", 2)
    os.waitpid(pid, 0)
    unzipped = ""
    if filename.endswith(".xlsx"):
        try:
            size = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
            unzipped = f"（展開後 {size / 1e6:,.0f} MB）"
        except zipfile.BadZipFile:
            pass
    print(
        f"{label:<26} {len(data) / 1024:>7,.0f} KB{unzipped:<14} {float(seconds):>6.2f} 秒  "
        f"最大 {int(peak):>5,} MB  {answer}",
        flush=True,
    )


def read(data, filename):
    return f"{len(read_table(data, filename)):,}行を読み取り"


def screen(data, filename):
    rows, problems = screening.parse_benefit_data(read_table(data, filename, screening.LIMITS))
    result = screening.screen(rows, month=None)
    return f"{len(rows):,}行・問題{problems.total}件・該当プラン{len(result.plans):,}件"


def main():
    print(f"{'ファイル':<24} {'大きさ':>12}{'':<14} {'時間':>8}  {'最大メモリ':>8}  結果")
    cases = [(name, *make()) for name, make in sorted(hostile.ALL.items())]
    cases.append(("expanding_223MB (issue)", *expanding_xlsx(223 * 1024 * 1024)))
    cases.append(("expanding_55MB", *expanding_xlsx(55 * 1024 * 1024)))
    cases.append(("expanding_5MB", *expanding_xlsx(5 * 1024 * 1024)))
    cases.append(("largest_resource_csv", *largest_resource_csv()))
    # The slowest .xlsx still let through: cells just under the limit, none handed on.
    cases.append(("repeated_rows_at_limit", *repeated_rows(DEFAULT_LIMITS.max_cells)))
    for label, filename, data in cases:
        measure(label, filename, data, read)
    benefit = largest_benefit_csv()
    measure("largest_benefit_csv", *benefit, screen)
    measure("largest_benefit_xlsx", *xlsx_of(benefit), screen)


if __name__ == "__main__":
    main()
