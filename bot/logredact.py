"""A logging filter that replaces secrets (the Discord token) in every record before any handler writes it."""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
# Loggers whose debug records carry SQL parameters or whole payloads (feed text, message content):
# with -v they stay at INFO, so debug logging shows what happened, never the content it happened to.
CONTENT_LOGGERS = ("aiosqlite", "discord.gateway", "discord.http", "discord.webhook.async_")


def quiet_content_loggers() -> None:
    for name in CONTENT_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)


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


_WEBHOOK_TOKEN = re.compile(r"(/webhooks/\d+/)[A-Za-z0-9_-]+")


class RedactWebhookTokens(logging.Filter):
    """A Discord webhook URL is a secret: its token never reaches a log, whoever logs it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/webhooks/" in message:
            record.msg, record.args = _WEBHOOK_TOKEN.sub(r"\1[redacted]", message), None
        return True


def redact_webhook_tokens(*logger_names: str) -> None:
    """Attach the filter to these loggers (once each): libraries that log what they send or store."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactWebhookTokens) for f in logger.filters):
            logger.addFilter(RedactWebhookTokens())
