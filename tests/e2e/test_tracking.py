"""Certification tracking in a real browser: the coordinator's scoped report
and the accessible dashboard panel."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from lms.models import Agency
from tests.courses.factories import make_course
from tests.tracking.factories import populate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def tracked(demo, course_index):
    course = make_course(course_index, modules=1, lessons=1)
    populate(Agency.objects.get(acronym="CBP"), course)
    populate(Agency.objects.get(acronym="FGR"), course)
    return course


def test_coordinator_sees_only_cbp(live_server, page, login, tracked):
    login("coordinator")
    page.goto(f"{live_server.url}/admin/reports/certification-by-agency/")
    rows = page.locator("#certification-by-agency tbody tr")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-agency") == "CBP"
    assert "FGR" not in page.locator("#certification-by-agency").inner_text()
    # Drill down from the "expired" figure to the people behind it.
    rows.first.locator("td").nth(10).locator("a").click()
    page.wait_for_load_state("networkidle")
    names = page.locator("#certification-people tbody th").all_inner_texts()
    assert len(names) == 1 and "Lapsed" in names[0]


def test_dashboard_panel_has_no_axe_violations(live_server, page, login, tracked):
    login("admin")
    page.goto(f"{live_server.url}/admin/")
    panel = page.locator("#certification-dashboard-section")
    assert panel.locator("svg[role=img] title").count() == 2
    result = Axe().run(page, context={"include": [["#certification-dashboard-section"]]})
    violations = [(v["id"], v["impact"]) for v in result.response["violations"]]
    assert violations == []
