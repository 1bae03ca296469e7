"""schemathesis over the API's OpenAPI schema: generated requests never get a server error, and
every answer matches its documented schema (status, content type, body). Bounded: a few
examples per operation, so the whole run stays well under a minute."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import positive_data_acceptance  # noqa: E402

from alliancekit.app import create_app  # noqa: E402
from alliancekit.app.service import Service  # noqa: E402

# Generous rate limit: the run must exercise the scenarios, not the limiter.
app = create_app(service=Service(expensive_rate=1000.0, expensive_burst=1000))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case):
    # Not "positive data acceptance": some schema-valid requests are rightly refused with a
    # 400 naming the parameter, for facts the schema cannot express (a year without spending
    # figures, an actor with no ties in that year's graph, a gap-fill with too few allies).
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
