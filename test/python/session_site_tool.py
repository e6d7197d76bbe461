"""Run by the session tests in the site's own Django (its settings, its database):
changes a worker's state as a test needs it. One command per run:

    create-user EMAIL           a Django user with that email; prints its pk
    session-set KEY NAME JSON   sets one value in a stored Django session
    session-get KEY             prints a stored session's data as JSON
"""

from __future__ import annotations

import json
import sys

import django


def main(argv: list[str]) -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    command, *args = argv
    if command == "create-user":
        (email,) = args
        user = get_user_model().objects.create_user(
            username=email.split("@")[0] + "-django", email=email
        )
        print(user.pk)
    elif command == "session-set":
        key, name, value = args
        session = SessionStore(session_key=key)
        session[name] = json.loads(value)
        session.save()
    elif command == "session-get":
        (key,) = args
        print(json.dumps(dict(SessionStore(session_key=key).items())))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
