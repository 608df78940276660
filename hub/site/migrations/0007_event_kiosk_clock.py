"""Events placed at a kiosk's estimate of the time keep the kiosk's raw ts and clock note beside it."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("site", "0006_kiosk_life_index")]
    operations = [
        migrations.AddField(model_name="event", name="kiosk_clock", field=models.TextField(null=True)),
    ]
