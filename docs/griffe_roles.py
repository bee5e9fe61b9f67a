"""Griffe extension for the reference pages: Sphinx roles in docstrings become inline code.

navdata's docstrings point at other names with Sphinx roles (``:func:`get```), which read well
in ``help()`` and in editors; Markdown does not know them, so mkdocstrings would print the role
(":func: get"). This turns each into inline code: ``:class:`~navdata.errors.SelectionError```
becomes ``SelectionError`` (only the last part, as the ``~`` asks), ``:func:`navdata.get```
stays ``navdata.get``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:func|class|meth|mod|data|attr|exc|obj):`(~?)([^`]+)`")


def as_code(match: re.Match[str]) -> str:
    """The role's target as inline code, shortened to its last part after ``~``."""
    tilde, target = match.groups()
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


class SphinxRolesAsCode(griffe.Extension):
    """Rewrite every docstring once, when griffe loads its object."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = ROLE.sub(as_code, obj.docstring.value)
