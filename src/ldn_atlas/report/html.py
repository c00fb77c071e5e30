"""HTML rendering of the atlas view: Jinja2 templates shared by the static report and the web app.

The templates never build URLs themselves: they call a :class:`Links` object,
so the same template renders relative file links in the static report
(``studies/gironi-2008.html``) and routes in the web app
(``/studies/gironi-2008``).  Autoescaping is on for every template.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ldn_atlas.report.view import slugify


@dataclass(frozen=True)
class Links:
    """URL builder for one page.

    Parameters
    ----------
    root
        Prefix that leads from the current page to the site root: ``""`` or
        ``"../"`` for static files, ``"/"`` for the web app.
    suffix
        ``".html"`` for static files, ``""`` for web routes.
    """

    root: str = ""
    suffix: str = ".html"

    def home(self) -> str:
        return f"{self.root}index{self.suffix}" if self.suffix else self.root or "/"

    def page(self, name: str) -> str:
        return f"{self.root}{name}{self.suffix}"

    def study(self, study_id: str) -> str:
        return f"{self.root}studies/{slugify(study_id)}{self.suffix}"

    def condition(self, condition_id: str) -> str:
        return f"{self.root}conditions/{slugify(condition_id)}{self.suffix}"

    def synthesis(self, synthesis_id: str) -> str:
        return f"{self.root}syntheses/{slugify(synthesis_id)}{self.suffix}"

    def static(self, path: str) -> str:
        return f"{self.root}static/{path}"

    def asset(self, path: str) -> str:
        """A generated file (plot, JSON) that sits beside the pages."""
        return f"{self.root}{path}"


def _format_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "—"
    return str(value)


def make_environment(*extra_packages: str) -> Environment:
    """The Jinja2 environment of every atlas page (autoescaped, strict undefined names).

    Parameters
    ----------
    *extra_packages
        Packages whose ``templates/`` folder is searched before the report's
        own, so the web app can add pages and extend the report's templates
        (one set of templates, not a second copy).
    """
    from jinja2 import ChoiceLoader, StrictUndefined

    loaders = [PackageLoader(package, "templates") for package in extra_packages]
    env = Environment(
        loader=ChoiceLoader([*loaders, PackageLoader("ldn_atlas.report", "templates")]),
        autoescape=select_autoescape(["html", "xml", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["value"] = _format_value
    env.filters["slug"] = slugify
    return env


def render_page(env: Environment, template: str, links: Links, **context: Any) -> str:
    """Render one page with its link builder."""
    return env.get_template(template).render(links=links, **context)
