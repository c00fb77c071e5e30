from __future__ import annotations

import pytest
from pydantic import ValidationError

from ldn_atlas.model import DESIGN_TAGS, Citation, Condition, Span, Study


def _study(**kw: object) -> Study:
    base: dict[str, object] = {"id": "x-2020", "label": "X 2020", "species": "human",
                               "condition": {"label": "Multiple sclerosis", "code": "G35"}}
    base.update(kw)
    return Study.model_validate(base)


def test_unknown_design_tag_is_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        _study(design=["randomised"])
    assert info.value.errors()[0]["loc"][0] == "design"


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError):
        _study(sample_size=10)


def test_design_vocabulary_matches_design_md() -> None:
    assert "case-report" in DESIGN_TAGS and "systematic-review" in DESIGN_TAGS and len(DESIGN_TAGS) == 17


def test_verification_inherits_from_parent_path() -> None:
    s = _study(verification={"outcomes[0]": "secondary", "population.n": "primary"})
    assert s.verification_of("outcomes[0].measures[3].value") == "secondary"
    assert s.verification_of("population.n") == "primary"
    assert s.verification_of("population.sex") is None


def test_span_end_must_follow_start() -> None:
    with pytest.raises(ValidationError):
        Span(source="a", start=10, end=3)


@pytest.mark.parametrize("field,value", [("pmid", "PMID123"), ("nct", "NCT123"), ("doi", "doi:10.1/x")])
def test_identifier_formats(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        Citation.model_validate({field: value})


def test_round_trip_json() -> None:
    s = _study(condition=Condition(label="Fibromyalgia", code="M79.7"), design=["randomized", "crossover"])
    assert Study.model_validate_json(s.model_dump_json()) == s


def test_cli_errors_keep_square_brackets(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from ldn_atlas.cli import app

    result = CliRunner().invoke(app, ["schema", "Foo[ml]"])
    assert result.exit_code == 2
    assert "Foo[ml]" in result.output
