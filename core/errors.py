"""The one domain error type of Hội thi Số.

Services raise ``DomainError`` (or a subclass) with a translated message. The REST exception
handler (``core.api.errors``) and the websocket consumers (``core.realtime.consumers``) turn
it into ``{"error": {"code", "message", "fields"}}`` or an error event, in one place each.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = _("Yêu cầu không hợp lệ.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None, status: int | None = None):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {name: [str(m) for m in msgs] for name, msgs in self.fields.items()},
        }


class ValidationFailed(DomainError):
    code = "invalid"
    default_message = _("Dữ liệu không hợp lệ.")


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    default_message = _("Bạn cần đăng nhập.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = _("Bạn không có quyền thực hiện thao tác này.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("Không tìm thấy.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("Thao tác xung đột với trạng thái hiện tại.")


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = _("Quá nhiều yêu cầu. Vui lòng thử lại sau.")


class Unavailable(DomainError):
    """A service the request needs (the database, Redis) did not answer: nothing was changed
    by this request, and the same request may be sent again in a moment."""

    status = 503
    code = "unavailable"
    default_message = _("Máy chủ tạm thời không phục vụ được yêu cầu này, vui lòng thử lại sau giây lát.")


def is_infrastructure_error(exc: BaseException) -> bool:
    """True for a failure of the database, Redis or the network under them, as opposed to a
    bug: the request may succeed when sent again once the service is back."""
    from django.db import InterfaceError, OperationalError
    from redis.exceptions import RedisError

    return isinstance(exc, (OperationalError, InterfaceError, RedisError, OSError))


class FieldErrors:
    """Collect per-field messages while validating a whole input, then fail once with all of
    them (``ValidationFailed`` with ``fields``), so a form shows every problem at once."""

    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(fields=self.fields)
