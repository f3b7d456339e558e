"""Laptop and demo settings: DEBUG on unless the environment says otherwise."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
