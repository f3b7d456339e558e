from django.urls import path

from . import reports

urlpatterns = [
    path("", reports.ExerciseIndexView.as_view(), name="index"),
    path("results/", reports.ExerciseIndexView.as_view(results_only=True), name="index_results"),
    path("<int:exercise_id>/", reports.ExerciseStatisticsView.as_view(), name="detail"),
    path("<int:exercise_id>/searches/", reports.SearchLogView.as_view(), name="searches"),
    path(
        "<int:exercise_id>/searches/results/", reports.SearchLogView.as_view(results_only=True), name="searches_results"
    ),
]
