"""Docs checked by tests: the CLI reference is current, README commands exist."""

from __future__ import annotations

import re

from helpers import ROOT
from newskb.cli import COMMANDS, help_markdown


def test_cli_reference_is_current():
    assert (ROOT / "docs" / "cli.md").read_text() == help_markdown(), \
        "docs/cli.md is stale: run '.venv/bin/python -m newskb.cli --markdown > docs/cli.md'"


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in re.findall(r"^make (\w+)", readme, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), f"README names 'make {target}' but the Makefile has no such target"
    commands = {c.name for c in COMMANDS}
    for cmd in re.findall(r"bin/newskb (\w+)", readme):
        assert cmd in commands, f"README uses 'newskb {cmd}', which does not exist"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "make lint" in ci
