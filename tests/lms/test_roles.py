import pytest
from django.contrib.auth.models import Group

from lms.roles import ADMINISTRATORS, COORDINATORS, INSTRUCTORS, TRAINEES
from tests.factories import make_coordinator, make_instructor, make_trainee

pytestmark = pytest.mark.django_db


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_trainees_have_no_permissions():
    assert perms(TRAINEES) == set()


def test_instructors_author_but_do_not_manage_people():
    granted = perms(INSTRUCTORS)
    assert {"wagtailadmin.access_admin", "lms.teach_courses", "wagtailimages.add_image"} <= granted
    assert not {p for p in granted if p.startswith("lms.") and "agency" in p}
    assert "lms.view_all_agencies" not in granted
    assert not {p for p in granted if p.startswith("auth.")}


def test_coordinators_follow_their_agency_only():
    granted = perms(COORDINATORS)
    assert {"wagtailadmin.access_admin", "lms.coordinate_agency"} <= granted
    assert "lms.view_all_agencies" not in granted
    assert "lms.change_agency" not in granted
    assert "lms.teach_courses" not in granted


def test_administrators_manage_agencies_and_people():
    granted = perms(ADMINISTRATORS)
    assert {
        "wagtailadmin.access_admin",
        "lms.view_all_agencies",
        "lms.add_agency",
        "lms.change_agency",
        "auth.change_user",
    } <= granted


def test_trainee_cannot_open_the_admin(client):
    client.force_login(make_trainee())
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "/admin/login/" in response.get("Location", "") or response.status_code == 403


def test_instructor_and_coordinator_open_the_admin(client):
    for user in (make_instructor(), make_coordinator()):
        client.force_login(user)
        assert client.get("/admin/").status_code == 200


def test_only_administrators_manage_agencies(client):
    from tests.factories import make_administrator

    client.force_login(make_coordinator())
    assert client.get("/admin/agencies/").status_code in (302, 403)
    client.force_login(make_administrator())
    assert client.get("/admin/agencies/").status_code == 200
