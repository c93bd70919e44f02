"""Keep channel URLs and secrets out of logs, CLI output, stored errors and Sentry events."""
from __future__ import annotations

import logging
import os
import re
from urllib.parse import quote, urlsplit

_URL = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]{1,15})://[^\s'\"<>]+")
_SECRET_ENV = re.compile(r"(PASSWORD|SECRET|TOKEN|KEY|DSN|_URL)$", re.I)


class Redactor:
    """Replaces known secret strings by *** and any scheme://... by scheme://***."""

    def __init__(self, secrets=()):
        self._secrets: set[str] = set()
        self.add(secrets)
        for name, value in os.environ.items():
            if not value or len(value) < 6 or not _SECRET_ENV.search(name):
                continue
            if name.upper().endswith("_URL") and "://" in value:
                self.add_url_password(value)
            else:
                self.add([value])

    def add(self, secrets) -> None:
        for value in secrets:
            if not value or len(value) < 4:
                continue
            self._secrets.add(value)
            self._secrets.add(quote(value, safe=""))
            try:
                parts = urlsplit(value)
                if parts.password and len(parts.password) >= 4:
                    self._secrets.add(parts.password)
            except ValueError:
                pass

    def add_url_password(self, url: str | None) -> None:
        """Redact only the password of a store/Redis URL (the rest is fine to show)."""
        try:
            password = urlsplit(url).password if url else None
        except ValueError:
            password = None
        if password and len(password) >= 4:
            self._secrets.update({password, quote(password, safe="")})

    def __call__(self, text) -> str:
        if text is None:
            return ""
        text = str(text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, "***")
        return _URL.sub(lambda m: f"{m.group(1)}://***" if not m.group(0).startswith(("http://", "https://"))
                        or "@" in m.group(0) else m.group(0), text)


class RedactingFilter(logging.Filter):
    """A logging filter that renders each record and redacts it (installed on the service's handler)."""

    def __init__(self, redactor: Redactor):
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must still be logged
            message = str(record.msg)
        record.msg, record.args = self.redactor(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor(record.exc_text)
        return True
