from __future__ import annotations

import json
from pathlib import Path

from lxml import html as lxml_html

from ldn_atlas.model import Source, Study
from ldn_atlas.report import build_atlas, write_report
from ldn_atlas.report.html import Links
from ldn_atlas.report.view import slugify
from tests.report_links import broken_links

TEXT = "A pilot trial of 40 patients with MS. Ten women with fibromyalgia took 4.5 mg."


def _studies() -> list[Study]:
    return [
        Study.model_validate(
            {
                "id": "src-a#s1", "label": "Pilot <b>MS</b>", "source": "src-a", "species": "human",
                "condition": {"label": "Multiple sclerosis", "code": "G35"},
                "design": ["open-label", "pilot"], "controlled": False,
                "population": {"n": 40},
                "outcomes": [{"name": "spasticity", "direction": "improved", "significant": True}],
                "provenance": {"population.n": [{"source": "src-a", "start": 17, "end": 19}]},
                "verification": {"population.n": "primary"},
                "primary_source": "trial-2008",
            }
        ),
        Study.model_validate(
            {
                "id": "trial-2008", "label": "Trial 2008", "species": "human",
                "condition": {"label": "Multiple sclerosis", "code": "G35"},
                "design": ["randomized", "placebo-controlled", "double-blind"], "controlled": True,
                "population": {"n": 80}, "outcomes": [{"name": "Quality of life (MSQLI)"}],
                "adverse_events": [{"name": "vivid dreams", "count": 3, "n": 80}],
                "verification": {"*": "secondary"},
                "notes": ["Article says 60; 80 enrolled."],
            }
        ),
        Study.model_validate(
            {
                "id": "fm-2009", "label": "FM 2009", "species": "human",
                "condition": {"label": "Fibromyalgia", "code": "M79.7"}, "design": ["single-blind", "crossover"],
                "comparator": "placebo", "population": {"n": 10, "sex": "female"},
                "interventions": [{"name": "LDN", "dose_mg": 4.5}],
                "outcomes": [{"name": "pain"}],
            }
        ),
    ]


def test_view_groups_by_condition_and_domain() -> None:
    atlas = build_atlas(_studies(), [Source(id="src-a", kind="article", text=TEXT)])
    ms = next(c for c in atlas.conditions if c.info.code == "G35")
    assert len(ms.studies) == 2
    assert ms.cells["quality-of-life"].strongest.label == "RCT"
    assert ms.cells["spasticity"].n_studies == 1
    assert ms.participants == 80  # the secondary description is not counted twice
    row = next(r for r in atlas.study("src-a#s1").fields if r.path == "population.n")
    assert row.quote == "40" and row.verification == "primary"
    # verification given with "*" covers every field
    assert all(r.verification == "secondary" for r in atlas.study("trial-2008").fields)


def test_report_pages_links_and_json(tmp_path: Path) -> None:
    atlas = build_atlas(_studies(), [Source(id="src-a", kind="article", text=TEXT)])
    written = write_report(atlas, tmp_path / "out")
    assert written.index.exists()
    assert broken_links(written.out_dir) == []
    data = json.loads(written.json_path.read_text())
    assert {s["id"] for s in data["studies"]} == {"src-a#s1", "trial-2008", "fm-2009"}
    assert "text" not in data["sources"][0]
    page = written.out_dir / "studies" / f"{slugify('src-a#s1')}.html"
    tree = lxml_html.parse(str(page))
    # user-controlled text is escaped, never markup
    assert tree.xpath("//h1")[0].text_content() == "Pilot <b>MS</b>"
    assert not tree.xpath("//h1/b")
    assert "Article says 60" in (written.out_dir / "studies" / "trial-2008.html").read_text()


def test_broken_link_checker_finds_missing_targets(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="missing.html">x</a><a href="#nowhere">y</a>')
    assert len(broken_links(tmp_path)) == 2


def test_links_static_and_web() -> None:
    assert Links(root="../").study("a#b") == "../studies/a--b.html"
    assert Links(root="/", suffix="").study("gironi-2008") == "/studies/gironi-2008"


def test_forest_plot_of_a_ratio_synthesis_shows_the_rows_confidence_limits() -> None:
    """Ratio syntheses keep estimates on the ratio scale and variances on the log scale: the plot must agree."""
    import matplotlib.pyplot as plt

    from ldn_atlas.appraise.synthesis import synthesise
    from ldn_atlas.report.plots import synthesis_forest_figure

    report = synthesise()
    ratio = next(s for s in report.syntheses if s.measure == "RR" and s.k >= 2)
    figure = synthesis_forest_figure(ratio)
    texts = {t.get_text() for ax in figure.axes for t in ax.texts}
    plt.close(figure)
    for row in ratio.rows:
        assert f"{row.yi:.2f} [{row.ci_lb:.2f}, {row.ci_ub:.2f}]" in texts
