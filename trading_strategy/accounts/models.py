"""Users log in by e-mail and are traders or admins; API tokens belong to a user."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "tsk_"
# Token use is recorded to the minute, as the settings page shows it: a write on every
# request made all concurrent requests of one token queue on its row.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        # E-mail addresses are unique ignoring case, so logging in ignores case too.
        return self.get(email__iexact=email)

    @staticmethod
    def canonical_email(email: str) -> str:
        # Stored lower-case, so the unique index also refuses the same address in
        # another case.
        return email.strip().lower()

    def create_user(self, email, password=None, role="trader", **extra):
        user = self.model(email=self.canonical_email(email), role=role, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, role=User.Role.ADMIN, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        TRADER = "trader"
        ADMIN = "admin"

    email = models.EmailField(max_length=254, unique=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.TRADER)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=["trader", "admin"]), name="user_role_known"),
        ]

    def __str__(self):
        return self.email

    @property
    def is_staff(self) -> bool:
        """Admins are Django staff; the role is the one place that says so."""
        return self.role == self.Role.ADMIN

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


def hash_token(raw: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough: there is nothing to guess.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def revoke_all(self) -> int:
        """Revoke every token not yet revoked; how many."""
        return self.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())

    def authenticate(self, raw: str):
        """The user a raw token belongs to, recording its use; None when unusable."""
        if not raw.startswith(TOKEN_PREFIX):
            return None
        token = self.usable().select_related("user").filter(digest=hash_token(raw)).first()
        if token is None:
            return None
        token.record_use(timezone.now())
        return token.user


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    # The first characters, shown in lists so a user can tell tokens apart.
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, digest=hash_token(raw), hint=raw[: len(TOKEN_PREFIX) + 4]
        )
        return token, raw

    def record_use(self, now: datetime) -> None:
        """Set last_used_at to `now` unless it was set within TOKEN_USE_RESOLUTION."""
        if self.last_used_at is not None and now - self.last_used_at < TOKEN_USE_RESOLUTION:
            return
        # Conditional, so that of the requests that read the same stale time only the
        # first writes; the others find the row already moved on and change nothing.
        stale = models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lt=now - TOKEN_USE_RESOLUTION)
        ApiToken.objects.filter(stale, pk=self.pk).update(last_used_at=now)
        self.last_used_at = now

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
