# Edge cases for rma.uni / confint / predict, computed with metafor (run from this folder):
#   Rscript gen_rma_edge.R > rma_edge.json
# Synthetic data (made-up numbers, no studies): k = 2 and 3, tau^2 = 0, extreme heterogeneity,
# tau^2 far above 100, missing values, moderators (numeric and factor), knha, level = 90.
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
cictrl <- list(tol = 1e-12, maxiter = 10000)
data <- list(
  k2      = list(yi = c(0.2, 0.9), vi = c(0.04, 0.09)),
  k3      = list(yi = c(-0.1, 0.3, 0.25), vi = c(0.02, 0.05, 0.03)),
  homog   = list(yi = c(0.30, 0.31, 0.29, 0.305, 0.30), vi = c(0.05, 0.04, 0.06, 0.05, 0.05)),
  extreme = list(yi = c(-2, 1.5, 3, -1, 0.5, 4), vi = c(0.01, 0.02, 0.015, 0.01, 0.03, 0.02)),
  bigtau  = list(yi = c(-20, 15, 30, -25, 5, 40, 12), vi = c(1, 2, 1, 3, 2, 1, 4)),
  missing = list(yi = c(0.1, NA, 0.5, 0.35, 0.8, 0.2, -0.1, 0.6), vi = c(0.05, 0.04, NA, 0.03, 0.06, 0.05, 0.02, 0.07),
                 x = c(1, 2, 3, NA, 5, 6, 7, 8)),
  mods    = list(yi = c(0.1, 0.3, 0.5, 0.35, 0.8, 0.2, -0.1, 0.6, 0.9, 0.45),
                 vi = c(0.05, 0.04, 0.06, 0.03, 0.06, 0.05, 0.02, 0.07, 0.04, 0.05),
                 x = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), g = c("a", "b", "c", "a", "b", "c", "a", "b", "c", "a")),
  ratio   = list(yi = c(0.5, 0.45, 0.8, 0.1, 0.3), vi = c(1e-4, 0.5, 2, 0.01, 1e-3)),
  # random draws for which metafor's ML ll0check sets tau^2 = 0 ("stuck at a local maximum")
  ll0a    = list(yi = c(-0.54991432893213876, 0.76710643358284725, -0.91924994850491348, 3.2428626626946921),
                 vi = c(0.023856291142056035, 0.71144284710356298, 3.7926769678020582, 2.6497255507726871)),
  ll0b    = list(yi = c(-5.193457924439798, -0.059865244757522036, 0.85721418599324151, 4.338379757525594,
                        -1.3702221072600986),
                 vi = c(3.3928189130651432, 0.061446011758927506, 0.98033984692170351, 3.8474966875572116,
                        1.3472466036797655)),
  ll0c    = list(yi = c(0.82714891876207775, 0.30496016373337503, -2.6155007657998159),
                 vi = c(0.18978690457006106, 0.044184429900681728, 1.1878232752265578))
)
methods <- c("EE", "DL", "HE", "HS", "HSk", "SJ", "ML", "REML", "EB", "PM", "PMM")
g <- function(expr) tryCatch(expr, error = function(e) structure(list(msg = conditionMessage(e)), class = "err"))
cases <- list()
add <- function(x) cases[[length(cases) + 1]] <<- x
for (ds in names(data)) {
  d <- as.data.frame(data[[ds]])
  modsets <- list(none = NULL)
  if ("x" %in% names(d)) modsets$x <- ~ x
  if ("g" %in% names(d)) modsets$g <- ~ factor(g)
  for (mn in names(modsets)) for (method in methods) for (test in c("z", "knha")) for (level in c(95, 90)) {
    if (level == 90 && test == "knha") next
    w <- character(0)
    args <- list(yi = d$yi, vi = d$vi, method = method, test = test, level = level, control = ctrl)
    if (mn == "x") args$mods <- ~ x
    if (mn == "g") args$mods <- ~ factor(g)
    args$data <- d
    fit <- withCallingHandlers(g(do.call(rma, args)),
                               warning = function(wn) { w <<- c(w, conditionMessage(wn)); invokeRestart("muffleWarning") })
    case <- list(dataset = ds, mods = mn, method = method, test = test, level = level, warnings = w)
    if (inherits(fit, "err")) { case$output <- list(error = fit$msg); add(case); next }
    out <- list(estimate = c(fit$beta), se = fit$se, zval = fit$zval, pval = fit$pval, ci.lb = fit$ci.lb,
                ci.ub = fit$ci.ub, tau2 = fit$tau2, se.tau2 = fit$se.tau2, I2 = fit$I2, H2 = fit$H2, QE = fit$QE,
                QEp = fit$QEp, k = fit$k, p = fit$p, dfs = if (is.na(fit$ddf)) NULL else fit$ddf,
                QM = fit$QM, QMp = fit$QMp, ll_ML = fit$fit.stats["ll", "ML"], ll_REML = fit$fit.stats["ll", "REML"])
    if (!is.null(fit$R2)) out$R2 <- fit$R2
    if (mn == "none") {
      pr <- predict(fit)
      out$predict <- list(pred = pr$pred, se = pr$se, ci.lb = pr$ci.lb, ci.ub = pr$ci.ub,
                          pi.lb = if (is.null(pr$pi.lb)) NA else pr$pi.lb, pi.ub = if (is.null(pr$pi.ub)) NA else pr$pi.ub)
      pe <- predict(fit, transf = exp)
      out$predict_exp <- list(pred = pe$pred, ci.lb = pe$ci.lb, ci.ub = pe$ci.ub,
                              pi.lb = if (is.null(pe$pi.lb)) NA else pe$pi.lb, pi.ub = if (is.null(pe$pi.ub)) NA else pe$pi.ub)
    }
    if (mn == "x") {
      pn <- predict(fit, newmods = c(2.5, 7))
      out$predict_newmods <- list(newmods = c(2.5, 7), pred = pn$pred, se = pn$se, ci.lb = pn$ci.lb, ci.ub = pn$ci.ub,
                                  pi.lb = if (is.null(pn$pi.lb)) c(NA, NA) else pn$pi.lb,
                                  pi.ub = if (is.null(pn$pi.ub)) c(NA, NA) else pn$pi.ub)
    }
    {
      if (method != "EE" && level == 95 && test == "z") {
        ci <- g(confint(fit, control = cictrl))
        if (!inherits(ci, "err")) {
          r <- ci$random
          out$confint <- list(tau2 = unname(r[1, ]), tau = unname(r[2, ]), I2 = unname(r[3, ]), H2 = unname(r[4, ]))
        }
      }
    }
    case$output <- out
    add(case)
  }
}
# user weights (metafor's weights argument) and test = "t"
d <- as.data.frame(data$mods)
d$wt <- c(3, 1, 2, 5, 1, 4, 2, 2, 1, 3)
for (mn in c("none", "x")) for (method in c("EE", "DL", "REML", "PM")) for (test in c("z", "knha", "t")) {
  args <- list(yi = d$yi, vi = d$vi, weights = d$wt, method = method, test = test, control = ctrl, data = d)
  if (mn == "x") args$mods <- ~ x
  w <- character(0)
  fit <- withCallingHandlers(g(do.call(rma, args)),
                             warning = function(wn) { w <<- c(w, conditionMessage(wn)); invokeRestart("muffleWarning") })
  case <- list(dataset = "mods", mods = mn, method = method, test = test, level = 95, weights = "wt", warnings = w)
  if (inherits(fit, "err")) { case$output <- list(error = fit$msg); add(case); next }
  case$output <- list(estimate = c(fit$beta), se = fit$se, zval = fit$zval, pval = fit$pval, ci.lb = fit$ci.lb,
                      ci.ub = fit$ci.ub, tau2 = fit$tau2, se.tau2 = fit$se.tau2, I2 = fit$I2, H2 = fit$H2,
                      QE = fit$QE, QEp = fit$QEp, k = fit$k, p = fit$p, dfs = if (is.na(fit$ddf)) NULL else fit$ddf,
                      QM = fit$QM, QMp = fit$QMp, ll_ML = fit$fit.stats["ll", "ML"], ll_REML = fit$fit.stats["ll", "REML"])
  if (!is.null(fit$R2)) case$output$R2 <- fit$R2
  add(case)
}
data$mods$wt <- d$wt
cat(toJSON(list(generated_with = list(R = R.version.string, metafor = as.character(packageVersion("metafor"))),
                control = "threshold=1e-12, tol=1e-12, maxiter=10000; confint tol=1e-12",
                data = data, cases = cases), auto_unbox = TRUE, digits = NA, na = "null", null = "null"))
