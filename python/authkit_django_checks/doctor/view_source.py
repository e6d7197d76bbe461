"""The code behind a routed view: its class or undecorated function, name and source."""

import inspect
import os
import textwrap

GENERATED_MARK = "authkit-django"


def source_of(target):
    """(file, first line, dedented source) of a function or class, or None."""
    try:
        lines, start = inspect.getsourcelines(target)
        file = inspect.getsourcefile(target)
    except (OSError, TypeError):
        return None
    return (
        os.path.realpath(file) if file else None,
        start,
        textwrap.dedent("".join(lines)),
    )


def view_target(view):
    """The code behind a routed view: the class of a class-based view, else the
    function under its decorators."""
    view_class = getattr(view, "view_class", None)
    if isinstance(view_class, type):
        return view_class
    try:
        return inspect.unwrap(view)
    except ValueError:
        return view


def dotted_name(target):
    module = getattr(target, "__module__", None) or "?"
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", "?")
    return f"{module}.{name}"
