"""Where e-mails go when no SMTP server is configured outside development.

Printing them, as Django's console backend does, would put working password reset links
into the server's logs, readable by anyone who reads the logs. Each e-mail becomes one
warning line instead, without its body; the admin dashboard warns that e-mails cannot be
sent (ops/home.py).
"""

from __future__ import annotations

import structlog
from django.core.mail.backends.base import BaseEmailBackend

log = structlog.get_logger(__name__)


class UnsentEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            log.warning(
                "email.not_sent",
                subject=message.subject,
                recipients=len(message.recipients()),
                hint="Set EMAIL_HOST to send e-mails.",
            )
        return 0
