"""REST API and server-rendered pages, through FastAPI's TestClient over a temporary SQLite store.

Covers the issue-6 contract: pagination and filters with ``total``, 404s,
conditions, syntheses, audit by JSON and by multipart upload (.txt, .html,
.xml), the 413 body limit (declared and streamed), 415/422 errors, the three
exports (CSV parsed with metafor's column names, JSON, a FHIR R5 Bundle
validated with fhir.resources), security headers on every response, the
OpenAPI document and the CDN-free /docs page.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from ldn_atlas.model import Study
from ldn_atlas.web import MAX_UPLOAD_BYTES, create_app

VERDICTS = {"supported", "supported-weak", "supported-indirect", "overstated", "unsupported", "contradicted",
            "factual-error", "not-checkable"}

#: A paragraph of our own with claims the embedded evidence base can check.
PARAGRAPH = (
    "Low-dose naltrexone is proven to cure fibromyalgia. In a small pilot study of 10 women with fibromyalgia, "
    "LDN reduced symptoms by 30% compared with placebo. A placebo-controlled crossover trial in 80 patients with "
    "multiple sclerosis found that LDN significantly improved mental health quality of life."
)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("web") / "atlas.db")


@pytest.fixture(scope="module")
def client(db_path: str) -> Iterator[TestClient]:
    with TestClient(create_app(db_path)) as c:
        yield c


@pytest.fixture(scope="module")
def all_studies(client: TestClient) -> list[dict[str, Any]]:
    body = client.get("/api/v1/studies", params={"limit": 500}).json()
    assert body["total"] == len(body["items"]) > 20
    return list(body["items"])


# ----------------------------------------------------------------------------- studies


def test_studies_pagination_covers_every_study_once_in_order(client: TestClient,
                                                               all_studies: list[dict[str, Any]]) -> None:
    ids = [s["id"] for s in all_studies]
    assert len(set(ids)) == len(ids)
    paged: list[str] = []
    for offset in range(0, len(ids) + 7, 7):
        body = client.get("/api/v1/studies", params={"limit": 7, "offset": offset}).json()
        assert body["total"] == len(ids)
        assert len(body["items"]) == min(7, max(0, len(ids) - offset))
        paged += [s["id"] for s in body["items"]]
    assert paged == ids


def test_studies_default_page_and_offset_past_the_end(client: TestClient, all_studies: list[dict[str, Any]]) -> None:
    body = client.get("/api/v1/studies").json()
    assert len(body["items"]) == min(50, len(all_studies)) and body["total"] == len(all_studies)
    body = client.get("/api/v1/studies", params={"offset": 10_000}).json()
    assert body == {"items": [], "total": len(all_studies)}


def test_study_items_are_valid_studies(all_studies: list[dict[str, Any]]) -> None:
    for item in all_studies:
        assert Study.model_validate(item).id == item["id"]


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"condition": "G35"}, lambda s: (s["condition"]["code"] or "").startswith("G35")),
        ({"condition": "g90.5"}, lambda s: (s["condition"]["code"] or "").upper().startswith("G90.5")),
        ({"condition": "FIBROMYALGIA"}, lambda s: s["condition"]["label"].lower() == "fibromyalgia"),
        ({"design": "randomized"}, lambda s: "randomized" in s["design"]),
        ({"design": "crossover"}, lambda s: "crossover" in s["design"]),
        ({"species": "animal"}, lambda s: s["species"] == "animal"),
        ({"species": "in-vitro"}, lambda s: s["species"] == "in-vitro"),
        ({"condition": "G35", "design": "placebo-controlled", "species": "human"},
         lambda s: (s["condition"]["code"] or "").startswith("G35") and "placebo-controlled" in s["design"]
         and s["species"] == "human"),
    ],
)
def test_study_filters_match_the_records(client: TestClient, all_studies: list[dict[str, Any]],
                                         params: dict[str, str], keep: Any) -> None:
    expected = [s["id"] for s in all_studies if keep(s)]
    assert expected, f"the evidence base has no study for {params}; pick another filter"
    body = client.get("/api/v1/studies", params={**params, "limit": 500}).json()
    assert [s["id"] for s in body["items"]] == expected
    assert body["total"] == len(expected)
    one = client.get("/api/v1/studies", params={**params, "limit": 1}).json()
    assert one["total"] == len(expected) and len(one["items"]) == 1


def test_empty_filters_mean_no_filter(client: TestClient, all_studies: list[dict[str, Any]]) -> None:
    body = client.get("/api/v1/studies", params={"condition": "", "design": " ", "species": "", "limit": 500}).json()
    assert body["total"] == len(all_studies)


def test_condition_filter_without_match_is_empty(client: TestClient) -> None:
    assert client.get("/api/v1/studies", params={"condition": "no such condition"}).json() == {"items": [],
                                                                                               "total": 0}


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"design": "telepathic"}, 400),
        ({"species": "martian"}, 400),
        ({"limit": 0}, 422),
        ({"limit": 501}, 422),
        ({"limit": "ten"}, 422),
        ({"offset": -1}, 422),
    ],
)
def test_study_filter_errors(client: TestClient, params: dict[str, Any], status: int) -> None:
    response = client.get("/api/v1/studies", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    if status == 400:
        assert str(next(iter(params.values()))) in detail


def test_get_study_matches_the_list(client: TestClient, all_studies: list[dict[str, Any]]) -> None:
    for item in all_studies:
        response = client.get(f"/api/v1/studies/{item['id']}")
        assert response.status_code == 200
        assert response.json() == item


@pytest.mark.parametrize("study_id", ["no-such-study", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "..%2F..%2Fetc"])
def test_unknown_study_is_404_json(client: TestClient, study_id: str) -> None:
    response = client.get(f"/api/v1/studies/{study_id}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]  # an encoded "/" makes it another (unmatched) path: a plain Not Found
    assert "no study with id" in detail or ("%2F" in study_id and detail == "Not Found")


# ----------------------------------------------------------------------------- conditions and syntheses


def test_conditions_count_the_studies(client: TestClient, all_studies: list[dict[str, Any]]) -> None:
    conditions = client.get("/api/v1/conditions").json()
    assert sum(c["studies"] for c in conditions) == len(all_studies)
    by_label = {c["label"]: c for c in conditions}
    assert by_label["Multiple sclerosis"]["code"] == "G35"
    assert by_label["Fibromyalgia"]["code"] == "M79.7"
    for c in conditions:
        expected = sum(1 for s in all_studies if s["condition"]["label"] == c["label"])
        assert c["studies"] == expected, c


def test_syntheses_list_and_get(client: TestClient) -> None:
    body = client.get("/api/v1/syntheses").json()
    assert body["total"] == len(body["items"]) > 0
    assert isinstance(body["assumptions"], list)
    for item in body["items"]:
        response = client.get(f"/api/v1/syntheses/{item['id']}")
        assert response.status_code == 200, item["id"]
        assert response.json() == item
        assert item["k"] >= 1 and item["condition"]
    assert client.get("/api/v1/syntheses/no-such-synthesis").status_code == 404


# ----------------------------------------------------------------------------- audit


def _check_audit(body: dict[str, Any]) -> list[dict[str, Any]]:
    claims: list[dict[str, Any]] = body["claims"]
    assert claims
    for claim in claims:
        assert claim["verdict"] in VERDICTS
        assert claim["reasons"] and all(isinstance(r, str) for r in claim["reasons"])
        assert 0 <= claim["span"]["start"] < claim["span"]["end"]
    assert "text" not in body["source"], "the uploaded text must not be echoed back in the source record"
    return claims


def test_audit_json(client: TestClient, all_studies: list[dict[str, Any]], db_path: str) -> None:
    response = client.post("/api/v1/audit", json={"text": PARAGRAPH})
    assert response.status_code == 200
    claims = _check_audit(response.json())
    known = {s["id"] for s in all_studies}
    linked = {sid for c in claims for sid in c["studies"]}
    assert linked and linked <= known
    # Read-only: nothing the user sent was stored.
    store = client.app.state.atlas.store  # type: ignore[attr-defined]
    assert all(src.id != "pasted-text" for src in store.list_sources())
    assert client.get("/api/v1/studies").json()["total"] == len(all_studies)


HTML_UPLOAD = (
    "<!doctype html><html><head><title>LDN and fibromyalgia</title>"
    "<script>document.title = 'should never be read as text';</script></head><body><article>"
    f"<h1>LDN and fibromyalgia</h1><p>{PARAGRAPH}</p></article></body></html>"
)

XML_UPLOAD = (
    "<?xml version='1.0' encoding='UTF-8'?><PubmedArticleSet><PubmedArticle><MedlineCitation>"
    "<PMID>99999999</PMID><Article><ArticleTitle>A test record written for LDN Atlas</ArticleTitle>"
    f"<Abstract><AbstractText>{PARAGRAPH}</AbstractText></Abstract></Article>"
    "</MedlineCitation></PubmedArticle></PubmedArticleSet>"
)


@pytest.mark.parametrize(
    ("filename", "content", "mime"),
    [
        ("paragraph.txt", PARAGRAPH.encode(), "text/plain"),
        ("article.html", HTML_UPLOAD.encode(), "text/html"),
        ("record.xml", XML_UPLOAD.encode(), "application/xml"),
    ],
)
def test_audit_multipart_upload(client: TestClient, filename: str, content: bytes, mime: str) -> None:
    response = client.post("/api/v1/audit", files={"file": (filename, content, mime)})
    assert response.status_code == 200, response.text
    claims = _check_audit(response.json())
    texts = " ".join(c["text"] for c in claims)
    assert "placebo-controlled crossover trial" in texts
    assert "should never be read" not in texts


def test_audit_xml_does_not_resolve_external_entities(client: TestClient, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    xxe = XML_UPLOAD.replace(
        "<?xml version='1.0' encoding='UTF-8'?>",
        f"<?xml version='1.0'?><!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM \"file://{secret}\">]>",
    ).replace("A test record", "&x; A test record")
    response = client.post("/api/v1/audit", files={"file": ("xxe.xml", xxe.encode(), "application/xml")})
    assert "TOP-SECRET-CONTENT" not in response.text
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("paper.pdf", b"%PDF-1.7 whatever", "unsupported file type"),
        ("empty.txt", b"   \n", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("broken.xml", b"<PubmedArticleSet><PubmedArticle>", "XML"),
    ],
)
def test_audit_bad_upload_is_400_with_a_reason(client: TestClient, filename: str, content: bytes,
                                               message: str) -> None:
    response = client.post("/api/v1/audit", files={"file": (filename, content, "application/octet-stream")})
    assert response.status_code == 400
    assert message.lower() in response.json()["detail"].lower()


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"content": PARAGRAPH, "headers": {"content-type": "text/plain"}}, 415),
        ({"content": PARAGRAPH}, 415),
        ({"content": b"<a/>", "headers": {"content-type": "application/xml"}}, 415),
        ({"json": {}}, 422),
        ({"json": {"text": ""}}, 422),
        ({"json": {"text": 42}}, 422),
        ({"json": [PARAGRAPH]}, 422),
        ({"json": {"text": PARAGRAPH, "extra": 1}}, 200),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422),
        ({"content": b"\xff\xfe{}", "headers": {"content-type": "application/json"}}, 422),
        ({"data": {"text": PARAGRAPH}, "files": {"other": ("a.txt", b"x", "text/plain")}}, 422),
    ],
)
def test_audit_request_errors(client: TestClient, kwargs: dict[str, Any], status: int) -> None:
    response = client.post("/api/v1/audit", **kwargs)
    assert response.status_code == status, response.text
    if status != 200:
        assert response.json()["detail"]


# ----------------------------------------------------------------------------- body limit (413)


def test_body_over_the_limit_with_content_length_is_413(client: TestClient) -> None:
    big = "x" * (MAX_UPLOAD_BYTES + 1)
    for path, kwargs in [
        ("/api/v1/audit", {"content": json.dumps({"text": big}), "headers": {"content-type": "application/json"}}),
        ("/api/v1/audit", {"files": {"file": ("big.txt", big.encode(), "text/plain")}}),
        ("/audit", {"data": {"text": big}}),
        ("/audit", {"files": {"file": ("big.txt", big.encode(), "text/plain")}}),
    ]:
        response = client.post(path, **kwargs)
        assert response.status_code == 413, path
        assert "too large" in response.json()["detail"] and "2 MB" in response.json()["detail"]
        assert response.headers["x-content-type-options"] == "nosniff"


@pytest.fixture(scope="module")
def small_client(db_path: str, client: TestClient) -> Iterator[TestClient]:
    """The same store (already loaded) behind a 4 KiB body limit, to test the boundary exactly."""
    with TestClient(create_app(db_path, max_upload_bytes=4096)) as c:
        yield c


def test_limit_boundary_is_exact(small_client: TestClient) -> None:
    def body_of(size: int) -> bytes:
        prefix, suffix = b'{"text": "', b'"}'
        return prefix + b"a" * (size - len(prefix) - len(suffix)) + suffix

    at_limit = small_client.post("/api/v1/audit", content=body_of(4096), headers={"content-type": "application/json"})
    assert at_limit.status_code != 413
    over = small_client.post("/api/v1/audit", content=body_of(4097), headers={"content-type": "application/json"})
    assert over.status_code == 413 and "4096 bytes" in over.json()["detail"]


def _run_asgi(client: TestClient, scope: dict[str, Any], first: bytes, chunk: bytes,
              chunks: int, *, disconnect: bool = False) -> tuple[list[dict[str, Any]], int]:
    """Call the app directly with a body of ``first`` then ``chunks`` x ``chunk``, counting the pieces it reads.

    With ``disconnect`` the body never ends: the client goes away after the last piece.
    """
    asked = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal asked
        asked += 1
        if asked > chunks:
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": first if asked == 1 else chunk,
                "more_body": disconnect or asked < chunks}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def call() -> None:
        await client.app(scope, receive, send)

    assert client.portal is not None
    client.portal.call(call)
    return sent, asked


MULTIPART_HEAD = (b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="huge.txt"\r\n'
                  b"Content-Type: text/plain\r\n\r\n")
MULTIPART_TEXT_HEAD = b'--xyz\r\nContent-Disposition: form-data; name="text"\r\n\r\n'


@pytest.mark.parametrize(
    ("path", "content_type", "first"),
    [
        ("/api/v1/audit", "application/json", b'{"text": "'),
        ("/api/v1/audit", "multipart/form-data; boundary=xyz", MULTIPART_HEAD),
        ("/audit", "multipart/form-data; boundary=xyz", MULTIPART_HEAD),
        ("/audit", "multipart/form-data; boundary=xyz", MULTIPART_TEXT_HEAD),
        ("/audit", "application/x-www-form-urlencoded", b"text="),
    ],
)
def test_streamed_body_without_length_stops_at_the_limit(client: TestClient, path: str, content_type: str,
                                                         first: bytes) -> None:
    """A chunked body that would be 64 GB is refused after about 2 MB: the app never asks for the rest."""
    chunk = b"a" * 65536
    chunks = 1_000_000
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", content_type.encode()),
                    (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 1234), "server": ("testserver", 80), "state": dict(client.app_state),
    }
    sent, asked = _run_asgi(client, scope, first, chunk, chunks)
    limit_chunks = MAX_UPLOAD_BYTES // len(chunk)
    assert asked <= limit_chunks + 2, f"the app read {asked} chunks of 64 KiB"
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 413
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert b"too large" in body


# ----------------------------------------------------------------------------- exports

METAFOR_COLUMNS = ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", "ai", "bi", "ci", "di", "xi", "ni")


def test_export_csv_is_metafor_ready(client: TestClient, all_studies: list[dict[str, Any]]) -> None:
    response = client.get("/api/v1/export/csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="ldn-atlas.csv"' in response.headers["content-disposition"]
    reader = csv.DictReader(io.StringIO(response.text))
    assert reader.fieldnames is not None
    assert set(METAFOR_COLUMNS) <= set(reader.fieldnames)
    rows = list(reader)
    assert rows
    assert {r["study"] for r in rows} <= {s["id"] for s in all_studies}
    kinds = {r["data_type"] for r in rows}
    assert {"continuous", "dichotomous", "proportion"} <= kinds
    assert any(r["xi"] and r["ni"] for r in rows if r["data_type"] == "proportion")
    # At least one two-arm comparison that escalc("SMD") can use as it stands.
    assert any(all(r[k] for k in METAFOR_COLUMNS[:6]) for r in rows if r["data_type"] == "continuous")

    def num(x: str) -> float:
        return float(x)

    for r in rows:
        if r["data_type"] == "dichotomous":
            ai, bi, ci, di = (int(num(r[k])) for k in ("ai", "bi", "ci", "di"))
            assert min(ai, bi, ci, di) >= 0
            if r["n1i"] and r["n2i"]:
                assert ai + bi == int(num(r["n1i"])) and ci + di == int(num(r["n2i"])), r["study"]
        elif r["data_type"] == "proportion" and r["xi"] and r["ni"]:
            assert 0 <= num(r["xi"]) <= num(r["ni"]), r["study"]
        elif r["data_type"] == "continuous":
            assert r["m1i"], r["study"]
            for k in ("sd1i", "sd2i", "n1i", "n2i"):
                assert not r[k] or num(r[k]) >= 0
        assert r["verification"] in {"primary", "secondary", "unverified", "text-span"}


def test_export_json_round_trips_the_studies(client: TestClient, all_studies: list[dict[str, Any]]) -> None:
    response = client.get("/api/v1/export/json")
    assert response.status_code == 200
    data = response.json()
    items = data["studies"] if isinstance(data, dict) else data
    exported = {s["id"]: s for s in items}
    assert set(exported) == {s["id"] for s in all_studies}
    for s in all_studies:
        assert Study.model_validate(exported[s["id"]]) == Study.model_validate(s)


def test_export_fhir_is_a_valid_r5_bundle_of_evidence(client: TestClient) -> None:
    from fhir.resources.bundle import Bundle

    response = client.get("/api/v1/export/fhir")
    assert response.status_code == 200
    bundle = Bundle.model_validate(response.json())
    assert bundle.type == "collection"
    assert bundle.entry
    kinds = {e.resource.get_resource_type() for e in bundle.entry}
    assert kinds == {"Evidence"}
    assert any(e.resource.statistic for e in bundle.entry)


def test_unknown_export_format_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/export/xlsx")
    assert response.status_code == 404 and "csv" in response.json()["detail"]


# ----------------------------------------------------------------------------- pages


def test_overview_has_the_matrix(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert 'id="evidence-matrix"' in response.text
    assert "/static/atlas-web.js" in response.text


def test_every_page_renders(client: TestClient) -> None:
    atlas = client.app.state.atlas.atlas()  # type: ignore[attr-defined]
    urls = ["/", "/index", "/methods", "/audit", "/docs", "/atlas.json"]
    urls += [f"/conditions/{c.slug}" for c in atlas.conditions]
    urls += [f"/studies/{s.slug}" for s in atlas.studies]
    for syn in client.get("/api/v1/syntheses").json()["items"]:
        urls.append(f"/syntheses/{_slug(client, syn['id'])}")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        for plot in re.findall(r'src="(/plots/[^"]+)"', response.text):
            assert client.get(plot).status_code == 200, f"{url} shows a plot that is not there: {plot}"
    assert client.get("/favicon.ico").headers["content-type"].startswith("image/svg+xml")


def _slug(client: TestClient, identifier: str) -> str:
    from ldn_atlas.report.view import slugify

    return slugify(identifier)


def test_forest_plots_are_svg(client: TestClient) -> None:
    from lxml import etree

    drawn = 0
    for syn in client.get("/api/v1/syntheses").json()["items"]:
        response = client.get(f"/plots/{_slug(client, syn['id'])}.svg")
        if response.status_code == 404:
            continue
        assert response.headers["content-type"].startswith("image/svg+xml")
        root = etree.fromstring(response.content, etree.XMLParser(resolve_entities=False, no_network=True))
        assert root.tag.endswith("svg")
        assert not root.findall(".//{http://www.w3.org/2000/svg}script")
        drawn += 1
    assert drawn > 0
    assert client.get("/plots/no-such.svg").status_code == 404


def test_unknown_pages_are_404_and_escape_the_slug(client: TestClient) -> None:
    for url in ["/studies/%3Cscript%3Ealert(1)%3C", "/conditions/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
                "/syntheses/nope"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
        assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert(1)&lt;" in client.get("/studies/%3Cscript%3Ealert(1)%3C").text


def test_audit_form_paste_and_upload(client: TestClient) -> None:
    response = client.post("/audit", data={"text": PARAGRAPH})
    assert response.status_code == 200
    assert 'id="audit-claims"' in response.text and 'id="audit-text-marked"' in response.text
    assert re.search(r'class="verdict (overstated|supported[-a-z]*)"', response.text)
    response = client.post("/audit", files={"file": ("article.html", HTML_UPLOAD.encode(), "text/html")},
                           data={"text": ""})
    assert response.status_code == 200 and 'id="audit-claims"' in response.text


def test_audit_form_errors_are_shown(client: TestClient) -> None:
    response = client.post("/audit", data={"text": "   "})
    assert response.status_code == 400 and 'id="audit-error"' in response.text
    response = client.post("/audit", files={"file": ("paper.pdf", b"%PDF", "application/pdf")})
    assert response.status_code == 400 and "unsupported file type" in response.text


XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">"\'><svg onload=alert(1)>{{7*7}}'


def test_user_text_is_escaped_in_the_audit_page(client: TestClient) -> None:
    text = f"LDN significantly improved fatigue in a randomized trial of 80 patients with MS. {XSS}"
    response = client.post("/audit", data={"text": text})
    assert response.status_code == 200
    page = response.text
    assert "<script>window.__xss" not in page and "<img src=x" not in page and "<svg onload" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert "{{7*7}}" in page and ">49<" not in page


# ----------------------------------------------------------------------------- headers, OpenAPI, docs

HEADER_URLS = [
    ("GET", "/"), ("GET", "/methods"), ("GET", "/audit"), ("GET", "/docs"), ("GET", "/openapi.json"),
    ("GET", "/static/atlas-web.js"), ("GET", "/static/atlas.css"), ("GET", "/docs-assets/swagger-ui.css"),
    ("GET", "/api/v1/studies"), ("GET", "/api/v1/studies/nope"), ("GET", "/nope"), ("GET", "/api/v1/studies?limit=0"),
    ("POST", "/api/v1/studies"), ("GET", "/api/v1/export/csv"), ("GET", "/atlas.json"), ("POST", "/api/v1/audit"),
]


def _csp(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


@pytest.mark.parametrize(("method", "url"), HEADER_URLS)
def test_security_headers_on_every_response(client: TestClient, method: str, url: str) -> None:
    response = client.request(method, url)
    assert response.headers["x-content-type-options"] == "nosniff"
    csp = _csp(response.headers["content-security-policy"])
    assert csp["script-src"] == ["'self'"], "scripts only from this origin: no inline, no eval, no CDN"
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["x-frame-options"] == "DENY"
    assert len(response.headers.get_list("content-security-policy")) == 1


def test_security_headers_on_413(client: TestClient) -> None:
    response = client.post("/api/v1/audit", content=b"x" * (MAX_UPLOAD_BYTES + 1),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]


def test_openapi_document(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in ["/api/v1/studies", "/api/v1/studies/{study_id}", "/api/v1/conditions", "/api/v1/syntheses",
                 "/api/v1/syntheses/{synthesis_id}", "/api/v1/audit", "/api/v1/export/{fmt}"]:
        assert path in paths, path
    params = {p["name"] for p in paths["/api/v1/studies"]["get"]["parameters"]}
    assert {"condition", "design", "species", "limit", "offset"} <= params
    content = paths["/api/v1/audit"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(content)
    assert not any(p.startswith("/studies") or p == "/" for p in paths), "pages stay out of the API schema"


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name):
                self.urls.append(str(values[name]))
        if tag == "script":
            self._in_script = "src" not in values

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


@pytest.mark.parametrize("url", ["/docs", "/", "/audit", "/methods", "/studies/gironi-2008"])
def test_pages_use_only_local_assets_and_no_inline_script(client: TestClient, url: str) -> None:
    response = client.get(url)
    parser = _Assets()
    parser.feed(response.text)
    assert parser.inline_scripts == 0
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", response.text, re.IGNORECASE)
    for asset in parser.urls:
        if asset.startswith(("/static/", "/docs-assets/")):
            assert client.get(asset).status_code == 200, asset


def test_docs_is_swagger_ui_from_local_files(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page and "/static/docs-init.js" in page
    assert "http://" not in page and "https://" not in page
    init = client.get("/static/docs-init.js")
    assert init.status_code == 200 and "/openapi.json" in init.text
    assert "javascript" in init.headers["content-type"]


def test_pages_share_the_report_templates() -> None:
    """The web app adds templates but never copies the report's: one set of templates for both."""
    from importlib import resources

    web = {p.name for p in resources.files("ldn_atlas.web").joinpath("templates").iterdir()}
    report = {p.name for p in resources.files("ldn_atlas.report").joinpath("templates").iterdir()}
    assert not web & report, f"web/templates shadows report templates: {sorted(web & report)}"
    assert {"index.html", "condition.html", "study.html", "synthesis.html", "audit.html", "methods.html"} <= report



# ----------------------------------------------------------------------------- 413 over real HTTP


@pytest.fixture(scope="module")
def live(db_path: str, client: TestClient) -> Iterator[Any]:
    from tests.web_support import live_server

    with live_server(db_path) as server:
        yield server


def _endless(chunk: bytes, total: int) -> Iterator[bytes]:
    for _ in range(total // len(chunk)):
        yield chunk


@pytest.mark.parametrize(
    ("path", "content_type", "first"),
    [
        ("/api/v1/audit", "application/json", b'{"text": "'),
        ("/audit", "multipart/form-data; boundary=xyz", MULTIPART_HEAD),
    ],
)
def test_chunked_upload_over_http_is_refused_early(live: Any, path: str, content_type: str, first: bytes) -> None:
    """A 1 GB chunked upload gets 413 after the first megabytes; the client is stopped long before the end."""
    from tests.web_support import raw_post

    def body() -> Iterator[bytes]:
        yield first
        yield from _endless(b"a" * 65536, 1 << 30)

    response = raw_post(live.port, path, {"Content-Type": content_type}, body(), chunked=True)
    assert response.status == 413
    assert b"too large" in response.body
    assert response.bytes_sent < 64 * 1024 * 1024, f"sent {response.bytes_sent} bytes before the server answered"


def test_declared_length_over_the_limit_is_refused_before_any_body(live: Any) -> None:
    from tests.web_support import raw_post

    response = raw_post(live.port, "/api/v1/audit", {"Content-Type": "application/json",
                                                      "Content-Length": str(10**12)}, iter(()), chunked=False)
    assert response.status == 413 and response.bytes_sent == 0
    assert response.headers["x-content-type-options"] == "nosniff"
    assert json.loads(response.body)["detail"].startswith("request body too large")


# ----------------------------------------------------------------------------- response cache


def test_cached_responses_are_identical_to_the_first(client: TestClient) -> None:
    for url in ["/", "/studies/gironi-2008", "/api/v1/studies?limit=3", "/api/v1/export/csv", "/atlas.json",
                "/api/v1/conditions"]:
        first, second = client.get(url), client.get(url)
        assert first.status_code == second.status_code == 200
        assert first.content == second.content, url
        assert first.headers["content-type"] == second.headers["content-type"], url
    assert client.get("/api/v1/export/csv").headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in client.get("/api/v1/export/csv").headers["content-disposition"]
    assert client.get("/").headers["content-type"] == "text/html; charset=utf-8"


def test_errors_are_not_cached(client: TestClient) -> None:
    cache = client.app.state.atlas.responses  # type: ignore[attr-defined]
    before = len(cache)
    assert client.get("/api/v1/studies", params={"design": "nope"}).status_code == 400
    assert client.get("/studies/not-a-study").status_code == 404
    assert client.get("/api/v1/studies/not-a-study").status_code == 404
    assert len(cache) == before


def test_response_cache_is_bounded_in_entries_and_bytes() -> None:
    from ldn_atlas.web.state import Rendered, ResponseCache

    cache = ResponseCache(max_entries=3, max_bytes=100)
    for i in range(5):
        cache.put(i, Rendered(b"x" * 10, "text/plain"))
    assert len(cache) == 3 and cache.get(0) is None and cache.get(4) is not None
    cache.get(2)  # most recently used now
    cache.put("big", Rendered(b"y" * 80, "text/plain"))
    assert cache.size <= 100 and cache.get(2) is not None and cache.get(3) is None
    cache.put("huge", Rendered(b"z" * 101, "text/plain"))
    assert cache.get("huge") is None
    cache.clear()
    assert len(cache) == 0 and cache.size == 0


def test_refresh_serves_the_new_store_state(client: TestClient, db_path: str, tmp_path: Path) -> None:
    """The server serves a snapshot; refresh() after a store change makes it serve the new state.

    (``client`` first: it is what loads the embedded base into ``db_path``, which is copied here.)"""
    import shutil

    copy = tmp_path / "copy.db"
    shutil.copy(db_path, copy)
    with TestClient(create_app(str(copy))) as c:
        state = c.app.state.atlas  # type: ignore[attr-defined]
        state.revision_interval = 3600.0  # no automatic check within this test
        total = c.get("/api/v1/studies").json()["total"]
        assert c.get("/studies/gironi-2008").status_code == 200
        assert state.store.delete_studies(["gironi-2008"]) == 1
        assert c.get("/api/v1/studies").json()["total"] == total  # the snapshot
        state.refresh()
        assert c.get("/api/v1/studies").json()["total"] == total - 1
        assert c.get("/studies/gironi-2008").status_code == 404
        assert c.get("/api/v1/studies/gironi-2008").status_code == 404


def test_a_write_by_another_process_reaches_the_server_without_a_restart(
    client: TestClient, db_path: str, tmp_path: Path
) -> None:
    """The server notices the store's revision change (here: a second connection deleting a study)."""
    import shutil

    from ldn_atlas.store import open_store

    copy = tmp_path / "copy.db"
    shutil.copy(db_path, copy)
    with TestClient(create_app(str(copy))) as c:
        state = c.app.state.atlas  # type: ignore[attr-defined]
        state.revision_interval = 0.0  # check before every request
        total = c.get("/api/v1/studies").json()["total"]
        assert c.get("/studies/gironi-2008").status_code == 200
        before = state.store.content_revision()
        with open_store(str(copy)) as other:
            assert other.delete_studies(["gironi-2008"]) == 1
        assert state.store.content_revision() != before
        assert c.get("/api/v1/studies").json()["total"] == total - 1
        assert c.get("/studies/gironi-2008").status_code == 404
        unchanged = state.store.content_revision()
        assert c.get("/api/v1/studies").json()["total"] == total - 1
        assert state.store.content_revision() == unchanged  # reading does not move the revision


# ----------------------------------------------------------------------------- audits under load


@pytest.mark.parametrize(("path", "content_type", "first"), [
    ("/api/v1/audit", "application/json", b'{"text": "'),
    ("/api/v1/audit", "multipart/form-data; boundary=xyz", MULTIPART_HEAD),
    ("/audit", "multipart/form-data; boundary=xyz", MULTIPART_TEXT_HEAD),
])
def test_client_going_away_mid_body_is_not_a_server_error(client: TestClient, path: str, content_type: str,
                                                         first: bytes) -> None:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", content_type.encode())],
        "client": ("127.0.0.1", 1234), "server": ("testserver", 80), "state": dict(client.app_state),
    }
    sent, _ = _run_asgi(client, scope, first, b"a" * 1000, 2, disconnect=True)
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 400


def test_at_most_two_audits_run_at_once() -> None:
    import threading
    import time

    import anyio

    from ldn_atlas.web.state import AUDIT_SLOTS, WebState

    state = WebState(store=None, max_upload_bytes=1)  # type: ignore[arg-type]
    running = 0
    peak = 0
    lock = threading.Lock()

    def work(x: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return x * 2

    async def main() -> list[int]:
        results: list[int] = []

        async def one(i: int) -> None:
            results.append(await state.run_audit(work, i))

        async with anyio.create_task_group() as tg:
            for i in range(6):
                tg.start_soon(one, i)
        return results

    assert sorted(anyio.run(main)) == [0, 2, 4, 6, 8, 10]
    assert peak == AUDIT_SLOTS == 2


def test_warm_start_builds_the_atlas_before_serving(db_path: str, client: TestClient) -> None:
    with TestClient(create_app(db_path, warm=True)) as c:
        state = c.app.state.atlas  # type: ignore[attr-defined]
        assert state._atlas is not None and state._evidence is not None
        assert len(state.evidence()["studies"]) == c.get("/api/v1/studies").json()["total"]


def test_head_answers_like_get_without_a_body(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/", "/api/v1/studies", "/static/atlas.css"):
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == 200 == get.status_code, url
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert "content-security-policy" in head.headers
