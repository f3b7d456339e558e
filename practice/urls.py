from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("practice/<int:exercise_id>/start/", views.start, name="start"),
    path("practice/attempts/<int:attempt_id>/", views.workspace, name="workspace"),
    path("practice/attempts/<int:attempt_id>/entry/<int:task_id>/", views.entry, name="entry"),
    path("practice/attempts/<int:attempt_id>/search/", views.search_view, name="search"),
    path("practice/attempts/<int:attempt_id>/records/<int:record_id>/", views.record_view, name="record"),
    path("practice/attempts/<int:attempt_id>/submit/", views.submit, name="submit"),
    path("practice/attempts/<int:attempt_id>/result/", views.result, name="result"),
]
