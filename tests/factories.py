"""Factories shared by the whole suite (apps add their own in tests/<app>/)."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation

from lms.models import Agency, AgencyLevel, Country
from lms.roles import ADMINISTRATORS, COORDINATORS, INSTRUCTORS, TRAINEES

PASSWORD = "correct-horse-Battery-9"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"AG{n}")
    name_en = factory.LazyAttribute(lambda o: f"Agency {o.acronym}")
    name_es = factory.LazyAttribute(lambda o: f"Dependencia {o.acronym}")
    country = Country.US
    level = AgencyLevel.FEDERAL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def setup(obj, create, extracted, agency=None, language="en", role=TRAINEES, **kwargs):
        obj.save()
        if role:
            obj.groups.add(Group.objects.get(name=role))
        profile = obj.profile
        profile.agency = agency
        profile.preferred_language = language
        profile.save()


def make_user(role=TRAINEES, agency=None, language="en", **kwargs):
    return UserFactory(setup__role=role, setup__agency=agency, setup__language=language, **kwargs)


def make_trainee(**kwargs):
    return make_user(TRAINEES, **kwargs)


def make_instructor(**kwargs):
    return make_user(INSTRUCTORS, **kwargs)


def make_coordinator(**kwargs):
    return make_user(COORDINATORS, **kwargs)


def make_administrator(**kwargs):
    return make_user(ADMINISTRATORS, **kwargs)


def add_page(parent, model, title_en, title_es=None, slug_en=None, slug_es=None, publish=True, **fields):
    """Create a translated page under ``parent`` (English required fields)."""
    from django.utils.text import slugify

    with translation.override("en"):
        page = model(
            title_en=title_en,
            title_es=title_es or f"{title_en} (es)",
            slug_en=slug_en or slugify(title_en),
            slug_es=slug_es or slugify(title_es or f"{title_en}-es"),
            **fields,
        )
        parent.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        else:
            page.live = False
            page.save()
            page.save_revision()
    page.refresh_from_db()
    return page
