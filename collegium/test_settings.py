"""Settings for the test suite: the production module with test-friendly environment defaults."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("BACKGROUND_SYNC", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod uses Argon2
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
REMINDERS_EVERY_SECONDS = 0  # tests call the reminder service directly
ACTIVITY_EVERY_SECONDS = 0  # tests call the aggregation directly
# Suites make many posts and comments in a second; the flood-limit tests turn the limits on.
DISCUSSIONS_RATE_LIMITS = {}
