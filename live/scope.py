"""Who may host or watch a live game: whoever manages its round (contest.scope)."""

from contest.scope import manages_round
from core.roles import register_scope
from live.models import LiveGame


def manages_game(user, game: LiveGame) -> bool:
    return bool(user is not None and user.is_authenticated and manages_round(user, game.round))


def _game_rule(user, game: LiveGame, action: str) -> bool:
    return manages_game(user, game)


def register() -> None:
    register_scope(LiveGame, _game_rule)
