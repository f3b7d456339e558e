"""One population, every view and export: the same figures everywhere.

The population (hand-counted below) has three agencies: AGA requires two
courses, AGB one, AGN none; staff of AGA hold certificates and an inactive
trainee holds one, and none of them may count.
"""

import io
import re

import pytest
from django.urls import reverse

from tests.factories import AgencyFactory, make_coordinator, make_instructor, make_trainee
from tracking import stats

from .conftest import csv_lines, header_row
from .factories import certify, enrol, refresh_states, require

pytestmark = pytest.mark.django_db

FIGURES = list(stats.FIGURES)

# Hand-counted: {agency: {figure: count}} for required certifications.
EXPECTED = {
    "AGA": {
        "trainees": 6,
        "enrolled": 5,
        "in_progress": 1,
        "completed": 4,
        "certified": 2,
        "expiring_30": 1,
        "expiring_60": 1,
        "expiring_90": 1,
        "expired": 1,
        "revoked": 1,
    },
    "AGB": {
        "trainees": 3,
        "enrolled": 2,
        "in_progress": 0,
        "completed": 2,
        "certified": 1,
        "expiring_30": 0,
        "expiring_60": 0,
        "expiring_90": 0,
        "expired": 1,
        "revoked": 0,
    },
}
# Per course (the course filter), course one.
EXPECTED_ONE = {
    "AGA": {"trainees": 6, "certified": 5, "expired": 0, "revoked": 0},
    "AGB": {"trainees": 3, "certified": 1, "expired": 1, "revoked": 0},
    "AGN": {"trainees": 2, "certified": 1, "expired": 0, "revoked": 0},
}


@pytest.fixture
def world(course_index):
    from tests.courses.factories import make_course

    one = make_course(course_index, code="C-1", title="One", modules=1, lessons=1)
    two = make_course(course_index, code="C-2", title="Two", modules=1, lessons=1)
    aga = AgencyFactory(acronym="AGA", country="US")
    agb = AgencyFactory(acronym="AGB", country="MX", name_en="Policía de Ciudad Juárez")
    agn = AgencyFactory(acronym="AGN", country="US")

    def person(agency, name):
        return make_trainee(
            agency=agency, first_name=name, last_name=agency.acronym, username=f"{name}-{agency.acronym}"
        )

    # AGA requires one and two.
    both = person(aga, "both")
    certify(both, one, expires_in=300)
    certify(both, two, expires_in=None)
    soon = person(aga, "soon")  # certified, course two expires in 20 days
    certify(soon, one, expires_in=400)
    certify(soon, two, expires_in=20)
    half = person(aga, "half")  # only course one: not certified, in progress on two
    certify(half, one)
    enrol(half, two)
    lapsed = person(aga, "lapsed")  # course two expired: not certified, expired
    certify(lapsed, one)
    certify(lapsed, two, issued_days_ago=800, expires_in=-3)
    revoked = person(aga, "revoked")  # course two revoked
    certify(revoked, one)
    certify(revoked, two, revoked=True)
    person(aga, "idle")
    # Staff and an inactive trainee with certificates: never counted.
    for staff in (make_coordinator(agency=aga, username="coordA"), make_instructor(agency=aga, username="teachA")):
        certify(staff, one)
        certify(staff, two)
    gone = person(aga, "gone")
    certify(gone, one)
    certify(gone, two)
    gone.is_active = False
    gone.save()

    # AGB requires one.
    certify(person(agb, "ok"), one)
    certify(person(agb, "old"), one, issued_days_ago=900, expires_in=-30)
    person(agb, "idle")

    # AGN requires nothing.
    certify(person(agn, "extra"), one)
    person(agn, "idle")

    require(one, aga, agb)
    require(two, aga)
    refresh_states()
    return {"one": one, "two": two, "aga": aga, "agb": agb, "agn": agn}


def html_rows(html):
    """{acronym: {figure: value}} from the agency report's table."""
    rows = {}
    for acronym, body in re.findall(r'<tr data-agency="([^"]+)">(.*?)</tr>', html, re.DOTALL):
        cells = re.findall(r'<td class="tracking-number[^"]*">(.*?)</td>', body, re.DOTALL)
        values = [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
        rows[acronym] = dict(zip([*FIGURES, "rate"], values, strict=True))
    return rows


def csv_rows(response):
    lines = csv_lines(response)
    header = header_row(lines)
    body = lines[lines.index(header) + 1 :]
    return {line[0] or line[1]: dict(zip(header, line, strict=True)) for line in body if line}


def xlsx_rows(response):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, line in enumerate(lines) if all(value is None for value in line)) + 1
    header = lines[start]
    return {line[0]: dict(zip(header, line, strict=True)) for line in lines[start + 1 :] if line[0]}


HEADINGS = dict(
    zip(
        FIGURES,
        [
            "Trainees",
            "Enrolled",
            "In progress",
            "Completed",
            "Certified and current",
            "Expiring within 30 days",
            "Expiring within 60 days",
            "Expiring within 90 days",
            "Expired",
            "Revoked",
        ],
        strict=True,
    )
)


def people_count(client, params):
    """How many people the people view lists (its CSV export, one person per username)."""
    lines = csv_lines(client.get(reverse("tracking_admin:people"), {**params, "export": "csv"}))
    header = header_row(lines)
    return len({line[0] for line in lines[lines.index(header) + 1 :] if line})


def test_every_view_and_export_agrees(client, admin_user, world):
    client.force_login(admin_user)
    url = reverse("tracking_admin:agencies")
    html = client.get(url).content.decode()
    assert "Figures for required certifications" in html
    from_html = html_rows(html)
    from_csv = csv_rows(client.get(url, {"export": "csv"}))
    from_xlsx = xlsx_rows(client.get(url, {"export": "xlsx"}))

    for acronym, expected in EXPECTED.items():
        agency = world[acronym.lower()]
        assert {name: int(from_html[acronym][name]) for name in FIGURES} == expected, acronym
        assert {name: int(from_csv[acronym][HEADINGS[name]]) for name in FIGURES} == expected, acronym
        assert {name: from_xlsx[acronym][HEADINGS[name]] for name in FIGURES} == expected, acronym
        rate = round(100 * expected["certified"] / expected["trainees"], 1)
        assert float(from_csv[acronym]["Certification rate (%)"]) == rate
        assert from_xlsx[acronym]["Certification rate (%)"] == rate
        assert from_html[acronym]["rate"] == f"{rate:.1f} %"
        # Every figure is the length of the people list it links to.
        for name in FIGURES:
            params = {"agency": agency.pk, "status": stats.FIGURE_STATUS[name]}
            assert people_count(client, params) == expected[name], (acronym, name)

    # The agency that requires nothing: its trainees, and no rate.
    assert from_html["AGN"]["trainees"] == "2" and "Requires no course" in from_html["AGN"]["rate"]
    assert from_csv["AGN"]["Certification rate (%)"] == "Requires no course"
    assert from_csv["AGN"]["Certified and current"] == ""
    assert from_xlsx["AGN"]["Country"] == "United States" and from_csv["AGB"]["Country"] == "Mexico"

    # Totals: every trainee; the rate leaves out AGN.
    certified = sum(row["certified"] for row in EXPECTED.values())
    rated = sum(row["trainees"] for row in EXPECTED.values())
    total_rate = round(100 * certified / rated, 1)
    total = from_csv["Total"]
    assert int(total["Trainees"]) == rated + 2
    assert int(total["Certified and current"]) == certified
    assert float(total["Certification rate (%)"]) == total_rate

    # The matrix: certified people are those whose every required cell is valid.
    lines = csv_lines(client.get(reverse("tracking_admin:matrix"), {"export": "csv"}))
    header = header_row(lines)
    status_columns = [i for i, heading in enumerate(header) if heading.endswith(": status")]
    matrix = {}
    for line in lines[lines.index(header) + 1 :]:
        if not line:
            continue
        cells = [line[i] for i in status_columns]
        required = [cell for cell in cells if cell != "—"]
        if required and all(cell == "Valid" for cell in required):
            matrix[line[2]] = matrix.get(line[2], 0) + 1
    assert matrix == {acronym: expected["certified"] for acronym, expected in EXPECTED.items()}
    assert len({line[0] for line in lines[lines.index(header) + 1 :] if line}) == rated + 2

    # The dashboard: the same total, the definition, the scope and the time.
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Required certifications" in dashboard and "All institutions (3)" in dashboard
    assert re.search(rf'<span class="tracking-figure">{certified}</span>\s*certified and current', dashboard)
    assert re.search(rf'<span class="tracking-figure">{rated + 2}</span>\s*trainees', dashboard)
    assert f"{total_rate:.1f} %" in dashboard
    assert "Require no course (no rate): AGN" in dashboard


def test_course_filter_agrees(client, admin_user, world):
    client.force_login(admin_user)
    params = {"course": world["one"].pk}
    url = reverse("tracking_admin:agencies")
    html = client.get(url, params).content.decode()
    assert "Figures for one course, C-1" in html
    from_html = html_rows(html)
    from_csv = csv_rows(client.get(url, {**params, "export": "csv"}))
    for acronym, expected in EXPECTED_ONE.items():
        agency = AgencyFactory(acronym=acronym)
        for name, value in expected.items():
            assert int(from_html[acronym][name]) == value, (acronym, name)
            assert int(from_csv[acronym][HEADINGS[name]]) == value, (acronym, name)
            status = stats.FIGURE_STATUS[name]
            assert people_count(client, {**params, "agency": agency.pk, "status": status}) == value


def test_events_keep_the_stored_states_current(admin_user, world, django_capture_on_commit_callbacks):
    """Issuing, revoking, leaving the role and moving agency refresh the
    stored state when the transaction commits (no explicit refresh here)."""
    from django.contrib.auth.models import Group

    from lms.models import Agency
    from lms.roles import TRAINEES
    from tracking.criteria import Criteria
    from tracking.models import CertificationState

    def certified(acronym):
        rows = stats.agency_report(admin_user, Criteria()).rows
        return next(row for row in rows if row.acronym == acronym).certified

    User = type(admin_user)
    assert certified("AGB") == 1
    with django_capture_on_commit_callbacks(execute=True):
        cert = certify(User.objects.get(username="idle-AGB"), world["one"], refresh=False)
    assert certified("AGB") == 2
    with django_capture_on_commit_callbacks(execute=True):
        cert.revoked_at = cert.issued_at
        cert.save(update_fields=["revoked_at"])
    assert certified("AGB") == 1
    ok = User.objects.get(username="ok-AGB")
    with django_capture_on_commit_callbacks(execute=True):
        ok.profile.agency = Agency.objects.get(acronym="AGN")
        ok.profile.save()
    assert certified("AGB") == 0
    assert CertificationState.objects.get(user=ok).agency.acronym == "AGN"
    with django_capture_on_commit_callbacks(execute=True):
        ok.groups.remove(Group.objects.get(name=TRAINEES))
    assert not CertificationState.objects.filter(user=ok).exists()


def test_repair_command_rebuilds_and_is_safe_twice(admin_user, world):
    from django.core.management import call_command

    from tracking.criteria import Criteria
    from tracking.models import CertificationState

    before = {row.acronym: row for row in stats.agency_report(admin_user, Criteria()).rows}
    CertificationState.objects.filter(agency__acronym="AGA").delete()
    CertificationState.objects.filter(agency__acronym="AGB").update(held_all=False, revoked=True)
    for _run in range(2):
        call_command("refresh_certification_states", verbosity=0)
        after = {row.acronym: row for row in stats.agency_report(admin_user, Criteria()).rows}
        assert after == before
    assert CertificationState.objects.count() == 11
