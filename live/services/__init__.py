"""Every write of the live app (keyword-only arguments, one transaction each)."""

from live.services.answers import AnswerRequest, AnswerSaved, answers_save_batch
from live.services.controls import (
    game_add_time,
    game_end,
    game_next,
    game_pause,
    game_rescue,
    game_resume,
    game_skip,
)
from live.services.entry import pin_lookup, roster_lookup
from live.services.flow import game_advance_due, question_close_if_all_answered
from live.services.games import game_create, game_open
from live.services.players import (
    Joined,
    JoinRequest,
    player_kick,
    player_resume,
    player_set_team,
    players_join_batch,
)
from live.services.rescore import game_rescore

__all__ = [
    "AnswerRequest",
    "AnswerSaved",
    "JoinRequest",
    "Joined",
    "answers_save_batch",
    "game_add_time",
    "game_advance_due",
    "game_create",
    "game_end",
    "game_next",
    "game_open",
    "game_pause",
    "game_rescore",
    "game_rescue",
    "game_resume",
    "game_skip",
    "pin_lookup",
    "player_kick",
    "player_resume",
    "player_set_team",
    "players_join_batch",
    "question_close_if_all_answered",
    "roster_lookup",
]
