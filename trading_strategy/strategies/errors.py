"""Why a lifecycle operation was refused, as data the pages and the API both render."""

from __future__ import annotations


class LifecycleError(Exception):
    code = "strategy.error"
    http_status = 400

    def __init__(self, message: str, hint: str | None = None, **details):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "hint": self.hint, **self.details}


class Refused(LifecycleError):
    """The operation is not allowed in the strategy's status."""

    code = "strategy.refused"
    http_status = 409


class NameRejected(LifecycleError):
    code = "strategy.name"
    http_status = 422

    def __init__(self, code: str, message: str, hint: str | None = None):
        super().__init__(message, hint)
        self.code = code


class Unstorable(LifecycleError):
    """The document is too large, or is not text a database can store."""

    code = "strategy.unstorable"
    http_status = 422

    def __init__(self, code: str, message: str, hint: str | None = None):
        super().__init__(message, hint)
        self.code = code


class NotValid(LifecycleError):
    """Activation needs a document without errors."""

    code = "strategy.invalid"
    http_status = 422


class Conflict(LifecycleError):
    """The strategy changed since the caller loaded it."""

    code = "strategy.conflict"
    http_status = 409
