from django.apps import apps
from django.db import models
from django.utils import timezone

from .labels import action_label


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AuditEntry(models.Model):
    """One thing that happened: who did what to which record, when and from where.

    The log keeps plain ids and names instead of foreign keys: an entry must outlive the user,
    municipality or record it mentions, and the audit app sits below every other app.

    Entries form a hash chain (see chain.py): `seq` is gap-free, `prev_hash` is the previous
    entry's `hash`, and `hash` covers this entry's fields. Only services.log() writes entries;
    the database refuses UPDATE (and on PostgreSQL also DELETE) by trigger.
    """

    seq = models.BigIntegerField("通番", unique=True, editable=False)
    # Set by services.log() after the chain lock is taken, so that time follows seq; not
    # auto_now_add, which would overwrite the value the hash was computed from.
    at = models.DateTimeField("日時", default=timezone.now, db_index=True, editable=False)
    action = models.CharField("操作", max_length=64, db_index=True)
    actor_id = models.BigIntegerField("利用者ID", null=True, blank=True)
    actor_username = models.CharField("利用者名", max_length=150, blank=True)
    municipality_id = models.BigIntegerField("市町村ID", null=True, blank=True, db_index=True)
    target_type = models.CharField("対象の種類", max_length=64, blank=True)
    target_id = models.CharField("対象ID", max_length=64, blank=True)
    summary = models.CharField("概要", max_length=255, blank=True)
    data = models.JSONField("詳細", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("接続元", null=True, blank=True)
    prev_hash = models.CharField("前のハッシュ", max_length=64, editable=False)
    hash = models.CharField("ハッシュ", max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = "監査ログ"
        verbose_name_plural = "監査ログ"
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # One municipality's entries, newest first: the audit page's query.
            models.Index(fields=["municipality_id", "seq"], name="audit_municipality_seq"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("監査ログは変更できません。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("監査ログは削除できません。")

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def target_label(self) -> str:
        return target_label(self.target_type)


# Models that moved to another app keep their entries readable (the entries themselves are
# chained and never rewritten).
MOVED_MODELS = {"confidentiality.pledge": "meetings.pledge"}


def target_label(target_type: str) -> str:
    """`organizations.area` → 圏域: the model's verbose_name, or the code if it is gone."""
    if not target_type:
        return ""
    try:
        return str(apps.get_model(MOVED_MODELS.get(target_type, target_type))._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


class AuditChainHead(models.Model):
    """The one row that serialises writers and remembers the end of the chain.

    services.log() increments `seq` with an UPDATE before anything else, which takes the row
    lock on PostgreSQL (and the write lock on SQLite) until the transaction ends: entries are
    chained one at a time, in commit order. `hash` is the hash of entry number `seq`, so that
    deleting the newest entries is noticed too.
    """

    ONLY = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ONLY, editable=False)
    seq = models.BigIntegerField("最後の通番", default=0)
    hash = models.CharField("最後のハッシュ", max_length=64)

    class Meta:
        verbose_name = "監査ログの先頭"
        verbose_name_plural = "監査ログの先頭"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_single_head")]

    def __str__(self):
        return f"{self.seq}: {self.hash}"
