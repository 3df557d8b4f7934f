"""Test settings: the real settings, with fast hashing, tasks run immediately and mail kept
in memory. DATABASE_URL still chooses SQLite (default) or PostgreSQL."""

import os
import tempfile

os.environ.setdefault("TREMPLIN_VAR_DIR", tempfile.mkdtemp(prefix="tremplin-test-"))

from tremplin.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ACCOUNT_RATE_LIMITS = False
# The tests pay with the sandbox's test cards (off by default: settings.SANDBOX_ENABLED).
SANDBOX_ENABLED = True
PAYMENTS_DEFAULT_PROVIDER = "sandbox"
SECURE_SSL_REDIRECT = False
MEDIA_ROOT = os.path.join(os.environ["TREMPLIN_VAR_DIR"], "media")  # noqa: PTH118
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405  (WhiteNoise warns when it is missing)
# The kit's teaser (ffmpeg, seconds of CPU each) only in the tests that ask for it.
KIT_TEASER = False
