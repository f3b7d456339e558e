"""Search over live courses and lessons in the active language.

Wagtail's database search backend indexes every language of a page in one
entry, so it finds candidates; this module keeps those whose text in the
active language matches, and matches lesson bodies only for people who may
read them. Results carry titles and summaries only, never body text.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils import translation
from django.utils.html import strip_tags

from . import permissions
from .models import CoursePage, LessonPage

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Result:
    page: object
    kind: str
    title: str
    summary: str
    url: str
    course_title: str = ""


def normalise(text):
    """Lower case without accents: "Lección" and "leccion" match."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(char for char in text if not unicodedata.combining(char))


def _terms(query):
    return [word for word in _WORD.findall(normalise(query)) if word]


def _stem(term):
    # The backends stem words ("smuggling" finds "smuggled"); a prefix of the
    # term is a light stand-in when checking the language of a candidate.
    return term if len(term) <= 4 else term[: max(4, len(term) - 3)]


def _matches(terms, text):
    words = _WORD.findall(normalise(text))
    return all(any(word.startswith(_stem(term)) for word in words) for term in terms)


def _in_language(page, name, language):
    """A translated field in ``language``, falling back to English."""
    return getattr(page, f"{name}_{language}", None) or getattr(page, f"{name}_en", None) or ""


def stream_text(value):
    """The plain text of a StreamField value (its raw JSON-like data)."""
    parts = []

    def walk(item):
        if isinstance(item, str):
            parts.append(strip_tags(item))
        elif isinstance(item, dict):
            for key, sub in item.items():
                if key not in ("type", "id"):
                    walk(sub)
        elif isinstance(item, (list, tuple)):
            for sub in item:
                walk(sub)

    if hasattr(value, "get_prep_value"):
        value = value.get_prep_value()
    walk(value or [])
    return " ".join(parts)


def search(user, query, request=None, language=None):
    """Live, public courses and lessons matching ``query`` in ``language``
    (default: the active one), best first; courses before lessons."""
    language = language or translation.get_language()
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    terms = _terms(query)
    if not terms:
        return []
    readable = permissions.readable_course_ids(user)
    course_by_path = {course.path: course for course in CoursePage.objects.live().public()}
    results = []
    for course in CoursePage.objects.live().public().search(query)[:MAX_RESULTS]:
        text = " ".join(
            [
                _in_language(course, "title", language),
                _in_language(course, "summary", language),
                strip_tags(_in_language(course, "intro", language)),
            ]
        )
        if _matches(terms, text):
            results.append(
                Result(
                    course,
                    "course",
                    _in_language(course, "title", language),
                    _in_language(course, "summary", language),
                    course.get_url(request) or "",
                )
            )
    for lesson in LessonPage.objects.live().public().search(query)[: MAX_RESULTS * 2]:
        # Lessons sit in modules, which sit in courses: the grandparent.
        course = course_by_path.get(lesson.path[: lesson.steplen * (lesson.depth - 2)])
        if course is None:
            continue
        title = _in_language(lesson, "title", language)
        summary = _in_language(lesson, "intro", language)
        text = f"{title} {summary}"
        if readable is None or course.pk in readable:
            body = getattr(lesson, f"body_{language}", None) or getattr(lesson, "body_en", None)
            text = f"{text} {stream_text(body)}"
        if _matches(terms, text):
            results.append(
                Result(
                    lesson,
                    "lesson",
                    title,
                    summary,
                    lesson.get_url(request) or "",
                    _in_language(course, "title", language),
                )
            )
        if len(results) >= MAX_RESULTS:
            break
    return results
