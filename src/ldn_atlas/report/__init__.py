"""Outputs: one results model (:class:`AtlasView`) rendered as HTML pages, JSON and terminal text."""

from ldn_atlas.report.html import Links, make_environment, render_page
from ldn_atlas.report.static_site import WrittenReport, write_report
from ldn_atlas.report.view import AtlasView, ConditionInfo, StudyView, build_atlas, slugify

__all__ = [
    "AtlasView",
    "ConditionInfo",
    "Links",
    "StudyView",
    "WrittenReport",
    "build_atlas",
    "make_environment",
    "render_page",
    "slugify",
    "write_report",
]
