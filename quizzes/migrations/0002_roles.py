from django.db import migrations

from lms.roles import ADMINISTRATORS, INSTRUCTORS, grant

BANK = [
    f"quizzes.{action}_{model}"
    for model in ("question", "questioncategory")
    for action in ("add", "change", "delete", "view")
]


def grant_question_bank(apps, schema_editor):
    grant(apps, {INSTRUCTORS: BANK, ADMINISTRATORS: BANK})


class Migration(migrations.Migration):
    dependencies = (
        ("quizzes", "0001_initial"),
        ("lms", "0002_roles"),
    )

    operations = (migrations.RunPython(grant_question_bank, migrations.RunPython.noop),)
