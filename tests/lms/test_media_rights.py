"""Instructors and Administrators upload and choose lesson images and job
aids. Wagtail grants these per collection; model permissions alone left the
libraries and choosers to the superuser (migration lms/0006)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.factories import make_administrator, make_coordinator, make_instructor, make_trainee

pytestmark = pytest.mark.django_db


def png_upload(name="map.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize("make_staff", [make_instructor, make_administrator], ids=["instructor", "administrator"])
def test_instructors_and_administrators_upload_and_choose_images_and_documents(client, make_staff):
    client.force_login(make_staff())

    response = client.post(
        "/admin/images/add/", {"title": "Port of entry map", "file": png_upload(), "collection": "1"}
    )
    assert response.status_code == 302, response.content[:500]
    image = get_image_model().objects.get(title="Port of entry map")
    chooser = client.get("/admin/images/chooser/")
    assert chooser.status_code == 200
    assert f"/admin/images/chooser/chosen/{image.pk}/" in chooser.json()["html"]

    document = SimpleUploadedFile("aid.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post("/admin/documents/add/", {"title": "Job aid", "file": document, "collection": "1"})
    assert response.status_code == 302, response.content[:500]
    document = get_document_model().objects.get(title="Job aid")
    chooser = client.get("/admin/documents/chooser/")
    assert chooser.status_code == 200
    assert f"/admin/documents/chooser/chosen/{document.pk}/" in chooser.json()["html"]
    assert client.get("/admin/images/").status_code == 200
    assert client.get("/admin/documents/").status_code == 200


@pytest.mark.parametrize("make_user", [make_coordinator, make_trainee], ids=["coordinator", "trainee"])
def test_coordinators_and_trainees_have_no_image_or_document_library(client, make_user):
    client.force_login(make_user())
    for path in ("/admin/images/", "/admin/images/add/", "/admin/documents/", "/admin/documents/add/"):
        response = client.get(path)
        assert response.status_code in (302, 403), path
        assert response.status_code == 403 or not response.headers["Location"].startswith(path), path
    response = client.post("/admin/images/add/", {"title": "Not mine", "file": png_upload(), "collection": "1"})
    assert response.status_code in (302, 403)
    assert not get_image_model().objects.filter(title="Not mine").exists()
