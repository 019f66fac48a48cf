"""Re-point imports of the pledge and the content rule after they moved to meetings.

Usage: .venv/bin/python scripts/codemods/pledge_to_meetings.py FILE...
then `.venv/bin/ruff check --select I --fix FILE...` to sort the imports.

For branches written before the move: `from tsunagu.confidentiality.models import Pledge` and
the like become imports from tsunagu.meetings (models, content_rule, services, forms); names
that stayed in confidentiality keep their import.
"""

import re
import sys
from pathlib import Path

MOVED = {
    "models": ("tsunagu.meetings.models", {"Pledge", "PledgeMethod", "ALREADY_SIGNED"}),
    "access": (
        "tsunagu.meetings.content_rule",
        {
            "pledge_filter",
            "has_pledge",
            "content_refusal",
            "content_refusals",
            "ContentRefused",
            "require_content",
            "NEEDS_PLEDGE",
        },
    ),
    "services": ("tsunagu.meetings.services", {"record_pledge"}),
    "forms": ("tsunagu.meetings.forms", {"SignForm", "PaperPledgeForm"}),
}
IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)from tsunagu\.confidentiality\.(?P<mod>models|access|services|forms)"
    r" import (?:\((?P<multi>[^)]*)\)|(?P<single>[^\n]*))\n",
    re.M,
)


def rewrite(path: str, source: str) -> str:
    inside_meetings = path.startswith("tsunagu/meetings/") and "/tests/" not in path

    def replace(m: re.Match) -> str:
        target, moved = MOVED[m["mod"]]
        names = [n.strip() for n in (m["multi"] or m["single"]).split(",") if n.strip()]
        stay = [n for n in names if n not in moved]
        go = sorted((n for n in names if n in moved), key=lambda n: (not n.isupper(), n))
        if not go:
            return m.group(0)
        indent = m["indent"]
        out = ""
        if stay:
            out += f"{indent}from tsunagu.confidentiality.{m['mod']} import {', '.join(stay)}\n"
        where = "." + target.rsplit(".", 1)[1] if inside_meetings else target
        return out + f"{indent}from {where} import {', '.join(go)}\n"

    return IMPORT.sub(replace, source)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        file = Path(name)
        before = file.read_text(encoding="utf-8")
        after = rewrite(name, before)
        if after != before:
            file.write_text(after, encoding="utf-8")
            print("rewrote", name)
