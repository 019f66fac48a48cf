"""The README and docs/ stand alone: every link resolves inside the repository, no page cites
files from outside it, and every page can be reached from the index.

Standard library only, so it also runs without the project's virtualenv:
    python3 tsunagu/tests/test_docs_links.py
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README_MAX_LINES = 200

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:
# Team notes that live outside the repository; the docs restate what they need instead.
OUTSIDE_CITATIONS = re.compile(r"DOMAIN\.md|DESIGN\.md|\.\./shared\b|/work/shared|\bDOMAIN\b")


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def without_code(text: str) -> str:
    return INLINE_CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: markup dropped, lower case, punctuation removed,
    spaces to hyphens (CJK characters are kept)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = text.replace("`", "").replace("*", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[str]:
    return LINK.findall(without_code(path.read_text(encoding="utf-8")))


def broken_links(path: Path) -> list[str]:
    problems = []
    for target in links(path):
        if EXTERNAL.match(target):
            continue
        file_part, _, fragment = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        where = f"{path.relative_to(ROOT)}: {target}"
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{where} (points outside the repository)")
        elif not resolved.exists():
            problems.append(f"{where} (no such file)")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            problems.append(f"{where} (no heading with this anchor)")
    return problems


def test_it_finds_the_readme_and_docs_pages():
    pages = doc_files()
    assert (ROOT / "README.md") in pages
    assert (ROOT / "docs" / "README.md") in pages
    assert all(page.exists() for page in pages)


def test_it_resolves_every_link_to_a_file_and_heading_in_the_repository():
    problems = [problem for page in doc_files() for problem in broken_links(page)]
    assert not problems, "\n".join(problems)


def test_it_cites_no_file_outside_the_repository():
    problems = []
    for page in doc_files():
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            if OUTSIDE_CITATIONS.search(line):
                problems.append(f"{page.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not problems, "\n".join(problems)


def test_it_reaches_every_docs_page_from_the_index():
    index = ROOT / "docs" / "README.md"
    reached, queue = {index}, [index]
    while queue:
        page = queue.pop()
        for target in links(page):
            file_part = target.partition("#")[0]
            if EXTERNAL.match(target) or not file_part.endswith(".md"):
                continue
            linked = (page.parent / file_part).resolve()
            if linked.is_relative_to(ROOT / "docs") and linked.exists() and linked not in reached:
                reached.add(linked)
                queue.append(linked)
    unreached = [str(p.relative_to(ROOT)) for p in doc_files()[1:] if p not in reached]
    assert not unreached, unreached


def test_it_keeps_the_readme_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines"


def test_it_tells_a_broken_link_and_an_outside_citation_apart_from_good_ones(tmp_path):
    # The checks themselves, on a scratch page outside the checkout (tests never write into it).
    page = tmp_path / "page.md"
    page.write_text(
        "# 見出し（例）\n[ok](#見出し例) [bad](#ない) `[code](nowhere.md)`\n"
        "```\n[fenced](nowhere.md)\n```\n[web](https://example.org/)\n",
        encoding="utf-8",
    )
    assert links(page) == ["#見出し例", "#ない", "https://example.org/"]
    assert "見出し例" in anchors(page)
    assert "ない" not in anchors(page)
    assert slug("Open Referral HSDS 3.0") == "open-referral-hsds-30"
    assert slug("10. ログ") == "10-ログ"
    assert OUTSIDE_CITATIONS.search("詳しくは ../shared/DOMAIN.md を見る")
    assert not OUTSIDE_CITATIONS.search("[運用](operations.md)")


if __name__ == "__main__":
    import sys
    import tempfile
    import traceback

    failed = 0
    for name, function in sorted(globals().items()):
        if not name.startswith("test_it_"):
            continue
        try:
            if "tmp_path" in function.__code__.co_varnames[: function.__code__.co_argcount]:
                with tempfile.TemporaryDirectory() as scratch:
                    function(Path(scratch))
            else:
                function()
            print(f"ok    {name}")
        except AssertionError:
            failed += 1
            print(f"FAIL  {name}")
            traceback.print_exc()
    sys.exit(1 if failed else 0)
