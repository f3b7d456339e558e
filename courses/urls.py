"""Included under /<lang>/ by lms/urls.py."""

from django.urls import path, register_converter

from . import views


class IdConverter:
    """A database id: at most 18 digits, so an absurd number in the URL is
    a 404 rather than an integer overflow in the database driver."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "courses_id")

urlpatterns = [
    path("learning/", views.my_learning, name="my_learning"),
    path("learning/enrol/<courses_id:course_id>/", views.enrol, name="enrol"),
    path("learning/complete/<courses_id:page_id>/", views.complete, name="complete_step"),
    path("search/", views.search, name="search"),
]
