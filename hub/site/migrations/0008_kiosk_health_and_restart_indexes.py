"""The health page's probes, one index each: a kiosk's health reports by time, and its starts and stops by
time. events_kiosk_life held all three kinds: the starts of today were found among a season of reports
(one every five minutes of opening), and PostgreSQL, reading the life condition beside kind = 'kiosk.health',
multiplied the two, expected a handful of reports and read every kiosk's through events_kind."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("site", "0007_event_kiosk_clock")]
    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(condition=models.Q(("kind", "kiosk.health")),
                               fields=["kiosk_id", "ts"], name="events_kiosk_health"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(condition=models.Q(("kind__in", ["kiosk.start", "kiosk.stop"])),
                               fields=["kiosk_id", "ts"], name="events_kiosk_restarts"),
        ),
        migrations.RemoveIndex(model_name="event", name="events_kiosk_life"),
    ]
