"""Access-token verification against WorkOS's published keys (added by authkit-django).

WorkOS signs access tokens with RS256 and publishes its public keys as a JWKS at
``user_management.get_jwks_url()``. The keys are fetched once per process and kept;
a token naming a key not yet seen makes one new fetch, at most every
``REFETCH_SECONDS``, so a stream of forged tokens cannot turn into a stream of
requests to WorkOS. When WorkOS cannot be reached, the keys already fetched keep
working.

A token is a fixed string: once its signature verified, the same string always
would. The claims of the tokens verified last are kept, so a signed-in request costs
a dictionary lookup rather than an RSA verification; ``exp`` is still read on every
request by the caller.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import jwt

logger = logging.getLogger(__name__)

REFETCH_SECONDS = 30
# Clock difference tolerated between this server and WorkOS when reading ``exp``.
LEEWAY_SECONDS = 10


class InvalidToken(Exception):
    """The token is not one WorkOS signed: malformed, tampered, or an unknown key."""


class KeysUnavailable(Exception):
    """WorkOS's keys could not be fetched and none cached fits the token."""


@dataclass
class _KeySet:
    keys: dict[str, jwt.PyJWK] = field(default_factory=dict)
    fetched_at: float | None = None  # last successful fetch
    attempted_at: float | None = None  # last attempt, successful or not
    failed: bool = False


_key_sets: dict[str, _KeySet] = {}
_key_sets_lock = threading.Lock()

# About one entry per signed-in browser active in the last few minutes, per process.
VERIFIED_CACHE_SIZE = 4096
_verified: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
_verified_lock = threading.Lock()


def verify(token: str, *, jwks_url: str, timeout: float) -> dict[str, Any]:
    """The claims of a token WorkOS signed. ``exp`` is returned, not enforced:
    the caller decides between using, refreshing and refusing the token."""
    cache_key = (jwks_url, token)
    with _verified_lock:
        claims = _verified.get(cache_key)
        if claims is not None:
            _verified.move_to_end(cache_key)
            return dict(claims)
    claims = _verify_signature(token, jwks_url=jwks_url, timeout=timeout)
    with _verified_lock:
        _verified[cache_key] = claims
        if len(_verified) > VERIFIED_CACHE_SIZE:
            _verified.popitem(last=False)
    return dict(claims)


def _verify_signature(token: str, *, jwks_url: str, timeout: float) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise InvalidToken("the token cannot be read") from error
    if header.get("alg") != "RS256":
        raise InvalidToken("the token is not signed with RS256")
    key = _signing_key(jwks_url, header.get("kid"), timeout)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            # The audience differs between WorkOS environments; the key, which is
            # this client's own JWKS, is what ties the token to this application.
            options={
                "verify_exp": False,
                "verify_aud": False,
                "require": ["exp", "sub"],
            },
        )
    except jwt.PyJWTError as error:
        raise InvalidToken("the token's signature or claims do not verify") from error
    if not isinstance(claims.get("exp"), (int, float)):
        raise InvalidToken("the token has no expiry")
    return claims


def expired(claims: dict[str, Any], now: float | None = None) -> bool:
    """Past ``exp``, allowing for clock differences."""
    moment = time.time() if now is None else now
    return float(claims["exp"]) + LEEWAY_SECONDS <= moment


def _signing_key(jwks_url: str, kid: object, timeout: float) -> jwt.PyJWK:
    with _key_sets_lock:
        key_set = _key_sets.setdefault(jwks_url, _KeySet())
        key = _pick(key_set, kid)
        if key is not None:
            return key
        now = time.monotonic()
        if (
            key_set.attempted_at is None
            or now - key_set.attempted_at >= REFETCH_SECONDS
        ):
            _fetch(jwks_url, key_set, timeout)
            key = _pick(key_set, kid)
            if key is not None:
                return key
        if key_set.failed and key_set.fetched_at is None:
            raise KeysUnavailable("WorkOS's keys could not be fetched")
        if key_set.failed:
            # The key may be new: its set could not be fetched again.
            raise KeysUnavailable("WorkOS's keys could not be fetched again")
        raise InvalidToken("the token names a key WorkOS does not publish")


def _pick(key_set: _KeySet, kid: object) -> jwt.PyJWK | None:
    if isinstance(kid, str):
        return key_set.keys.get(kid)
    # No kid: usable only when there is no doubt which key it means.
    return next(iter(key_set.keys.values())) if len(key_set.keys) == 1 else None


def _fetch(jwks_url: str, key_set: _KeySet, timeout: float) -> None:
    key_set.attempted_at = time.monotonic()
    try:
        with urllib.request.urlopen(jwks_url, timeout=timeout) as response:  # noqa: S310 (the SDK's https URL)
            document = json.loads(response.read())
        keys = {}
        for entry in document.get("keys", []):
            if isinstance(entry, dict) and isinstance(entry.get("kid"), str):
                try:
                    keys[entry["kid"]] = jwt.PyJWK(entry)
                except jwt.PyJWTError:
                    continue  # a key type this PyJWT cannot use; others may do
    except (OSError, ValueError, AttributeError) as error:
        key_set.failed = True
        logger.warning(
            "WorkOS's signing keys could not be fetched: %s", type(error).__name__
        )
        return
    key_set.keys = keys
    key_set.fetched_at = key_set.attempted_at
    key_set.failed = False
