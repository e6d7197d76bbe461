"""The check, by reading the project's Python files, that every workos SDK call and
import it makes exists in the installed SDK.
"""

import ast
import importlib
import inspect
import os

from ..context import distribution_version
from ..network import NoNetwork
from ..report import FAIL, PASS, SKIP, is_checks_file, relative, result

# Folders that hold no project code worth reading (virtualenvs are found by pyvenv.cfg).
SKIPPED_FOLDERS = frozenset(
    {
        "node_modules",
        "__pycache__",
        "site-packages",
        "dist-packages",
        "migrations",
        "static",
        "staticfiles",
        "media",
    }
)

MAX_PROJECT_FILES = 4000
MAX_FILE_BYTES = 1024 * 1024

# SDK methods that identify a WorkOS call even when the receiver is not spelled
# `....user_management` (for example `um = client.user_management`).
SDK_METHOD_HINTS = frozenset(
    {
        "get_authorization_url",
        "authenticate_with_code",
        "authenticate_with_refresh_token",
        "get_logout_url",
        "load_sealed_session",
        "authenticate_with_session_cookie",
    }
)

SDK_CLIENTS = ("WorkOSClient", "AsyncWorkOSClient")

# What to say when a known call or argument is missing from the installed SDK line.
SDK_HINTS = {
    ("authenticate_with_code", "session"): (
        "workos 6 and later dropped session= (seal with "
        "workos.session.seal_session_from_auth_response, or keep the user in "
        "Django's session as authkit-django's views do)"
    ),
    (
        "load_sealed_session",
        "sealed_session",
    ): "workos 6 and later name it session_data=",
    ("load_sealed_session", "session_data"): "workos 5.x names it sealed_session=",
    ("authenticate_with_session_cookie", None): "it exists in workos 6 and later only",
    ("seal_session_from_auth_response", None): "it exists in workos 6 and later only",
}


def project_python_files(root):
    count = 0
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and not os.path.exists(os.path.join(folder, name, "pyvenv.cfg"))
        )
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            count += 1
            if count > MAX_PROJECT_FILES:
                return
            yield os.path.join(folder, name)


def dotted_expression(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return dotted_expression(node.value) + "." + node.attr
    if isinstance(node, ast.Call):
        return dotted_expression(node.func) + "()"
    return "?"


def accepts_keyword(func, keyword):
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return True
    if any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
        return True
    parameter = parameters.get(keyword)
    return parameter is not None and parameter.kind in (
        parameter.KEYWORD_ONLY,
        parameter.POSITIONAL_OR_KEYWORD,
    )


def sdk_user_management():
    """The installed SDK's user_management object (placeholder keys; no call made)."""
    from workos import WorkOSClient

    with NoNetwork():
        client = WorkOSClient(
            api_key="sk_test_authkit_django_doctor",
            client_id="client_authkit_django_doctor",
        )
        user_management = client.user_management
    return client, user_management


def hint(method, keyword):
    text = SDK_HINTS.get((method, keyword))
    return f": {text}" if text else ""


def sdk_problems_in(path, tree, user_management, version):
    problems = []
    calls = 0
    shown = relative(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module != "workos" and not node.module.startswith("workos."):
                continue
            try:
                module = importlib.import_module(node.module)
            except ImportError:
                problems.append(
                    (
                        path,
                        node.lineno,
                        f"{shown}:{node.lineno} imports {node.module}, which workos "
                        f"{version} does not have",
                    )
                )
                continue
            for alias in node.names:
                if alias.name != "*" and not hasattr(module, alias.name):
                    problems.append(
                        (
                            path,
                            node.lineno,
                            (
                                f"{shown}:{node.lineno} imports {alias.name} from "
                                f"{node.module}, which workos {version} does not "
                                f"have{hint(alias.name, None)}"
                            ),
                        )
                    )
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = dotted_expression(func)
        keywords = [kw.arg for kw in node.keywords if kw.arg]
        if name.split(".")[-1] in SDK_CLIENTS:
            import workos

            client_class = getattr(workos, name.split(".")[-1], None)
            calls += 1
            for keyword in keywords:
                if client_class is not None and not accepts_keyword(
                    client_class, keyword
                ):
                    problems.append(
                        (
                            path,
                            node.lineno,
                            f"{shown}:{node.lineno} {name}() takes no {keyword}= in "
                            f"workos {version}",
                        )
                    )
            continue
        if not isinstance(func, ast.Attribute):
            continue
        receiver = dotted_expression(func.value)
        if "user_management" not in receiver and func.attr not in SDK_METHOD_HINTS:
            continue
        calls += 1
        method = getattr(user_management, func.attr, None)
        if method is None:
            problems.append(
                (
                    path,
                    node.lineno,
                    (
                        f"{shown}:{node.lineno} calls user_management.{func.attr}(), "
                        f"which workos {version} does not have{hint(func.attr, None)}"
                    ),
                )
            )
            continue
        for keyword in keywords:
            if not accepts_keyword(method, keyword):
                problems.append(
                    (
                        path,
                        node.lineno,
                        (
                            f"{shown}:{node.lineno} passes {keyword}= to "
                            f"user_management.{func.attr}(), which workos {version} "
                            f"does not accept{hint(func.attr, keyword)}"
                        ),
                    )
                )
    return problems, calls


def check_sdk_calls(ctx):
    """Every call the project makes to the workos SDK exists in the installed SDK."""
    try:
        importlib.import_module("workos")
    except ImportError:
        return result(SKIP, "workos is not importable")
    version = distribution_version("workos") or "(version unknown)"
    client, user_management = sdk_user_management()
    try:
        problems = []
        calls = 0
        for path in project_python_files(os.getcwd()):
            if is_checks_file(path):
                continue
            try:
                if os.path.getsize(path) > MAX_FILE_BYTES:
                    continue
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
            except OSError:
                continue
            if "workos" not in text and "user_management" not in text:
                continue
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            found, counted = sdk_problems_in(
                os.path.realpath(path), tree, user_management, version
            )
            problems.extend(found)
            calls += counted
    finally:
        close = getattr(client, "close", None)
        if callable(close):
            close()
    if problems:
        file, line, first = problems[0]
        return result(
            FAIL,
            f"workos {version} is installed, but {first}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            detail="\n".join(message for _, _, message in problems)
            if len(problems) > 1
            else None,
            file=file,
            line=line,
            fix=(
                "use the calls of the installed SDK, or install the SDK line the "
                "code was written for"
            ),
        )
    return result(
        PASS,
        f"workos {version}: the {calls} SDK call{'s' if calls != 1 else ''} in the "
        "project exist in it",
    )
