"""Included under /<lang>/ by lms/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify_index, name="verify_index"),
    # <path:> so that any code, slashes and all, reaches the view and gets the
    # same "not found" answer as an unknown one.
    path("verify/<path:code>/", views.verify, name="verify"),
    path(
        "certificates/<str:serial>/download/",
        views.download,
        name="certificate_download",
    ),
    path(
        "certificates/recertify/<int:course_id>/",
        views.recertify,
        name="certificate_recertify",
    ),
]
