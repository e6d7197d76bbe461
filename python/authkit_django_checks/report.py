"""A check's outcome for the report, and where in the project an error came from.

Catching every exception is what the checks do (project code may raise anything), so
an error becomes a failing result that names it and, when the traceback passes through
the project's own files, the file and line to look at.
"""

import os
import sys
import traceback

PASS, FAIL, WARN, SKIP = "pass", "fail", "warn", "skip"

# This package's own folder: it may sit inside the project (node_modules), but its
# files are never the project's.
CHECKS_FOLDER = os.path.dirname(os.path.realpath(__file__))


def result(status, message, **extra):
    """One check's outcome; extra keys are detail, file, line and fix."""
    out = {"status": status, "message": message}
    for key, value in extra.items():
        if value is not None:
            out[key] = value
    return out


def is_checks_file(path):
    """True for the files of these checks themselves."""
    real = os.path.realpath(path)
    return real == CHECKS_FOLDER or real.startswith(CHECKS_FOLDER + os.sep)


def is_project_file(path, root):
    """True for the project's own files, not Django's, the SDK's or a virtualenv's."""
    if not path or path.startswith("<"):
        return False
    real = os.path.realpath(path)
    if is_checks_file(real):
        return False
    if "site-packages" in real.split(os.sep) or "dist-packages" in real.split(os.sep):
        return False
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix}:
        if real.startswith(os.path.realpath(prefix) + os.sep):
            return False
    return real == root or real.startswith(root + os.sep)


def project_location(exc):
    """(file, line) of the last traceback frame inside the project, or (None, None).

    A SyntaxError names its file itself (the broken file never ran, so it has no frame).
    Django often re-raises import problems, so the chained exceptions are looked at too.
    """
    root = os.path.realpath(os.getcwd())
    seen = set()
    pending = [exc]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, SyntaxError) and is_project_file(current.filename, root):
            return os.path.realpath(current.filename), current.lineno
        for frame in reversed(traceback.extract_tb(current.__traceback__)):
            if is_project_file(frame.filename, root):
                return os.path.realpath(frame.filename), frame.lineno
        pending.extend([current.__cause__, current.__context__])
    return None, None


def relative(path):
    try:
        rel = os.path.relpath(path, os.getcwd())
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def describe_exception(exc):
    # A SyntaxError's str() repeats the file and line, which the caller reports itself.
    text = (exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def failure_from_exception(prefix, exc, **extra):
    """A failing result that names the error and where in the project it was raised."""
    file, line = project_location(exc)
    where = f" ({relative(file)}:{line})" if file else ""
    return result(
        FAIL,
        f"{prefix}: {describe_exception(exc)}{where}",
        file=file,
        line=line,
        **extra,
    )
