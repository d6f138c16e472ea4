"""Schema fuzzing (schemathesis, every check) of the whole REST API, as an organiser, a pupil
and an anonymous visitor: no server error, every response as the schema documents it (status,
body, headers). The number of examples per operation is bounded so this fits CI's time;
``API_FUZZ_EXAMPLES`` raises it for a longer hunt.
"""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from tests.schools import factories as sf

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "3"))


def _schema():
    import django

    django.setup()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    # NUL in text is refused with a 400 by design (tests/core/test_nul_input.py); the schema
    # cannot say so for every string, so the fuzzer does not send it.
    # A schema-valid body may still break a rule OpenAPI cannot state (a referenced object
    # that does not exist, a rule across fields, a file's contents): that is a documented 400.
    config = SchemathesisConfig.from_dict(
        {
            "generation": {"allow-x00": False},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]}
            },
        }
    )
    loaded = schemathesis.openapi.from_dict(generated, config=config)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()
TOKEN = {"key": None}  # the role of the test being run


@schema.auth(refresh_interval=None)
class RoleToken:
    """The caller's token, given to schemathesis as the schema's auth, so its auth checks know
    the credentials are real and probe the same call without them and with wrong ones."""

    def get(self, case, context):
        return TOKEN["key"]

    def set(self, case, data, context):
        if data:
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


@pytest.fixture
def keep_test_connection():
    """Calls go through Django's WSGI handler in this thread; as Django's test client does,
    keep it from closing the test's database connection at the end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["organiser", "pupil", "anonymous"])
def role(request, db, keep_test_connection):
    province = sf.province()
    school = sf.school(sf.commune(province))
    TOKEN["key"] = None
    if request.param == "organiser":
        TOKEN["key"] = Token.objects.create(user=sf.staff("organiser", region=province, username="btc")).key
    elif request.param == "pupil":
        TOKEN["key"] = Token.objects.create(user=sf.student(school, username="hs").user).key
    yield request.param
    TOKEN["key"] = None


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_matches_its_schema(case, role):
    # The in-process client does not decode compressed bodies (GZipMiddleware answers a client
    # that offers gzip): ask for the plain body, as the checks read it.
    case.headers = {**(case.headers or {}), "Accept-Encoding": "identity"}
    case.call_and_validate()
