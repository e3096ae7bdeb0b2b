"""The editor's unsaved text, kept on the server so that closing a tab loses nothing.

One draft per user and strategy (no strategy: the new-strategy page). A draft whose text
equals the saved document is not worth offering, and a successful save discards it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import EditorDraft, Strategy


def _drafts(user, strategy: Strategy | None):
    return EditorDraft.objects.filter(owner=user, strategy=strategy)


def store(
    user, strategy: Strategy | None, document: str, fmt: str, base_lock_version: int | None
) -> EditorDraft:
    values = {
        "document": document,
        "format": fmt,
        "base_lock_version": base_lock_version,
        "updated_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            draft, _ = _drafts(user, strategy).update_or_create(
                owner=user, strategy=strategy, defaults=values
            )
    except IntegrityError:
        # Two autosaves of the same editor raced to create it; the other one won.
        _drafts(user, strategy).update(**values)
        draft = _drafts(user, strategy).get()
    return draft


def pending(user, strategy: Strategy | None) -> EditorDraft | None:
    """The draft to offer for restoring: one whose text differs from what is saved."""
    draft = _drafts(user, strategy).first()
    if draft is None:
        return None
    if strategy is not None and draft.document == strategy.document and draft.format == strategy.format:
        draft.delete()
        return None
    return draft


def discard(user, strategy: Strategy | None) -> int:
    deleted, _ = _drafts(user, strategy).delete()
    return deleted
