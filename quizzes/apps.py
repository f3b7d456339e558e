from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from courses import dashboard

        from .dashboard import gradebook_panel
        from .pre_post import pre_post_panel

        dashboard.register_panel(gradebook_panel, order=20)
        dashboard.register_course_panel(pre_post_panel, order=20)
