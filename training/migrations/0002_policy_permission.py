# ruff: noqa: RUF012
from django.db import migrations

from lms.roles import ADMINISTRATORS, grant


def allow_administrators(apps, schema_editor):
    grant(apps, {ADMINISTRATORS: ["training.change_translationpolicysettings"]})


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("lms", "0002_roles"),
    ]

    operations = [migrations.RunPython(allow_administrators, migrations.RunPython.noop)]
