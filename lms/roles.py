"""The four roles, as Django groups. Used by data migrations, so it takes the
migration's app registry and never imports models directly."""

TRAINEES = "Trainees"
INSTRUCTORS = "Instructors"
COORDINATORS = "Agency coordinators"
ADMINISTRATORS = "Administrators"
ROLES = [TRAINEES, INSTRUCTORS, COORDINATORS, ADMINISTRATORS]


def ensure_permissions(apps):
    """Create the permissions of every installed model now, not after migrate."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, grants):
    """Add permissions ("app_label.codename") to groups, creating the groups.

    Safe to call twice: adding a permission a group has is a no-op.
    """
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in grants.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
