"""End-to-end tests in a real browser: Playwright for Python driving Debian's chromium.

One chromium per session, one live Uvicorn server per module (``create_app``
over a temporary SQLite store, ``LDN_ATLAS_SHARED`` pointing at ../shared when
it is present so that article studies show their source text).  Every page is
loaded with listeners for console errors, uncaught exceptions, CSP violations
and dialogs.  The tests skip when /usr/bin/chromium is absent, unless
``LDN_ATLAS_REQUIRE_BROWSER=1`` (then they fail).  ``playwright install`` is
never needed: the system chromium is used.

The README screenshot is written to docs/screenshot-overview.png only when
``LDN_ATLAS_UPDATE_SCREENSHOT=1``; otherwise to a temporary folder, so that a
test run never dirties the tree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, SHARED_DIR

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("LDN_ATLAS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VERDICTS = {"supported", "supported-weak", "supported-indirect", "overstated", "unsupported", "contradicted",
            "factual-error", "not-checkable"}
PARAGRAPH = (
    "Low-dose naltrexone is proven to cure fibromyalgia. In a small pilot study of 10 women with fibromyalgia, "
    "LDN reduced symptoms by 30% compared with placebo. A placebo-controlled crossover trial in 80 patients with "
    "multiple sclerosis found that LDN significantly improved mental health quality of life."
)

#: Records CSP violations before any page script runs (init scripts are not subject to the page's CSP).
WATCH_SCRIPT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });
"""


def _require_browser() -> None:
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as exc:  # pragma: no cover - playwright is a test dependency
            reason = f"playwright is not importable: {exc}"
    if reason:
        if os.environ.get("LDN_ATLAS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (LDN_ATLAS_REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from tests.web_support import live_server

    db = tmp_path_factory.mktemp("web-browser") / "atlas.db"
    with live_server(db, shared=SHARED_DIR if SHARED_DIR.exists() else None) as live:
        yield live


@dataclass
class Watched:
    """A page with everything that would betray a broken or injected page recorded."""

    page: Any
    base: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, path: str, *, expect: int = 200) -> Any:
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.status == expect, f"{path}: {response and response.status}"
        return response

    def csp_violations(self) -> list[str]:
        return list(self.page.evaluate("window.__csp || []"))

    def xss_flags(self) -> list[Any]:
        flags = "Object.keys(window).filter(k => k.startsWith('__xss')).map(k => [k, window[k]])"
        return list(self.page.evaluate(flags))

    def assert_clean(self, where: str) -> None:
        assert not self.page_errors, f"{where}: uncaught errors {self.page_errors}"
        assert not self.console_errors, f"{where}: console errors {self.console_errors}"
        assert not self.csp_violations(), f"{where}: CSP violations {self.csp_violations()}"
        assert not self.dialogs, f"{where}: dialogs opened {self.dialogs}"


@pytest.fixture
def watched(browser: Any, server: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    context.add_init_script(WATCH_SCRIPT)
    page = context.new_page()
    w = Watched(page=page, base=server.url)
    page.on("console", lambda m: w.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.page_errors.append(str(e)))

    def on_dialog(dialog: Any) -> None:
        w.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield w
    context.close()


# ----------------------------------------------------------------------------- pages


def test_overview_loads_with_the_matrix(watched: Watched, tmp_path: Path) -> None:
    page = watched.page
    watched.goto("/")
    matrix = page.locator("#evidence-matrix")
    assert matrix.is_visible()
    rows = matrix.locator("tbody tr")
    assert rows.count() >= 3
    assert "Multiple sclerosis" in matrix.inner_text()
    assert page.locator("link[rel=stylesheet]").count() >= 1
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""
    watched.assert_clean("/")
    _screenshot(page, tmp_path)
    first = rows.first.locator("td.cond a")
    label = first.inner_text()
    first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(watched.base + "/conditions/")
    assert label in page.locator("h1").inner_text()
    watched.assert_clean(page.url)


def _screenshot(page: Any, tmp_path: Path) -> None:
    """The README screenshot: docs/ only when asked to update it, else a temporary folder."""
    if os.environ.get("LDN_ATLAS_UPDATE_SCREENSHOT") == "1":
        target = REPO_ROOT / "docs" / "screenshot-overview.png"
        target.parent.mkdir(exist_ok=True)
    else:
        target = tmp_path / "screenshot-overview.png"
    page.screenshot(path=str(target), full_page=False)
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_study_page_highlights_the_span_of_a_clicked_field(watched: Watched, shared_dir: Path) -> None:
    page = watched.page
    watched.goto("/studies/article-ms-pilot")
    container = page.locator("#source-text")
    assert container.is_visible(), "the article text should be served when LDN_ATLAS_SHARED points at ../shared"
    full = container.text_content()
    rows = page.locator("table.fields tr.clickable")
    assert rows.count() >= 3
    checked = 0
    for index in (0, rows.count() // 2, rows.count() - 1):
        row = rows.nth(index)
        ref = row.locator(f".span-ref[data-source='{container.get_attribute('data-source')}']").first
        start, end = int(ref.get_attribute("data-start")), int(ref.get_attribute("data-end"))
        row.click()
        mark = page.locator("#source-text mark.hl")
        assert mark.count() == 1
        assert mark.text_content() == full[start:end]
        assert mark.text_content().strip()
        quote = row.locator("q")
        if quote.count():
            assert full[start:end] in quote.first.text_content()
        assert "selected" in (row.get_attribute("class") or "")
        assert page.locator("table.fields tr.selected").count() == 1
        # The highlighter only moves text around: the panel's text is unchanged.
        assert container.text_content() == full
        checked += 1
    # Keyboard: focus a row and press Enter.
    rows.nth(1).focus()
    page.keyboard.press("Enter")
    assert "selected" in (rows.nth(1).get_attribute("class") or "")
    assert checked == 3
    watched.assert_clean("/studies/article-ms-pilot")


def test_highlighter_treats_source_text_as_text(watched: Watched, shared_dir: Path) -> None:
    """Even if a source text held markup, highlighting it would never create elements or run script."""
    page = watched.page
    watched.goto("/studies/article-ms-pilot")
    payload = '<img src=x onerror="window.__xssHl=1"><script>window.__xssHl=2</script>' * 40
    page.evaluate("t => { const c = document.getElementById('source-text'); c.textContent = t; "
                  "delete c.dataset.fullText; }", payload)
    page.locator("table.fields tr.clickable").first.click()
    assert page.locator("#source-text img, #source-text script").count() == 0
    assert page.locator("#source-text mark.hl").count() == 1
    assert page.locator("#source-text").text_content() == payload
    assert watched.xss_flags() == []
    watched.assert_clean("highlighter")


def test_audit_a_pasted_paragraph_shows_verdicts(watched: Watched) -> None:
    page = watched.page
    watched.goto("/audit")
    page.fill("#audit-text", PARAGRAPH)
    with page.expect_navigation():
        page.click("#audit-submit")
    table = page.locator("#audit-claims")
    assert table.is_visible()
    verdicts = page.locator("#audit-claims tbody span.verdict").all_inner_texts()
    assert len(verdicts) >= 2 and set(verdicts) <= VERDICTS
    assert set(verdicts) - {"not-checkable"}, "at least one claim should be checked against the evidence"
    marked = page.locator("#audit-text-marked span.claim")
    assert marked.count() >= 2
    assert page.locator("#audit-text-marked").text_content() == PARAGRAPH
    assert re.search(r"\d+ claims", page.locator("#audit-summary").inner_text())
    watched.assert_clean("/audit (POST)")


def test_audit_an_uploaded_html_file(watched: Watched, tmp_path: Path) -> None:
    article = tmp_path / "article.html"
    article.write_text(f"<html><head><title>LDN</title></head><body><p>{PARAGRAPH}</p></body></html>",
                       encoding="utf-8")
    page = watched.page
    watched.goto("/audit")
    page.set_input_files("#audit-file", str(article))
    with page.expect_navigation():
        page.click("#audit-submit")
    verdicts = page.locator("#audit-claims tbody span.verdict").all_inner_texts()
    assert verdicts and set(verdicts) <= VERDICTS
    watched.assert_clean("/audit (upload)")


@pytest.mark.slow
def test_no_console_errors_on_any_page(watched: Watched, server: Any) -> None:
    from ldn_atlas.report.view import slugify

    atlas = server.app.state.atlas.atlas()
    paths = ["/", "/index", "/methods", "/audit"]
    paths += [f"/conditions/{c.slug}" for c in atlas.conditions]
    paths += [f"/studies/{s.slug}" for s in atlas.studies]
    paths += [f"/syntheses/{slugify(s.id)}" for s in server.app.state.atlas.syntheses().syntheses]
    for path in paths:
        watched.goto(path)
        for img in watched.page.locator("img").all():
            assert watched.page.evaluate("i => i.complete && i.naturalWidth > 0", img.element_handle()), path
        watched.assert_clean(path)
    assert len(paths) > 40


def test_docs_render_offline_and_call_the_api(watched: Watched, browser: Any) -> None:
    """Swagger UI from local files under the strict CSP: it renders, and 'Try it out' reaches the API."""
    page = watched.page
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(watched.base) else None)
    watched.goto("/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert "/api/v1/studies" in page.locator("#swagger-ui").inner_text()
    block = page.locator(".opblock-get", has=page.locator("[data-path='/api/v1/conditions']")).first
    block.locator(".opblock-summary").click()
    block.locator("button.try-out__btn").click()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/conditions")) as info:
        block.locator("button.execute").click()
    assert info.value.status == 200
    page.wait_for_selector(".responses-wrapper .response .highlight-code, .responses-wrapper pre", timeout=10_000)
    assert not external, f"/docs fetched from outside the server: {external}"
    watched.assert_clean("/docs")


# ----------------------------------------------------------------------------- XSS

XSS_PAYLOADS = [
    "<script>window.__xss1=1</script>",
    '<img src=x onerror="window.__xss2=1">',
    "<img src=x onerror=alert(2)>",
    "<svg onload=window.__xss3=1>",
    "<svg><script>window.__xss4=1</script></svg>",
    '<a id="xsslink" href="javascript:window.__xss5=1">click me</a>',
    "javascript:window.__xss6=1",
    '"><script>window.__xss7=1</script>',
    "' onmouseover='window.__xss8=1' x='",
    '" autofocus onfocus="window.__xss9=1" x="',
    "</textarea><script>window.__xss10=1</script>",
    "</title><script>window.__xss11=1</script>",
    '<iframe srcdoc="<script>parent.__xss12=1</script>"></iframe>',
    "<details open ontoggle=window.__xss13=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss14=1>",
    "<body onload=window.__xss15=1>",
    '<input autofocus onfocus="window.__xss16=1">',
    "<style>body{display:none}</style>",
    "{{7*7}} {{ config }} ${7*7} {% raw %}{%7*7%} <%= 7*7 %>",
    "{{constructor.constructor('window.__xss17=1')()}}",
    "&lt;script&gt;window.__xss18=1&lt;/script&gt;",
    "\u2028<script>window.__xss19=1</script>\u0000",
]

CLAIM = "LDN significantly improved fatigue in a randomized trial of 80 patients with multiple sclerosis. "


def _assert_inert(w: Watched, where: str, payload: str | None = None) -> None:
    page = w.page
    assert w.xss_flags() == [], f"{where}: payload ran"
    assert not w.dialogs, f"{where}: dialog {w.dialogs}"
    assert not w.page_errors, f"{where}: {w.page_errors}"
    injected = page.evaluate(
        """() => {
          const bad = [];
          for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) {
              if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
              if (/^\\s*javascript:/i.test(a.value)) bad.push(el.tagName + ' ' + a.name + '=javascript:');
            }
            if (['IFRAME', 'SVG', 'MATH', 'DETAILS', 'INPUT'].includes(el.tagName.toUpperCase())
                && !el.closest('form')) bad.push(el.tagName);
          }
          for (const s of document.scripts) {
            const src = s.getAttribute('src') || '';
            if (!src.startsWith('/static/') && !src.startsWith('/docs-assets/')) bad.push('script ' + src);
          }
          if (document.getElementById('xsslink')) bad.push('#xsslink');
          return bad;
        }"""
    )
    assert injected == [], f"{where}: injected markup {injected}"
    if payload is not None:
        assert payload.replace("\u0000", "").strip() in (page.locator("main").text_content() or ""), where


@pytest.mark.slow
def test_xss_payloads_through_the_audit_form_show_as_text(watched: Watched) -> None:
    page = watched.page
    for payload in XSS_PAYLOADS:
        watched.goto("/audit")
        page.fill("#audit-text", CLAIM + payload)
        with page.expect_navigation():
            page.click("#audit-submit")
        assert page.locator("#audit-claims").count() == 1, payload
        marked = page.locator("#audit-text-marked").text_content() or ""
        assert payload.replace("\u0000", "") in marked.replace("\ufffd", ""), payload
        page.mouse.move(300, 400)
        page.keyboard.press("Tab")
        _assert_inert(watched, f"audit form: {payload!r}")
        assert not watched.csp_violations(), f"{payload!r}: {watched.csp_violations()}"
    assert page.title().endswith("LDN Atlas")


@pytest.mark.slow
def test_xss_payloads_through_the_api_never_run(watched: Watched) -> None:
    """The payloads posted to /api/v1/audit (from the page, as another tool would) come back as JSON data,
    and reflected in URLs (API 404 details, page 404s, filters) they stay text."""
    page = watched.page
    watched.goto("/audit")
    for payload in XSS_PAYLOADS:
        body = page.evaluate(
            """async t => {
              const r = await fetch('/api/v1/audit', {method: 'POST', headers: {'content-type': 'application/json'},
                                                     body: JSON.stringify({text: t})});
              return {status: r.status, type: r.headers.get('content-type'), json: await r.json()};
            }""",
            CLAIM + payload,
        )
        assert body["status"] == 200 and body["type"].startswith("application/json"), payload
        claims = body["json"]["claims"]
        assert claims and all(c["verdict"] in VERDICTS for c in claims)
        # Render the API's answer into the page the way a client should: as text.
        page.evaluate("c => { const p = document.createElement('pre'); p.id = 'api-out'; "
                      "p.textContent = JSON.stringify(c); document.querySelector('main').append(p); }", claims)
        _assert_inert(watched, f"API audit: {payload!r}")
        page.evaluate("document.getElementById('api-out').remove()")
    from urllib.parse import quote

    for payload in XSS_PAYLOADS[:12]:
        q = quote(payload.replace("\u0000", ""), safe="")
        for path, expect in [(f"/api/v1/studies/{q}", 404), (f"/api/v1/studies?condition={q}", 200),
                             (f"/studies/{q}", 404), (f"/conditions/{q}", 404), (f"/syntheses/{q}", 404)]:
            if "%2F" in q and "?" not in path:
                expect = 404
            response = page.goto(watched.base + path, wait_until="load")
            assert response is not None and response.status == expect, (path, response and response.status)
            assert watched.xss_flags() == [], path
            assert not watched.dialogs and not watched.page_errors, path
            if response.headers["content-type"].startswith("text/html"):
                _assert_inert(watched, path)
    assert not watched.csp_violations()
