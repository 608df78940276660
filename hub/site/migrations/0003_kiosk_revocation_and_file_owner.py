"""`hub revoke-kiosk` keeps the date a kiosk was revoked; each kiosk's drawings are counted against its
quota through an index on their owner (hub/storage.py)."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("site", "0002_json_indexes_and_adoption")]
    operations = [
        migrations.AddField(model_name="kiosk", name="revoked_at",
                            field=models.TextField(blank=True, editable=False, null=True)),
        migrations.AddIndex(model_name="storedfile", index=models.Index(fields=["kiosk_id"], name="files_kiosk")),
    ]
