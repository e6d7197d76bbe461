"""The check, by reading the callback's code, that it keeps plain data in the session
rather than the SDK's objects.
"""

import ast

from ..report import FAIL, PASS, SKIP, WARN, result
from .roles import routed_view

JSON_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"

USER_OBJECT_ATTRIBUTES = frozenset({"user", "impersonator", "organization_membership"})


def sdk_object_names(tree):
    """Names bound to the SDK's response or its user object."""
    names = set()
    for _ in range(3):  # a few passes settle chains like a = call(); u = a.user
        for node in ast.walk(tree):
            targets = []
            value = None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif (
                isinstance(node, (ast.AnnAssign, ast.NamedExpr))
                and node.value is not None
            ):
                targets, value = [node.target], node.value
            if value is not None and is_sdk_object(value, names):
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def is_sdk_object(node, names):
    if isinstance(node, ast.Await):
        return is_sdk_object(node.value, names)
    if isinstance(node, ast.Call):
        func = node.func
        return isinstance(func, ast.Attribute) and func.attr.startswith(
            "authenticate_with_"
        )
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Attribute):
        return node.attr in USER_OBJECT_ATTRIBUTES and is_sdk_object(node.value, names)
    if isinstance(node, ast.Dict):
        return any(v is not None and is_sdk_object(v, names) for v in node.values)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(is_sdk_object(v, names) for v in node.elts)
    return False


def is_session(node):
    if isinstance(node, ast.Attribute):
        return node.attr == "session"
    return isinstance(node, ast.Name) and node.id == "session"


def session_stores(tree):
    """(line, key text, value) for each value put into the session."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and is_session(target.value):
                    yield node.lineno, key_text(target), node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "setdefault", "__setitem__")
            and is_session(node.func.value)
        ):
            values = node.args if node.func.attr == "update" else node.args[1:]
            for value in [*values, *(kw.value for kw in node.keywords)]:
                yield node.lineno, "", value


def key_text(subscript):
    key = subscript.slice
    index_node = getattr(ast, "Index", None)  # Python 3.8 wraps subscripts in ast.Index
    if index_node is not None and isinstance(key, index_node):
        key = key.value
    if isinstance(key, ast.Constant):
        return repr(key.value)
    return "..."


def check_session_user(ctx):
    """The callback keeps plain data in the session, not the SDK's objects."""
    callback, skip = routed_view(ctx, "callback")
    if skip:
        return skip
    tree = callback.tree()
    if tree is None:
        return result(SKIP, f"the source of {callback.name} is not available")
    names = sdk_object_names(tree)
    bad = [
        (line, key)
        for line, key, value in session_stores(tree)
        if is_sdk_object(value, names)
    ]
    if not bad:
        return result(
            PASS, f"the callback {callback.name} keeps plain data in the session"
        )
    line, key = bad[0]
    serializer = str(getattr(ctx.settings, "SESSION_SERIALIZER", JSON_SERIALIZER))
    json_sessions = serializer == JSON_SERIALIZER
    slot = f"request.session[{key}]" if key else "the session"
    return result(
        FAIL if json_sessions else WARN,
        f"the callback {callback.name} puts the SDK's user object (a dataclass or "
        f"pydantic model) in {slot}"
        + (
            ": Django's JSON session serializer cannot store it, so saving the "
            "session fails after sign-in"
            if json_sessions
            else f": only {serializer} can store it, and only while the SDK's classes "
            "never change"
        ),
        file=callback.file,
        line=callback.line + line - 1 if callback.line else None,
        fix=(
            'store a dict: {"id": user.id, "email": user.email, '
            '"first_name": user.first_name, "last_name": user.last_name}'
        ),
    )
