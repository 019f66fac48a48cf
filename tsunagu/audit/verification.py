"""Verifying the chain stored in the database (used by `manage.py verify_audit`)."""

from dataclasses import dataclass, field

from .chain import HASHED_FIELDS, Head, Problem, verify
from .models import AuditChainHead, AuditEntry


@dataclass
class Result:
    count: int = 0
    problems: list[Problem] = field(default_factory=list)
    last: Head | None = None  # the newest entry seen


def verify_database(*, anchors: dict[int, str] | None = None, using="default") -> Result:
    """Walk every entry in seq order (streamed, so memory stays flat) and check the chain.

    `anchors` maps seq → hash noted down earlier outside the database; each must still match.
    """
    anchors = dict(anchors or {})
    result = Result()
    head = AuditChainHead.objects.using(using).filter(pk=AuditChainHead.ONLY).first()
    rows = (
        AuditEntry.objects.using(using)
        .order_by("seq")
        .values("id", "hash", *HASHED_FIELDS)
        .iterator(chunk_size=2000)
    )

    def counted(rows):
        for row in rows:
            result.count += 1
            result.last = Head(row["seq"], row["hash"])
            expected = anchors.pop(row["seq"], None)
            if expected is not None and expected != row["hash"]:
                result.problems.append(
                    Problem(row["seq"], row["id"], "控えておいたハッシュと一致しません。")
                )
            yield row

    if head is None:
        result.problems += verify(counted(rows))
        if result.count:
            result.problems.append(Problem(None, None, "チェーンの先頭（記録）がありません。"))
    else:
        result.problems += verify(counted(rows), Head(head.seq, head.hash))
    for seq in sorted(anchors):
        result.problems.append(Problem(seq, None, "控えておいた通番の記録がありません。"))
    result.problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return result
