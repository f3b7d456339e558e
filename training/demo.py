"""Demo data of the training app: every course in content/*.yaml.

Runs from ``manage.py load_demo`` after the lms, courses, quizzes and
certificates demos (INSTALLED_APPS order), so the demo instructor exists and
is made an instructor of each course.
"""

import logging
from pathlib import Path

from django.conf import settings

from .exceptions import ContentError
from .loader import load_course_file

logger = logging.getLogger(__name__)


def content_files():
    folder = Path(getattr(settings, "TRAINING_CONTENT_DIR", settings.BASE_DIR / "content"))
    return sorted(folder.glob("*.yaml"))


def load(stdout=None):
    """Load every content file. Safe to call twice: unchanged files change
    nothing. A malformed file is reported and skipped (nothing of it is
    written), so the rest of the demo still loads; ``manage.py load_content``
    is the strict way to load content."""
    for path in content_files():
        try:
            result = load_course_file(path)
        except ContentError as error:
            logger.error("Content file skipped: %s", error)
            if stdout:
                stdout.write(f"  training: SKIPPED {error}")
            continue
        if stdout:
            stdout.write(f"  training: {result.summary()}")
            for warning in result.warnings:
                stdout.write(f"  training: {warning}")
