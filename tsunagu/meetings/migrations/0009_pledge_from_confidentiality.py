"""The 誓約書 (Pledge) model moves here from confidentiality: it points at the meeting it
covers, and data should point the same way as imports (docs/ARCHITECTURE.md). The table keeps
its name, confidentiality_pledge, so only Django's idea of where the model lives changes: the
create below is state-only, and confidentiality/0004_pledge_to_meetings deletes the old model
from the state only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="confidentiality", target="meetings"):
    """Keep the model's content type (and the permissions hanging on it) under its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="pledge").exists():
        ContentType.objects.filter(app_label=source, model="pledge").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="meetings", target="confidentiality")


class Migration(migrations.Migration):

    dependencies = [
        ("confidentiality", "0003_inputs_limits"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("meetings", "0008_prepare"),
        ("organizations", "0002_inputs_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Pledge',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('fiscal_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='年度')),
                        ('signer_name', models.CharField(max_length=50, verbose_name='氏名')),
                        ('affiliation', models.CharField(max_length=200, verbose_name='所属・団体または住所')),
                        ('method', models.CharField(choices=[('online', '画面で署名'), ('paper', '紙で受領')], max_length=20, verbose_name='方法')),
                        ('scan', models.FileField(blank=True, upload_to='pledges/%Y/%m/', verbose_name='紙の誓約書（スキャン）')),
                        ('signed_at', models.DateTimeField(auto_now_add=True, verbose_name='署名日時')),
                        ('recorded_by', models.CharField(blank=True, max_length=150, verbose_name='記録者')),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='pledges', to='meetings.meeting', verbose_name='会議')),
                        ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pledges', to='organizations.municipality', verbose_name='市町村')),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='pledges', to='organizations.person', verbose_name='名簿の人')),
                        ('policy_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pledges', to='confidentiality.policyversion', verbose_name='署名した版')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='pledges', to=settings.AUTH_USER_MODEL, verbose_name='利用者')),
                    ],
                    options={
                        'verbose_name': '誓約書',
                        'verbose_name_plural': '誓約書',
                        'db_table': 'confidentiality_pledge',
                        'ordering': ['-signed_at'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('fiscal_year__isnull', True), ('meeting__isnull', False)), models.Q(('fiscal_year__isnull', False), ('meeting__isnull', True)), _connector='OR'), name='pledge_covers_meeting_or_year'), models.UniqueConstraint(condition=models.Q(('meeting__isnull', False), ('user__isnull', False)), fields=('meeting', 'user'), name='pledge_once_per_meeting_user', violation_error_message='この方の誓約書はすでに記録されています。'), models.UniqueConstraint(condition=models.Q(('meeting__isnull', False), ('person__isnull', False)), fields=('meeting', 'person'), name='pledge_once_per_meeting_person', violation_error_message='この方の誓約書はすでに記録されています。'), models.UniqueConstraint(condition=models.Q(('fiscal_year__isnull', False), ('user__isnull', False)), fields=('fiscal_year', 'user', 'municipality'), name='pledge_once_per_year_user', violation_error_message='この方の誓約書はすでに記録されています。')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
