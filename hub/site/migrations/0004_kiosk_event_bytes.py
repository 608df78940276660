"""Each kiosk's stored event size, counted against its quota by the ingest (hub/ingest.py), starts
from the events it already has (the same estimate: payload characters plus a row's share)."""
from django.db import migrations, models

# hub/ingest.py ROW_BYTES as it was when this migration was written (a migration does not change later)
FILL = ("UPDATE kiosks SET event_bytes = (SELECT COALESCE(SUM(LENGTH(payload) + 256), 0) FROM events "
        "WHERE events.kiosk_id = kiosks.name)")


class Migration(migrations.Migration):
    dependencies = [("site", "0003_kiosk_revocation_and_file_owner")]
    operations = [
        migrations.AddField(model_name="kiosk", name="event_bytes",
                            field=models.BigIntegerField(db_default=0, default=0, editable=False)),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
