"""The controlled vocabularies of the training case database and the one
normalisation every comparison uses (entry checks, search and grading).

Names and serials are stored twice: as typed, and as a normalised key
(lower case, no accents, look-alike characters folded) that search indexes
and duplicate checks compare. Normalising in Python rather than with
PostgreSQL's ``unaccent()`` keeps SQLite and PostgreSQL answering alike and
lets a plain trigram index serve the search.
"""

import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    SEIZURE = "seizure", _("Seizure")
    ARREST = "arrest", _("Arrest")
    EVENT = "event", _("Event")


class FirearmType(models.TextChoices):
    PISTOL = "pistol", _("Pistol")
    REVOLVER = "revolver", _("Revolver")
    RIFLE = "rifle", _("Rifle")
    SHOTGUN = "shotgun", _("Shotgun")
    MACHINE_GUN = "machine_gun", _("Machine gun")
    RECEIVER = "receiver", _("Receiver or frame")
    OTHER = "other", _("Other")


class PersonRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    DRIVER = "driver", _("Driver")
    PURCHASER = "purchaser", _("Purchaser")
    PASSENGER = "passenger", _("Passenger")
    WITNESS = "witness", _("Witness")


#: Ports of entry on the U.S.–Mexico border, as records name them.
PORTS = (
    "Brownsville, Texas",
    "Calexico, California",
    "Del Rio, Texas",
    "Douglas, Arizona",
    "Eagle Pass, Texas",
    "El Paso, Texas",
    "Hidalgo, Texas",
    "Laredo, Texas",
    "Lukeville, Arizona",
    "Nogales, Arizona",
    "Otay Mesa, California",
    "San Luis, Arizona",
    "San Ysidro, California",
    "Santa Teresa, New Mexico",
)
PORT_CHOICES = [(port, port) for port in PORTS]

#: Canonical calibre -> spellings accepted for it (compared after ``caliber_key``).
CALIBERS = {
    ".22 LR": (".22", "22lr", ".22 long rifle"),
    ".223 Rem": (".223", "223", ".223 remington"),
    "5.56x45mm": ("5.56", "5.56 nato", "5.56x45"),
    "5.7x28mm": ("5.7", "5.7x28"),
    "7.62x39mm": ("7.62x39",),
    "7.62x51mm": ("7.62x51", "7.62 nato"),
    ".308 Win": (".308", "308", ".308 winchester"),
    ".30-06": ("30-06", ".30-06 springfield"),
    ".50 BMG": (".50", "50 bmg", ".50 browning"),
    "9mm": ("9x19", "9x19mm", "9 mm luger", "9mm luger", "9mm parabellum"),
    ".380 ACP": (".380", "380", "9mm kurz"),
    ".38 Super": ("38 super", ".38 super auto"),
    ".38 Special": (".38 spl", "38 special"),
    ".357 Magnum": (".357", "357 magnum"),
    ".40 S&W": (".40", "40 s&w"),
    ".45 ACP": (".45", "45 acp", ".45 auto"),
    "12 gauge": ("12 ga", "12ga", "calibre 12", "calibre 12 gauge"),
}


def strip_accents(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def caliber_key(value):
    """Lower case, no spaces, comma as decimal point folded to a dot."""
    text = strip_accents(value or "").lower().replace(",", ".")
    return re.sub(r"\s+", "", text)


_CALIBER_LOOKUP = {}
for _canonical, _spellings in CALIBERS.items():
    for _spelling in (_canonical, *_spellings):
        _CALIBER_LOOKUP[caliber_key(_spelling)] = _canonical


def canonical_caliber(value):
    """The calibre of the vocabulary that ``value`` spells, or None."""
    return _CALIBER_LOOKUP.get(caliber_key(value))


def normalise_text(text):
    """What names are compared on: lower case, no accents, punctuation and
    hyphens as spaces, single spaces. "Pérez-Gómez, José" -> "perez gomez jose"."""
    text = strip_accents(text).casefold()
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return text.strip()


#: Look-alike characters folded in a serial key: letters read as digits.
_LOOK_ALIKES = str.maketrans({"O": "0", "Q": "0", "I": "1", "L": "1"})
SERIAL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-/.]{1,38}[A-Za-z0-9]$")


def serial_key(serial):
    """A serial as duplicate checks and the "normalised serial" rule compare
    it: upper case, separators dropped, O/Q read as 0 and I/L as 1."""
    text = re.sub(r"[^0-9A-Z]", "", strip_accents(serial or "").upper())
    return text.translate(_LOOK_ALIKES)


def plate_key(plate):
    return re.sub(r"[^0-9A-Z]", "", strip_accents(plate or "").upper())


def look_alike_letters(serial):
    """The look-alike letters (O, I) a serial has next to digits: such a
    serial is often a misread zero or one."""
    found = []
    text = (serial or "").upper()
    for index, char in enumerate(text):
        if char not in "OI":
            continue
        neighbours = text[max(0, index - 1) : index] + text[index + 1 : index + 2]
        if any(n.isdigit() for n in neighbours) and char not in found:
            found.append(char)
    return found
