"""Docs checked by tests: the CLI reference is current, README commands exist."""

from __future__ import annotations

import re

from helpers import ROOT
from newskb.cli import help_markdown, make_parser


def test_cli_reference_is_current():
    assert (ROOT / "docs" / "cli.md").read_text() == help_markdown(), \
        "docs/cli.md is stale: run '.venv/bin/python -m newskb.cli --markdown > docs/cli.md'"


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in re.findall(r"^make (\w+)", readme, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), f"README names 'make {target}' but the Makefile has no such target"
    commands = set(make_parser()._subparsers._group_actions[0].choices)
    for cmd in re.findall(r"bin/newskb (\w+)", readme):
        assert cmd in commands, f"README uses 'newskb {cmd}', which does not exist"
    assert "make test" in (ROOT / ".ci" / "run").read_text()
