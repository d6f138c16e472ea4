"""The OpenAPI schema covers every endpoint: no view is left out for want of a serializer,
and no two views' nested Input/Output serializers are merged into one component."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


@pytest.fixture
def schema():
    GENERATOR_STATS._error_cache.clear()
    GENERATOR_STATS._warn_cache.clear()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    yield generated
    GENERATOR_STATS._error_cache.clear()
    GENERATOR_STATS._warn_cache.clear()


def test_schema_is_valid_and_complete(schema):
    validate_schema(schema)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)[:5]
    illegal = [w for w in GENERATOR_STATS._warn_cache if "illegal characters" in w]
    assert not illegal, illegal[:5]


def test_nested_serializers_get_their_view_name(schema):
    components = schema["components"]["schemas"]
    assert "MeApiOutput" in components
    assert "TokenApiInput" in components
    assert "Output" not in components and "Input" not in components
    token = schema["paths"]["/api/auth/token/"]["post"]
    assert token["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/TokenApiInput")
