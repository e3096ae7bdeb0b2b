"""Every alert has a runbook at its runbook_url, and every runbook an alert."""

import re

from monitoring_helpers import REPO, RUNBOOK_BASE, RUNBOOKS_DIR, alert_rules

SECTIONS = ("## What it means", "## User impact", "## Diagnose", "## Mitigate", "## Confirm recovery")


def test_every_alert_has_its_runbook_and_every_runbook_an_alert():
    alerts = {rule["alert"] for rule in alert_rules()}
    runbooks = {path.stem for path in RUNBOOKS_DIR.glob("*.md") if path.stem != "README"}
    assert alerts == runbooks


def test_runbook_urls_point_at_files_in_this_repository():
    for rule in alert_rules():
        url = rule["annotations"]["runbook_url"]
        assert url.startswith(RUNBOOK_BASE)
        assert (REPO / "docs" / "runbooks" / url.removeprefix(RUNBOOK_BASE)).is_file(), url


def test_runbooks_have_every_section_and_name_panels_and_log_fields():
    for path in RUNBOOKS_DIR.glob("*.md"):
        text = path.read_text()
        assert text.startswith(f"# {path.stem}\n"), path.name
        for section in SECTIONS:
            assert section in text, (path.name, section)
        if path.stem != "Watchdog":
            assert re.search(r"\*\*[^*]+\*\*", text), (path.name, "names no dashboard panel")


def test_runbook_links_resolve():
    for path in RUNBOOKS_DIR.glob("*.md"):
        for target in re.findall(r"\]\(([^)#]+\.md)\)", path.read_text()):
            assert (path.parent / target).is_file(), (path.name, target)
