"""Check a content file (content/FORMAT.md) before anything is written, and
turn it into a plain description the loader builds pages from.

Every problem is collected with its path inside the file, e.g.
``course.modules[1].lessons[2].body[3]: unknown block type 'foo'``
(indices count from 0), so one run reports them all.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courses.blocks import CalloutBlock, LessonStreamBlock

LANGUAGES = ("en", "es")
BLOCK_TYPES = ("rich_text", "citation", "callout", "key_terms", "image", "job_aid")
JOB_AID_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMAGE_EXTENSIONS = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")
SLUG_RE = re.compile(r"^[-\w]+$")
PLAIN_TEXT_HTML_RE = re.compile(r"</?[a-zA-Z][^>]*>")

# What the editor of each rich-text field can represent (courses/blocks.py,
# CoursePage.intro); anything else would be dropped by the admin editor.
INLINE_TAGS = {"p", "ul", "ol", "li", "strong", "em", "b", "i", "a", "br"}
LESSON_TEXT_TAGS = INLINE_TAGS | {"h3", "h4"}
CALLOUT_TAGS = INLINE_TAGS
COURSE_INTRO_TAGS = INLINE_TAGS | {"h3"}


def callout_kinds():
    return [value for value, _label in CalloutBlock().child_blocks["kind"].field.choices if value]


@dataclass
class BlockSpec:
    path: str
    type: str
    #: Per language, the raw StreamField value (images as file paths).
    values: dict
    #: Per language, the image file for image blocks.
    files: dict = field(default_factory=dict)
    #: The key of the course's job aid a ``job_aid`` block links (its
    #: document in each language is filled in by the loader).
    job_aid: str = ""


@dataclass
class PageSpec:
    path: str
    slug: dict
    title: dict
    intro: dict
    extra: dict = field(default_factory=dict)
    blocks: list = field(default_factory=list)
    children: list = field(default_factory=list)
    #: The module's ``quiz`` mapping, passed as it is to quizzes.content.
    quiz: dict | None = None
    quiz_path: str = ""
    quiz_slug: dict = field(default_factory=dict)


class _TagCollector(HTMLParser):
    def __init__(self, allowed):
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.allowed:
            self.problems.append(
                _("tag <%(tag)s> is not allowed here (allowed: %(allowed)s)")
                % {"tag": tag, "allowed": " ".join(sorted(self.allowed))}
            )
            return
        names = [name for name, _value in attrs]
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if urlparse(href).scheme not in ("http", "https", "mailto"):
                self.problems.append(_("a link needs an http(s) or mailto href, not %(href)r") % {"href": href})
            names = [name for name in names if name != "href"]
        if names:
            self.problems.append(
                _("<%(tag)s> may not carry attributes (%(names)s)") % {"tag": tag, "names": ", ".join(names)}
            )


class ContentChecker:
    """Walks one parsed content file; ``problems`` lists (path, message)."""

    def __init__(self, base_dir):
        self.base_dir = Path(base_dir)
        self.problems = []
        #: The course's job aids by key (see job_aids()).
        self.job_aids = {}

    def error(self, path, message):
        self.problems.append((path, str(message)))

    # ------------------------------------------------------------ primitives

    def mapping(self, value, path, required=(), optional=()):
        if not isinstance(value, dict):
            self.error(path, _("expected a mapping, found %(kind)s") % {"kind": _kind(value)})
            return None
        for key in required:
            if key not in value:
                self.error(path, _("missing key '%(key)s'") % {"key": key})
        known = set(required) | set(optional)
        for key in value:
            if key not in known:
                self.error(
                    path,
                    _("unknown key '%(key)s' (expected: %(known)s)")
                    % {"key": key, "known": ", ".join(list(required) + list(optional))},
                )
        return value

    def text(self, value, path, *, html=None, required=True, max_length=None):
        """A single string: plain text, or rich-text HTML with ``html`` tags."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(path, _("this text is empty"))
            return ""
        if not isinstance(value, str):
            self.error(path, _("expected text, found %(kind)s") % {"kind": _kind(value)})
            return ""
        value = value.strip()
        if html is None:
            if PLAIN_TEXT_HTML_RE.search(value):
                self.error(path, _("plain text expected here, found HTML"))
        else:
            collector = _TagCollector(html)
            collector.feed(value)
            collector.close()
            for problem in collector.problems:
                self.error(path, problem)
        if max_length and len(value) > max_length:
            self.error(
                path,
                _("this text has %(length)d characters; at most %(max)d fit")
                % {"length": len(value), "max": max_length},
            )
        return value

    def bilingual(self, value, path, *, html=None, required=True, max_length=None):
        """A mapping {en: ..., es: ...}; both languages must be filled."""
        if value is None and not required:
            return {lang: "" for lang in LANGUAGES}
        if not isinstance(value, dict):
            self.error(path, _("expected a mapping {en: ..., es: ...}, found %(kind)s") % {"kind": _kind(value)})
            return {lang: "" for lang in LANGUAGES}
        self.mapping(value, path, required=LANGUAGES)
        return {
            lang: self.text(value.get(lang), f"{path}.{lang}", html=html, required=required, max_length=max_length)
            for lang in LANGUAGES
        }

    def text_or_bilingual(self, value, path, **kwargs):
        if isinstance(value, dict):
            return self.bilingual(value, path, **kwargs)
        text = self.text(value, path, **kwargs)
        return {lang: text for lang in LANGUAGES}

    def slug(self, value, path):
        slugs = self.bilingual(value, path, max_length=255)
        for lang, slug in slugs.items():
            if slug and not SLUG_RE.match(slug):
                self.error(f"{path}.{lang}", _("'%(slug)s' is not a valid slug") % {"slug": slug})
        return slugs

    def integer(self, value, path, *, minimum=None, maximum=None, required=True):
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, _("expected a whole number, found %(kind)s") % {"kind": _kind(value)})
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.error(path, _("%(value)s is out of range") % {"value": value})
        return value

    def decimal(self, value, path):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.error(path, _("expected a number, found %(kind)s") % {"kind": _kind(value)})
            return None
        if isinstance(value, bool) or number < 0 or number >= 10000:
            self.error(path, _("%(value)s is out of range") % {"value": value})
        return number.quantize(Decimal("0.1"))

    def listing(self, value, path, *, required=True):
        if not isinstance(value, list):
            self.error(path, _("expected a list, found %(kind)s") % {"kind": _kind(value)})
            return []
        if required and not value:
            self.error(path, _("this list is empty"))
        return value

    def url(self, value, path):
        urls = self.text_or_bilingual(value, path, max_length=200)
        for lang, url in urls.items():
            parsed = urlparse(url)
            if url and (parsed.scheme not in ("http", "https") or not parsed.netloc):
                where = f"{path}.{lang}" if isinstance(value, dict) else path
                self.error(where, _("'%(url)s' is not an http(s) address") % {"url": url})
        return urls

    def image_file(self, value, path):
        files = {}
        raw = value if isinstance(value, dict) else {lang: value for lang in LANGUAGES}
        if isinstance(value, dict):
            self.mapping(value, path, required=LANGUAGES)
        for lang in LANGUAGES:
            where = f"{path}.{lang}" if isinstance(value, dict) else path
            name = self.text(raw.get(lang), where)
            if not name:
                continue
            file = (self.base_dir / name).resolve()
            if not file.is_relative_to(self.base_dir.resolve()):
                self.error(where, _("'%(name)s' is outside the content folder") % {"name": name})
            elif file.suffix.lower() not in IMAGE_EXTENSIONS:
                self.error(where, _("'%(name)s' is not an image file") % {"name": name})
            elif not file.is_file():
                self.error(where, _("image file '%(name)s' not found") % {"name": name})
            else:
                files[lang] = file
        return files

    # ------------------------------------------------------------ structure

    def document(self, data):
        """The whole file; returns the course's PageSpec (or None)."""
        top = self.mapping(data, "", required=["course"])
        if top is None or not isinstance(top.get("course"), dict):
            if top is not None and "course" in top:
                self.error("course", _("expected a mapping, found %(kind)s") % {"kind": _kind(top["course"])})
            return None
        return self.course(top["course"], "course")

    def course(self, data, path):
        self.mapping(
            data,
            path,
            required=["code", "slug", "title", "summary", "modules"],
            optional=[
                "intro",
                "credit_hours",
                "estimated_minutes",
                "validity_months",
                "sequencing",
                "pre_assessment",
                "job_aids",
            ],
        )
        code = self.text(data.get("code"), f"{path}.code", max_length=30)
        spec = PageSpec(
            path=path,
            slug=self.slug(data.get("slug"), f"{path}.slug"),
            title=self.bilingual(data.get("title"), f"{path}.title", max_length=255),
            intro=self.bilingual(data.get("intro"), f"{path}.intro", html=COURSE_INTRO_TAGS, required=False),
            extra={
                "code": code,
                "summary": self.bilingual(data.get("summary"), f"{path}.summary"),
                "credit_hours": self.decimal(data.get("credit_hours", 1), f"{path}.credit_hours"),
                "estimated_minutes": self.integer(
                    data.get("estimated_minutes", 60), f"{path}.estimated_minutes", minimum=1
                ),
                # Neither given: both are computed from the course's steps
                # once it is built (courses.duration).
                "duration_computed": "credit_hours" not in data and "estimated_minutes" not in data,
                "validity_months": self.integer(
                    data.get("validity_months"), f"{path}.validity_months", minimum=1, maximum=600, required=False
                ),
                "sequencing": self.sequencing(data.get("sequencing", "free"), f"{path}.sequencing"),
            },
        )
        if "job_aids" in data:
            self.job_aids = self.job_aids_of(data["job_aids"], f"{path}.job_aids")
        spec.extra["job_aids"] = self.job_aids
        modules = self.listing(data.get("modules"), f"{path}.modules")
        spec.children = [self.module(item, f"{path}.modules[{i}]") for i, item in enumerate(modules)]
        self.unique_slugs(spec.children, f"{path}.modules")
        if "pre_assessment" in data:
            spec.extra["pre_assessment"] = self.pre_assessment(data["pre_assessment"], f"{path}.pre_assessment", spec)
        return spec

    def job_aids_of(self, value, path):
        """Downloadable job aids: each becomes one PDF document per language
        (training.job_aids) that ``job_aid`` blocks of lessons link.

        A job aid has a ``key`` (what blocks name), a bilingual ``title``,
        ``description`` and ``intro``, an ``as_of`` date, ``sections`` (each a
        bilingual ``heading`` with ``items``, a list of bilingual texts, or a
        ``table`` of bilingual ``columns`` and ``rows``) and ``sources`` (each
        a ``reference`` and an official ``url``)."""
        aids = {}
        for i, item in enumerate(self.listing(value, path)):
            where = f"{path}[{i}]"
            if (
                self.mapping(
                    item,
                    where,
                    required=["key", "title", "description", "as_of", "sections", "sources"],
                    optional=["intro"],
                )
                is None
            ):
                continue
            key = self.text(item.get("key"), f"{where}.key", max_length=60)
            if key and not JOB_AID_KEY_RE.match(key):
                self.error(
                    f"{where}.key",
                    _("'%(key)s' is not a valid key (lowercase letters, digits and hyphens)") % {"key": key},
                )
            elif key in aids:
                self.error(f"{where}.key", _("key '%(key)s' is already used") % {"key": key})
            as_of = self.date(item.get("as_of"), f"{where}.as_of")
            aid = {
                "key": key,
                "title": self.bilingual(item.get("title"), f"{where}.title", max_length=200),
                "description": self.bilingual(item.get("description"), f"{where}.description", max_length=300),
                "intro": self.bilingual(item.get("intro"), f"{where}.intro", required=False),
                "as_of": as_of,
                "sections": [
                    self.job_aid_section(section, f"{where}.sections[{j}]")
                    for j, section in enumerate(self.listing(item.get("sections"), f"{where}.sections"))
                ],
                "sources": [
                    self.job_aid_source(source, f"{where}.sources[{j}]")
                    for j, source in enumerate(self.listing(item.get("sources"), f"{where}.sources"))
                ],
            }
            if key:
                aids[key] = aid
        return aids

    def job_aid_section(self, value, path):
        if self.mapping(value, path, required=["heading"], optional=["intro", "items", "table"]) is None:
            return {}
        section = {
            "heading": self.bilingual(value.get("heading"), f"{path}.heading", max_length=200),
            "intro": self.bilingual(value.get("intro"), f"{path}.intro", required=False),
            "items": [],
            "columns": [],
            "rows": [],
        }
        if ("items" in value) == ("table" in value):
            self.error(path, _("a section has either items or a table"))
            return section
        if "items" in value:
            section["items"] = [
                self.text_or_bilingual(item, f"{path}.items[{i}]")
                for i, item in enumerate(self.listing(value["items"], f"{path}.items"))
            ]
            return section
        table = value["table"]
        if self.mapping(table, f"{path}.table", required=["columns", "rows"]) is None:
            return section
        section["columns"] = [
            self.text_or_bilingual(column, f"{path}.table.columns[{i}]")
            for i, column in enumerate(self.listing(table.get("columns"), f"{path}.table.columns"))
        ]
        for i, row in enumerate(self.listing(table.get("rows"), f"{path}.table.rows")):
            where = f"{path}.table.rows[{i}]"
            cells = self.listing(row, where)
            if len(cells) != len(section["columns"]):
                self.error(
                    where,
                    _("this row has %(cells)d cells; the table has %(columns)d columns")
                    % {"cells": len(cells), "columns": len(section["columns"])},
                )
            section["rows"].append([self.text_or_bilingual(cell, f"{where}[{j}]") for j, cell in enumerate(cells)])
        return section

    def job_aid_source(self, value, path):
        if self.mapping(value, path, required=["reference", "url"]) is None:
            return {}
        return {
            "reference": self.text_or_bilingual(value.get("reference"), f"{path}.reference"),
            "url": self.url(value.get("url"), f"{path}.url"),
        }

    def pre_assessment(self, data, path, course):
        """The ungraded diagnostic placed first in the first module; it draws
        from the module quizzes' pools, which must hold twice its draw."""
        if (
            self.mapping(data, path, required=["slug", "title", "draw"], optional=["intro", "estimated_minutes"])
            is None
        ):
            return None
        value = {
            "slug": self.slug(data.get("slug"), f"{path}.slug"),
            "title": self.bilingual(data.get("title"), f"{path}.title", max_length=255),
            "intro": self.bilingual(data.get("intro"), f"{path}.intro", required=False),
            "draw": self.integer(data.get("draw"), f"{path}.draw", minimum=1, maximum=200),
            "estimated_minutes": self.integer(
                data.get("estimated_minutes", 10), f"{path}.estimated_minutes", minimum=1, maximum=600
            ),
        }
        quizzes = [module.quiz for module in course.children if module.quiz]
        pool = sum(len(quiz.get("questions") or []) for quiz in quizzes)
        if not quizzes:
            self.error(path, _("a pre-assessment draws from the module quizzes; no module has a quiz"))
        elif value["draw"] and pool < 2 * value["draw"]:
            self.error(
                f"{path}.draw",
                _("draws %(draw)s questions from the module quizzes' %(pool)s; their pools must hold twice the draw")
                % {"draw": value["draw"], "pool": pool},
            )
        if course.children:
            first = course.children[0]
            siblings = [*first.children, PageSpec(path=path, slug=value["slug"], title={}, intro={})]
            if first.quiz_slug:
                siblings.append(PageSpec(path=first.quiz_path, slug=first.quiz_slug, title={}, intro={}))
            self.unique_slugs(siblings, path)
        return value

    def sequencing(self, value, path):
        from courses.models import Sequencing

        if value not in Sequencing.values:
            self.error(path, _("expected one of: %(choices)s") % {"choices": ", ".join(Sequencing.values)})
            return Sequencing.FREE
        return value

    def module(self, data, path):
        if (
            self.mapping(data, path, required=["slug", "title", "lessons"], optional=["intro", "summary", "quiz"])
            is None
        ):
            return PageSpec(path=path, slug={}, title={}, intro={})
        spec = PageSpec(
            path=path,
            slug=self.slug(data.get("slug"), f"{path}.slug"),
            title=self.bilingual(data.get("title"), f"{path}.title", max_length=255),
            intro=self.bilingual(data.get("intro"), f"{path}.intro", required=False),
        )
        lessons = self.listing(data.get("lessons"), f"{path}.lessons")
        spec.children = [self.lesson(item, f"{path}.lessons[{i}]") for i, item in enumerate(lessons)]
        if "summary" in data:
            summary = self.bilingual(data["summary"], f"{path}.summary", html=CALLOUT_TAGS)
            spec.extra["summary"] = summary
            required = [child for child in spec.children if child.slug and child.extra.get("required", True)]
            if required:
                last = required[-1]
                last.blocks.append(self.generated_callout(f"{path}.summary", gettext_noop("Module summary"), summary))
        siblings = list(spec.children)
        if "quiz" in data:
            spec.quiz_path = f"{path}.quiz"
            spec.quiz, spec.quiz_slug = self.quiz(data["quiz"], spec.quiz_path)
            siblings.append(PageSpec(path=spec.quiz_path, slug=spec.quiz_slug, title={}, intro={}))
        self.unique_slugs(siblings, path)
        return spec

    def lesson(self, data, path):
        if (
            self.mapping(
                data,
                path,
                required=["slug", "title", "body"],
                optional=["intro", "estimated_minutes", "objectives", "as_of", "required"],
            )
            is None
        ):
            return PageSpec(path=path, slug={}, title={}, intro={})
        spec = PageSpec(
            path=path,
            slug=self.slug(data.get("slug"), f"{path}.slug"),
            title=self.bilingual(data.get("title"), f"{path}.title", max_length=255),
            intro=self.bilingual(data.get("intro"), f"{path}.intro", required=False),
            extra={
                "estimated_minutes": self.integer(
                    data.get("estimated_minutes", 10), f"{path}.estimated_minutes", minimum=1, maximum=600
                )
            },
        )
        required = data.get("required", True)
        if not isinstance(required, bool):
            self.error(f"{path}.required", _("expected true or false, found %(kind)s") % {"kind": _kind(required)})
        spec.extra["required"] = required is not False
        body = self.listing(data.get("body"), f"{path}.body")
        spec.blocks = [block for i, item in enumerate(body) if (block := self.block(item, f"{path}.body[{i}]"))]
        objectives = self.objectives(data.get("objectives"), f"{path}.objectives")
        spec.extra["objectives"] = objectives
        if objectives:
            items = {lang: "".join(f"<li>{escape(o[lang])}</li>" for o in objectives) for lang in LANGUAGES}
            text = {lang: f"<ul>{items[lang]}</ul>" for lang in LANGUAGES}
            spec.blocks.insert(
                0, self.generated_callout(f"{path}.objectives", gettext_noop("Learning objectives"), text)
            )
        as_of = self.date(data.get("as_of"), f"{path}.as_of")
        spec.extra["as_of"] = as_of
        if as_of:
            spec.blocks.append(self.as_of_block(f"{path}.as_of", as_of, spec.blocks))
        self.check_stream(spec.blocks)
        return spec

    def objectives(self, value, path):
        """Optional list of bilingual plain-text learning objectives."""
        if value is None:
            return []
        items = self.listing(value, path)
        return [self.bilingual(item, f"{path}[{i}]", max_length=300) for i, item in enumerate(items)]

    def date(self, value, path):
        if value is None:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.error(path, _("expected a date as YYYY-MM-DD, found %(value)r") % {"value": value})
            return None

    @staticmethod
    def generated_callout(path, title, text):
        """A key-point callout the file describes by a field, not a block."""
        values = {}
        for lang in LANGUAGES:
            with translation.override(lang):
                values[lang] = {"kind": "key_point", "title": _(title), "text": text[lang]}
        return BlockSpec(path, "callout", values)

    @staticmethod
    def as_of_block(path, as_of, blocks):
        """'Current as of <date>. Sources: <the lesson's citations>.'"""
        values = {}
        for lang in LANGUAGES:
            references = [b.values[lang]["reference"] for b in blocks if b.type == "citation"]
            with translation.override(lang):
                text = _("Current as of %(date)s.") % {"date": formats.date_format(as_of, "DATE_FORMAT")}
                if references:
                    text += " " + _("Sources: %(sources)s.") % {"sources": "; ".join(references)}
            values[lang] = f"<p><em>{escape(text)}</em></p>"
        return BlockSpec(path, "rich_text", values)

    def quiz(self, data, path):
        """Only what the loader itself needs; quizzes.content checks the rest.
        Returns (the mapping, its slugs)."""
        if not isinstance(data, dict):
            self.error(path, _("expected a mapping, found %(kind)s") % {"kind": _kind(data)})
            return None, {}
        slug = self.slug(data.get("slug"), f"{path}.slug")
        questions = self.listing(data.get("questions"), f"{path}.questions")
        draw = data.get("draw")
        if draw is not None and self.integer(draw, f"{path}.draw", minimum=1) and draw >= len(questions):
            self.error(
                f"{path}.draw",
                _("draws %(draw)s questions from a pool of %(pool)s; the pool must be larger")
                % {"draw": draw, "pool": len(questions)},
            )
        return data, slug

    def unique_slugs(self, specs, path):
        for lang in LANGUAGES:
            seen = {}
            for spec in specs:
                slug = spec.slug.get(lang)
                if slug and slug in seen:
                    self.error(
                        f"{spec.path}.slug.{lang}",
                        _("slug '%(slug)s' is already used by %(other)s") % {"slug": slug, "other": seen[slug]},
                    )
                seen.setdefault(slug, spec.path)

    # ------------------------------------------------------------ blocks

    def block(self, item, path):
        if not isinstance(item, dict) or len(item) != 1:
            self.error(path, _("a block is a mapping with exactly one key, its type"))
            return None
        kind, value = next(iter(item.items()))
        where = f"{path}.{kind}"
        if kind not in BLOCK_TYPES:
            self.error(
                path,
                _("unknown block type '%(kind)s' (expected one of: %(known)s)")
                % {"kind": kind, "known": ", ".join(BLOCK_TYPES)},
            )
            return None
        return getattr(self, f"block_{kind}")(value, where)

    def block_rich_text(self, value, path):
        texts = self.bilingual(value, path, html=LESSON_TEXT_TAGS)
        return BlockSpec(path, "rich_text", {lang: texts[lang] for lang in LANGUAGES})

    def block_citation(self, value, path):
        if self.mapping(value, path, required=["reference", "title", "quote", "url"]) is None:
            return None
        reference = self.text_or_bilingual(value.get("reference"), f"{path}.reference")
        title = self.bilingual(value.get("title"), f"{path}.title")
        quote = self.bilingual(value.get("quote"), f"{path}.quote")
        url = self.url(value.get("url"), f"{path}.url")
        return BlockSpec(
            path,
            "citation",
            {
                lang: {"reference": reference[lang], "title": title[lang], "quote": quote[lang], "url": url[lang]}
                for lang in LANGUAGES
            },
        )

    def block_callout(self, value, path):
        if self.mapping(value, path, required=["kind", "title", "text"]) is None:
            return None
        kind = value.get("kind")
        if kind not in callout_kinds():
            self.error(
                f"{path}.kind",
                _("unknown callout kind %(kind)r (expected one of: %(known)s)")
                % {"kind": kind, "known": ", ".join(callout_kinds())},
            )
        title = self.bilingual(value.get("title"), f"{path}.title")
        text = self.bilingual(value.get("text"), f"{path}.text", html=CALLOUT_TAGS)
        return BlockSpec(
            path, "callout", {lang: {"kind": kind, "title": title[lang], "text": text[lang]} for lang in LANGUAGES}
        )

    def block_key_terms(self, value, path):
        items = self.listing(value, path)
        values = {lang: [] for lang in LANGUAGES}
        for i, item in enumerate(items):
            where = f"{path}[{i}]"
            if self.mapping(item, where, required=["term", "definition"]) is None:
                continue
            term = self.bilingual(item.get("term"), f"{where}.term")
            definition = self.bilingual(item.get("definition"), f"{where}.definition")
            for lang in LANGUAGES:
                values[lang].append({"term": term[lang], "definition": definition[lang]})
        return BlockSpec(path, "key_terms", values)

    def block_job_aid(self, value, path):
        """``job_aid: <key>``: a download link to the job aid's document in
        the lesson's language."""
        aid = self.job_aids.get(value) if isinstance(value, str) else None
        if aid is None:
            self.error(
                path,
                _("no job aid with key %(key)r (the course's job_aids list: %(known)s)")
                % {"key": value, "known": ", ".join(self.job_aids) or "-"},
            )
            return None
        return BlockSpec(
            path,
            "document",
            {
                lang: {
                    "document": None,
                    "title": f"{aid['title'][lang]} (PDF)",
                    "description": aid["description"][lang],
                }
                for lang in LANGUAGES
            },
            job_aid=value,
        )

    def block_image(self, value, path):
        if self.mapping(value, path, required=["file", "alt"], optional=["caption"]) is None:
            return None
        files = self.image_file(value.get("file"), f"{path}.file")
        alt = self.bilingual(value.get("alt"), f"{path}.alt")
        caption = self.bilingual(value.get("caption"), f"{path}.caption", required=False)
        return BlockSpec(
            path,
            "image",
            {lang: {"image": None, "alt": alt[lang], "caption": caption[lang]} for lang in LANGUAGES},
            files=files,
        )

    def check_stream(self, blocks):
        """Let the lesson's StreamField blocks judge each language's values
        (lengths, URLs, choices), as the admin would on saving."""
        stream_block = LessonStreamBlock()
        for lang in LANGUAGES:
            raw = [{"type": block.type, "value": block.values[lang]} for block in blocks]
            try:
                stream_block.clean(stream_block.to_python(raw))
            except ValidationError as error:
                for index, child_error in getattr(error, "block_errors", {}).items():
                    block = blocks[index]
                    for sub_path, message in _flatten(child_error, ""):
                        if sub_path.startswith(".image") and block.type == "image":
                            continue  # the image is imported later; its file was checked above
                        if sub_path.startswith(".document") and block.type == "document":
                            continue  # the job aid's document is generated by the loader
                        self.error(f"{block.path}{sub_path}.{lang}", message)


def _flatten(error, path):
    """(path suffix, message) pairs of a (possibly nested) block error."""
    children = getattr(error, "block_errors", None)
    if children:
        for key, child in children.items() if isinstance(children, dict) else enumerate(children):
            if child is None:
                continue
            suffix = f"[{key}]" if isinstance(key, int) else f".{key}"
            yield from _flatten(child, path + suffix)
        for message in getattr(error, "non_block_errors", []) or []:
            yield path, message
        return
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    for message in messages:
        yield path, message


def _kind(value):
    if value is None:
        return _("nothing")
    return {dict: _("a mapping"), list: _("a list"), str: _("text"), bool: _("true/false")}.get(
        type(value), type(value).__name__
    )
