"""Weakness 1: a non-superuser administrator cannot take over a superuser,
nor raise anyone above their own rights."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from lms.roles import ADMINISTRATORS, TRAINEES
from tests.factories import PASSWORD, UserFactory, make_administrator, make_trainee

pytestmark = pytest.mark.django_db


def edit_form(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "password1": "",
        "password2": "",
        "groups": [g.pk for g in user.groups.all()],
    }
    data.update(changes)
    return data


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True, setup__role=None)


def not_found(response):
    """What an unknown user id gets (Django's LocaleMiddleware turns the
    admin's 404 into a redirect to the language-prefixed path, itself a 404)."""
    return response.status_code == 404 or (
        response.status_code == 302 and response["Location"].startswith("/en/admin/users/")
    )


def test_administrator_cannot_open_or_edit_a_superuser(client, superuser):
    client.force_login(make_administrator())
    url = reverse("wagtailusers_users:edit", args=[superuser.pk])
    unknown = client.get(reverse("wagtailusers_users:edit", args=[superuser.pk + 1000]))
    assert not_found(unknown)
    response = client.get(url)
    assert (response.status_code, response.get("Location", "").replace(str(superuser.pk), "ID")) == (
        unknown.status_code,
        unknown.get("Location", "").replace(str(superuser.pk + 1000), "ID"),
    )
    new = "Taken-Over-Password-2026"
    response = client.post(url, edit_form(superuser, password1=new, password2=new))
    assert not_found(response)
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)
    assert not superuser.check_password(new)
    assert not_found(client.post(reverse("wagtailusers_users:delete", args=[superuser.pk])))
    superuser.refresh_from_db()


def test_superuser_can_edit_a_superuser(client, superuser):
    other = UserFactory(is_superuser=True, setup__role=None)
    client.force_login(other)
    assert client.get(reverse("wagtailusers_users:edit", args=[superuser.pk])).status_code == 200


def test_administrator_cannot_make_a_superuser(client):
    client.force_login(make_administrator())
    trainee = make_trainee()
    url = reverse("wagtailusers_users:edit", args=[trainee.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    response = client.post(url, edit_form(trainee, is_superuser="on"))
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert not trainee.is_superuser

    client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "first_name": "New",
            "last_name": "Comer",
            "password1": "A-long-enough-pass-2026",
            "password2": "A-long-enough-pass-2026",
            "is_superuser": "on",
            "groups": [Group.objects.get(name=TRAINEES).pk],
        },
    )
    from django.contrib.auth import get_user_model

    newcomer = get_user_model().objects.get(username="newcomer")
    assert not newcomer.is_superuser


def test_administrator_cannot_grant_a_group_with_rights_they_lack(client):
    powerful = Group.objects.create(name="Group managers")
    from django.contrib.auth.models import Permission

    powerful.permissions.add(Permission.objects.get(content_type__app_label="auth", codename="change_group"))
    client.force_login(make_administrator())
    trainee = make_trainee()
    response = client.post(
        reverse("wagtailusers_users:edit", args=[trainee.pk]),
        edit_form(trainee, groups=[powerful.pk]),
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not trainee.groups.filter(pk=powerful.pk).exists()
    # Granting their own role stays possible.
    response = client.post(
        reverse("wagtailusers_users:edit", args=[trainee.pk]),
        edit_form(trainee, groups=[Group.objects.get(name=ADMINISTRATORS).pk]),
    )
    assert response.status_code == 302
    assert trainee.groups.filter(name=ADMINISTRATORS).exists()
