"""Bulk import of an agency's people from a CSV or XLSX file.

The whole file is read and checked first; a file with any bad row imports
nothing. A clean file is imported in one transaction with bulk inserts, so
the number of SQL queries does not grow with the rows (beyond one per batch
of a thousand). People already in the agency are left as they are, so
importing the same file again changes nothing. Each new person is e-mailed a
link to set their password, after the transaction commits.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lms.models import Profile
from lms.notifications import enqueue_on_commit
from lms.roles import TRAINEES
from lms.tables import TableRefused, load_table

from .exceptions import ImportRefused
from .models import Assignment, ImportBatch

#: Heading (lower case, spaces and hyphens as underscores) -> column.
HEADINGS = {
    "name": "name",
    "full_name": "name",
    "nombre": "name",
    "nombre_completo": "name",
    "first_name": "first_name",
    "given_name": "first_name",
    "nombres": "first_name",
    "last_name": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "apellidos": "last_name",
    "email": "email",
    "e_mail": "email",
    "email_address": "email",
    "correo": "email",
    "correo_electronico": "email",
    "correo_electrónico": "email",
    "language": "language",
    "preferred_language": "language",
    "idioma": "language",
}

#: What people write in the language column -> language code.
LANGUAGE_NAMES = {
    "en": "en",
    "english": "en",
    "inglés": "en",
    "ingles": "en",
    "es": "es",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
}

CHUNK = 1000


def max_bytes():
    return int(getattr(settings, "ONBOARDING_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


@dataclass
class PersonRow:
    line: int
    email: str
    first_name: str
    last_name: str
    language: str


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    new: list = field(default_factory=list)
    existing: int = 0
    errors: list = field(default_factory=list)
    batch: ImportBatch | None = None
    dry_run: bool = False

    @property
    def ok(self):
        return not self.errors


# ------------------------------------------------------------------ reading


def read_table(content, filename):
    """The rows of an uploaded file as ``(line, {column: text})`` pairs.

    Raises ImportRefused (translated) for a file that is too big, not CSV or
    XLSX, unreadable, or without the expected columns.
    """
    try:
        dataset = load_table(content, filename, max_bytes=max_bytes())
    except TableRefused as error:
        raise ImportRefused(error.message) from None
    columns = _columns(dataset.headers or [])
    rows = []
    for index, values in enumerate(dataset):
        cells = {column: _text(values[position]) for position, column in columns.items()}
        if any(cells.values()):
            rows.append((index + 2, cells))  # line 1 holds the headings
    if not rows:
        raise ImportRefused(_("The file has headings but no people."))
    return rows


def _normalise_heading(heading):
    return "_".join(_text(heading).lower().replace("-", " ").split())


def _columns(headers):
    """Map column positions to our columns; refuse missing or unknown ones."""
    columns, unknown = {}, []
    for position, heading in enumerate(headers):
        key = _normalise_heading(heading)
        if not key:
            continue
        column = HEADINGS.get(key)
        if column is None:
            unknown.append(_text(heading))
        elif column in columns.values():
            raise ImportRefused(_("The column %(name)s appears twice.") % {"name": _text(heading)})
        else:
            columns[position] = column
    present = set(columns.values())
    missing = [name for name in ("email", "language") if name not in present]
    if "name" not in present and not {"first_name", "last_name"} <= present:
        missing.insert(0, "name")
    if missing or unknown:
        parts = [
            _(
                "The file needs the columns name (or first_name and last_name), email and language, "
                "with their names in the first row."
            )
        ]
        if missing:
            parts.append(_("Missing: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("Not recognised: %(columns)s.") % {"columns": ", ".join(unknown)})
        raise ImportRefused(" ".join(parts))
    return columns


def _text(value):
    if value is None:
        return ""
    return " ".join(str(value).split())


# ------------------------------------------------------------------ checking


def check_rows(rows, agency):
    """Check every row; returns an ImportResult listing new people, people
    already in ``agency`` and every error with its line number."""
    result = ImportResult(rows=len(rows))
    people, seen = [], {}
    for line, cells in rows:
        person, errors = _check_row(line, cells)
        result.errors.extend(errors)
        if person is None:
            continue
        if person.email in seen:
            result.errors.append(
                RowError(
                    line,
                    _("%(email)s is also on line %(other)d.") % {"email": person.email, "other": seen[person.email]},
                )
            )
            continue
        seen[person.email] = line
        people.append(person)
    existing = _existing_accounts([person.email for person in people])
    for person in people:
        account = existing.get(person.email)
        if account is None:
            result.new.append(person)
        elif account["profile__agency_id"] == agency.pk and account["email_lower"] == person.email:
            result.existing += 1
        elif account["email_lower"] == person.email:
            result.errors.append(
                RowError(
                    person.line, _("%(email)s already has an account in another agency.") % {"email": person.email}
                )
            )
        else:
            result.errors.append(
                RowError(person.line, _("%(email)s is already taken as a user name.") % {"email": person.email})
            )
    result.errors.sort(key=lambda error: error.line)
    return result


def _check_row(line, cells):
    errors = []
    email = cells.get("email", "").lower()
    if "name" in cells:
        first_name, last_name = cells["name"], ""
    else:
        first_name, last_name = cells.get("first_name", ""), cells.get("last_name", "")
    if not (first_name or last_name):
        errors.append(RowError(line, _("The name is missing.")))
    elif len(first_name) > 150 or len(last_name) > 150:
        errors.append(RowError(line, _("The name is longer than 150 characters.")))
    if not email:
        errors.append(RowError(line, _("The e-mail address is missing.")))
    else:
        try:
            validate_email(email)
            if len(email) > 150:
                raise ValidationError("too long")
        except ValidationError:
            errors.append(RowError(line, _("%(email)s is not a valid e-mail address.") % {"email": cells["email"]}))
    raw_language = cells.get("language", "")
    language = LANGUAGE_NAMES.get(raw_language.lower())
    if not raw_language:
        errors.append(RowError(line, _("The language is missing (en or es).")))
    elif language is None:
        errors.append(RowError(line, _("Unknown language %(value)s: use en or es.") % {"value": raw_language}))
    if errors:
        return None, errors
    return PersonRow(line, email, first_name, last_name, language), []


def _existing_accounts(emails):
    """Accounts whose e-mail or user name is one of ``emails`` (lower case),
    keyed by that address: one query per thousand addresses."""
    User = get_user_model()
    found = {}
    for start in range(0, len(emails), CHUNK):
        chunk = emails[start : start + CHUNK]
        rows = (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(Q(email_lower__in=chunk) | Q(username__in=chunk))
            .values("pk", "username", "email_lower", "profile__agency_id")
        )
        for row in rows:
            key = row["email_lower"] if row["email_lower"] in chunk else row["username"]
            # An account that owns the address wins over a user-name clash.
            if key not in found or row["email_lower"] == key:
                found[key] = row
    return found


# ------------------------------------------------------------------ importing


def import_people(content, filename, *, agency, actor=None, dry_run=False):
    """Check the file and, when every row is good and ``dry_run`` is false,
    create the new people of ``agency`` in one transaction.

    Returns an ImportResult (``errors`` non-empty means nothing was
    imported); raises ImportRefused for a file that cannot be read. Safe to
    call twice with the same file: the second call finds everyone existing
    and creates nothing.
    """
    rows = read_table(content, filename)
    result = check_rows(rows, agency)
    result.dry_run = dry_run
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            agency=agency,
            imported_by=actor,
            filename=filename[:255],
            rows=result.rows,
            created_count=len(result.new),
            existing_count=result.existing,
        )
        users = _create_people(result.new, agency)
        ImportBatch.people.through.objects.bulk_create(
            [ImportBatch.people.through(importbatch_id=batch.pk, user_id=user.pk) for user in users],
            batch_size=CHUNK,
        )
        log(
            instance=batch,
            action="onboarding.import",
            user=actor,
            data={"agency": agency.acronym, "created": len(users), "existing": result.existing},
        )
        if users:
            from .tasks import join_standing_assignments, welcome_imported_people

            enqueue_on_commit(welcome_imported_people, batch.pk)
            if Assignment.objects.filter(agency=agency, include_future=True).exists():
                enqueue_on_commit(join_standing_assignments, batch.pk)
    result.batch = batch
    return result


def _create_people(people, agency):
    User = get_user_model()
    unusable = make_password(None)  # one unusable hash; each person sets their own
    users = User.objects.bulk_create(
        [
            User(
                username=person.email,
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                password=unusable,
                is_active=True,
            )
            for person in people
        ],
        batch_size=CHUNK,
    )
    if users and users[0].pk is None:  # a database that returns no ids
        ids = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk"))
        for user in users:
            user.pk = user.id = ids[user.username]
    languages = {person.email: person.language for person in people}
    Profile.objects.bulk_create(
        [Profile(user=user, agency=agency, preferred_language=languages[user.email]) for user in users],
        batch_size=CHUNK,
    )
    trainees = Group.objects.get(name=TRAINEES)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=trainees.pk) for user in users], batch_size=CHUNK
    )
    return users
