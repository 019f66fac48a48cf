from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AuditEntry(models.Model):
    """One thing that happened: who did what to which record, when and from where.

    The log keeps plain ids and names instead of foreign keys: an entry must outlive the user,
    municipality or record it mentions, and the audit app sits below every other app.
    """

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    actor_id = models.BigIntegerField("利用者ID", null=True, blank=True)
    actor_username = models.CharField("利用者名", max_length=150, blank=True)
    municipality_id = models.BigIntegerField("市町村ID", null=True, blank=True, db_index=True)
    target_type = models.CharField("対象の種類", max_length=64, blank=True)
    target_id = models.CharField("対象ID", max_length=64, blank=True)
    summary = models.CharField("概要", max_length=255, blank=True)
    data = models.JSONField("詳細", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("接続元", null=True, blank=True)

    class Meta:
        verbose_name = "監査ログ"
        verbose_name_plural = "監査ログ"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("監査ログは変更できません。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("監査ログは削除できません。")
