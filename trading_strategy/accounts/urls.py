from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from trading_strategy.accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/register", views.register, name="register"),
    path("users/log-in", views.log_in, name="log-in"),
    path("users/log-out", views.log_out, name="log-out"),
    path("users/settings", views.account_settings, name="settings"),
    path("users/settings/password", views.change_password, name="change-password"),
    path("users/settings/tokens", views.create_token, name="create-token"),
    path("users/settings/tokens/<int:token_id>/revoke", views.revoke_token, name="revoke-token"),
    path("users/settings/tokens/revoke-all", views.revoke_all_tokens, name="revoke-all-tokens"),
    # Django's reset views already answer an unknown e-mail exactly like a known one.
    path(
        "users/reset-password",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/reset_password.html",
            email_template_name="accounts/email/reset_password.txt",
            subject_template_name="accounts/email/reset_password_subject.txt",
            success_url=reverse_lazy("accounts:reset-password-sent"),
        ),
        name="reset-password",
    ),
    path(
        "users/reset-password/sent",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/reset_password_sent.html",
        ),
        name="reset-password-sent",
    ),
    path(
        "users/reset-password/done",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/reset_password_complete.html",
        ),
        name="reset-password-complete",
    ),
    path(
        "users/reset-password/<uidb64>/<token>",
        views.ResetPasswordConfirm.as_view(),
        name="reset-password-confirm",
    ),
]
