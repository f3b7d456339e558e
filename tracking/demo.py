"""Demo data of the tracking app: a small synthetic population across the
demo agencies and courses, so the reports, dashboard and charts have
something to show. DEMO ONLY (load_demo runs only with DEBUG on)."""

from django.conf import settings

from certificates.models import Certificate
from certificates.recovery import store_missing_pdfs
from courses.models import CoursePage
from lms.models import Agency, AgencyLevel

from . import certification, population

DEMO_PREFIX = "synth-demo-"
DEMO_TRAINEES = 60
DEMO_SEED = 7


def load(stdout=None):
    """Create the demo population once. Safe to call twice: when demo
    trainees exist, nothing is added."""
    if not settings.DEBUG:
        return
    if population.synthetic_users().filter(username__startswith=DEMO_PREFIX).exists():
        if stdout:
            stdout.write("  tracking: demo population already present")
        _store_pdfs(stdout)
        return
    agencies = list(Agency.objects.filter(is_active=True).exclude(acronym__startswith=population.AGENCY_PREFIX))
    courses = list(CoursePage.objects.live().order_by("code"))
    if not agencies or not courses:
        if stdout:
            stdout.write("  tracking: no agencies or courses, no demo population")
        return
    if not CoursePage.required_by.through.objects.exists():
        # Nothing marks a course as required yet: let federal agencies
        # require every demo course, so the certification matrix has columns.
        federal = [agency for agency in agencies if agency.level == AgencyLevel.FEDERAL]
        through = CoursePage.required_by.through
        through.objects.bulk_create(
            [through(coursepage_id=course.pk, agency_id=agency.pk) for course in courses for agency in federal]
        )
    # CBP first: the demo coordinator's agency gets the most people.
    agencies.sort(key=lambda agency: (agency.acronym != "CBP", agency.country, agency.acronym))
    stats = population.generate(DEMO_TRAINEES, agencies=agencies, courses=courses, seed=DEMO_SEED, prefix=DEMO_PREFIX)
    certification.refresh_all()  # bulk writes send no signals
    if stdout:
        stdout.write(f"  tracking: {stats}")
    _store_pdfs(stdout)


def _store_pdfs(stdout):
    """Real stored PDFs for the demo certificates (the population writes
    none), so single and bulk downloads work. Safe to call twice."""
    demo_people = population.synthetic_users().filter(username__startswith=DEMO_PREFIX)
    stored = store_missing_pdfs(Certificate.objects.filter(holder__in=demo_people))
    if stdout and stored:
        stdout.write(f"  tracking: {stored} demo certificate PDFs rendered and stored")
