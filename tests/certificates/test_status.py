"""One definition of a certificate's status: the queryset (SQL) and the
model (Python) give the same answer for every combination."""

import datetime
import itertools

import pytest
from django.utils import timezone

from certificates.models import Certificate, Status
from tests.factories import make_trainee
from tests.tracking.factories import certify

pytestmark = pytest.mark.django_db


def test_sql_and_python_agree_on_every_status(agency, cert_course):
    from courses.models import Enrollment

    course = cert_course
    today = timezone.localdate()
    holder = make_trainee(agency=agency)
    made = []
    combinations = itertools.product((None, -1, 0, 1, 40), (False, True), (False, True))
    for cycle, (expires_in, revoked, superseded) in enumerate(combinations, start=1):
        enrollment = Enrollment.objects.create(user=holder, course=course, cycle=cycle, is_current=False)
        cert = certify(holder, course, enrollment=enrollment, expires_in=expires_in, revoked=revoked, refresh=False)
        if superseded:
            Certificate.objects.filter(pk=cert.pk).update(superseded_at=timezone.now())
        made.append(cert.pk)
    rows = Certificate.objects.filter(pk__in=made).with_status(today)
    for cert in rows:
        assert cert.status_code == cert.status_on(today).value, (cert.expires_on, cert.revoked_at, cert.superseded_at)
    by_status = {status: set(rows.filter(status_code=status).values_list("pk", flat=True)) for status in Status.values}
    assert set(Certificate.objects.current(today).values_list("pk", flat=True)) == by_status["valid"]
    assert set(Certificate.objects.expired(today).values_list("pk", flat=True)) == by_status["expired"]
    assert set(Certificate.objects.revoked().values_list("pk", flat=True)) == by_status["revoked"]
    assert set(Certificate.objects.superseded().values_list("pk", flat=True)) == by_status["superseded"]
    # Expiring within 30 days: current, and expires by then (1 day, not 40).
    expiring = Certificate.objects.expiring(30, today)
    assert {c.expires_on for c in expiring} == {today + datetime.timedelta(days=1)}
    # Expired on the expiry day itself, valid the day before.
    day = Certificate.objects.filter(pk__in=made, expires_on=today, revoked_at=None, superseded_at=None).get()
    assert day.status_on(today) == Status.EXPIRED
    assert day.status_on(today - datetime.timedelta(days=1)) == Status.VALID
    assert len(by_status["valid"]) == 3  # never expires, 1 day, 40 days
