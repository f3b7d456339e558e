from django.db import migrations

from lms.roles import ADMINISTRATORS, grant


def grant_assign_instructors(apps, schema_editor):
    grant(apps, {ADMINISTRATORS: ["courses.assign_instructors"]})


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_lesson_blocks"),
        ("lms", "0002_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="coursepage",
            options={
                "permissions": [("assign_instructors", "Can set who teaches a course")],
                "verbose_name": "course",
                "verbose_name_plural": "courses",
            },
        ),
        migrations.RunPython(grant_assign_instructors, migrations.RunPython.noop),
    ]
