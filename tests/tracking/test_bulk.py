import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tracking.models import BulkExport, ExportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _storages(settings, tmp_path):
    """Public media and private files of this test in their own folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def with_pdf(people, course):
    """Give the "current" person's certificate a stored PDF."""
    cert = people["current"].certificates.get()
    cert.pdf.save(f"{cert.serial}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    type(cert).objects.filter(pk=cert.pk).update(pdf=cert.pdf.name)
    return cert


def _request(client, user, django_capture_on_commit_callbacks, **params):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tracking_admin:bulk_create"), params)
    return response


def test_coordinator_gets_a_zip_of_their_agency(
    client, coordinator, people, others, with_pdf, django_capture_on_commit_callbacks
):
    response = _request(client, coordinator, django_capture_on_commit_callbacks)
    export = BulkExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tracking_admin:bulk_status", args=[export.pk])
    assert export.status == ExportStatus.DONE and export.finished_at is not None
    assert (export.certificates, export.missing) == (1, 2)  # current, soon, later: one has a PDF
    download = client.get(reverse("tracking_admin:bulk_download", args=[export.pk]))
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert f"{with_pdf.holder.profile.agency.acronym}/{with_pdf.serial}.pdf" in names
    manifest = archive.read("manifest.csv").decode()
    assert manifest.count("\n") == 4  # header and three current certificates
    assert ",CBPX," in manifest and ",FGRX," not in manifest
    assert not any(name.startswith("FGRX/") for name in names)


def test_only_requester_and_administrators_download(
    client, coordinator, other_coordinator, admin_user, instructor, people, django_capture_on_commit_callbacks
):
    _request(client, coordinator, django_capture_on_commit_callbacks)
    export = BulkExport.objects.get()
    url = reverse("tracking_admin:bulk_download", args=[export.pk])
    status = reverse("tracking_admin:bulk_status", args=[export.pk])
    client.force_login(other_coordinator)
    for refused in (client.get(url), client.get(status)):
        # 404 (LocaleMiddleware may redirect a 404 to a language prefix): nothing of the export.
        assert refused.status_code in (302, 404) and "Content-Disposition" not in refused
        assert refused.status_code == 404 or refused["Location"].startswith("/en/")
    client.force_login(instructor)
    assert client.get(url).status_code == 302
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    client.force_login(coordinator)
    assert client.get(status).status_code == 200


def test_bulk_request_is_scoped_and_validated(
    client, coordinator, other_agency, others, django_capture_on_commit_callbacks
):
    response = _request(client, coordinator, django_capture_on_commit_callbacks, agency=other_agency.pk)
    assert response.status_code == 400
    assert not BulkExport.objects.exists()
    response = _request(client, coordinator, django_capture_on_commit_callbacks, date_from="31/31/2020")
    assert response.status_code == 400
    assert client.get(reverse("tracking_admin:bulk_create")).status_code == 405


def test_status_page_refreshes_while_pending(client, coordinator):
    export = BulkExport.objects.create(requested_by=coordinator)
    client.force_login(coordinator)
    html = client.get(reverse("tracking_admin:bulk_status", args=[export.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "<script>" not in html.split("bulk-export")[1].split("</main>")[0]
    BulkExport.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error="Broken")
    html = client.get(reverse("tracking_admin:bulk_status", args=[export.pk])).content.decode()
    assert 'http-equiv="refresh"' not in html and "Broken" in html


def test_task_is_safe_to_run_twice(coordinator, people, django_capture_on_commit_callbacks):
    from tracking import services
    from tracking.criteria import Criteria

    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_bulk_export(coordinator, Criteria())
    export.refresh_from_db()
    finished = export.finished_at
    assert services.build_bulk_export(export.pk) is None
    export.refresh_from_db()
    assert export.finished_at == finished


def test_trainee_cannot_request(trainee):
    from tracking import services
    from tracking.criteria import Criteria
    from tracking.exceptions import ExportRefused

    with pytest.raises(ExportRefused):
        services.request_bulk_export(trainee, Criteria())


def test_the_zip_is_stored_privately_and_served_only_to_its_requester(
    client, coordinator, other_coordinator, trainee, people, with_pdf, settings, django_capture_on_commit_callbacks
):
    _request(client, coordinator, django_capture_on_commit_callbacks)
    export = BulkExport.objects.get()
    path = Path(export.file.path)
    assert path.is_file() and path.is_relative_to(settings.STORAGES["private"]["OPTIONS"]["location"])
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.zip"))
    assert f"certificates-{export.pk}.zip" not in export.file.name  # not guessable from the id
    url = reverse("tracking_admin:bulk_download", args=[export.pk])
    client.force_login(trainee)
    refused = client.get(url)
    assert refused.status_code == 302 and "/login/" in refused["Location"]
    client.force_login(other_coordinator)
    refused = client.get(url)  # a 404, which LocaleMiddleware turns into a redirect to /en/...
    assert "Content-Disposition" not in refused and refused.status_code in (302, 404)
    assert refused.status_code == 404 or refused["Location"] == "/en" + url
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="certificates-{export.pk}.zip"'


def test_names_inside_the_zip_cannot_leave_their_folder(
    client, coordinator, agency, people, with_pdf, django_capture_on_commit_callbacks
):
    from tracking.services import zip_name

    assert zip_name("../../etc", "x.pdf") == "etc/x.pdf"
    assert zip_name("CBP/MX\\1", "AC-1.pdf") == "CBP-MX-1/AC-1.pdf"
    assert zip_name("..", "") == "-/-"
    type(agency).objects.filter(pk=agency.pk).update(acronym="../C/B")
    _request(client, coordinator, django_capture_on_commit_callbacks)
    download = client.get(reverse("tracking_admin:bulk_download", args=[BulkExport.objects.get().pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert f"C-B/{with_pdf.serial}.pdf" in names
    assert all(name.count("/") <= 1 and ".." not in name for name in names)


def test_pages_have_the_report_chrome(client, coordinator, people, with_pdf, django_capture_on_commit_callbacks):
    _request(client, coordinator, django_capture_on_commit_callbacks)
    export = BulkExport.objects.get()
    html = client.get(reverse("tracking_admin:bulk_index")).content.decode()
    assert '<h1 class="w-sr-only">' in html and "Certificate downloads" in html.split("<h1")[1]
    assert f'href="{reverse("tracking_admin:people")}">people list</a>' in html
    for name in ("agencies", "people", "matrix"):
        assert f'href="{reverse("tracking_admin:" + name)}"' in html
    assert f'href="{reverse("tracking_admin:bulk_index")}" aria-current="page"' in html
    html = client.get(reverse("tracking_admin:bulk_status", args=[export.pk])).content.decode()
    assert 'aria-current="page"' in html and "Download of " in html
    button = html.split('class="button bicolor button--icon"')[1].split("</a>")[0]
    assert "icon-download" in button and "Download ZIP" in button


# ------------------------------------------------------------ lost builds


def _stale(export, minutes=120, **fields):
    from django.utils import timezone

    BulkExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=minutes), **fields
    )


def test_a_build_whose_worker_died_is_built_again(coordinator, people, with_pdf):
    from tracking import services

    export = BulkExport.objects.create(requested_by=coordinator, status=ExportStatus.RUNNING, attempts=1)
    _stale(export)
    assert services.recover_bulk_exports().retried == 1  # the immediate backend builds it now
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.certificates == 1 and export.attempts == 2
    assert services.recover_bulk_exports().retried == 0


def test_a_lost_pending_build_is_queued_again(coordinator, people):
    from django.utils import timezone

    from tracking import services

    export = BulkExport.objects.create(requested_by=coordinator)
    BulkExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    assert services.recover_bulk_exports().retried == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE


def test_a_live_build_is_left_to_its_builder(coordinator, people):
    from tracking import services

    export = BulkExport.objects.create(requested_by=coordinator, status=ExportStatus.RUNNING, attempts=1)
    _stale(export, minutes=1)
    assert services.recover_bulk_exports().retried == 0
    assert services.build_bulk_export(export.pk) is None  # a duplicate task does nothing
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING and export.attempts == 1


def test_a_build_that_keeps_dying_fails_with_a_message(client, coordinator, people, settings):
    from tracking import services

    settings.TASKS_MAX_ATTEMPTS = 3
    export = BulkExport.objects.create(requested_by=coordinator, status=ExportStatus.RUNNING, attempts=3)
    _stale(export)
    services.recover_bulk_exports()
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.finished_at is not None
    assert export.error == "The download could not be built: the process building it stopped. Please ask again."
    client.force_login(coordinator)
    html = client.get(reverse("tracking_admin:bulk_status", args=[export.pk])).content.decode()
    assert "Please ask again." in html and 'http-equiv="refresh"' not in html
