"""The claim audit as a self-contained HTML page."""

from __future__ import annotations

from ldn_atlas.appraise.audit.result import AuditResult

_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Audit: {{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;vertical-align:top;text-align:left}
.v{font-weight:600;white-space:nowrap}.supported{color:#1b5e20}.supported-weak,.supported-indirect{color:#33691e}
.overstated{color:#e65100}.unsupported,.contradicted,.factual-error{color:#b71c1c}.not-checkable{color:#555}
small{color:#555}
</style></head><body>
<h1>Claim audit: {{ title }}</h1>
<p><small>Source {{ source.id }}{% if source.sha256 %}, sha256 {{ source.sha256[:12] }}&hellip;{% endif %}.
{{ claims|length }} claims:
{% for k, n in counts.items() %}{{ n }} {{ k }}{% if not loop.last %}, {% endif %}{% endfor %}.</small></p>
<table><thead><tr><th>#</th><th>Claim</th><th>Verdict</th><th>Why</th></tr></thead><tbody>
{% for c in claims %}<tr id="{{ c.id | replace('#', '-') }}"><td>{{ loop.index }}</td>
<td>{{ c.text }}<br><small>{{ c.kind }}, {{ c.strength }}
{%- if c.studies %}; studies: {{ c.studies | join(', ') }}{% endif %}</small></td>
<td class="v {{ c.verdict }}">{{ c.verdict }}</td>
<td><ul>{% for r in c.reasons %}<li>{{ r }}
{%- if loop.index0 < c.findings|length %} <small>{{ c.findings[loop.index0].rule }}</small>{% endif %}</li>
{%- endfor %}</ul></td></tr>
{% endfor %}</tbody></table></body></html>
"""


def render_audit_html(result: AuditResult) -> str:
    """A self-contained HTML page of an audit (no external assets)."""
    from jinja2 import Environment

    env = Environment(autoescape=True)
    return env.from_string(_HTML).render(
        title=result.source.title or result.source.id,
        source=result.source,
        claims=result.claims,
        counts=result.counts(),
    )


__all__ = ["render_audit_html"]
