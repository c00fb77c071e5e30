"""schemathesis against the app's own OpenAPI document: no generated request gets a 5xx.

The schema is read from the app object (no server needed to collect the
tests); the generated requests go to a live Uvicorn server on loopback over a
temporary SQLite store.  Each operation gets a bounded number of Hypothesis
examples so the whole file runs in seconds.

Besides ``not_a_server_error`` the default response checks run (status codes,
content types and bodies as documented), except ``positive_data_acceptance``:
the schema cannot say that an upload must be named .txt/.html/.xml, so a
schema-valid ``file.png`` is rightly refused with 400.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, positive_data_acceptance

from ldn_atlas.web import create_app
from tests.web_support import live_server

#: Only its OpenAPI document is read: this app is never started, so its store is never opened.
schema = schemathesis.openapi.from_dict(create_app("unused-by-the-schema-tests.db").openapi())


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with live_server(tmp_path_factory.mktemp("schema") / "atlas.db") as server:
        yield server


def test_the_schema_covers_the_api() -> None:
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert labels == {
        "GET /api/v1/studies", "GET /api/v1/studies/{study_id}", "GET /api/v1/conditions", "GET /api/v1/syntheses",
        "GET /api/v1/syntheses/{synthesis_id}", "POST /api/v1/audit", "GET /api/v1/export/{fmt}",
    }


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case, live: Any) -> None:
    response = case.call(base_url=live.url, timeout=30)
    case.validate_response(response, additional_checks=[not_a_server_error],
                           excluded_checks=[positive_data_acceptance])
