"""Each kiosk's signs of life (kiosk.health, kiosk.start, kiosk.stop) by time: the back office's health
page finds a kiosk's latest report and today's restarts with a probe, whatever the size of the log."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("site", "0005_french_typography_in_labels")]
    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(condition=models.Q(("kind__in", ["kiosk.health", "kiosk.start", "kiosk.stop"])),
                               fields=["kiosk_id", "ts"], name="events_kiosk_life"),
        ),
    ]
