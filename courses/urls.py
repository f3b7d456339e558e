"""Included under /<lang>/ by lms/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("learning/", views.my_learning, name="my_learning"),
    path("learning/enrol/<int:course_id>/", views.enrol, name="enrol"),
    path("learning/complete/<int:page_id>/", views.complete, name="complete_step"),
    path("search/", views.search, name="search"),
]
