"""Getting into a game: PINs, class codes, signed player tokens and PIN-guessing limits.

- A PIN is 7 random digits from ``secrets``; it is unique among games that have not ended and
  is cleared when the game ends, so an old PIN leads nowhere.
- A roster game also has a class code (4 characters without look-alikes): with the PIN it
  shows the class list, so a stranger who guessed a PIN cannot read pupils' names.
- A player's token is signed by the server (``django.core.signing``) and names the game, the
  player and a nonce stored on the player; the browser keeps it (localStorage) to come back
  as the same player. A kicked player's token is refused.
- Wrong PINs and class codes are counted per client address by the shared guessing limiter
  (``core.limits``, Redis when configured, so the count is shared by every worker). Past the
  limit (the ``pin`` throttle rate, 20 per minute by default, over a sliding minute) every
  guess from that address is refused until the count decays; right guesses are not counted,
  so a class behind one school router can all join.
"""

import secrets

from django.core import signing
from django.utils.translation import gettext_lazy as _

from core import limits
from core.client import client_address as core_client_address

PIN_DIGITS = 7
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 4
TOKEN_SALT = "live.player"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE_S = 24 * 3600


def new_pin() -> str:
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def new_class_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


def clean_pin(value) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())[:12]


def clean_code(value) -> str:
    return "".join(ch for ch in str(value or "").upper() if ch.isalnum())[:12]


# --- tokens ---------------------------------------------------------------------------------
def player_token(player) -> str:
    return signing.dumps({"g": player.game_id, "p": player.pk, "n": player.nonce}, salt=TOKEN_SALT, compress=True)


def read_token(token) -> dict | None:
    """The token's ``{"g", "p", "n"}``, or None when it is not ours, altered or too old."""
    if not isinstance(token, str) or len(token) > 400:
        return None
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE_S)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("g", "p")):
        return None
    return data


# --- guessing limits ------------------------------------------------------------------------
GUESS_MESSAGE = _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")


def guard(client: str) -> None:
    """Refuse any guess from ``client`` while it is over the limit of wrong guesses."""
    limits.check([(limits.PIN_ADDRESS, client)], GUESS_MESSAGE)


def failed(client: str) -> None:
    limits.fail([(limits.PIN_ADDRESS, client)])


def client_address(scope_or_meta) -> str:
    """The client address of a request (``META``) or a websocket scope (``core.client``)."""
    return core_client_address(scope_or_meta)
