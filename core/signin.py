"""Signing in with a username and password: the one rule the login page and the token API share.

Failures are counted per account and per client address (``core.limits``); a blocked account
or address is refused before its password is even checked, so a guess costs no hashing.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from core import limits
from core.client import client_address
from core.errors import NotAuthenticated

LIMITED_MESSAGE = _("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")
BAD_CREDENTIALS = _("Tên đăng nhập hoặc mật khẩu không đúng.")


def account_key(username: str) -> str:
    """Usernames are matched without case by people, so they are counted without case."""
    return username.strip().casefold()


def signin_checks(request, username: str) -> list:
    return [(limits.SIGNIN_ACCOUNT, account_key(username)), (limits.SIGNIN_ADDRESS, client_address(request))]


def signin_authenticate(request, *, username: str, password: str):
    """The user with these credentials.

    Raises ``RateLimited`` while the account or the address has too many recent failures, and
    ``NotAuthenticated`` (counting one failure) when the credentials are wrong.
    """
    checks = signin_checks(request, username)
    limits.check(checks, LIMITED_MESSAGE)
    user = authenticate(request, username=username, password=password)
    if user is None:
        limits.fail(checks)
        raise NotAuthenticated(BAD_CREDENTIALS, code="bad_credentials")
    return user
