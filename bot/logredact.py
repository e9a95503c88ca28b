"""A logging filter that replaces secrets (the Discord token) in every record before any handler writes it."""

from __future__ import annotations

import logging

REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    def __init__(self, *secrets: str):
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 8]  # a short string would redact ordinary words

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True


def install(*secrets: str, logger: logging.Logger | None = None) -> RedactSecrets:
    """Attach the filter to every handler of `logger` (root by default): handler filters see records
    from all child loggers, logger filters would not."""
    logger = logger or logging.getLogger()
    redactor = RedactSecrets(*secrets)
    for handler in logger.handlers:
        handler.addFilter(redactor)
    return redactor
