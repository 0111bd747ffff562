"""Schema-driven tests: schemathesis reads the served OpenAPI document (/api/openapi.json from
the Django WSGI app, in process, on the test database with the seed) and calls every
operation with generated requests as the admin pemda: no server error, every response (its
status, content type, headers and body) as the document says, 401 without the token."""

import hashlib
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db

# cases per operation and mode: each operation is still called with valid and schema-breaking
# requests (20 took two minutes of the suite on a busy two-core machine)
EXAMPLES = 10


def _towards_the_seed(case) -> None:
    """Two in three generated cases name the seed agency and 2024, so the answers are not only
    404s; the rest keep what was generated (unknown agencies, other years)."""
    params = case.path_parameters
    if not params or "slug" not in params:
        return
    pick = int(hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode())
               .hexdigest(), 16) % 3  # fmt: skip
    if pick:
        params["slug"] = "bkpsdm-sumenep"
        if "year" in params:
            params["year"] = 2024


@pytest.fixture
def connection_kept():
    """The WSGI app sends request_started/finished, whose close_old_connections would close the
    test's connection inside its transaction (PostgreSQL): off, as Django's test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_within_its_schema(demo_users, settings, connection_kept, mode):
    """Each operation in turn (schemathesis' pytest plugin does not run under this pytest):
    its hypothesis strategy, ``max_examples`` cases each; valid requests (positive) and
    requests that break the schema (negative: refused with a 4xx in the documented shape)."""
    from kinerja.api.tokens import create_token
    from kinerja.wsgi import application

    settings.KINERJA_API_RATE_LIMIT = 100_000
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    token = create_token(demo_users["admin"])[1]
    operations = [result.ok() for result in schema.get_all_operations()]
    reads = [o for o in operations if o.method.upper() == "GET"]
    assert len(reads) >= 17

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @hsettings(max_examples=EXAMPLES, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))  # fmt: skip
        def call(case):
            if mode == GenerationMode.POSITIVE:  # a negative case stays as it was made
                _towards_the_seed(case)
            # a write's body may be well-formed and still break a domain rule (a sub kegiatan
            # without its parent): 422 with the rule's sentence, which the schema cannot know
            excluded = [] if case.method.upper() == "GET" else [positive_data_acceptance]
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                   excluded_checks=excluded)  # fmt: skip

        call()
