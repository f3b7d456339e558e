import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tracking.models import BulkExport, ExportStatus

pytestmark = pytest.mark.django_db


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
