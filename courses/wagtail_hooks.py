from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_course_actions(actions):
    actions.register_action("courses.enroll", _("Enrol"), _("Enrolled in a course"))
    actions.register_action("courses.new_cycle", _("New cycle"), _("Started a new cycle of a course"))
    actions.register_action("courses.complete", _("Complete"), _("Completed a course"))
