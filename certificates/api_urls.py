"""Included under /api/ by lms/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("certificates/<path:code>/", views.verify_api, name="certificate_api"),
]
