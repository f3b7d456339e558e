from django.db import migrations

from lms.roles import ADMINISTRATORS, COORDINATORS, INSTRUCTORS, TRAINEES, grant

ROLE_GRANTS = {
    TRAINEES: [],
    INSTRUCTORS: [
        "wagtailadmin.access_admin",
        "lms.teach_courses",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    COORDINATORS: [
        "wagtailadmin.access_admin",
        "lms.coordinate_agency",
    ],
    ADMINISTRATORS: [
        "wagtailadmin.access_admin",
        "lms.view_all_agencies",
        "lms.add_agency",
        "lms.change_agency",
        "lms.delete_agency",
        "lms.view_agency",
        "lms.change_profile",
        "lms.view_profile",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.delete_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
    ],
}


def create_roles(apps, schema_editor):
    grant(apps, ROLE_GRANTS)
    # Administrators edit every page of the site.
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).first()
    admins = Group.objects.get(name=ADMINISTRATORS)
    if root is not None:
        for codename in ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"]:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=admins, page=root, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
