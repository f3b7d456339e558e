"""The Spanish catalogue speaks to officials formally ("usted") and uses one
set of terms (an agency is an "institución")."""

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po"
INFORMAL = re.compile(
    r"(?<![\wáéíóúñ])(tú|tu|tus|te damos|puedes|tienes|debes|estás|olvidaste|completaste|aprobaste|"
    r"inscríbete|inténtalo|déjalo|dependencias?)(?![\wáéíóúñ])",
    re.IGNORECASE,
)


def translations():
    """Every msgstr of the catalogue, continuation lines joined."""
    current, inside = [], False
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            if current:
                yield "".join(current)
            current, inside = [line.split('"', 1)[1].rsplit('"', 1)[0]], True
        elif inside and line.startswith('"'):
            current.append(line[1:-1])
        else:
            inside = False
    if current:
        yield "".join(current)


def test_no_translation_uses_the_informal_register_or_dependencia():
    offending = [text for text in translations() if INFORMAL.search(text)]
    assert offending == []


def test_the_scan_would_catch_an_informal_string():
    assert INFORMAL.search("Todavía no tienes constancias.")
    assert INFORMAL.search("la coordinación de su dependencia")
    assert not INFORMAL.search("Todavía no tiene constancias de su institución.")
