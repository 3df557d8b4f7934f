"""Models of the app (thin: writes go through the domain modules)."""

from django.db import models  # noqa: F401
