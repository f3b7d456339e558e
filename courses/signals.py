from django.dispatch import Signal

#: Sent once, on commit, when an enrolment becomes complete.
#: Arguments: ``sender`` (the Enrollment class) and ``enrollment``.
course_completed = Signal()
