"""The store's repository API, on SQLite and on a real PostgreSQL (when one can be started)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from ldn_atlas.errors import InputError, NotFoundError, StoreError
from ldn_atlas.model import Appraisal, Claim, Source, Span, Study
from ldn_atlas.store import content_sha256, open_store, resolve_url
from ldn_atlas.store import repository as repo_module
from ldn_atlas.store import writes as writes_module
from ldn_atlas.store.conditions import ConditionTerm, code_matches, condition_matches, parse_vocabulary
from ldn_atlas.store.migrate import head_revision
from ldn_atlas.store.schema import Base
from tests.store_support import synthetic_set, synthetic_study

VOCABULARY = (
    ConditionTerm("Multiple sclerosis", "G35", ("MS", "disseminated sclerosis")),
    ConditionTerm(
        "Complex regional pain syndrome type I",
        "G90.5-",
        ("CRPS I", "reflex sympathetic dystrophy"),
    ),
)


def studies(records: list[dict[str, Any]] | None = None) -> list[Study]:
    return [Study.model_validate(r) for r in (records or synthetic_set())]


def source(number: int = 1) -> Source:
    return Source(id=f"synthetic-source-{number}", kind="curated", title="A synthetic source")


def loaded(url: str) -> Any:
    store = open_store(url, vocabulary=VOCABULARY)
    store.upsert_studies(studies(), sources=[source()])
    return store


# ----------------------------------------------------------------------------- schema and migrations


def test_new_store_is_migrated_to_head(store_url: str) -> None:
    with open_store(store_url) as store:
        assert store.is_empty()
        assert store.count() == 0
        assert store.schema_version() == "1"
        assert store.revision == head_revision()


def test_migrated_schema_matches_the_orm_metadata(store_url: str) -> None:
    """The hand-written migration creates exactly the tables, columns, types and indexes of schema.py."""
    with open_store(store_url) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_reopening_is_idempotent_and_keeps_data(store_url: str) -> None:
    with loaded(store_url) as store:
        before = store.export()
    with open_store(store_url) as store:
        assert store.export() == before


def test_store_at_unknown_revision_is_refused(store_url: str) -> None:
    with open_store(store_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    with pytest.raises(StoreError, match=r"revision 'ffff'.*upgrade ldn-atlas"):
        open_store(store_url)


def test_store_behind_is_migrated_on_open_or_refused_without_migrate(store_url: str) -> None:
    from alembic import command

    from ldn_atlas.store.migrate import alembic_config

    with open_store(store_url) as store, store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    with pytest.raises(StoreError, match="db init"):
        open_store(store_url, migrate=False)
    with open_store(store_url) as store:
        assert store.schema_version() == "1"
        assert store.is_empty()


def test_unreachable_postgres_is_a_one_line_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        open_store(f"postgresql://nobody@/atlas?host={tmp_path}")
    assert "\n" not in str(info.value)
    assert "cannot open the store" in str(info.value)


def test_resolve_url() -> None:
    assert resolve_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("rel/atlas.db").database == str(Path("rel/atlas.db").resolve())
    assert resolve_url(":memory:").database is None
    with pytest.raises(StoreError, match="unsupported store backend 'mysql'"):
        resolve_url("mysql://u@h/db")


def test_default_store_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ldn_atlas.store import default_store_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "ldn-atlas" / "atlas.db"
    assert resolve_url(None).database == str(tmp_path / "ldn-atlas" / "atlas.db")


# ----------------------------------------------------------------------------- upserts


def test_upsert_inserts_then_is_idempotent(store_url: str) -> None:
    records = studies()
    with open_store(store_url) as store:
        first = store.upsert_studies(records, sources=[source()])
        assert len(first.studies.inserted) == len(records)
        assert first.sources.inserted == ("synthetic-source-1",)
        snapshot = store.export()
        second = store.upsert_studies(records, sources=[source()])
        assert not second.changed
        assert len(second.studies.unchanged) == len(records)
        assert store.export() == snapshot
        assert store.count() == len(records)


def test_idempotent_reload_does_not_touch_the_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "atlas.db"
    with open_store(path) as store:
        store.upsert_studies(studies(), sources=[source()])
    before = path.read_bytes()
    with open_store(path) as store:
        assert not store.upsert_studies(studies(), sources=[source()]).changed
    assert path.read_bytes() == before


def test_changed_study_is_updated_with_its_design_and_identifiers(store_url: str) -> None:
    with loaded(store_url) as store:
        record = synthetic_study(1, year=2008)
        record["design"] = ["open-label"]
        record["citation"]["doi"] = "10.99999/changed"
        result = store.upsert_studies([Study.model_validate(record)])
        assert result.studies.updated == ("synthetic-001",)
        assert store.get_study("synthetic-001").design == ["open-label"]
        ids = {s.id for s in store.list_studies(design="randomized")[0]}
        assert "synthetic-001" not in ids
        assert "synthetic-001" in {s.id for s in store.list_studies(design="open-label")[0]}
        assert store.studies_by_identifier("doi", "10.99999/Synthetic.1") == []
        assert store.studies_by_identifier("doi", "10.99999/CHANGED") == ["synthetic-001"]


def test_identifiers_are_indexed(store_url: str) -> None:
    with loaded(store_url) as store:
        assert store.studies_by_identifier("pmid", "990003") == ["synthetic-003"]
        assert store.studies_by_identifier("nct", "nct99000004") == ["synthetic-004"]
        assert store.studies_by_identifier("doi", "10.99999/SYNTHETIC.5") == ["synthetic-005"]
        assert store.studies_by_identifier("pmid", "1") == []


def test_matching_studies_share_identifiers(store_url: str) -> None:
    with loaded(store_url) as store:
        same_trial = synthetic_study(40)
        same_trial["citation"]["nct"] = "NCT99000002"
        same_trial["citation"]["doi"] = "10.99999/synthetic.3"
        found = store.matching_studies(Study.model_validate(same_trial))
        assert found == {
            "synthetic-002": [("nct", "NCT99000002")],
            "synthetic-003": [("doi", "10.99999/synthetic.3")],
        }
        assert store.matching_studies(studies()[0]) == {}  # itself is not a match


def test_duplicate_ids_are_refused_before_writing(store_url: str) -> None:
    records = studies()
    with open_store(store_url) as store:
        with pytest.raises(InputError, match="duplicate study id 'synthetic-001'"):
            store.upsert_studies([*records, records[0]])
        assert store.is_empty()


def test_a_failure_mid_upsert_rolls_everything_back(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with loaded(store_url) as store:
        before = store.export()
        original = repo_module.study_identifiers
        calls = {"n": 0}

        def failing(study: Study) -> list[tuple[str, str]]:
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("boom in the middle of the transaction")
            return original(study)

        monkeypatch.setattr(writes_module, "study_identifiers", failing)  # where upserts look it up
        changed = [Study.model_validate(synthetic_study(i, label=f"Changed {i}")) for i in range(1, 7)]
        new = [Study.model_validate(synthetic_study(i)) for i in range(10, 14)]
        with pytest.raises(RuntimeError, match="boom"):
            store.upsert_studies([*changed, *new], sources=[source(2)], batch_size=2)
        assert calls["n"] == 3
        assert store.export() == before


def test_prune_removes_studies_missing_from_the_base(store_url: str) -> None:
    with loaded(store_url) as store:
        keep = studies()[:4]
        result = store.upsert_studies(keep, prune=True)
        assert result.removed == ("synthetic-005", "synthetic-006")
        assert store.study_ids() == [s.id for s in keep]
        assert store.list_studies(design="animal") == ([], 0)


def test_delete_studies(store_url: str) -> None:
    with loaded(store_url) as store:
        assert store.delete_studies(["synthetic-001", "nope"]) == 1
        assert store.count() == 5
        assert store.studies_by_identifier("pmid", "990001") == []


def test_content_revision_moves_with_every_write_and_only_then(store_url: str) -> None:
    with loaded(store_url) as store:
        first = store.content_revision()
        assert store.count() == 6 and store.content_revision() == first  # reads leave it alone
        store.upsert_studies(studies())  # same content: nothing written
        assert store.content_revision() == first
        changed = studies()[0].model_copy(update={"label": "A relabelled synthetic study"})
        store.upsert_studies([changed])
        second = store.content_revision()
        assert second != first
        store.delete_studies(["synthetic-002"])
        third = store.content_revision()
        assert third not in (first, second)
        store.add_override("any-appraisal", "certainty", "low", by="a reviewer", reason="a test")
        assert store.content_revision() not in (first, second, third)


def test_content_hash_depends_on_content_only() -> None:
    a, b = studies()[:2]
    assert content_sha256(a) == content_sha256(Study.model_validate(a.model_dump()))
    assert content_sha256(a) != content_sha256(b)


# ----------------------------------------------------------------------------- reads


def test_round_trip_is_exact(store_url: str) -> None:
    records = studies()
    with open_store(store_url) as store:
        store.upsert_studies(records)
        for record in records:
            assert store.get_study(record.id) == record
        exported = store.export()
    assert [Study.model_validate(d) for d in exported["studies"]] == sorted(records, key=lambda s: s.id)
    json.dumps(exported)  # JSON-ready


def test_get_unknown_study_suggests_close_ids(store_url: str) -> None:
    with loaded(store_url) as store, pytest.raises(NotFoundError) as info:
        store.get_study("synthetic-01")
    message = str(info.value)
    assert message.startswith("no study with id 'synthetic-01'")
    assert "did you mean" in message and "'synthetic-001'" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("multiple sclerosis", {"synthetic-001", "synthetic-002", "synthetic-006"}),
        ("FIBROMYALGIA", {"synthetic-003", "synthetic-004"}),
        ("m79", {"synthetic-003", "synthetic-004"}),
        ("G35", {"synthetic-001", "synthetic-002", "synthetic-006"}),
        ("ms", {"synthetic-001", "synthetic-002", "synthetic-006"}),
        ("Reflex sympathetic dystrophy", {"synthetic-005"}),
        ("g90.51", {"synthetic-005"}),
        ("G90", {"synthetic-005"}),
        ("crohn's disease", set()),
        ("sclerosis", set()),
    ],
)
def test_condition_filter(store_url: str, condition: str, expected: set[str]) -> None:
    with loaded(store_url) as store:
        items, total = store.list_studies(condition=condition)
    assert {s.id for s in items} == expected
    assert total == len(expected)


def test_design_species_and_combined_filters(store_url: str) -> None:
    with loaded(store_url) as store:
        assert {s.id for s in store.list_studies(design="crossover")[0]} == {"synthetic-001", "synthetic-003"}
        both = store.list_studies(design=["crossover", "single-blind"])[0]
        assert [s.id for s in both] == ["synthetic-003"]
        assert [s.id for s in store.list_studies(species="animal")[0]] == ["synthetic-006"]
        items, total = store.list_studies(condition="MS", design="open-label", species="human")
        assert [s.id for s in items] == ["synthetic-002"] and total == 1
        with pytest.raises(InputError, match="unknown design tag 'quasi-random'"):
            store.list_studies(design="quasi-random")
        with pytest.raises(InputError, match="unknown species 'plant'"):
            store.list_studies(species="plant")


def test_order_and_pagination(store_url: str) -> None:
    with loaded(store_url) as store:
        items, total = store.list_studies()
        assert total == 6
        # by condition label, then year (unknown last), then id
        assert [s.id for s in items] == [
            "synthetic-005",
            "synthetic-004",
            "synthetic-003",
            "synthetic-006",
            "synthetic-001",
            "synthetic-002",
        ]
        page, total = store.list_studies(limit=2, offset=2)
        assert [s.id for s in page] == ["synthetic-003", "synthetic-006"] and total == 6
        assert store.list_studies(limit=0) == ([], 6)
        with pytest.raises(InputError):
            store.list_studies(offset=-1)


def test_conditions_summary(store_url: str) -> None:
    with loaded(store_url) as store:
        summary = [(c.label, c.code, c.count) for c in store.conditions()]
    assert summary == [
        ("Complex regional pain syndrome type I", "G90.5-", 1),
        ("Fibromyalgia", "M79.7", 2),
        ("Multiple sclerosis", "G35", 3),
    ]


def test_sources_are_stored(store_url: str) -> None:
    with loaded(store_url) as store:
        assert store.get_source("synthetic-source-1") == source()
        assert store.list_sources() == [source()]
        with pytest.raises(NotFoundError):
            store.get_source("nope")


# ----------------------------------------------------------------------------- claims, appraisals, overrides


def test_claims_and_appraisals(store_url: str) -> None:
    claim = Claim(
        id="synthetic-source-1#c1",
        text="LDN cures everything.",
        span=Span(source="synthetic-source-1", start=0, end=21),
        kind="efficacy",
        strength="proof",
        studies=["synthetic-001"],
        verdict="overstated",
        reasons=["one small trial"],
    )
    appraisal = Appraisal(
        id="a1", subject="synthetic-001", outcome="pain", start="high", certainty="low", rationale="test"
    )
    with loaded(store_url) as store:
        assert store.upsert_claims([claim]).inserted == (claim.id,)
        assert store.upsert_claims([claim]).unchanged == (claim.id,)
        assert store.upsert_appraisals([appraisal]).inserted == ("a1",)
        assert store.list_claims() == [claim]
        assert store.list_claims(source_id="other") == []
        assert store.list_appraisals(subject="synthetic-001") == [appraisal]
        assert store.get_appraisal("a1") == appraisal
        with pytest.raises(NotFoundError):
            store.get_appraisal("a2")
        exported = store.export()
    assert exported["claims"] == [claim.model_dump(mode="json")]
    assert exported["appraisals"] == [appraisal.model_dump(mode="json")]


def test_overrides_keep_who_when_why(store_url: str) -> None:
    t1 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    t2 = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
    with open_store(store_url) as store:
        first = store.add_override("a1", "risk-of-bias", "-2", by="reviewer one", reason="no blinding", at=t1)
        second = store.add_override("a1", "risk-of-bias", "-1", by="reviewer two", reason="re-read", at=t2)
        store.add_override("a2", "certainty", "low", by="reviewer one", reason="indirect")
        assert second.id != first.id
        history = store.list_overrides("a1", "risk-of-bias")
        assert [(o.override.by, o.override.at, o.override.value) for o in history] == [
            ("reviewer one", t1, "-2"),
            ("reviewer two", t2, "-1"),
        ]
        latest = store.latest_override("a1", "risk-of-bias")
        assert latest is not None and latest.override.reason == "re-read"
        assert store.latest_override("a1", "imprecision") is None
        assert len(store.list_overrides()) == 3
        with pytest.raises(InputError, match="non-empty reason"):
            store.add_override("a1", "certainty", "low", by="x", reason="  ")
        exported = store.export()["overrides"]
    assert exported[0] == {
        "id": first.id,
        "appraisal_id": "a1",
        "target": "risk-of-bias",
        "by": "reviewer one",
        "at": "2026-01-02T03:04:05Z",
        "reason": "no blinding",
        "value": "-2",
    }


# ----------------------------------------------------------------------------- condition matching


def test_code_matching_rules() -> None:
    assert code_matches("G35", "G35")
    assert code_matches("g90.5", "G90.5-")
    assert code_matches("G90.51", "G90.5-")
    assert not code_matches("G35.1", "G35")
    assert not code_matches("MS", "M79.7")  # a name, not a code prefix
    assert not code_matches("G3", None)


def test_condition_matches_synonym_both_ways() -> None:
    ms = ConditionTerm("Multiple sclerosis", "G35", ("MS",))
    assert condition_matches("ms", "Multiple sclerosis", None, [ms])
    assert condition_matches("multiple sclerosis", "MS", None, [ms])
    assert not condition_matches("ms", "Fibromyalgia", "M79.7", [ms])


def test_parse_vocabulary_shapes() -> None:
    terms = parse_vocabulary(
        [
            {"id": "crps-2", "label": "CRPS II", "code": ["G56.4-", "G57.7-"], "synonyms": ["causalgia"]},
            {"label": "Fibromyalgia", "code": "M79.7"},
        ]
    )
    assert [(t.label, t.code) for t in terms] == [
        ("CRPS II", "G56.4-"),
        ("CRPS II", "G57.7-"),
        ("Fibromyalgia", "M79.7"),
    ]
    assert "causalgia" in terms[0].synonyms and "crps-2" in terms[0].synonyms


def test_concurrent_loaders_of_the_same_records_agree(store_url: str) -> None:
    """Four writers upserting the same records at once: no error, one copy, as if loaded once."""
    from concurrent.futures import ThreadPoolExecutor

    records = studies()
    open_store(store_url).close()  # create the schema first: concurrent writers, not concurrent migrations
    stores = [open_store(store_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda st: st.upsert_studies(records, sources=[source()]), stores))
    finally:
        for st in stores:
            st.close()
    inserted = [i for r in results for i in r.studies.inserted]
    assert sorted(inserted) == sorted(s.id for s in records)  # each study inserted by exactly one writer
    with open_store(store_url) as store:
        assert store.count() == len(records)
        assert store.studies_by_identifier("pmid", "990001") == ["synthetic-001"]
        exported = store.export()
    assert [Study.model_validate(d) for d in exported["studies"]] == sorted(records, key=lambda s: s.id)


def test_concurrent_first_opens_migrate_once(store_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def open_and_count(_: int) -> int:
        with open_store(store_url) as store:
            return store.count()

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(open_and_count, range(4))) == [0, 0, 0, 0]
    with open_store(store_url) as store:
        assert store.schema_version() == "1"


def test_postgres_helper_reports_missing_binaries(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tests.store_support import PostgresUnavailableError, find_postgres_bin, start_postgres

    monkeypatch.setenv("LDN_ATLAS_PG_BIN", str(tmp_path))
    assert find_postgres_bin() is None
    with pytest.raises(PostgresUnavailableError, match="initdb/pg_ctl not found"):
        start_postgres()
