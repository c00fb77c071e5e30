"""Forest and funnel plots: the written files carry the rows, the diamond and the filled studies."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from lxml import etree

from ldn_atlas.stats.plots import forest, forest_plot, funnel, funnel_plot
from tests.metafor_oracle import as_float_array, find_case

SVG_NS = "{http://www.w3.org/2000/svg}"


def _bcg() -> dict:
    es = find_case("dat.bcg", "escalc_RR")
    fit = find_case("dat.bcg", "rma_RR_REML_z").output
    yi, vi = as_float_array(es.output["yi"]), as_float_array(es.output["vi"])
    return {
        "yi": yi,
        "vi": vi,
        "slab": list(es.dataset["data"]["labels"]),
        "estimate": fit["estimate"],
        "ci_lb": fit["ci.lb"],
        "ci_ub": fit["ci.ub"],
        "pi_lb": fit["predict"]["pi.lb"],
        "pi_ub": fit["predict"]["pi.ub"],
        "weights": 1.0 / (vi + fit["tau2"]),
    }


def _ids(path: Path) -> dict[str, etree._Element]:
    tree = etree.parse(str(path))
    return {el.get("id"): el for el in tree.iter() if el.get("id")}


def _texts(el: etree._Element) -> str:
    return "".join(el.itertext())


def test_forest_svg_has_k_rows_diamond_and_prediction_interval(tmp_path: Path) -> None:
    d = _bcg()
    out = forest_plot(d.pop("yi"), d.pop("vi"), tmp_path / "forest.svg", atransf=np.exp, **d)
    assert out == tmp_path / "forest.svg"
    ids = _ids(out)
    k = 13
    for prefix in ("study-row-", "study-ci-", "study-label-", "study-annot-", "study-weight-"):
        found = sorted(int(i[len(prefix) :]) for i in ids if i.startswith(prefix))
        assert found == list(range(1, k + 1)), prefix
    assert "pooled-diamond" in ids
    assert "prediction-interval" in ids
    assert "reference-line" in ids
    # the text columns are real text: labels, "est [lb, ub]" on the exp scale, weights in percent
    assert _texts(ids["study-label-1"]).strip() == "Aronson 1948"
    assert _texts(ids["pooled-annot"]).strip() == "0.49 [0.34, 0.70]"
    assert _texts(ids["pooled-label"]).strip() == "RE Model"
    weights = [float(_texts(ids[f"study-weight-{i}"]).strip().rstrip("%")) for i in range(1, k + 1)]
    assert sum(weights) == pytest.approx(100.0, abs=0.5)


def test_forest_diamond_spans_the_confidence_interval(tmp_path: Path) -> None:
    d = _bcg()
    fig = forest_plot(d["yi"], d["vi"], None, estimate=d["estimate"], ci_lb=d["ci_lb"], ci_ub=d["ci_ub"])
    ax = fig.axes[0]
    diamond = next(p for p in ax.patches if p.get_gid() == "pooled-diamond")
    xy = diamond.get_xy()
    assert xy[:, 0].min() == pytest.approx(d["ci_lb"])
    assert xy[:, 0].max() == pytest.approx(d["ci_ub"])
    squares = {ln.get_gid(): ln for ln in ax.lines if (ln.get_gid() or "").startswith("study-row-")}
    assert len(squares) == 13
    # study 1 on top: its square sits at the highest row and at yi[0]
    first = squares["study-row-1"]
    assert first.get_xdata()[0] == pytest.approx(d["yi"][0])
    assert first.get_ydata()[0] == max(s.get_ydata()[0] for s in squares.values())
    # squares grow with weight (1/vi here)
    w = 1 / d["vi"]
    sizes = np.array([squares[f"study-row-{i + 1}"].get_markersize() for i in range(13)])
    assert np.all(np.diff(sizes[np.argsort(w)]) >= -1e-12)
    # no prediction interval given -> none drawn
    assert not any(ln.get_gid() == "prediction-interval" for ln in ax.lines)


def test_forest_transf_moves_reference_line_to_one(tmp_path: Path) -> None:
    d = _bcg()
    fig = forest_plot(d.pop("yi"), d.pop("vi"), None, transf=np.exp, **d)
    ax = fig.axes[0]
    ref = next(ln for ln in ax.lines if ln.get_gid() == "reference-line")
    assert ref.get_xdata()[0] == pytest.approx(1.0)
    diamond = next(p for p in ax.patches if p.get_gid() == "pooled-diamond")
    assert diamond.get_xy()[:, 0].max() == pytest.approx(np.exp(d["ci_ub"]))


@pytest.mark.parametrize("suffix", [".png", ".pdf", ".svg"])
def test_forest_formats_by_suffix(tmp_path: Path, suffix: str) -> None:
    d = _bcg()
    out = forest_plot(
        d["yi"], d["vi"], tmp_path / f"f{suffix}", estimate=d["estimate"], ci_lb=d["ci_lb"], ci_ub=d["ci_ub"]
    )
    head = Path(out).read_bytes()[:8]
    magic = {".png": b"\x89PNG", ".pdf": b"%PDF", ".svg": b"<?xml"}[suffix]
    assert head.startswith(magic)


def test_forest_skips_missing_rows_and_rejects_bad_input(tmp_path: Path) -> None:
    yi = np.array([0.1, np.nan, 0.3])
    vi = np.array([0.1, 0.2, 0.1])
    out = forest_plot(yi, vi, tmp_path / "f.svg", slab=["a", "b", "c"])
    ids = _ids(out)
    assert sorted(i for i in ids if i.startswith("study-row-")) == ["study-row-1", "study-row-2"]
    assert "pooled-diamond" not in ids
    assert _texts(ids["study-label-2"]).strip() == "c"
    with pytest.raises(ValueError, match="suffix"):
        forest_plot(yi, vi, tmp_path / "f.jpg")
    with pytest.raises(ValueError, match="length"):
        forest_plot(yi, vi[:2])
    with pytest.raises(ValueError, match="slab"):
        forest_plot(yi, vi, slab=["a"])
    with pytest.raises(ValueError, match="no study"):
        forest_plot([np.nan], [0.1])


def test_funnel_svg_draws_observed_filled_and_region(tmp_path: Path) -> None:
    d = _bcg()
    out = funnel_plot(
        d["yi"],
        d["vi"],
        tmp_path / "funnel.svg",
        estimate=d["estimate"],
        filled_yi=[0.31, 0.5],
        filled_vi=[0.22, 0.1],
        atransf=np.exp,
    )
    ids = _ids(out)
    assert len([i for i in ids if i.startswith("funnel-point-")]) == 13
    assert len([i for i in ids if i.startswith("funnel-filled-")]) == 2
    assert {"funnel-region", "funnel-estimate"} <= set(ids)


def test_funnel_axis_inverted_and_filled_points_hollow() -> None:
    d = _bcg()
    fig = funnel_plot(d["yi"], d["vi"], None, estimate=d["estimate"], filled_yi=[0.31], filled_vi=[0.22])
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    assert lo == pytest.approx(np.sqrt(d["vi"]).max()) and hi == 0.0
    filled = next(ln for ln in ax.lines if ln.get_gid() == "funnel-filled-1")
    assert filled.get_markerfacecolor() == "white"
    observed = next(ln for ln in ax.lines if ln.get_gid() == "funnel-point-1")
    assert observed.get_markerfacecolor() != "white"
    region = next(p for p in ax.patches if p.get_gid() == "funnel-region")
    xs = sorted(region.get_xy()[:3, 0])
    half = 1.959963984540054 * np.sqrt(d["vi"]).max()
    assert xs[0] == pytest.approx(d["estimate"] - half) and xs[2] == pytest.approx(d["estimate"] + half)
    with pytest.raises(ValueError, match="filled_yi"):
        funnel_plot(d["yi"], d["vi"], None, estimate=0.0, filled_yi=[0.1], filled_vi=[0.1, 0.2])


# --------------------------------------------------------------------------- from a fitted model


def _fit(method: str = "REML", **kwargs: object):  # type: ignore[no-untyped-def]
    from ldn_atlas.stats import rma

    es = find_case("dat.bcg", "escalc_RR")
    return rma(
        as_float_array(es.output["yi"]),
        as_float_array(es.output["vi"]),
        method=method,
        slab=list(es.dataset["data"]["labels"]),
        **kwargs,  # type: ignore[arg-type]
    )


def test_fit_forest_writes_k_rows_diamond_and_prediction_interval(tmp_path: Path) -> None:
    fit = _fit("REML")
    out = fit.forest(tmp_path / "forest.svg", atransf=np.exp)
    ids = _ids(out)
    assert len([i for i in ids if i.startswith("study-row-")]) == fit.k == 13
    assert {"pooled-diamond", "prediction-interval", "pooled-label"} <= set(ids)
    pred = fit.predict(transf=np.exp)
    assert _texts(ids["pooled-annot"]).strip() == f"{pred.pred:.2f} [{pred.ci_lb:.2f}, {pred.ci_ub:.2f}]"
    assert _texts(ids["study-label-13"]).strip() == "Comstock et al 1976"
    # weights column: the model's random-effects weights in percent
    w = 1 / (fit.vi + fit.tau2)
    assert float(_texts(ids["study-weight-8"]).strip().rstrip("%")) == pytest.approx(100 * w[7] / w.sum(), abs=0.05)


def test_fit_forest_equal_effects_has_no_prediction_interval(tmp_path: Path) -> None:
    ids = _ids(_fit("EE").forest(tmp_path / "ee.svg"))
    assert "pooled-diamond" in ids and "prediction-interval" not in ids
    assert _texts(ids["pooled-label"]).strip() == "EE Model"


def test_fit_forest_meta_regression_draws_fitted_values(tmp_path: Path) -> None:
    es = find_case("dat.bcg", "escalc_RR")
    fit = _fit("REML", mods=es.column("ablat"))
    ids = _ids(fit.forest(tmp_path / "mr.svg"))
    assert len([i for i in ids if i.startswith("study-row-")]) == 13
    assert len([i for i in ids if i.startswith("fitted-")]) == 13
    assert "pooled-diamond" not in ids


def test_fit_funnel_and_batched_error(tmp_path: Path) -> None:
    fit = _fit("DL")
    ids = _ids(fit.funnel(tmp_path / "funnel.svg"))
    assert len([i for i in ids if i.startswith("funnel-point-")]) == 13
    assert not any(i.startswith("funnel-filled-") for i in ids)
    from ldn_atlas.stats import rma

    batch = rma(np.vstack([fit.yi, fit.yi]), np.vstack([fit.vi, fit.vi]))
    with pytest.raises(ValueError, match="batched"):
        forest(batch, tmp_path / "b.svg")
    with pytest.raises(ValueError, match="batched"):
        funnel(batch, tmp_path / "b.svg")


def test_level_as_proportion_equals_percent() -> None:
    d = _bcg()
    a = forest_plot(d["yi"], d["vi"], None, level=90)
    b = forest_plot(d["yi"], d["vi"], None, level=0.90)
    ci = [next(ln for ln in f.axes[0].lines if ln.get_gid() == "study-ci-1").get_xdata() for f in (a, b)]
    np.testing.assert_allclose(ci[0], ci[1])
    half = 1.6448536269514722 * np.sqrt(d["vi"][0])
    np.testing.assert_allclose(ci[0], [d["yi"][0] - half, d["yi"][0] + half])
    with pytest.raises(ValueError, match="level"):
        forest_plot(d["yi"], d["vi"], None, level=100)


def test_forest_order_by_observed_effect_and_precision() -> None:
    d = _bcg()
    labels = d["slab"]

    def row_labels(fig: object) -> list[str]:
        ax = fig.axes[0]  # type: ignore[attr-defined]
        texts = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("study-label-")}
        return [texts[f"study-label-{i + 1}"] for i in range(len(texts))]

    by_obs = row_labels(forest_plot(d["yi"], d["vi"], None, slab=labels, order="obs"))
    assert by_obs == [labels[i] for i in np.argsort(d["yi"], kind="stable")]
    by_prec = row_labels(forest_plot(d["yi"], d["vi"], None, slab=labels, order="prec"))
    assert by_prec[0] == labels[int(np.argmin(d["vi"]))]
    perm = list(range(13))[::-1]
    assert row_labels(forest_plot(d["yi"], d["vi"], None, slab=labels, order=perm)) == labels[::-1]
    with pytest.raises(ValueError, match="order"):
        forest_plot(d["yi"], d["vi"], None, order="size")
    with pytest.raises(ValueError, match="permutation"):
        forest_plot(d["yi"], d["vi"], None, order=[0, 1])


def test_plots_depend_on_no_result_class() -> None:
    """The renderers take plain numbers and read fits duck-typed: result classes can call them without a circle."""
    from tests.import_graph import graph

    edges = graph()
    plots = {name for name in edges if name == "ldn_atlas.stats.plots" or name.startswith("ldn_atlas.stats.plots.")}
    outside = {dep for name in plots for dep in edges[name]} - plots
    assert outside == set()
