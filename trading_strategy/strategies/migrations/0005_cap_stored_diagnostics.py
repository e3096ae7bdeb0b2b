"""Versions saved before reports were capped may hold tens of thousands of diagnostics
(megabytes each): keep the list a report would keep now, so that the pages and the API
showing a version stay small."""

from django.db import migrations

from trading_strategy.dsl import Diagnostic, cap_diagnostics


def cap(apps, schema_editor):
    StrategyVersion = apps.get_model("strategies", "StrategyVersion")
    for version in StrategyVersion.objects.only("id", "diagnostics").iterator(chunk_size=100):
        diagnostics = [Diagnostic(**d) for d in version.diagnostics]
        kept = cap_diagnostics(diagnostics)
        if len(kept) < len(diagnostics):
            version.diagnostics = [d.as_dict() for d in kept]
            version.save(update_fields=["diagnostics"])


class Migration(migrations.Migration):
    dependencies = [("strategies", "0004_format_labels")]

    operations = [migrations.RunPython(cap, migrations.RunPython.noop)]
