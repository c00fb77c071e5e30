# Edge cases for metafor's diagnostics (fsn, ranktest, regtest, trimfill, leave1out, influence),
# computed with metafor (Debian r-cran-metafor 3.8-1).
# Regenerate: Rscript tests/data/metafor_edge/gen_diagnostics_edge.R tests/data/metafor_edge/diagnostics_edge.json
# All data below are simulated for the arithmetic (k = 2 and 3, tau^2 = 0, extreme heterogeneity,
# missing values, ties, a moderator, sample sizes); they describe no real study.
suppressMessages(library(metafor)); library(jsonlite)
outfile <- commandArgs(trailingOnly=TRUE)[1]
ctrl <- list(threshold=1e-12, tol=1e-12, maxiter=10000)
r6 <- function(x) round(x, 6)

set.seed(20261124)
data <- list()
# asymmetric funnel: small studies show larger effects
k <- 14; vi <- r6(runif(k, 0.005, 0.25)); ni <- round(4 / vi)
yi <- r6(0.2 + 1.2 * sqrt(vi) + rnorm(k, 0, sqrt(vi + 0.02)))
data$asym <- list(yi=yi, vi=vi, ni=ni, x=r6(runif(k, 0, 10)))
# homogeneous: tau^2 = 0 for every estimator
k <- 8; vi <- r6(runif(k, 0.02, 0.1))
data$homog <- list(yi=r6(0.3 + rnorm(k, 0, 0.05)), vi=vi, ni=round(4 / vi), x=r6(runif(k, 0, 1)))
# extreme heterogeneity
k <- 10; vi <- r6(runif(k, 0.001, 0.01))
data$hetero <- list(yi=r6(rnorm(k, 0, 1.5)), vi=vi, ni=round(4 / vi), x=r6(runif(k, 0, 5)))
# missing values in yi and vi
k <- 11; vi <- r6(runif(k, 0.01, 0.2)); yi <- r6(-0.4 + 0.8 * sqrt(vi) + rnorm(k, 0, sqrt(vi + 0.05)))
yi[3] <- NA; vi[8] <- NA
data$missing <- list(yi=yi, vi=vi, ni=round(4 / runif(k, 0.01, 0.2)), x=r6(runif(k, 0, 1)))
# ties (rounded effects and repeated variances)
data$ties <- list(yi=c(0.1, 0.2, 0.2, 0.5, 0.3, 0.1, 0.8, 0.4, 0.2),
                  vi=c(0.04, 0.02, 0.02, 0.08, 0.05, 0.01, 0.1, 0.05, 0.03),
                  ni=c(100, 200, 200, 50, 80, 400, 40, 80, 130), x=c(1, 2, 3, 4, 5, 6, 7, 8, 9))
# small k
data$k2 <- list(yi=c(0.25, 0.61), vi=c(0.04, 0.09), ni=c(100, 45), x=c(0, 1))
data$k3 <- list(yi=c(0.25, 0.61, -0.1), vi=c(0.04, 0.09, 0.02), ni=c(100, 45, 200), x=c(0, 1, 3))
# larger k with a moderator that matters
k <- 30; x <- r6(runif(k, 0, 10)); vi <- r6(runif(k, 0.01, 0.3))
data$mods <- list(yi=r6(0.1 + 0.05 * x + 0.6 * sqrt(vi) + rnorm(k, 0, sqrt(vi + 0.03))), vi=vi,
                  ni=round(4 / vi), x=x)

out <- list()
rec <- function(id, fun, dataset, fit, args, res, warn) {
  out[[length(out) + 1]] <<- list(id=id, "function"=fun, dataset=dataset, fit=fit, args=args, output=res,
                                  warnings=warn)
}
run <- function(expr) {
  w <- character(0)
  r <- withCallingHandlers(tryCatch(expr, error=function(e) list(error=conditionMessage(e))),
                           warning=function(wn) { w <<- c(w, conditionMessage(wn)); invokeRestart("muffleWarning") })
  list(res=r, warn=w)
}
# where metafor's own refit without study i fails (e.g. Fisher scoring does not converge), record
# the tau^2 that a damped Fisher scoring (stepadj = 0.5) reaches, so the Python side can be checked there
deleted_tau2 <- function(d, method, test, mods=FALSE) {
  dd <- as.data.frame(d); dd <- dd[!is.na(dd$yi) & !is.na(dd$vi), ]
  sapply(seq_len(nrow(dd)), function(i) {
    ok <- tryCatch({ if (mods) rma(yi, vi, mods=~x, data=dd[-i, ], method=method, test=test, control=ctrl)
                     else rma(yi, vi, data=dd[-i, ], method=method, test=test, control=ctrl); TRUE },
                   error=function(e) FALSE)
    if (ok) return(NA)
    r <- tryCatch({ if (mods) rma(yi, vi, mods=~x, data=dd[-i, ], method=method, test=test, control=c(ctrl, stepadj=0.5))
                    else rma(yi, vi, data=dd[-i, ], method=method, test=test, control=c(ctrl, stepadj=0.5)) },
                  error=function(e) NULL)
    if (is.null(r)) NA else r$tau2
  })
}
fitm <- function(d, method, test, mods=FALSE, level=95, weighted=FALSE) {
  dd <- as.data.frame(d)
  if (mods && weighted) rma(yi, vi, mods=~x, weights=ni, data=dd, method=method, test=test, level=level, control=ctrl)
  else if (mods) rma(yi, vi, mods=~x, data=dd, method=method, test=test, level=level, control=ctrl)
  else if (weighted) rma(yi, vi, weights=ni, data=dd, method=method, test=test, level=level, control=ctrl)
  else rma(yi, vi, data=dd, method=method, test=test, level=level, control=ctrl)
}
num <- function(x) if (is.null(x)) NULL else as.numeric(x)

for (dn in names(data)) {
  d <- data[[dn]]
  # fsn
  for (ty in c("Rosenthal", "Orwin", "Rosenberg")) {
    for (al in c(0.05, 0.1)) {
      r <- run({ f <- fsn(d$yi, d$vi, type=ty, alpha=al); list(fsnum=f$fsnum, alpha=f$alpha, pval=num(f$pval),
                 meanes=num(f$meanes), target=num(f$target)) })
      rec(paste("fsn", ty, al), "fsn", dn, NULL, list(type=ty, alpha=al), r$res, r$warn)
    }
  }
  r <- run({ f <- fsn(d$yi, d$vi, type="Orwin", target=0.1); list(fsnum=f$fsnum, alpha=f$alpha,
             pval=num(f$pval), meanes=num(f$meanes), target=num(f$target)) })
  rec("fsn Orwin target", "fsn", dn, NULL, list(type="Orwin", alpha=0.05, target=0.1), r$res, r$warn)
  # ranktest
  r <- run({ f <- ranktest(fitm(d, "REML", "z")); list(tau=num(f$tau), pval=num(f$pval)) })
  rec("ranktest", "ranktest", dn, list(method="REML", test="z"), list(), r$res, r$warn)
  for (method in c("REML", "DL", "EE", "PM")) for (test in c("z", "knha")) {
    fit <- list(method=method, test=test)
    # regtest
    preds <- if (method == "REML" && test == "z") c("sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv") else "sei"
    for (model in c("rma", "lm")) for (pr in preds) {
      r <- run({ f <- regtest(fitm(d, method, test), model=model, predictor=pr, ni=d$ni)
                 cf <- coef(summary(f$fit))
                 list(zval=num(f$zval), pval=num(f$pval), dfs=num(f$dfs), est=num(f$est), ci.lb=num(f$ci.lb),
                      ci.ub=num(f$ci.ub), fit=list(estimate=num(cf[, 1]), se=num(cf[, 2]),
                      tau2=if (model == "rma") num(f$fit$tau2) else NULL)) })
      rec(paste("regtest", model, pr, method, test), "regtest", dn, fit, list(model=model, predictor=pr),
          r$res, r$warn)
    }
    if (dn %in% c("mods", "asym", "hetero")) {
      r <- run({ f <- regtest(fitm(d, method, test, mods=TRUE), model="rma")
                 list(zval=num(f$zval), pval=num(f$pval), dfs=num(f$dfs)) })
      rec(paste("regtest mods", method, test), "regtest", dn, c(fit, list(mods="x")), list(model="rma",
          predictor="sei"), r$res, r$warn)
      r <- run({ f <- regtest(fitm(d, method, test, mods=TRUE), model="lm")
                 list(zval=num(f$zval), pval=num(f$pval), dfs=num(f$dfs)) })
      rec(paste("regtest mods lm", method, test), "regtest", dn, c(fit, list(mods="x")), list(model="lm",
          predictor="sei"), r$res, r$warn)
    }
    # trimfill
    for (est in c("L0", "R0", "Q0")) for (side in list(NULL, "left", "right")) {
      r <- run({ f <- if (is.null(side)) trimfill(fitm(d, method, test), estimator=est, control=ctrl)
                      else trimfill(fitm(d, method, test), estimator=est, side=side, control=ctrl)
                 list(k0=f$k0, side=f$side, se.k0=num(f$se.k0), p.k0=num(f$p.k0), estimate=num(f$beta),
                      se=num(f$se), zval=num(f$zval), pval=num(f$pval), ci.lb=num(f$ci.lb), ci.ub=num(f$ci.ub),
                      tau2=num(f$tau2), QE=num(f$QE), QEp=num(f$QEp), I2=num(f$I2), H2=num(f$H2), k=f$k,
                      filled_yi=num(f$yi.f[f$fill]), filled_vi=num(f$vi.f[f$fill])) })
      rec(paste("trimfill", est, if (is.null(side)) "auto" else side, method, test), "trimfill", dn, fit,
          list(estimator=est, side=side), r$res, r$warn)
    }
    # leave1out
    r <- run({ f <- leave1out(fitm(d, method, test))
               list(estimate=num(f$estimate), se=num(f$se), zval=num(if (is.null(f$zval)) f$tval else f$zval),
                    pval=num(f$pval), ci.lb=num(f$ci.lb), ci.ub=num(f$ci.ub), Q=num(f$Q), Qp=num(f$Qp),
                    tau2=num(f$tau2), I2=num(f$I2), H2=num(f$H2)) })
    if (is.null(r$res$error) && any(is.na(r$res$estimate))) r$res$tau2_stepadj <- deleted_tau2(d, method, test)
    rec(paste("leave1out", method, test), "leave1out", dn, fit, list(), r$res, r$warn)
    # influence (intercept-only and with the moderator)
    for (mods in c(FALSE, TRUE)) {
      if (mods && !(dn %in% c("mods", "asym", "hetero", "homog"))) next
      r <- run({ m <- fitm(d, method, test, mods=mods); f <- influence(m)
                 list(rstudent=num(f$inf$rstudent), dffits=num(f$inf$dffits), cook.d=num(f$inf$cook.d),
                      cov.r=num(f$inf$cov.r), tau2.del=num(f$inf$tau2.del), QE.del=num(f$inf$QE.del),
                      hat=num(f$inf$hat), weight=num(f$inf$weight),
                      dfbs=lapply(unclass(f$dfbs)[seq_len(m$p)], num),
                      is_influential=as.logical(f$is.infl)) })
      if (is.null(r$res$error) && any(is.na(r$res$rstudent))) r$res$tau2_stepadj <- deleted_tau2(d, method, test, mods)
      rec(paste("influence", if (mods) "mods" else "int", method, test), "influence", dn,
          if (mods) c(fit, list(mods="x")) else fit, list(), r$res, r$warn)
    }
  }
}

# the other estimators, another level, and user weights: fewer calls each
tf_out <- function(f) list(k0=f$k0, side=f$side, se.k0=num(f$se.k0), p.k0=num(f$p.k0), estimate=num(f$beta),
  se=num(f$se), zval=num(f$zval), pval=num(f$pval), ci.lb=num(f$ci.lb), ci.ub=num(f$ci.ub), tau2=num(f$tau2),
  QE=num(f$QE), QEp=num(f$QEp), I2=num(f$I2), H2=num(f$H2), k=f$k, filled_yi=num(f$yi.f[f$fill]),
  filled_vi=num(f$vi.f[f$fill]))
l1_out <- function(f) list(estimate=num(f$estimate), se=num(f$se), zval=num(if (is.null(f$zval)) f$tval else f$zval),
  pval=num(f$pval), ci.lb=num(f$ci.lb), ci.ub=num(f$ci.ub), Q=num(f$Q), Qp=num(f$Qp), tau2=num(f$tau2),
  I2=num(f$I2), H2=num(f$H2))
inf_out <- function(m) { f <- influence(m)
  list(rstudent=num(f$inf$rstudent), dffits=num(f$inf$dffits), cook.d=num(f$inf$cook.d), cov.r=num(f$inf$cov.r),
       tau2.del=num(f$inf$tau2.del), QE.del=num(f$inf$QE.del), hat=num(f$inf$hat), weight=num(f$inf$weight),
       dfbs=lapply(unclass(f$dfbs)[seq_len(m$p)], num), is_influential=as.logical(f$is.infl)) }
rt_out <- function(f) { cf <- coef(summary(f$fit))
  list(zval=num(f$zval), pval=num(f$pval), dfs=num(f$dfs), est=num(f$est), ci.lb=num(f$ci.lb), ci.ub=num(f$ci.ub),
       fit=list(estimate=num(cf[, 1]), se=num(cf[, 2]), tau2=if (f$model == "rma") num(f$fit$tau2) else NULL)) }
for (dn in names(data)) {
  d <- data[[dn]]
  variants <- c(lapply(c("ML", "HE", "HS", "HSk", "SJ", "EB", "PMM"), function(m) list(method=m, test="z")),
                list(list(method="REML", test="z", level=90), list(method="DL", test="knha", level=80),
                     list(method="REML", test="z", weights="ni"), list(method="EE", test="z", weights="ni")))
  for (v in variants) {
    lev <- if (is.null(v$level)) 95 else v$level
    wtd <- !is.null(v$weights)
    tag <- paste(v$method, v$test, if (!is.null(v$level)) paste0("level", lev) else "", if (wtd) "weights" else "")
    r <- run(l1_out(leave1out(fitm(d, v$method, v$test, level=lev, weighted=wtd))))
    if (is.null(r$res$error) && any(is.na(r$res$estimate))) r$res$tau2_stepadj <- deleted_tau2(d, v$method, v$test)
    rec(paste("leave1out", tag), "leave1out", dn, v, list(), r$res, r$warn)
    r <- run(inf_out(fitm(d, v$method, v$test, level=lev, weighted=wtd)))
    if (is.null(r$res$error) && any(is.na(r$res$rstudent))) r$res$tau2_stepadj <- deleted_tau2(d, v$method, v$test)
    rec(paste("influence", tag), "influence", dn, v, list(), r$res, r$warn)
    for (model in c("rma", "lm")) {
      r <- run(rt_out(regtest(fitm(d, v$method, v$test, level=lev, weighted=wtd), model=model)))
      rec(paste("regtest", model, tag), "regtest", dn, v, list(model=model, predictor="sei"), r$res, r$warn)
    }
    for (est in c("L0", "R0", "Q0")) {
      r <- run(tf_out(trimfill(fitm(d, v$method, v$test, level=lev, weighted=wtd), estimator=est, control=ctrl)))
      rec(paste("trimfill", est, tag), "trimfill", dn, v, list(estimator=est, side=NULL), r$res, r$warn)
    }
  }
}

res <- list(generated_with=list(R=R.version.string, metafor=as.character(packageVersion("metafor"))),
            control=ctrl, data=data, cases=out)
writeLines(toJSON(res, auto_unbox=TRUE, digits=NA, null="null", na="null"), outfile)
cat(length(out), "cases\n")
