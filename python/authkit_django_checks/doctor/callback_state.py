"""The check, by reading the views' code, that the login view sends a state and the
callback compares it (login CSRF).
"""

import ast

from ..report import PASS, SKIP, WARN, result
from .roles import routed_view


def names_in(node):
    """Every identifier, attribute name and string constant inside an expression."""
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
        elif isinstance(child, ast.Constant) and isinstance(child.value, str):
            found.add(child.value)
    return found


def mentions_state(node):
    return any("state" in name.lower() for name in names_in(node))


READ_METHODS = frozenset({"get", "pop", "getlist", "setdefault", "__getitem__"})


def compares_state(tree):
    """True when code compares a state (==, compare_digest, a check_state helper)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and mentions_state(node):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            if name in READ_METHODS or name in (
                "get_authorization_url",
                "authenticate_with_code",
            ):
                continue
            if "state" in name.lower():
                return True
            args = list(node.args) + [kw.value for kw in node.keywords]
            if any(mentions_state(arg) for arg in args):
                return True
    return False


def sdk_call(tree, method):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == method
        ):
            return node
    return None


def check_callback_state(ctx):
    """The login view sends a state and the callback compares it (login CSRF)."""
    callback, skip = routed_view(ctx, "callback")
    if skip:
        return skip
    login = ctx.roles.get("login")
    callback_tree = callback.tree()
    if callback_tree is None:
        return result(SKIP, f"the source of {callback.name} is not available")
    problems = []
    where = {"file": callback.file, "line": callback.line}
    login_tree = login.tree() if login else None
    if login_tree is not None:
        call = sdk_call(login_tree, "get_authorization_url")
        if call is not None and not any(kw.arg == "state" for kw in call.keywords):
            problems.append(
                f"the login view {login.name}{login.where()} sends no state"
            )
            where = {"file": login.file, "line": login.absolute_line(call)}
    if not compares_state(callback_tree):
        problems.append(
            f"the callback {callback.name}{callback.where()} never compares the state "
            "WorkOS sends back with one kept in the session"
        )
        where = {"file": callback.file, "line": callback.line}
    if problems:
        return result(
            WARN,
            "; ".join(problems)
            + ": anyone can make a browser sign in to their account (login CSRF)",
            fix=(
                "store a random state in the session at login, pass it as state=, "
                "and compare it in the callback (secrets.compare_digest) before "
                "exchanging the code"
            ),
            **where,
        )
    return result(PASS, f"the callback {callback.name} checks the state")
