"""OpenAPI schema generation, following this code base's view convention.

Views are ``APIView`` subclasses that declare their serializers as nested ``Input`` and
``Output`` classes. drf-spectacular cannot guess those, and it would merge the many classes
named "Output" into one component. This schema class reads ``Input``/``Output`` from the
view, names each component after its view ("MeApi.Output" -> "MeApiOutput"), and describes
action endpoints without a body (pause, skip, …) as taking and returning a JSON object.

Every operation also documents the errors it can answer, each with the one error body of
``core.api.errors`` (``{"error": {"code", "message", "fields"}}``): bad input, sign-in,
permission, scope (404), a conflicting state, a rate limit, and for bodies an unsupported
media type. A client generated from the schema then knows every status it can meet.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.settings import api_settings

ERRORS = {
    "400": "Invalid input: `fields` names each problem.",
    "401": "Not signed in, or a bad token.",
    "403": "Signed in, but not allowed (role, or a missing CSRF token with a session).",
    "404": "No such object, or one outside the caller's scope.",
    "405": "Method not allowed.",
    "406": "The Accept header asks for a format the API does not give.",
    "409": "The object's state does not allow this now.",
    "429": "Too many requests; `Retry-After` says when to try again.",
}
BODY_ERRORS = {
    "413": "The request body is larger than this endpoint accepts.",
    "415": "Unsupported media type of the request body.",
}


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class Error(serializers.Serializer):
    """The body of every error answer."""

    error = ErrorDetail()


GENERIC_NAMES = {"Input", "Output", "Filter", "Query", "Params", "Item", "Row"}
BODY_METHODS = {"POST", "PUT", "PATCH"}


class AutoSchema(SpectacularAutoSchema):
    def _declares_own_serializers(self) -> bool:
        return not isinstance(self.view, GenericAPIView) and not hasattr(self.view, "get_serializer")

    def get_request_serializer(self):
        if not self._declares_own_serializers():
            return super().get_request_serializer()
        if self.method not in BODY_METHODS:
            return None
        return getattr(self.view, "Input", None) or OpenApiTypes.OBJECT

    def get_response_serializers(self):
        if not self._declares_own_serializers():
            return super().get_response_serializers()
        return getattr(self.view, "Output", None) or OpenApiTypes.OBJECT

    def get_serializer_name(self, serializer, direction):
        cls = serializer.__class__
        if cls is serializers.Serializer:  # an empty body declared as the bare base class
            return f"{type(self.view).__name__}{'Input' if direction == 'request' else 'Output'}"
        if cls.__name__ in GENERIC_NAMES and "." in cls.__qualname__:
            return cls.__qualname__.replace(".<locals>", "").replace(".", "")
        return super().get_serializer_name(serializer, direction)

    def map_parsers(self):
        """The API speaks JSON. DRF's default parsers also read forms, which the schema does
        not offer: a field left empty in a form means something else than in JSON. Views
        that take files name their own parsers (multipart)."""
        if list(self.view.parser_classes) == list(api_settings.DEFAULT_PARSER_CLASSES):
            return ["application/json"]
        return super().map_parsers()

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.FileField) and direction == "request":
            return build_basic_type(OpenApiTypes.BINARY)  # an uploaded file, not its URL
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = dict(ERRORS)
        if self.method in BODY_METHODS:
            errors.update(BODY_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(Error, code, ["application/json"], direction)
                responses[code]["description"] = description
        return responses
