"""Terminal rendering (Rich) of an evidence-inference evaluation (``ldn-atlas evaluate evidence-inference``)."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table

from ldn_atlas.extract.inference_eval import INTERVAL_METHOD, EvalReport

__all__ = ["evaluation_lines"]

_GIVEN_NAMES = {"abstract-sentence": "cited abstract sentence", "full-text-passage": "cited full-text passage"}


def _label_table(report: EvalReport) -> Table:
    """Precision, recall, F1 and support of each label."""
    table = Table()
    for col in ("label", "precision", "recall", "F1", "support"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label, m in report.per_label.items():
        table.add_row(label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", f"{m['support']:.0f}")
    return table


def _headline_lines(report: EvalReport) -> list[RenderableType]:
    """Macro-F1, accuracy and evidence accuracy with their intervals, and the throughput."""
    ci = report.intervals

    def interval(name: str) -> str:
        lo, hi = ci.get(name, (float("nan"), float("nan")))
        return "" if lo != lo else f"  95% CI {lo:.3f}-{hi:.3f}"

    lines: list[RenderableType] = [
        f"macro-F1                    {report.macro_f1:.3f}{interval('macro_f1')}",
        f"accuracy                    {report.accuracy:.3f}{interval('accuracy')}",
        f"evidence-sentence accuracy  {report.evidence_accuracy:.3f}{interval('evidence_accuracy')}",
        "  (evidence: the predicted sentence overlaps a cited passage)",
    ]
    if ci:
        lines.append(f"  (CI: {INTERVAL_METHOD})")
    lines.append(f"throughput                  {report.prompts_per_second:.0f} prompts/s "
                 f"({report.seconds:.2f} s, one process)")
    return lines


def _calibration_lines(report: EvalReport) -> list[RenderableType]:
    """Expected calibration error and the accuracy of confident answers."""
    cal = report.calibration
    if cal is None or not report.n:
        return []
    return [f"calibration                 ECE {cal.ece:.3f} (expected calibration error, 10 bins)",
            f"confident (>= {cal.threshold:.2f})         {cal.confident_share:.0%} of prompts, "
            f"{cal.confident_accuracy:.0%} right; {cal.unconfident_accuracy:.0%} right below"]


def _given_evidence_lines(report: EvalReport) -> list[RenderableType]:
    """Macro-F1 of the classifier given the cited evidence (retrieval bypassed)."""
    if not report.given_evidence:
        return []
    lines: list[RenderableType] = ["classifier given the cited evidence (retrieval bypassed), macro-F1:"]
    for kind, g in report.given_evidence.items():
        lo, hi = g.intervals["macro_f1"]
        lines.append(f"  {_GIVEN_NAMES.get(kind, kind):<26}{g.macro_f1:.3f}  95% CI {lo:.3f}-{hi:.3f}  (n = {g.n})")
    if "full-text-passage" in report.given_evidence:
        lines.append("  (full-text passages: prompts the abstract cannot answer; prose only, table rows skipped)")
    return lines


def evaluation_lines(report: EvalReport, *, only_answerable: bool) -> list[RenderableType]:
    """What the terminal shows for an evaluation, one Rich renderable per ``console.print``.

    Parameters
    ----------
    report
        The evaluation (:func:`~ldn_atlas.extract.inference_eval.evaluate_split`).
    only_answerable
        Whether only the prompts whose evidence is in the abstract were evaluated.
    """
    scope = "answerable prompts" if only_answerable else "all prompts"
    head = (f"[bold]Evidence Inference 2.0[/bold], {report.split} split, {scope} (n = {report.n}), "
            f"method {report.method}")
    return [head, _label_table(report), *_headline_lines(report), *_calibration_lines(report),
            *_given_evidence_lines(report)]
