"""Strategies, their immutable versions, and the rules about one or many of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone

from trading_strategy.dsl import MAX_NAME_CHARS as NAME_MAX

# The largest numbers a request may name. Version and lock numbers are PositiveIntegerField,
# 32 bits on PostgreSQL; ids are 64-bit. A larger number cannot match a row and would fail
# on its way into the database (OverflowError on SQLite, out of range on PostgreSQL).
MAX_NUMBER = 2**31 - 1
MAX_ID = 2**63 - 1


class Status(models.TextChoices):
    DRAFT = "draft"
    ACTIVE = "active"
    INACTIVE = "inactive"
    ARCHIVED = "archived"


class Format(models.TextChoices):
    YAML = "yaml", "YAML"
    TOML = "toml", "TOML"


# Allowed moves between statuses, by operation.
TRANSITIONS: dict[str, dict[str, str]] = {
    "activate": {Status.DRAFT: Status.ACTIVE, Status.INACTIVE: Status.ACTIVE},
    "deactivate": {Status.ACTIVE: Status.INACTIVE},
    "archive": {Status.DRAFT: Status.ARCHIVED, Status.INACTIVE: Status.ARCHIVED},
    "restore": {Status.ARCHIVED: Status.INACTIVE},
}


class StrategyQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The only way strategies are looked up: another user's strategy is not found."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def live(self):
        return self.exclude(status=Status.ARCHIVED)

    def name_taken(self, name: str, exclude_id=None) -> bool:
        """Names are unique per owner, ignoring case, among strategies not archived.

        Compared as the unique index compares them, LOWER() on both sides, so the lookup
        reads that index instead of scanning every strategy the owner has."""
        clash = self.live().alias(lower_name=Lower("name")).filter(lower_name=Lower(Value(name)))
        if exclude_id is not None:
            clash = clash.exclude(pk=exclude_id)
        return clash.exists()

    def counts_by_status(self) -> dict[str, int]:
        """How many strategies each status holds, every status present (zero included)."""
        counts = dict.fromkeys(Status.values, 0)
        for row in self.order_by().values("status").annotate(n=Count("pk")):
            counts[row["status"]] = row["n"]
        return counts

    def search(self, query: str = "", status: str = ""):
        result = self
        if query:
            result = result.filter(name__icontains=query)
        if status:
            result = result.filter(status=status)
        return result


class Strategy(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strategies")
    # name, description, trading_pair and timeframe are projections of the document,
    # written only by lifecycle.save_document so they never disagree with it.
    name = models.CharField(max_length=NAME_MAX)
    description = models.CharField(max_length=500, blank=True, default="")
    trading_pair = models.CharField(max_length=31, blank=True, default="")
    timeframe = models.CharField(max_length=3, blank=True, default="")
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.YAML)
    document = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    # Whether the current document has no errors (drafts may be saved invalid).
    is_valid = models.BooleanField(default=False)
    current_version = models.PositiveIntegerField(default=1)
    # Bumped by every change; a save that started from an older value is a conflict.
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = StrategyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                condition=~Q(status="archived"),
                name="strategy_name_unique_per_owner_ignoring_case",
                violation_error_message="You already have a strategy with this name.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="strategy_status_known"
            ),
            models.CheckConstraint(condition=Q(format__in=["yaml", "toml"]), name="strategy_format_known"),
        ]
        # The list's default order, read from the index so a page of 50 stops after 50
        # rows even for an owner with thousands of strategies.
        # The count under the list reads only this index.
        indexes = [
            models.Index(fields=["owner", "-updated_at", "-id"], name="strategy_owner_recent"),
            models.Index(fields=["owner", "status"], name="strategy_owner_status"),
        ]

    def __str__(self):
        return self.name

    def next_status(self, operation: str) -> str | None:
        return TRANSITIONS[operation].get(self.status)

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.INACTIVE)

    @property
    def is_deletable(self) -> bool:
        # Only drafts can be deleted, and no path leads back to draft, so a draft was
        # never active: anything that was is archived instead, never lost.
        return self.status == Status.DRAFT

    def status_refusal(self, operation: str) -> str | None:
        """Why the status forbids `operation`, in words for the user; None if it does not."""
        if operation in TRANSITIONS and self.next_status(operation) is None:
            return _REFUSALS.get(
                (operation, self.status), f"A {self.status} strategy cannot be {_PAST[operation]}."
            )
        if operation in ("edit", "restore_version") and not self.is_editable:
            return _REFUSALS[("edit", self.status)]
        if operation == "delete" and not self.is_deletable:
            return _REFUSALS[("delete", self.status)]
        return None

    def refusal(self, operation: str) -> str | None:
        """Why `operation` is not possible now, as pages and the API show it."""
        reason = self.status_refusal(operation)
        if reason is None and operation == "activate" and not self.is_valid:
            return "This strategy has errors; fix them in the editor before activating it."
        return reason


_PAST = {"activate": "activated", "deactivate": "deactivated", "archive": "archived", "restore": "restored"}
_REFUSALS: dict[tuple[str, str], str] = {
    ("edit", Status.ACTIVE): "An active strategy cannot be edited. Deactivate it first, "
    "or duplicate it and edit the copy.",
    ("edit", Status.ARCHIVED): "An archived strategy is read-only. Restore it first.",
    ("delete", Status.ACTIVE): "An active strategy cannot be deleted. Deactivate it, then archive it.",
    ("delete", Status.INACTIVE): "A strategy that was active is kept: archive it instead.",
    ("delete", Status.ARCHIVED): "Archived strategies are kept, never deleted.",
    ("archive", Status.ACTIVE): "An active strategy cannot be archived. Deactivate it first.",
    ("archive", Status.ARCHIVED): "This strategy is already archived.",
    ("activate", Status.ACTIVE): "This strategy is already active.",
    ("activate", Status.ARCHIVED): "An archived strategy cannot be activated. Restore it first.",
    ("deactivate", Status.DRAFT): "Only an active strategy can be deactivated.",
    ("deactivate", Status.INACTIVE): "This strategy is already inactive.",
    ("deactivate", Status.ARCHIVED): "Only an active strategy can be deactivated.",
    ("restore", Status.DRAFT): "Only an archived strategy can be restored.",
    ("restore", Status.ACTIVE): "Only an archived strategy can be restored.",
    ("restore", Status.INACTIVE): "Only an archived strategy can be restored.",
}


class StrategyVersion(models.Model):
    """One saved document; never changed once written."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    document = models.TextField()
    format = models.CharField(max_length=4, choices=Format.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_valid = models.BooleanField()
    # The validator's diagnostics for this document, as data.
    diagnostics = models.JSONField(default=list)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint("strategy", "number", name="version_number_unique"),
        ]

    def __str__(self):
        return f"{self.strategy} v{self.number}"

    @property
    def errors(self):
        return [d for d in self.diagnostics if d["severity"] == "error"]

    @property
    def warnings(self):
        return [d for d in self.diagnostics if d["severity"] == "warning"]


class EditorDraft(models.Model):
    """The editor's unsaved text, kept so a closed tab loses nothing; one per user and
    strategy (strategy null: the new-strategy page)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editor_drafts"
    )
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, null=True, blank=True, related_name="editor_drafts"
    )
    document = models.TextField()
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.YAML)
    # The lock version the text was based on, to tell whether the strategy moved since.
    base_lock_version = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("owner", "strategy", name="editor_draft_one_per_strategy"),
            models.UniqueConstraint(
                "owner", condition=Q(strategy__isnull=True), name="editor_draft_one_new_per_owner"
            ),
        ]

    def __str__(self):
        return f"draft of {self.strategy or 'a new strategy'}"
