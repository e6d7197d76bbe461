"""Which checks run, in which order: the default run (init, verify) and doctor's."""

from .django_check import check_django_check
from .doctor.callback_state import check_callback_state
from .doctor.http_methods import check_callback_method, check_logout_method
from .doctor.login_redirect import check_login_redirect_doctor
from .doctor.middleware_order import check_middleware_order
from .doctor.roles import check_url_roles
from .doctor.sdk_calls import check_sdk_calls
from .doctor.session_engine import check_session_engine
from .doctor.session_user import check_session_user
from .doctor.template_dirs import check_template_dirs
from .installed import check_import_django, check_import_dotenv, check_import_package
from .login_redirect import check_login_redirect
from .sessions import (
    check_sessions_setup,
    check_sessions_table,
    check_sessions_table_doctor,
)
from .settings_checks import check_settings, credential_check
from .url_names import check_url_names

# What every run checks first: the environment, the settings, the credentials, sessions.
_FOUNDATION = [
    ("import-django", check_import_django),
    ("import-workos", check_import_package("workos", "workos")),
    ("import-dotenv", check_import_dotenv),
    ("settings", check_settings),
    (
        "api-key",
        credential_check("WORKOS_API_KEY", "sk_", "API key", "client_", "client id"),
    ),
    (
        "client-id",
        credential_check("WORKOS_CLIENT_ID", "client_", "client id", "sk_", "API key"),
    ),
    ("sessions-setup", check_sessions_setup),
]

CHECKS = [
    *_FOUNDATION,
    ("django-check", check_django_check),
    ("url-names", check_url_names),
    ("login-redirect", check_login_redirect),
    ("sessions-table", check_sessions_table),
]

# doctor's order: each check after the ones whose findings it uses.
DOCTOR_CHECKS = [
    *_FOUNDATION,
    ("middleware-order", check_middleware_order),
    ("session-engine", check_session_engine),
    ("django-check", check_django_check),
    ("url-names", check_url_roles),
    ("template-dirs", check_template_dirs),
    ("login-redirect", check_login_redirect_doctor),
    ("callback-method", check_callback_method),
    ("logout-method", check_logout_method),
    ("callback-state", check_callback_state),
    ("session-user", check_session_user),
    ("sessions-table", check_sessions_table_doctor),
    ("sdk-calls", check_sdk_calls),
]
