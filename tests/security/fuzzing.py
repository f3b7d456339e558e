"""Strategies and checks shared by the fuzz tests.

* ``nasty_text()``: what a hostile or careless client sends in a text field:
  control characters, NUL bytes (PostgreSQL refuses them in text), any
  Unicode, very long strings, look-alike digits, markup and SQL.
* ``rolled_back()``: run one example in a transaction that is rolled back.
* ``row_counts(...)``: a snapshot of table sizes, to prove that a refused
  request wrote nothing.
* ``assert_spanish(response, messages)``: the error messages shown are the
  Spanish ones (the request went to /es/ or as a Spanish-speaking user).
"""

import contextlib
import functools
import re

from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.html import escape
from hypothesis import strategies as st

# ------------------------------------------------------------ strategies

CONTROL = st.characters(min_codepoint=0, max_codepoint=31)
NASTY_SNIPPETS = [
    "\x00",
    "a\x00b",
    "\x00" * 3,
    "\r\n",
    "\u202e",  # right-to-left override
    "\ufeff",
    "\u0000\u0001\u001f",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "%s%d%(name)s{0}",
    "٣٤٥",  # Arabic-Indic digits: isdigit() but not ASCII
    "²",
    "９９",  # full-width digits
    "-1",
    "0",
    "99999999999999999999999",
    "1e400",
    "NaN",
    "null",
    "[]",
    "{}",
    "ñandú ÁÉÍÓÚ",
    "😀" * 3,
    " ",
]


def huge_text(max_repeat=20_000):
    """A long string (up to a few hundred kilobytes) built by repetition, so
    Hypothesis does not have to draw every character."""
    return st.builds(
        lambda piece, times: piece * times,
        st.sampled_from(["x", "é", "\x00", "ab ", "😀", "1"]),
        st.integers(min_value=200, max_value=max_repeat),
    )


def nasty_text(max_size=60):
    return st.one_of(
        st.sampled_from(NASTY_SNIPPETS),
        st.text(max_size=max_size),
        st.text(alphabet=CONTROL, max_size=8),
        st.builds(lambda a, b: a + "\x00" + b, st.text(max_size=10), st.text(max_size=10)),
        huge_text(),
    )


def nasty_integer_text():
    """Ids and numbers as a client may send them."""
    return st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(["", "0", "-0", "+1", " 1", "1.5", "0x10", "1_000", "٣", "²", "\x001", "9" * 40]),
        nasty_text(max_size=10),
    )


def nasty_date_text():
    return st.one_of(
        st.dates().map(lambda day: day.isoformat()),
        st.sampled_from(
            [
                "0000-00-00",
                "0001-01-01",
                "9999-12-31",
                "10000-01-01",
                "2026-02-30",
                "2026-13-01",
                "-2026-01-01",
                "31/12/2026",
                "12/31/2026",
                "2026-1-1",
                "today",
                "1e9",
                "\x002026-01-01",
            ]
        ),
        nasty_text(max_size=12),
    )


def form_data(fields, extra_names=True):
    """A POST/GET payload for a form with ``fields``: each field missing,
    empty, nasty or sent several times, plus unknown fields."""
    value = st.one_of(nasty_text(), st.lists(nasty_text(max_size=20), min_size=2, max_size=3))
    known = st.fixed_dictionaries({}, optional={name: value for name in fields})
    if not extra_names:
        return known
    unknown = st.dictionaries(st.text(min_size=1, max_size=10), nasty_text(max_size=10), max_size=2)
    return st.builds(lambda a, b: {**b, **a}, known, unknown)


# ------------------------------------------------------------ database


@contextlib.contextmanager
def rolled_back():
    """Run the block in a transaction rolled back at its end (also on error),
    with an empty cache (rate-limit counters): each example starts afresh."""
    cache.clear()
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def row_counts(*models):
    return {model._meta.label: model._default_manager.count() for model in models}


# ------------------------------------------------------------ responses


def assert_no_server_error(response):
    assert response.status_code < 500, f"{response.status_code} from {response.wsgi_request.get_full_path()[:200]}"


def form_errors(form):
    """Every error message of a bound form, rendered in Spanish."""
    if form is None or not getattr(form, "is_bound", False):
        return []
    with translation.override("es"):
        return [str(message) for errors in form.errors.values() for message in errors]


def context_value(response, name):
    context = response.context
    if context is None:
        return None
    try:
        return context[name]
    except KeyError:
        return None


def body(response):
    return response.content.decode("utf-8", "replace")


def assert_shown(response, messages):
    """At least one of ``messages`` appears in the page (HTML-escaped)."""
    text = body(response)
    assert messages, "an error response shows no error message"
    assert any(escape(message) in text or message in text for message in messages), messages


# ------------------------------------------------------------ Spanish


@functools.cache
def _catalog():
    """(English msgids translated differently into Spanish, compiled
    patterns of the English ones with placeholders, Spanish patterns)."""
    with translation.override("es"):
        catalog = translation.trans_real.translation("es")._catalog
    english, english_patterns, spanish_patterns = set(), [], []
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, tuple):  # a plural form: (singular msgid, index)
            spanish_patterns.append(_pattern(msgstr))
            msgid = msgid[0]
        if not isinstance(msgid, str) or not msgid or msgid == msgstr or len(msgid) < 8:
            continue
        english.add(msgid)
        english_patterns.append(_pattern(msgid))
        spanish_patterns.append(_pattern(msgstr))
    return english, [p for p in english_patterns if p], [p for p in spanish_patterns if p]


_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[^}]*\}")


def _pattern(template):
    """(longest literal chunk, regex) for a catalog string, placeholders as
    wildcards; None when it has too little literal text to recognise."""
    chunks = _PLACEHOLDER.split(template.replace("%%", "%"))
    literal = max(chunks, key=len)
    if len(literal.strip()) < 8:
        return None
    regex = ".*?".join(re.escape(chunk) for chunk in chunks)
    return literal, re.compile(regex, re.DOTALL)


def _matches(patterns, message):
    return [regex.pattern for literal, regex in patterns if literal in message and regex.search(message)]


def assert_spanish(messages):
    """Each message is Spanish: it contains no English sentence of the
    catalog that has a Spanish translation, and it contains a Spanish one."""
    english, english_patterns, spanish_patterns = _catalog()
    for message in messages:
        assert message not in english, f"English error shown: {message!r}"
        found_english = _matches(english_patterns, message)
        found_spanish = _matches(spanish_patterns, message)
        assert not found_english or found_spanish, f"English error shown: {message!r}"
        assert found_spanish, f"error without a Spanish translation: {message!r}"


BAD_REQUEST = (
    "What was sent could not be processed: it may be too large or malformed. Nothing was saved. Go back and try again."
)


def bad_request_page(response):
    """The site's 400 page (a request Django itself refuses: too many
    fields, a header too large...), as a list of its message in Spanish; or
    an empty list when the response is another page."""
    if "400.html" not in [template.name for template in response.templates]:
        return []
    with translation.override("es"):
        return [translation.gettext(BAD_REQUEST)]
