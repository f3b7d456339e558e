"""The course index under the home page, editable by instructors."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from wagtail.models import GroupPagePermission

from lms.models import HomePage
from lms.roles import INSTRUCTORS

from .models import CourseIndexPage

INDEX = {
    "title_en": "Courses",
    "title_es": "Cursos",
    "slug_en": "courses",
    "slug_es": "cursos",
    "intro_en": "Courses for officers, agents, analysts and prosecutors of both countries.",
    "intro_es": "Cursos para oficiales, agentes, analistas y fiscales de ambos países.",
}
INSTRUCTOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


@transaction.atomic
def ensure():
    """Create the course index once and let instructors author below it."""
    index = CourseIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.get()
        with translation.override("en"):
            index = CourseIndexPage(**INDEX)
            home.add_child(instance=index)
            index.save_revision().publish()
    instructors, _ = Group.objects.get_or_create(name=INSTRUCTORS)
    for codename in INSTRUCTOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=instructors, page=index, permission=permission)
    return index
