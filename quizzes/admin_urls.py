from django.urls import path

from . import reports

urlpatterns = [
    path("", reports.QuizStatisticsIndexView.as_view(), name="index"),
    path("results/", reports.QuizStatisticsIndexView.as_view(results_only=True), name="index_results"),
    path("<int:quiz_id>/", reports.QuizStatisticsView.as_view(), name="detail"),
]
