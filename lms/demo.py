"""Demo data of the people app: agencies of both countries and the demo users.

DEMO ONLY: every demo user has the password below, published in the README.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import Agency, AgencyLevel, Country
from .roles import ADMINISTRATORS, COORDINATORS, INSTRUCTORS, TRAINEES

DEMO_PASSWORD = "demo-Armas-2026"
# DEMO ONLY: the demo staff share one published authenticator key, so that
# `make run` works with any authenticator app (or `oathtool --totp -b KEY`).
# Base32 IFZG2YLTFVBXE5L2MFSGC4ZNIRSW23ZB, as shown in the README.
DEMO_TOTP_KEY_HEX = "41726d61732d4372757a616461732d44656d6f21"

AGENCIES = [
    (
        "HSI",
        Country.US,
        AgencyLevel.FEDERAL,
        "Homeland Security Investigations (ICE)",
        "Investigaciones de Seguridad Nacional (HSI, ICE)",
    ),
    (
        "CBP",
        Country.US,
        AgencyLevel.FEDERAL,
        "U.S. Customs and Border Protection",
        "Oficina de Aduanas y Protección Fronteriza de EE. UU. (CBP)",
    ),
    (
        "ATF",
        Country.US,
        AgencyLevel.FEDERAL,
        "Bureau of Alcohol, Tobacco, Firearms and Explosives",
        "Oficina de Alcohol, Tabaco, Armas de Fuego y Explosivos (ATF)",
    ),
    (
        "DEA",
        Country.US,
        AgencyLevel.FEDERAL,
        "Drug Enforcement Administration",
        "Administración para el Control de Drogas (DEA)",
    ),
    (
        "TXDPS",
        Country.US,
        AgencyLevel.STATE,
        "Texas Department of Public Safety",
        "Departamento de Seguridad Pública de Texas",
    ),
    (
        "AZDPS",
        Country.US,
        AgencyLevel.STATE,
        "Arizona Department of Public Safety",
        "Departamento de Seguridad Pública de Arizona",
    ),
    ("EPPD", Country.US, AgencyLevel.LOCAL, "El Paso Police Department", "Departamento de Policía de El Paso"),
    (
        "FGR",
        Country.MX,
        AgencyLevel.FEDERAL,
        "Office of the Attorney General of the Republic (FGR)",
        "Fiscalía General de la República",
    ),
    (
        "ANAM",
        Country.MX,
        AgencyLevel.FEDERAL,
        "National Customs Agency of Mexico (ANAM)",
        "Agencia Nacional de Aduanas de México",
    ),
    ("GN", Country.MX, AgencyLevel.FEDERAL, "National Guard (Mexico)", "Guardia Nacional"),
    (
        "FGE-CHIH",
        Country.MX,
        AgencyLevel.STATE,
        "Chihuahua State Attorney General's Office",
        "Fiscalía General del Estado de Chihuahua",
    ),
    (
        "SSPC-SON",
        Country.MX,
        AgencyLevel.STATE,
        "Sonora State Public Security Secretariat",
        "Secretaría de Seguridad Pública del Estado de Sonora",
    ),
    ("PM-JRZ", Country.MX, AgencyLevel.LOCAL, "Ciudad Juárez Municipal Police", "Policía Municipal de Ciudad Juárez"),
]

USERS = [
    # username, first, last, email, language, agency, role, superuser
    ("admin", "Alex", "Navarro", "admin@example.org", "en", "HSI", ADMINISTRATORS, True),
    ("instructor", "Dana", "Whitfield", "instructor@example.org", "en", "HSI", INSTRUCTORS, False),
    ("coordinator", "Chris", "Moreno", "coordinator@example.org", "en", "CBP", COORDINATORS, False),
    ("trainee", "Taylor", "Brooks", "trainee@example.org", "en", "CBP", TRAINEES, False),
    ("aprendiz", "María José", "Hernández Núñez", "aprendiz@example.org", "es", "FGR", TRAINEES, False),
]


def load(stdout=None):
    """Create or refresh the demo agencies and users. Safe to call twice."""
    for acronym, country, level, name_en, name_es in AGENCIES:
        Agency.objects.update_or_create(
            acronym=acronym,
            defaults={"country": country, "level": level, "name_en": name_en, "name_es": name_es, "is_active": True},
        )
    User = get_user_model()
    for username, first, last, email, language, acronym, role, superuser in USERS:
        user, created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.email = first, last, email
        user.is_superuser = user.is_staff = superuser
        user.is_active = True
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        profile = user.profile
        profile.agency = Agency.objects.get(acronym=acronym)
        profile.preferred_language = language
        profile.save()
        if role != TRAINEES:
            _demo_authenticator(user)
    if stdout:
        stdout.write(f"  people: {len(AGENCIES)} agencies, {len(USERS)} demo users")


def _demo_authenticator(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .two_factor import AUTHENTICATOR

    TOTPDevice.objects.update_or_create(
        user=user, name=AUTHENTICATOR, confirmed=True, defaults={"key": DEMO_TOTP_KEY_HEX}
    )
