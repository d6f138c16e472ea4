"""Password hashing: a slow hash for passwords people choose, a fast one for login-card secrets.

Staff and pupils who set their own password keep Django's default hasher (PBKDF2-SHA256 with
Django's iteration count), because a chosen password may be weak and only a slow hash protects
it if the database leaks.

A pupil's first password is the secret printed on the login card: chosen by ``secrets``, 8
characters from a 31-character alphabet (about 39.6 bits), and stored in clear beside the hash
(``Student.initial_password``) so that the card can be printed again. A slow hash would
protect nothing (whoever reads the hash reads the clear secret next to it) and would cost
0.5-1 s of CPU per pupil sign-in, 18 cores for 20,000 pupils in 15 minutes. The card secret is
hashed with PBKDF2-SHA256 at ``ITERATIONS`` rounds (well under 1 ms) instead; online guessing is
bounded by the limiter (``core.limits``), not by the hash. docs/security.md has the figures.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password


class CardSecretHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 with few rounds, for the high-entropy secrets printed on login cards."""

    algorithm = "pbkdf2_card"
    iterations = 1000

    def must_update(self, encoded):
        return False  # the round count is part of the design, not an old default


def card_hash(secret: str) -> str:
    """The stored hash of a login-card secret."""
    return make_password(secret, hasher=CardSecretHasher.algorithm)


def is_card_hash(encoded: str | None) -> bool:
    return bool(encoded) and encoded.startswith(CardSecretHasher.algorithm + "$")
