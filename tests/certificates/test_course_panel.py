import pytest

from tests.factories import make_trainee

pytestmark = pytest.mark.django_db


def test_course_page_offers_the_holders_certificate(client, cert_course, issue):
    holder = make_trainee(language="es")
    certificate = issue(holder)
    client.force_login(holder)
    html = client.get(cert_course.get_url()).content.decode()
    assert certificate.serial in html
    assert f"/en/verify/{certificate.code}/" in html


def test_course_page_shows_no_certificate_to_someone_else(client, cert_course, issue):
    certificate = issue(make_trainee())
    client.force_login(make_trainee())
    html = client.get(cert_course.get_url()).content.decode()
    assert certificate.serial not in html
    assert certificate.code not in html


def test_menu_links_to_verification(client, home_page):
    assert 'href="/es/verify/"' in client.get("/es/").content.decode()


def test_completion_screen_says_the_certificate_is_being_issued_then_shows_it(client, cert_course, course_index):
    from certificates.issuing import issue_certificate
    from tests.certificates.factories import complete_course, make_small_course

    unlocked = make_small_course(course_index, code="NEXT-1", title="Tracing in depth")
    unlocked.prerequisites.set([cert_course])
    unlocked.save_revision().publish()
    make_small_course(course_index, code="NEXT-2", title="Another course")
    holder = make_trainee()
    # Issuing runs on commit (a task): inside this test it has not run yet.
    enrollment = complete_course(holder, cert_course)
    client.force_login(holder)
    html = client.get(cert_course.get_url()).content.decode()
    assert 'data-testid="course-complete"' in html
    assert 'data-testid="certificate-pending"' in html and "certificates/pending.js" in html
    assert html.index("Tracing in depth") < html.index("Another course")  # what it unlocks first
    from lms.i18n import page_url_in

    assert "Su constancia se está emitiendo" in client.get(page_url_in(cert_course, "es")).content.decode()

    certificate = issue_certificate(enrollment)
    html = client.get(cert_course.get_url()).content.decode()
    assert 'data-testid="certificate-pending"' not in html
    assert f"/certificates/{certificate.serial}/download/" in html
    assert f"/verify/{certificate.code}/" in html


def test_no_completion_screen_before_the_course_is_complete(client, cert_course):
    from courses import progress

    holder = make_trainee()
    progress.enroll(holder, cert_course)
    client.force_login(holder)
    html = client.get(cert_course.get_url()).content.decode()
    assert 'data-testid="course-complete"' not in html and "certificate-pending" not in html
