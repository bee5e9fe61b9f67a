"""Which words a message uses: those of the Python API or those of the ``navdata`` command.

A message that says what to do names an option, and an option is spelt one way in Python
(``offline=True``, ``navdata.catalog()``) and another on the command line (``--offline``,
``navdata list``). A user should read the words of the surface they typed into, so the library
builds such messages with :func:`words`, which picks the spelling of the caller's surface:
Python, unless the call runs inside :func:`command_line` (the ``navdata`` command wraps every
command in it). A context variable, not a global, so threads and async tasks keep their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["command_line", "on_command_line", "words"]

_ON_COMMAND_LINE: ContextVar[bool] = ContextVar("navdata_on_command_line", default=False)


@contextmanager
def command_line() -> Iterator[None]:
    """Within this block, messages use the command line's words."""
    token = _ON_COMMAND_LINE.set(True)
    try:
        yield
    finally:
        _ON_COMMAND_LINE.reset(token)


def on_command_line() -> bool:
    """Whether the current call came from the ``navdata`` command."""
    return _ON_COMMAND_LINE.get()


def words(python: str, cli: str) -> str:
    """``python`` for a Python caller, ``cli`` for the ``navdata`` command."""
    return cli if _ON_COMMAND_LINE.get() else python
