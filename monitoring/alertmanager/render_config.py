#!/usr/bin/env python3
"""Render the Alertmanager configuration template from environment variables.

    render_config.py [--example] TEMPLATE OUTPUT
    render_config.py [--example] OUTPUT            (TEMPLATE: alertmanager.yml beside this file)

Alertmanager 0.25 does not expand environment variables itself (docs/adr/0001). Each
'${NAME}' or '${NAME:-default}' in the template must sit inside a single-quoted YAML
string; the value is escaped for that context. An unset variable without a default is an
error that names every missing variable. --example fills every variable with a harmless
example value (for `amtool check-config` in tests). The output is written with mode 0600:
it holds secrets.

Standard library only: the compose file runs it in a plain python image.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?\}")
DEFAULT_TEMPLATE = Path(__file__).with_name("alertmanager.yml")

EXAMPLE = {
    "ALERT_PAGERDUTY_ROUTING_KEY": "example-routing-key",
    "ALERT_CHAT_WEBHOOK_URL": "https://chat.example.org/hooks/example",
    "ALERT_EMAIL_TO": "oncall@example.org",
    "ALERT_EMAIL_FROM": "alertmanager@example.org",
    "ALERT_SMTP_SMARTHOST": "smtp.example.org:587",
    "ALERT_SMTP_USERNAME": "alertmanager",
    "ALERT_SMTP_PASSWORD": "example-password",
    "ALERT_HEARTBEAT_URL": "https://heartbeat.example.org/ping/example",
}


class MissingVariables(Exception):
    pass


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def variables(template: str) -> dict[str, str | None]:
    """Every variable the template uses (outside comments), with its default; None when
    some use of it has no default, which makes it required."""
    found: dict[str, str | None] = {}
    for line in template.splitlines():
        if _is_comment(line):
            continue
        for match in PLACEHOLDER.finditer(line):
            if match[1] in found and (found[match[1]] is None or match[2] is None):
                found[match[1]] = None
            else:
                found[match[1]] = match[2]
    return found


def render(template: str, environ: dict[str, str]) -> str:
    missing = sorted(
        name for name, default in variables(template).items() if default is None and not environ.get(name)
    )
    if missing:
        raise MissingVariables("unset: " + ", ".join(missing))

    def value(match: re.Match) -> str:
        text = environ.get(match[1]) or match[2] or ""
        if "\n" in text or "\r" in text:
            raise ValueError(f"{match[1]} must be a single line")
        return text.replace("'", "''")  # the YAML single-quoted string's one escape

    return "".join(
        line if _is_comment(line) else PLACEHOLDER.sub(value, line)
        for line in template.splitlines(keepends=True)
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(path, 0o600)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="render_config.py",
        usage="%(prog)s [-h] [--example] [TEMPLATE] OUTPUT",
        description="Render the Alertmanager configuration template from ALERT_* environment "
        "variables into OUTPUT (mode 0600: it holds secrets).",
    )
    parser.add_argument(
        "--example", action="store_true", help="fill every variable with a harmless example value"
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="[TEMPLATE] OUTPUT",
        help=f"the template (default: {DEFAULT_TEMPLATE.name} beside this script) and the file to write",
    )
    args = parser.parse_args(argv)
    if len(args.paths) > 2:
        parser.error("give at most a TEMPLATE and an OUTPUT")
    if len(args.paths) == 1:
        args.paths.insert(0, str(DEFAULT_TEMPLATE))
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    template_path, output = args.paths
    template = Path(template_path).read_text(encoding="utf-8")
    environ = {**os.environ, **EXAMPLE} if args.example else dict(os.environ)
    try:
        text = render(template, environ)
    except (MissingVariables, ValueError) as error:
        print(f"{template_path}: {error}", file=sys.stderr)
        return 1
    write(Path(output), text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
