"""The group commit of the answer write path: one per-process batcher.

Consumers hand each ``answer.save`` to ``batcher.submit`` and await the future, which
resolves to a ``SaveResult`` (or a ``DomainError``) after the batch's commit; the consumer
then sends the acknowledgement. ``answers_save_batch`` writes the whole batch in one
transaction; ``core.batching.GroupCommit`` explains the shape (writer threads with their
own connections, arrival order kept within a batch, a failed batch acknowledges nothing).
Two writers: while one batch waits on the database, the next one is graded and written.
"""

from contest.services.answers import SaveRequest, answers_save_batch
from core.batching import GroupCommit

MAX_BATCH = 400
WINDOW_S = 0.003
WRITERS = 2  # one batch is written while the other waits on the database


class AnswerBatcher(GroupCommit):
    name = "answer-batcher"

    def __init__(self, *, max_batch: int = MAX_BATCH, window_s: float = WINDOW_S, writers: int = WRITERS):
        super().__init__(max_batch=max_batch, window_s=window_s, writers=writers)

    def write_batch(self, items: list[SaveRequest]):
        return answers_save_batch(items), None


batcher = AnswerBatcher()
