"""Register, log in and out, settings (password, API tokens) and password reset."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from trading_strategy.accounts import lockout, registration
from trading_strategy.accounts.forms import LogInForm, RegisterForm, TokenForm
from trading_strategy.accounts.models import ApiToken


def _posted(request):
    return request.POST if request.method == "POST" else None


def _next_url(request) -> str:
    url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return settings.LOGIN_REDIRECT_URL


def register(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = RegisterForm(_posted(request))
    if form.is_valid():
        registration.register(request, form)
        # The same words for a new e-mail and a taken one (registration.py).
        messages.info(
            request,
            f"We sent a message to {form.cleaned_data['email']}. "
            "If the e-mail was new, your account is ready: log in with the password you chose.",
        )
        return redirect(settings.LOGIN_URL)
    return render(request, "accounts/register.html", {"form": form})


def log_in(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    # A locked e-mail is answered by axes' middleware with lockout.lockout_response; an
    # address past its failures is refused here, before any password is checked.
    if request.method == "POST" and (refused := lockout.address_refusal(request)):
        return refused
    form = LogInForm(request, data=_posted(request))
    if form.is_valid():
        login(request, form.get_user())
        return redirect(_next_url(request))
    return render(request, "accounts/log_in.html", {"form": form})


@require_POST
def log_out(request):
    logout(request)
    messages.info(request, "You are logged out.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _render_settings(request, **context):
    context.setdefault("password_form", PasswordChangeForm(request.user))
    context.setdefault("token_form", TokenForm())
    context["tokens"] = request.user.api_tokens.usable()
    return render(request, "accounts/settings.html", context)


@login_required
def account_settings(request):
    return _render_settings(request)


@login_required
@require_POST
def change_password(request):
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _render_settings(request, password_form=form)
    user = form.save()
    # The new password hash ends every other session; this keeps the current one.
    update_session_auth_hash(request, user)
    messages.success(request, "Password changed. Your other sessions are logged out.")
    return redirect("accounts:settings")


@never_cache
@login_required
@require_POST
def create_token(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render_settings(request, token_form=form)
    token, raw = ApiToken.issue(request.user, form.cleaned_data["name"])
    # Rendered rather than redirected: the raw value exists only in this response.
    return _render_settings(request, new_token=token, new_token_raw=raw)


@login_required
@require_POST
def revoke_token(request, token_id):
    token = get_object_or_404(request.user.api_tokens.usable(), pk=token_id)
    token.revoke()
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("accounts:settings")


@login_required
@require_POST
def revoke_all_tokens(request):
    request.user.api_tokens.revoke_all()
    messages.success(request, "All your API tokens are revoked.")
    return redirect("accounts:settings")


class ResetPasswordConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/reset_password_confirm.html"
    success_url = reverse_lazy("accounts:reset-password-complete")

    def form_valid(self, form):
        # Whoever reads the mailbox owns the account, so a lockout has done its job.
        lockout.unlock(self.user.email)
        response = super().form_valid(form)
        # A reset is asked for when the account may be in other hands: the new password
        # hash ends every session, and every API token goes with it.
        self.user.api_tokens.revoke_all()
        return response
