#!/usr/bin/env python
"""REML and DL throughput of ``ldn_atlas.stats.rma`` against metafor's loop and PyMARE's batched fit.

Workload: ``../shared/reference/perf/workload_k20_n10000.csv.gz`` (10,000 meta-analyses of
k = 20; see that folder's README). Run from the repository root::

    python benchmarks/bench_vs_metafor.py                 # metafor timed live when Rscript is there
    python benchmarks/bench_vs_metafor.py --metafor-n 1000 # time metafor on 1,000 analyses, scale up
    python benchmarks/bench_vs_metafor.py --metafor recorded

What it does, in one run:

1. times ``rma(Y, V, method=...)`` on the (10000, 20) arrays (best of ``--repeat``);
2. times PyMARE 0.0.13's batched ``VarianceBasedLikelihoodEstimator(method="REML")`` and
   ``DerSimonianLaird`` on the same arrays;
3. times metafor's ``rma()`` loop with ``Rscript`` (installing Debian's ``r-cran-metafor`` with
   apt-get when ``Rscript`` is missing; when that fails, says so and uses the timings recorded in
   ``metafor_timings.json`` beside the workload);
4. checks agreement with a tightly converged reference: an independent per-analysis scalar solve
   (``scipy.optimize.brentq`` on the REML score, bracketed by a log-likelihood grid scan, xtol 1e-15)
   and, with ``--metafor-tight``, metafor itself with ``threshold=1e-12, stepadj=0.5``;
5. prints the speed ratios last.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from scipy import optimize

REPO = Path(__file__).resolve().parents[1]
PERF = REPO.parent / "shared" / "reference" / "perf"

R_LOOP = r"""
suppressPackageStartupMessages(library(metafor))
a <- commandArgs(trailingOnly = TRUE)
d <- read.csv(a[1]); method <- a[2]; n <- as.integer(a[3]); out <- a[4]; tight <- a[5] == "tight"
ys <- split(d$yi, d$analysis); vs <- split(d$vi, d$analysis)
n <- min(n, length(ys))
ctrl <- if (tight) list(threshold = 1e-12, tol = 1e-12, maxiter = 10000, stepadj = 0.5) else list()
est <- rep(NA_real_, n); tau2 <- rep(NA_real_, n)
t0 <- proc.time()[["elapsed"]]
for (j in seq_len(n)) {
  r <- tryCatch(rma.uni(yi = ys[[j]], vi = vs[[j]], method = method, control = ctrl),
                error = function(e) NULL)
  if (!is.null(r)) { est[j] <- r$beta[1]; tau2[j] <- r$tau2 }
}
secs <- proc.time()[["elapsed"]] - t0
write.csv(data.frame(est = sprintf("%.17g", est), tau2 = sprintf("%.17g", tau2)), out, row.names = FALSE,
          quote = FALSE)
cat(sprintf("%.6f %d\n", secs, sum(is.na(tau2))))
"""


def load_workload(path: Path) -> tuple[np.ndarray, np.ndarray]:
    import pandas as pd

    df = pd.read_csv(path).sort_values(["analysis", "study"])
    m = df["analysis"].nunique()
    return df["yi"].to_numpy().reshape(m, -1), df["vi"].to_numpy().reshape(m, -1)


def best_time(fn, repeat: int) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    fn()  # warm-up
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times)), out


def reference_reml(y: np.ndarray, v: np.ndarray) -> tuple[float, float]:
    """Tightly converged REML for one analysis: global maximum of the restricted likelihood."""

    def parts(t: float) -> tuple[float, float, float]:
        w = 1.0 / (v + t)
        sw = w.sum()
        b = (w * y).sum() / sw
        e = y - b
        ll = -0.5 * np.sum(np.log(v + t)) - 0.5 * np.log(sw) - 0.5 * np.sum(w * e * e)
        score = np.sum((w * e) ** 2) - (sw - np.sum(w * w) / sw)
        return ll, score, b

    hi = 1.0
    while parts(hi)[1] > 0:
        hi *= 10
    grid = np.concatenate([[0.0], hi * np.geomspace(1e-12, 1.0, 400)])
    vg = v[None, :] + grid[:, None]
    wg = 1.0 / vg
    swg = wg.sum(axis=1)
    eg = y[None, :] - ((wg * y).sum(axis=1) / swg)[:, None]
    lls = -0.5 * np.log(vg).sum(axis=1) - 0.5 * np.log(swg) - 0.5 * (wg * eg * eg).sum(axis=1)
    j = int(np.argmax(lls))
    lo_t, hi_t = grid[max(j - 1, 0)], grid[min(j + 1, grid.size - 1)]
    if parts(lo_t)[1] <= 0:
        t = 0.0
    else:
        t = optimize.brentq(lambda x: parts(x)[1], lo_t, hi_t, xtol=1e-15, rtol=4 * np.finfo(float).eps,
                            maxiter=500)
    return t, parts(t)[2]


def reference_dl(y: np.ndarray, v: np.ndarray) -> tuple[float, float]:
    w = 1.0 / v
    b0 = np.sum(w * y) / np.sum(w)
    q = np.sum(w * (y - b0) ** 2)
    t = max(0.0, (q - (y.size - 1)) / (np.sum(w) - np.sum(w * w) / np.sum(w)))
    ws = 1.0 / (v + t)
    return t, float(np.sum(ws * y) / np.sum(ws))


def ensure_rscript() -> str | None:
    if shutil.which("Rscript"):
        return "Rscript found"
    print("Rscript is missing: trying `apt-get install -y r-cran-metafor` ...", flush=True)
    try:
        r = subprocess.run(["apt-get", "install", "-y", "r-cran-metafor"], capture_output=True, text=True,
                           timeout=900, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"  apt-get failed: {exc}")
        return None
    if r.returncode != 0 or not shutil.which("Rscript"):
        print(f"  apt-get failed (exit {r.returncode}): {r.stderr.strip().splitlines()[-1:] or ''}")
        return None
    return "installed r-cran-metafor"


def metafor_loop(workload: Path, method: str, n: int, tight: bool) -> tuple[float, int, np.ndarray, np.ndarray]:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "loop.R"
        script.write_text(R_LOOP, encoding="utf-8")
        out = Path(tmp) / "out.csv"
        r = subprocess.run(["Rscript", str(script), str(workload), method, str(n), str(out),
                            "tight" if tight else "default"], capture_output=True, text=True, check=True)
        secs, failed = r.stdout.split()
        data = np.genfromtxt(out, delimiter=",", skip_header=1, dtype=float)
        return float(secs), int(failed), data[:, 0], data[:, 1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workload", type=Path, default=PERF / "workload_k20_n10000.csv.gz")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--metafor", choices=("auto", "recorded"), default="auto",
                    help="auto: time metafor live (install it if needed); recorded: use metafor_timings.json")
    ap.add_argument("--metafor-n", type=int, default=10000,
                    help="time metafor's loop on the first N analyses and scale to the workload")
    ap.add_argument("--metafor-tight", action="store_true",
                    help="also run metafor REML with threshold=1e-12, stepadj=0.5 as agreement reference (slow)")
    ap.add_argument("--reference-n", type=int, default=10000, help="analyses in the scalar reference solve")
    args = ap.parse_args(argv)

    from pymare.estimators import DerSimonianLaird, VarianceBasedLikelihoodEstimator

    from ldn_atlas.stats import rma

    if not args.workload.exists():
        print(f"workload not found: {args.workload} (../shared is absent)")
        return 1
    Y, V = load_workload(args.workload)
    m, k = Y.shape
    print(f"workload: {m} analyses x k = {k} ({args.workload.name})")

    warnings.simplefilter("ignore")
    ours: dict[str, tuple[float, float, object]] = {}
    for method in ("REML", "DL"):
        ours[method] = best_time(lambda method=method: rma(Y, V, method=method), args.repeat)
        fit = ours[method][2]
        print(f"ldn_atlas rma {method:4s}: best {ours[method][0] * 1e3:8.2f} ms, median "
              f"{ours[method][1] * 1e3:8.2f} ms; converged {int(np.sum(fit.converged))}/{m}")  # type: ignore[attr-defined]

    Xp = np.ones((k, 1))
    pym = {
        "REML": best_time(lambda: VarianceBasedLikelihoodEstimator(method="REML").fit(y=Y.T, v=V.T, X=Xp),
                          args.repeat),
        "DL": best_time(lambda: DerSimonianLaird().fit(y=Y.T, v=V.T, X=Xp), args.repeat),
    }
    for method, (tb, tm, _) in pym.items():
        print(f"PyMARE batched {method:4s}: best {tb * 1e3:8.2f} ms, median {tm * 1e3:8.2f} ms")

    # ---------------------------------------------------------------- agreement with tight references
    n_ref = min(args.reference_n, m)
    t0 = time.perf_counter()
    ref = {"REML": np.array([reference_reml(Y[i], V[i]) for i in range(n_ref)]),
           "DL": np.array([reference_dl(Y[i], V[i]) for i in range(n_ref)])}
    print(f"scalar reference solve ({n_ref} analyses) took {time.perf_counter() - t0:.1f} s")
    for method in ("REML", "DL"):
        fit = ours[method][2]
        d_tau = np.abs(fit.tau2[:n_ref] - ref[method][:, 0])  # type: ignore[attr-defined]
        d_b = np.abs(fit.b[:n_ref] - ref[method][:, 1])  # type: ignore[attr-defined]
        print(f"agreement {method}: max |tau2 - ref| = {d_tau.max():.2e}, max |b - ref| = {d_b.max():.2e}")
    pm_reml = pym["REML"][2].params_["tau2"].ravel()[:n_ref]  # type: ignore[attr-defined]
    print(f"PyMARE REML: max |tau2 - ref| = {np.abs(pm_reml - ref['REML'][:, 0]).max():.2e}")

    # ---------------------------------------------------------------- metafor
    recorded = json.loads((args.workload.parent / "metafor_timings.json").read_text(encoding="utf-8"))
    rec = {r["label"]: r for r in recorded["runs"]}
    metafor_s: dict[str, float] = {
        "REML": rec["metafor rma REML (default control)"]["median_s"],
        "DL": rec["metafor rma DL"]["median_s"],
    }
    source = "recorded (metafor_timings.json, median of 3 on a 2-core machine)"
    if args.metafor == "auto":
        status = ensure_rscript()
        if status is None:
            print("metafor could not be run: using the recorded metafor timings")
        else:
            n = min(args.metafor_n, m)
            live = {}
            for method in ("REML", "DL"):
                try:
                    secs, failed, est, tau2 = metafor_loop(args.workload, method, n, tight=False)
                except (subprocess.CalledProcessError, OSError, ValueError) as exc:
                    print(f"metafor {method} loop failed ({exc}); using the recorded timings")
                    live = {}
                    break
                live[method] = secs * m / n
                fit = ours[method][2]
                diff = np.nanmax(np.abs(fit.tau2[:n] - tau2))  # type: ignore[attr-defined]
                print(f"metafor {method:4s} loop on {n} analyses: {secs:.2f} s ({failed} failed fits); "
                      f"max |tau2 ours - metafor default| = {diff:.2e}")
            if live:
                metafor_s = live
                source = f"live ({status}), {n} analyses" + (" scaled to the workload" if n < m else "")
            if args.metafor_tight and live:
                n_t = min(args.metafor_n, m)
                _, failed, est, tau2 = metafor_loop(args.workload, "REML", n_t, tight=True)
                fit = ours["REML"][2]
                print(f"agreement REML vs metafor tight ({n_t} analyses, {failed} failed): "
                      f"max |tau2| diff {np.nanmax(np.abs(fit.tau2[:n_t] - tau2)):.2e}, "  # type: ignore[attr-defined]
                      f"max |b| diff {np.nanmax(np.abs(fit.b[:n_t] - est)):.2e}")  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- ratios (last)
    print()
    print(f"metafor timings: {source}")
    for method in ("REML", "DL"):
        t_ours = ours[method][0]
        print(f"{method:4s}: ldn_atlas {t_ours * 1e3:.2f} ms | {metafor_s[method] / t_ours:8.0f}x metafor loop "
              f"({metafor_s[method]:.2f} s) | {pym[method][0] / t_ours:5.2f}x PyMARE batched "
              f"({pym[method][0] * 1e3:.2f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
