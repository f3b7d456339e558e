"""Create the site's page skeleton: the bilingual home page as site root."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from wagtail.models import Page, Site

from .models import HomePage

HOME = {
    "title_en": "Armas Cruzadas Training",
    "title_es": "Capacitación Armas Cruzadas",
    "slug_en": "training-home",
    "slug_es": "inicio-capacitacion",
    "intro_en": (
        "Training for U.S. and Mexican agencies working together against the smuggling of "
        "firearms and ammunition across the border: export law, smuggling methods and shared case data."
    ),
    "intro_es": (
        "Capacitación para las dependencias de México y de Estados Unidos que trabajan juntas contra "
        "el tráfico de armas de fuego y municiones a través de la frontera: leyes de exportación, "
        "métodos de tráfico y datos compartidos de casos."
    ),
    "body_en": (
        "<p>Study the modules at your own pace, in English or Spanish, pass each quiz and receive a "
        "certificate that anyone can verify. Your agency coordinator can follow your progress.</p>"
    ),
    "body_es": (
        "<p>Estudia los módulos a tu ritmo, en español o en inglés, aprueba cada cuestionario y recibe "
        "una constancia que cualquier persona puede verificar. La persona coordinadora de tu dependencia "
        "puede dar seguimiento a tu avance.</p>"
    ),
}


@transaction.atomic
def ensure():
    """Make a HomePage the default site's root and give the site its name.
    Safe to call twice: an existing home page, and a site name someone
    chose, are left as they are."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        with translation.override("en"):
            home = HomePage(**HOME)
            root.add_child(instance=home)
            home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        if old_root.depth == 2 and old_root.specific_class is Page and not old_root.get_children().exists():
            # Wagtail's "Welcome to your new Wagtail site!" placeholder.
            old_root.delete()
    if not site.site_name:
        # The admin's home is titled after the site, not after "localhost".
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save(update_fields=["site_name"])
    return home


def ensure_site():
    """Run every app's ``site_setup.ensure()`` in INSTALLED_APPS order."""
    import importlib
    import importlib.util

    from django.apps import apps

    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.site_setup"
        if importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name).ensure()
