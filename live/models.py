"""Live games: a host-paced session of a ``contest.Round`` in mode "live".

The game's questions, answers and scores live in contest's tables: each player has one
``contest.Attempt`` and each answer is a ``contest.Answer`` row (one per attempt and question,
by constraint), priced by the round's scoring format. What is specific to a live session is
here: the PIN, the state machine and its clock (``phase``, ``version``, ``phase_deadline``), the
per-question timeline (``LiveQuestion``) and the players (``LivePlayer``: nickname or roster
identity, team, kicked, eliminated).

``LiveGame.version`` increases by one on every transition. A transition re-reads the game
under a row lock and applies only if the version is still the one it was computed for, so
several worker processes racing for the same deadline make it happen exactly once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    LOBBY = "lobby", _("Phòng chờ")
    QUESTION = "question", _("Đang trả lời")
    RESULTS = "results", _("Kết quả câu hỏi")
    LEADERBOARD = "leaderboard", _("Bảng xếp hạng")
    ENDED = "ended", _("Đã kết thúc")


class GameMode(models.TextChoices):
    CLASSIC = "classic", _("Cổ điển: đúng và nhanh")
    ACCURACY = "accuracy", _("Chính xác trước, tốc độ chỉ để phân hạng")
    ELIMINATION = "elimination", _("Rung chuông vàng: sai là bị loại")


# The scoring format (contest.scoring) each mode uses.
MODE_FORMAT = {
    GameMode.CLASSIC: "speed",
    GameMode.ACCURACY: "accuracy",
    GameMode.ELIMINATION: "elimination",
}


class TeamMode(models.TextChoices):
    NONE = "", _("Không chia đội")
    CLASS = "class", _("Thi đấu theo lớp")
    GROUPS = "groups", _("Thi đấu theo nhóm")


class LiveGame(models.Model):
    round = models.OneToOneField("contest.Round", on_delete=models.CASCADE, related_name="live_game")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    mode = models.CharField(_("Kiểu chơi"), max_length=12, choices=GameMode.choices, default=GameMode.CLASSIC)
    team_mode = models.CharField(_("Chia đội"), max_length=8, choices=TeamMode.choices, blank=True, default="")
    # [{"key": "c12" | "g1", "name": str}] in display order.
    teams = models.JSONField(default=list, blank=True)
    # Roster games: players sign in or pick their name from these classes (with the class code).
    roster_classes = models.ManyToManyField("schools.SchoolClass", blank=True, related_name="+")
    # Null once the game has ended: an ended game's PIN leads nowhere and may be reused.
    pin = models.CharField(max_length=8, null=True, blank=True)  # noqa: DJ001 - NULL: no PIN, unique otherwise
    class_code = models.CharField(max_length=6, blank=True, default="")
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.LOBBY)
    version = models.PositiveIntegerField(default=0)
    question_index = models.IntegerField(default=-1)  # -1 in the lobby
    question_order = models.JSONField(default=list)  # QuestionVersion ids, the same for every player
    choice_orders = models.JSONField(default=dict)  # {version_id: [choice ids]}: tiles match the screen
    time_limit_s = models.PositiveSmallIntegerField(_("Thời gian mỗi câu (giây)"), default=20)
    # 0: the host moves on from results and leaderboards; else they advance by themselves.
    auto_advance_s = models.PositiveSmallIntegerField(_("Tự chuyển tiếp sau (giây)"), default=0)
    rescues_allowed = models.PositiveSmallIntegerField(_("Số lần cứu trợ"), default=1)
    rescues_used = models.PositiveSmallIntegerField(default=0)
    # When the clock must act (question close, auto-advance); null: waiting for the host.
    phase_deadline = models.DateTimeField(null=True, blank=True)
    paused_remaining_ms = models.PositiveIntegerField(null=True, blank=True)
    final_board = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Trò chơi trực tiếp")
        verbose_name_plural = _("Trò chơi trực tiếp")
        indexes = [models.Index(fields=["phase_deadline"], name="live_game_due")]
        constraints = [
            models.UniqueConstraint(fields=["pin"], condition=Q(pin__isnull=False), name="live_game_active_pin"),
        ]

    def __str__(self) -> str:
        return f"{self.round.name} ({self.pin or '-'})"

    @property
    def total(self) -> int:
        return len(self.question_order)

    @property
    def is_roster(self) -> bool:
        return bool(self.class_code)

    @property
    def paused(self) -> bool:
        return self.paused_remaining_ms is not None


class LiveQuestion(models.Model):
    """One question as it was asked: its timeline and, once closed, its results.

    ``opened_at``, ``limit_ms`` (added time included) and ``pauses`` are what speed scoring
    reads, so re-scoring reproduces every point. ``results`` holds each player's standing at
    the close (``{player_id: [rank, prev_rank, points, correct, score, out, answered]}``) and
    ``board`` the top and climbers shown on the leaderboard.
    """

    game = models.ForeignKey(LiveGame, on_delete=models.CASCADE, related_name="questions")
    index = models.PositiveSmallIntegerField()
    question_version = models.ForeignKey("quizbank.QuestionVersion", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    deadline = models.DateTimeField()
    limit_ms = models.PositiveIntegerField()
    pauses = models.JSONField(default=list, blank=True)  # [[start_ms, end_ms], ...]
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=12, blank=True, default="")
    answered = models.PositiveIntegerField(default=0)
    distribution = models.JSONField(default=dict, blank=True)
    results = models.JSONField(default=dict, blank=True)
    board = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["game", "index"]
        constraints = [models.UniqueConstraint(fields=["game", "index"], name="live_question_once")]

    def __str__(self) -> str:
        return f"game {self.game_id} q{self.index}"


class LivePlayer(models.Model):
    """A player of one game. ``nonce`` is part of the signed reconnect token; a kicked player
    keeps the row (and so the nickname, the account and the roster name stay refused)."""

    game = models.ForeignKey(LiveGame, on_delete=models.CASCADE, related_name="players")
    attempt = models.OneToOneField("contest.Attempt", on_delete=models.CASCADE, related_name="live_player")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    student = models.ForeignKey("schools.Student", null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=40)
    name_key = models.CharField(max_length=60)
    team = models.CharField(max_length=20, blank=True, default="")
    nonce = models.CharField(max_length=24)
    joined_at = models.DateTimeField()
    joined_index = models.IntegerField(default=-1)
    kicked_at = models.DateTimeField(null=True, blank=True)
    out_index = models.IntegerField(null=True, blank=True)  # elimination: the question that put them out
    rescued = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["game", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["game", "name_key"], name="live_player_name"),
            models.UniqueConstraint(fields=["game", "user"], condition=Q(user__isnull=False), name="live_player_user"),
            models.UniqueConstraint(
                fields=["game", "student"], condition=Q(student__isnull=False), name="live_player_student"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (game {self.game_id})"

    @property
    def kicked(self) -> bool:
        return self.kicked_at is not None
