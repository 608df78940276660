"""The look-ups behind the kiosks' QR codes are index probes on a JSON field of the payload (a survey
pass's run, a decision's target, a group's id). Expression indexes differ in syntax between the two
databases: hub.db.Db.json() writes the same expressions in queries, so the planner uses them."""
from django.db import migrations

from hub.site.legacy import copy_back

INDEXES = [  # name, key, columns before the key, kinds
    ("events_survey_run", "run", "kiosk_id, ", "kind = 'survey.answer'"),
    ("events_moderation_target", "target", "", "kind IN ('moderation.approved', 'moderation.rejected')"),
    ("events_group_id", "group_id", "", "kind IN ('group.step', 'group.challenge', 'group.end')"),
]


def create_indexes(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for name, key, before, where in INDEXES:
        expression = (f"((payload::jsonb ->> '{key}'))" if vendor == "postgresql"
                      else f"json_extract(payload, '$.{key}')")
        schema_editor.execute(f"CREATE INDEX {name} ON events ({before}{expression}) WHERE {where}")
    schema_editor.execute("CREATE INDEX events_survey_session ON events (kiosk_id, session_id) "
                          "WHERE kind = 'survey.answer'")


def drop_indexes(apps, schema_editor) -> None:
    for name in [i[0] for i in INDEXES] + ["events_survey_session"]:
        schema_editor.execute(f"DROP INDEX {name}")


class Migration(migrations.Migration):
    dependencies = [("site", "0001_initial")]
    operations = [
        migrations.RunPython(copy_back, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
