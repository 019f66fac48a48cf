# The hash chain, part 2 of 4: entries written before the chain existed are chained in id
# order (the order they were written in), and the head is set to the last of them.

from django.db import migrations

from tsunagu.audit.chain import GENESIS, entry_hash


def chain_existing(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    db = schema_editor.connection.alias
    previous, seq = GENESIS, 0
    for entry in AuditEntry.objects.using(db).order_by("id").iterator(chunk_size=1000):
        seq += 1
        entry.seq, entry.prev_hash = seq, previous
        entry.hash = entry_hash(entry)
        AuditEntry.objects.using(db).filter(pk=entry.pk).update(
            seq=entry.seq, prev_hash=entry.prev_hash, hash=entry.hash
        )
        previous = entry.hash
    AuditChainHead.objects.using(db).create(id=1, seq=seq, hash=previous)


def unchain(apps, schema_editor):
    apps.get_model("audit", "AuditChainHead").objects.using(schema_editor.connection.alias).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_chain_fields"),
    ]

    operations = [
        migrations.RunPython(chain_existing, unchain),
    ]
