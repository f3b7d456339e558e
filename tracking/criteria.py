"""The filters every tracking view, export and task understands, as one
immutable value parsed once from a request (see ``filters.py``)."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class PersonStatus(models.TextChoices):
    """Which people a figure of the agency report counts (and its link lists)."""

    ENROLLED = "enrolled", pgettext_lazy("tracking", "Enrolled")
    NOT_ENROLLED = "not_enrolled", pgettext_lazy("tracking", "Not enrolled")
    IN_PROGRESS = "in_progress", pgettext_lazy("tracking", "In progress")
    COMPLETED = "completed", pgettext_lazy("tracking", "Completed")
    CERTIFIED = "certified", pgettext_lazy("tracking", "Certified and current")
    EXPIRING_30 = "expiring_30", pgettext_lazy("tracking", "Expiring within 30 days")
    EXPIRING_60 = "expiring_60", pgettext_lazy("tracking", "Expiring within 60 days")
    EXPIRING_90 = "expiring_90", pgettext_lazy("tracking", "Expiring within 90 days")
    EXPIRED = "expired", pgettext_lazy("tracking", "Expired")
    REVOKED = "revoked", pgettext_lazy("tracking", "Revoked")


EXPIRING_DAYS = {PersonStatus.EXPIRING_30: 30, PersonStatus.EXPIRING_60: 60, PersonStatus.EXPIRING_90: 90}

#: Query-string names, shared by the filter forms, the links between the
#: views and the stored filters of bulk downloads.
PARAMS = ("course", "country", "level", "agency", "date_from", "date_to", "status", "q")


@dataclass(frozen=True)
class Criteria:
    """Filters of a report. Ids, not objects, so a criteria can be stored
    (bulk downloads) and turned back into a query string."""

    course_id: int | None = None
    country: str = ""
    level: str = ""
    agency_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: str = ""
    q: str = ""
    today: datetime.date = field(default_factory=timezone.localdate)

    @classmethod
    def from_cleaned_data(cls, data, today=None):
        course = data.get("course")
        agency = data.get("agency")
        return cls(
            course_id=course.pk if course is not None else None,
            country=data.get("country") or "",
            level=data.get("level") or "",
            agency_id=agency.pk if agency is not None else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            status=data.get("status") or "",
            q=(data.get("q") or "").strip(),
            today=today or timezone.localdate(),
        )

    @property
    def uses_stored_states(self):
        """The default definition (no course or date filter) is read from the
        stored certification states; the others are computed live."""
        return not (self.course_id or self.date_from or self.date_to)

    def as_params(self, **overrides):
        """The query-string parameters that reproduce these filters."""
        values = {
            "course": self.course_id,
            "country": self.country,
            "level": self.level,
            "agency": self.agency_id,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "status": self.status,
            "q": self.q,
        }
        values.update(overrides)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def window(self):
        """The date range as aware datetimes [start, end) in the site's time
        zone, so that the enrolment filter can use an index."""
        zone = timezone.get_current_timezone()
        start = end = None
        if self.date_from:
            start = datetime.datetime.combine(self.date_from, datetime.time.min, tzinfo=zone)
        if self.date_to:
            end = datetime.datetime.combine(self.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return start, end
