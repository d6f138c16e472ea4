"""OpenAPI schema generation, following this code base's view convention.

Views are ``APIView`` subclasses that declare their serializers as nested ``Input`` and
``Output`` classes. drf-spectacular cannot guess those, and it would merge the many classes
named "Output" into one component. This schema class reads ``Input``/``Output`` from the
view, names each component after its view ("MeApi.Output" -> "MeApiOutput"), and describes
action endpoints without a body (pause, skip, …) as taking and returning a JSON object.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

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
