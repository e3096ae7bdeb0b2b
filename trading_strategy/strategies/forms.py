"""The strategy editor's form: the document, its format and the lock version it started from.

Only the shape of the request is checked here; whether the document is a valid strategy
is the validator's business, and drafts may be saved invalid.
"""

from __future__ import annotations

from django import forms

from trading_strategy.dsl import MAX_DOCUMENT_BYTES

from .models import MAX_ID, MAX_NUMBER, Format


class EditorForm(forms.Form):
    document = forms.CharField(
        strip=False,
        required=True,
        error_messages={"required": "The document is empty: write a strategy first."},
        widget=forms.Textarea(
            attrs={
                "id": "document",
                "rows": 28,
                "spellcheck": "false",
                "wrap": "off",
                "autocapitalize": "off",
                "autocomplete": "off",
                "class": "code",
                "aria-describedby": "diagnostics-heading",
            }
        ),
    )
    format = forms.ChoiceField(
        choices=Format.choices, initial=Format.YAML, widget=forms.Select(attrs={"id": "format"})
    )
    lock_version = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_NUMBER, widget=forms.HiddenInput
    )
    # Set by the conflict banner's "Overwrite with mine": the lock version the user has now
    # seen, so overwriting is always a second, explicit action.
    overwrite = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_NUMBER, widget=forms.HiddenInput
    )

    def clean_document(self):
        document = self.cleaned_data["document"].replace("\r\n", "\n")
        size = len(document.encode("utf-8", "surrogatepass"))
        if size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                f"The document is {size:,} bytes; at most {MAX_DOCUMENT_BYTES:,} are allowed.",
                code="too_large",
            )
        return document

    def base_lock_version(self) -> int | None:
        data = self.cleaned_data
        if data.get("overwrite") is not None:
            return data["overwrite"]
        return data.get("lock_version")


class LiveForm(forms.Form):
    """The fields every live endpoint shares; a missing document is an empty one."""

    document = forms.CharField(strip=False, required=False)
    format = forms.ChoiceField(choices=Format.choices)
    strategy_id = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def clean_document(self):
        return self.cleaned_data["document"].replace("\r\n", "\n")


class ConvertForm(LiveForm):
    to = forms.ChoiceField(choices=Format.choices)


class AutosaveForm(LiveForm):
    base_lock_version = forms.IntegerField(required=False, min_value=0, max_value=MAX_NUMBER)


class IndicatorForm(forms.Form):
    type = forms.CharField(max_length=50)
    format = forms.ChoiceField(choices=Format.choices)
    name = forms.CharField(max_length=100, required=False)
    document = forms.CharField(strip=False, required=False)

    PARAMETER_PREFIX = "param_"

    def parameters(self) -> dict[str, str]:
        """The parameter inputs, posted as `param_<name>`."""
        return {
            key[len(self.PARAMETER_PREFIX) :]: value
            for key, value in self.data.items()
            if key.startswith(self.PARAMETER_PREFIX)
        }


class PreviewChoiceForm(forms.Form):
    """Which data and which UTC days a preview covers; every field optional."""

    # Not "dataset": a control of that name would shadow the editor form's `dataset` in scripts.
    data_source = forms.CharField(required=False, max_length=40)
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The last day comes before the first.")
        return cleaned


class LivePreviewForm(LiveForm, PreviewChoiceForm):
    pass
