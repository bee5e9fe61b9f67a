"""The README's first screen keeps its promise: two commands, and CI runs the test one verbatim."""

from __future__ import annotations

import re

from shared_files import REPO_ROOT


def _commands() -> list[str]:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:30])
    return re.findall(r"```sh\n(python3 -m venv [^\n]+)\n```", first_screen)


def test_the_first_screen_has_the_main_job_and_the_test_command() -> None:
    main_job, tests = _commands()
    assert main_job.endswith(".venv/bin/navdata-api")
    assert "'.[api]'" in main_job
    assert tests.endswith(".venv/bin/python -m pytest")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    _, tests = _commands()
    assert tests in ci.splitlines()
