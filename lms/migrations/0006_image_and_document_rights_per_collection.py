"""Instructors and Administrators get their image and document rights on
Wagtail's root collection.

Migration 0002 gave both roles the model permissions (add, change, choose;
delete for Administrators), but Wagtail grants images and documents per
collection (GroupCollectionPermission) and ignores model permissions there:
only the superuser could open the libraries or choose a lesson image or a
job aid. Safe to run twice."""

from django.db import migrations

from lms.roles import ADMINISTRATORS, INSTRUCTORS, ensure_permissions

COLLECTION_GRANTS = {
    INSTRUCTORS: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    ADMINISTRATORS: [
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


def grant_on_root_collection(apps, schema_editor):
    ensure_permissions(apps)
    Collection = apps.get_model("wagtailcore", "Collection")
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for group_name, perms in COLLECTION_GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for perm in perms:
            app_label, codename = perm.split(".")
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0005_bare_page_for_benchmarks"),
        ("lms", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(grant_on_root_collection, migrations.RunPython.noop)]
