import hashlib

import pytest
from django.core.management import CommandError, call_command

from certificates.models import Certificate
from courses.models import Enrollment
from tests.factories import make_trainee
from tracking import demo, population

pytestmark = pytest.mark.django_db


def test_generate_and_delete(course):
    call_command("generate_population", trainees=40, agencies=3, verbosity=0)
    synthetic = population.synthetic_users()
    assert synthetic.count() == 40
    assert synthetic.first().username.startswith("synth-0")
    assert Enrollment.objects.filter(user__in=synthetic).exists()
    certificates = Certificate.objects.filter(holder__in=synthetic)
    assert certificates.exists()
    for cert in certificates:
        assert cert.pdf.name == "" and cert.sha256 == ""
        assert cert.expires_on > cert.issued_on
        assert cert.enrollment.completed_at is not None
    assert all(user.profile.agency.acronym.startswith("SYN-") for user in synthetic)
    call_command("generate_population", delete=True, verbosity=0)
    assert not population.synthetic_users().exists()
    assert not Certificate.objects.filter(serial__startswith="SYN-").exists()


def test_refuses_a_database_with_real_people(course):
    make_trainee(username="real-person")
    with pytest.raises(CommandError, match="real"):
        call_command("generate_population", trainees=5, agencies=1, verbosity=0)
    assert not population.synthetic_users().exists()
    call_command("generate_population", trainees=5, agencies=1, force=True, verbosity=0)
    assert population.synthetic_users().count() == 5


def test_same_seed_same_population(course):
    population.generate(10, agencies=population.ensure_agencies(2), courses=[course], seed=3, prefix="synth-a-")
    population.generate(10, agencies=population.ensure_agencies(2), courses=[course], seed=3, prefix="synth-b-")
    a = list(population.synthetic_users().filter(username__startswith="synth-a-").values_list("last_name", flat=True))
    b = list(population.synthetic_users().filter(username__startswith="synth-b-").values_list("last_name", flat=True))
    assert a == b


def test_demo_is_idempotent_and_stores_a_pdf_for_every_certificate(site_pages, course, settings, tmp_path, monkeypatch):
    from certificates import rendering
    from lms import demo as people_demo

    # Through the settings fixture only: mixed with @override_settings, the
    # fixture's teardown would restore DEBUG=True for every later test.
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    renders = []

    def fake_render(certificate, template=None, **kwargs):  # the real one is tested in certificates
        renders.append(certificate.serial)
        content = b"%PDF-1.7 " + certificate.serial.encode()
        return rendering.RenderedPDF(content=content, sha256=hashlib.sha256(content).hexdigest(), fetcher=None)

    monkeypatch.setattr(rendering, "render_pdf", fake_render)
    people_demo.load()
    demo.load()
    count = population.synthetic_users().count()
    assert count == demo.DEMO_TRAINEES
    assert population.synthetic_users().filter(profile__agency__acronym="CBP").exists()
    certificates = Certificate.objects.filter(holder__in=population.synthetic_users())
    assert certificates.exists() and not certificates.filter(pdf="").exists()
    for certificate in certificates:
        assert certificate.pdf.read() == b"%PDF-1.7 " + certificate.serial.encode()
        assert certificate.sha256 == hashlib.sha256(b"%PDF-1.7 " + certificate.serial.encode()).hexdigest()
    rendered = len(renders)
    demo.load()
    assert population.synthetic_users().count() == count
    assert len(renders) == rendered  # nothing rendered twice
