"""Forms for registering, logging in and naming API tokens."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm

from trading_strategy.accounts.models import ApiToken, User


class RegisterForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)
        labels = {"email": "E-mail"}
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def clean_email(self):
        # A taken e-mail is not refused here: saying so would tell a stranger who has an
        # account (see views.register).
        return User.objects.canonical_email(self.cleaned_data["email"])

    def validate_unique(self):
        pass  # as clean_email: views.register answers a taken e-mail like a new one


class LogInForm(AuthenticationForm):
    # Named "username" because that is the field axes counts failures by.
    username = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    # One message for an unknown e-mail and a wrong password, so the form never
    # tells a stranger which addresses have accounts.
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": "Wrong e-mail or password."}


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="So you can tell your tokens apart, e.g. “laptop” or “CI”.",
    )
