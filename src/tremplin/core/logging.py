"""Logging filters (settings.LOGGING)."""

from __future__ import annotations

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """Django logs a refused request (403 ``PermissionDenied``, 400 bad request) with the
    exception's traceback: for a client error the traceback says nothing useful and fills
    the log. Keep the one line ("Forbidden (Permission denied): /path"); server errors
    (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
