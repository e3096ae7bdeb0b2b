"""The upload form: a name, the pair the data is of, and the CSV file."""

from __future__ import annotations

from django import forms

from .models import NAME_MAX


class UploadForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX, widget=forms.TextInput(attrs={"id": "dataset-name"}))
    trading_pair = forms.CharField(
        max_length=31,
        required=False,
        help_text="Optional, e.g. BTC/USDT: a preview warns when it differs from the strategy's.",
        widget=forms.TextInput(attrs={"id": "dataset-pair", "placeholder": "BTC/USDT"}),
    )
    file = forms.FileField(
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"id": "dataset-file", "accept": ".csv,text/csv"}),
    )
