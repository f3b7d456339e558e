"""The production recipe of deploy/, running: nginx (deploy/nginx/lms.conf)
in front of gunicorn (deploy/gunicorn.conf.py) with lms.settings.production.

nginx serves static files and public media (lesson images), refuses every
other media path (certificate PDFs, bulk ZIPs) which only the application's
permission-checked views serve, and gives the application the client's
address: django-axes counts failed logins per username and the address the
client really came from (127.0.0.2 and 127.0.0.3 here), whatever
X-Forwarded-For the client sends.
"""

import hashlib
import io
import re
import secrets
import shutil
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tests.deploy.conftest import postgres_only
from tests.deploy.stack import HOST, Browser, Stack
from tests.factories import PASSWORD, make_coordinator, make_trainee

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings
    from django.db import connection

    running = Stack(tmp_path_factory.mktemp("proxy"), connection.settings_dict["NAME"], settings.SECRET_KEY)
    try:
        yield running.start()
    except BaseException:
        print(running.logs())
        raise
    finally:
        running.stop()


@pytest.fixture
def storages_of(stack, settings):
    """Files this test writes go where the stack's processes read them."""
    settings.MEDIA_ROOT = stack.root / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": stack.root / "private-media"},
        },
    }
    return stack


def session_of(stack, user, source="127.0.0.1", verified=False):
    """A browser of the proxy logged in as ``user`` (a session made here,
    in the shared database; ``verified``: passed the second factor)."""
    client = Client()
    client.force_login(user)
    if verified:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from lms.two_factor import AUTHENTICATOR, mark_verified

        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=True)
        session = client.session
        mark_verified(session, device)
        session.save()
    browser = stack.browser(source)
    browser.cookies["sessionid"] = client.cookies["sessionid"].value
    return browser


def png_bytes():
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (11, 61, 98)).save(buffer, "PNG")
    return buffer.getvalue()


def test_static_files_and_a_lesson_image_are_served(storages_of, course_index):
    from wagtail.images.models import Image

    from courses import progress
    from courses.models import LessonPage
    from tests.courses.factories import make_course

    stack = storages_of
    image = Image.objects.create(
        title="Crossings", file=ContentFile(png_bytes(), name="crossings.png"), width=40, height=30
    )
    course = make_course(course_index, modules=1, lessons=1)
    lesson = LessonPage.objects.descendant_of(course).get()
    block = {"type": "image", "value": {"image": image.pk, "alt": "Map of the crossings", "caption": "Crossings"}}
    lesson.body_en = [block]
    lesson.save_revision().publish()
    trainee = make_trainee()
    progress.enroll(trainee, course)

    browser = session_of(stack, trainee)
    page = browser.get(lesson.get_url())
    assert page.status == 200, page.text[:500]
    src = re.search(r'<img [^>]*alt="Map of the crossings"[^>]*>', page.text).group(0)
    src = re.search(r'src="([^"]+)"', src).group(1)
    assert src.startswith("/media/images/")

    # The rendition gunicorn wrote is served by nginx (production serves no
    # media itself: before deploy/nginx this answered 404).
    picture = browser.get(src)
    assert picture.status == 200
    assert picture.header("Content-Type") == "image/png"
    assert picture.body.startswith(b"\x89PNG")
    assert picture.header("Server") == "nginx"
    assert "sandbox" in picture.header("Content-Security-Policy")
    # The original upload is not published.
    assert browser.get(f"/media/{image.file.name}").status == 404

    # A static file of the page, collected and served with a long cache life.
    css = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
    style = browser.get(css)
    assert style.status == 200 and "immutable" in style.header("Cache-Control")


def test_private_files_are_served_only_by_the_application_to_their_owner(storages_of, course_index, monkeypatch):
    from certificates import issuing
    from certificates.issuing import issue_certificate
    from certificates.rendering import RenderedPDF
    from tests.certificates.factories import complete_course, make_small_course
    from tracking.models import BulkExport, ExportStatus

    stack = storages_of

    def render(certificate, template=None, **kwargs):  # about where the file goes, not about the PDF
        content = b"%PDF-1.7 " + certificate.serial.encode()
        return RenderedPDF(content=content, sha256=hashlib.sha256(content).hexdigest())

    monkeypatch.setattr(issuing, "render_pdf", render)
    holder, stranger = make_trainee(), make_trainee()
    certificate = issue_certificate(complete_course(holder, make_small_course(course_index)))
    private = stack.root / "private-media"
    assert (private / certificate.pdf.name).is_file()
    # Even a PDF left in the public media folder (before the move to the
    # private storage) is not served.
    legacy = stack.root / "media" / certificate.pdf.name
    legacy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(private / certificate.pdf.name, legacy)

    coordinator = make_coordinator()
    export = BulkExport.objects.create(requested_by=coordinator, status=ExportStatus.DONE)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr(f"{certificate.serial}.pdf", b"%PDF-1.7")
    export.file.save(f"certificates-{secrets.token_hex(8)}.zip", ContentFile(archive.getvalue()))
    assert (private / export.file.name).is_file()

    anonymous = stack.browser()
    for path in (
        f"/media/{certificate.pdf.name}",
        f"/private-media/{certificate.pdf.name}",
        f"/media/../private-media/{certificate.pdf.name}",
        f"/static/../private-media/{certificate.pdf.name}",
        f"/media/{export.file.name}",
        f"/private-media/{export.file.name}",
    ):
        response = anonymous.get(path)
        assert response.status in (400, 403, 404), path
        assert b"%PDF" not in response.body and b"PK\x03\x04" not in response.body, path

    download = reverse("certificate_download", args=[certificate.serial])
    owner = session_of(stack, holder)
    response = owner.get(download)
    assert response.status == 200
    assert response.header("Content-Type") == "application/pdf"
    assert hashlib.sha256(response.body).hexdigest() == certificate.sha256
    assert session_of(stack, stranger).get(download).status == 404

    zip_url = reverse("tracking_admin:bulk_download", args=[export.pk])
    response = session_of(stack, coordinator, verified=True).get(zip_url)
    assert response.status == 200 and response.body == archive.getvalue()
    other = session_of(stack, make_coordinator(), verified=True)
    refused = other.get(zip_url)  # a 404, which LocaleMiddleware turns into a redirect to /en/...
    if refused.status == 302:
        assert refused.header("Location") == "/en" + zip_url
        refused = other.get(refused.header("Location"))
    assert refused.status == 404 and b"PK\x03\x04" not in refused.body


def _login(browser, username, password, **headers):
    form = browser.get("/en/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return browser.post_form(
        "/en/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
        **headers,
    )


def production_password(user):
    """The test settings hash with MD5, which production does not accept:
    store the password as production would (PBKDF2, few iterations)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "deploytestsalt", iterations=1000)
    user.save(update_fields=["password"])
    return user


def test_axes_counts_failures_per_client_address_behind_the_proxy(stack):
    from axes.models import AccessAttempt

    trainee = production_password(make_trainee())
    attacker = stack.browser("127.0.0.2")
    for _ in range(5):
        # The client's own X-Forwarded-For is replaced by the proxy.
        failed = _login(attacker, trainee.username, "wrong password", **{"X-Forwarded-For": "203.0.113.9"})
    assert failed.status == 429  # locked out: this username from this address
    assert _login(attacker, trainee.username, PASSWORD).status == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.2"}

    # The same person from another address is not locked out.
    owner = stack.browser("127.0.0.3")
    response = _login(owner, trainee.username, PASSWORD)
    assert response.status == 302, response.text[:500]
    cookies = response.set_cookies()
    for name in ("sessionid", "csrftoken"):
        flags = [part.strip().lower() for part in cookies[name].split(";")]
        assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags, cookies[name]
    assert response.header("Strict-Transport-Security").startswith("max-age=")
    assert owner.get("/en/").status in (200, 302)


def test_plain_http_is_redirected_and_check_deploy_is_clean(stack):
    response = Browser(stack.http_port, scheme="http").get("/en/accounts/login/")
    assert response.status == 301
    assert response.header("Location") == f"https://{HOST}/en/accounts/login/"

    status, output = stack.deploy_check()
    assert status == 0, output
    assert "System check identified no issues" in output
