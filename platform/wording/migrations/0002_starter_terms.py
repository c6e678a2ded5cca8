"""The starter list the platform ships (wording/starter_terms.csv): fixed terms and common misspellings,
written for the platform from the facts of the terms, not copied from any commercial list. The province
extends and corrects it in the console."""

from pathlib import Path

from django.db import migrations

STARTER = Path(__file__).resolve().parents[1] / "starter_terms.csv"


def load(apps, schema_editor):
    from wording.listio import parse_terms

    Term = apps.get_model("wording", "Term")
    for row in parse_terms(STARTER.read_bytes()):
        Term.objects.get_or_create(normalised=row.normalised, defaults={
            "text": row.text, "kind": row.kind, "correct": row.correct, "note": row.note, "updated_by": "平台初始词表",
        })


class Migration(migrations.Migration):
    dependencies = [("wording", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
