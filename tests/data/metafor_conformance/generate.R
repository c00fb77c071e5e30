# Independent conformance cases for the model-fitting side of ldn_atlas.stats, computed with
# metafor (Debian r-cran-metafor 3.8-1, r-cran-metadat 1.2-0, r-cran-jsonlite).
#
# Regenerate (from the repository root; R is NOT needed to run the tests):
#   Rscript tests/data/metafor_conformance/generate.R tests/data/metafor_conformance
#
# Writes one JSON file per dataset in the format of ../shared/reference/metafor (see its README):
# top-level fields format_version, dataset_id, metadat_name, title, source, description, subset,
# edge_cases, generated_with, preamble, data {k, labels, columns}, cases [{id, function, call, args,
# input, output, warnings, notes}].  Two extensions, both used only where metafor itself stops:
#   * output {"error": "<metafor's message>"} when the metafor call fails (the Python side must
#     raise ValueError too);
#   * confint cases may carry args.model.mods / args.model.test / args.level (meta-regressions,
#     other levels).
# The datasets are metadat datasets that are NOT in the public set, subsets of them, and synthetic
# edge cases (made-up numbers for the arithmetic only; they describe no study).
# Inputs are rounded to 15 significant digits before any computation, as in the public set.

suppressPackageStartupMessages({ library(metafor); library(metadat); library(jsonlite) })
args_cl <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args_cl)) args_cl[1] else "."
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
cictrl <- list(tol = 1e-12, maxiter = 10000)
ALL_METHODS <- c("EE", "FE", "DL", "HE", "HS", "HSk", "SJ", "ML", "REML", "EB", "PM", "PMM")
ITER <- c("ML", "REML", "EB", "PM", "PMM")
s15 <- function(x) if (is.numeric(x)) signif(x, 15) else x
num <- function(x) if (is.null(x)) NULL else unname(as.numeric(x))
arr <- function(x) I(unname(as.numeric(x)))            # always a JSON array, even of length 0 or 1
na1 <- function(x) if (is.null(x) || length(x) == 0) NA else unname(x)

run <- function(expr) {
  w <- character(0)
  r <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(list(msg = conditionMessage(e)), class = "err")),
    warning = function(wn) { w <<- c(w, conditionMessage(wn)); invokeRestart("muffleWarning") })
  list(res = r, warn = unique(w))
}
is_err <- function(x) inherits(x, "err")

rd_db <- tools::Rd_db("metadat")
rd_field <- function(name, field) {
  rd <- rd_db[[paste0(name, ".Rd")]]
  if (is.null(rd)) return(NULL)
  txt <- tools:::.Rd_get_metadata(rd, field)
  if (!length(txt)) return(NULL)
  txt <- paste(trimws(txt), collapse = " ")
  txt <- gsub("\\\\(emph|doi|href|code|bold|sQuote|dQuote)\\{([^}]*)\\}", "\\2", txt)
  gsub("\\s+", " ", trimws(txt))
}

# --------------------------------------------------------------------------- dataset object
DS <- NULL
new_ds <- function(id, metadat_name, dat, labels, description, edge_cases = character(0), subset = NULL,
                   title = NULL, source = NULL) {
  dat <- as.data.frame(lapply(dat, s15), stringsAsFactors = FALSE, check.names = FALSE)
  if (!is.null(metadat_name)) {
    title <- rd_field(metadat_name, "title")
    source <- rd_field(metadat_name, "source")
  }
  DS <<- list(format_version = 1, dataset_id = id, metadat_name = metadat_name, title = title,
              source = source, description = description, subset = subset, edge_cases = I(edge_cases),
              generated_with = list(R = paste(R.version$major, R.version$minor, sep = "."),
                                    metafor = as.character(packageVersion("metafor")),
                                    metadat = as.character(packageVersion("metadat")),
                                    jsonlite = as.character(packageVersion("jsonlite")),
                                    script = "tests/data/metafor_conformance/generate.R",
                                    number_format = "15 significant digits"),
              preamble = I(c(sprintf("ctrl <- list(threshold=%s, tol=1e-12, maxiter=10000)", format(ctrl$threshold)),
                             "cictrl <- list(tol=1e-12, maxiter=10000)")),
              data = list(k = nrow(dat), labels = I(as.character(labels)), columns = as.list(dat)),
              cases = list())
  assign("dat", dat, envir = .GlobalEnv)
  invisible(dat)
}
add_case <- function(id, fun, call, args, input, output, warnings = character(0), notes = NULL) {
  if (any(vapply(DS$cases, function(c) c$id == id, logical(1)))) stop("duplicate case id ", id)
  case <- list(id = id, "function" = fun, call = call, args = args, input = input, output = output,
               warnings = I(warnings))
  if (!is.null(notes)) case$notes <- notes
  DS$cases[[length(DS$cases) + 1]] <<- case
}
write_ds <- function() {
  f <- file.path(outdir, paste0(DS$dataset_id, ".json"))
  writeLines(toJSON(DS, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = FALSE), f)
  n <- table(vapply(DS$cases, function(c) c[["function"]], ""))
  message(sprintf("%-40s k=%3d cases=%4d  %s", DS$dataset_id, DS$data$k, length(DS$cases),
                  paste(names(n), n, sep = ":", collapse = " ")))
}

# --------------------------------------------------------------------------- case writers
# An "effect" is a data frame `df` (the dataset's columns plus yi, vi), the `input` JSON, a tag used
# in case ids, and the R expression naming the data in calls.
make_escalc <- function(tag, measure, cols, extra = list(), note = NULL) {
  # cols: named list escalc-argument -> column name
  call_args <- c(list(measure = measure), lapply(cols, as.name), extra, list(data = quote(dat)))
  r <- run(do.call(escalc, call_args))
  es <- r$res
  defaults <- list(add = if (measure %in% c("PAS", "PFT", "AS")) 0 else 1/2, to = "only0", drop00 = FALSE,
                   vtype = "LS")
  a <- c(list(measure = measure), cols, modifyList(defaults, extra))
  callstr <- paste0("escalc(measure=\"", measure, "\", ",
                    paste(names(cols), unlist(cols), sep = "=", collapse = ", "),
                    if (length(extra)) paste0(", ", paste(names(extra), sapply(extra, deparse), sep = "=", collapse = ", ")) else "",
                    ", data=dat)")
  add_case(paste0("escalc_", tag), "escalc", callstr, a, list(columns = I(unname(unlist(cols)))),
           list(yi = arr(es$yi), vi = arr(es$vi)), r$warn, note)
  # the models use the escalc output rounded to 15 significant digits, i.e. exactly the numbers in
  # the file (otherwise values that differ in the 16th digit, e.g. 10.2 - 13.2 and 5 - 8, are
  # ties in the file but not in R, and trimfill's order of tied studies differs)
  df <- dat; df$yi <- signif(as.numeric(es$yi), 15); df$vi <- signif(as.numeric(es$vi), 15)
  list(df = df, input = list(escalc_case = paste0("escalc_", tag)), tag = tag, dname = paste0("es_", tag))
}
given_yivi <- function(tag, yi = "yi", vi = "vi") {
  df <- dat; df$yi <- dat[[yi]]; df$vi <- dat[[vi]]
  list(df = df, input = list(yi = yi, vi = vi), tag = tag, dname = "dat", ycol = yi, vcol = vi)
}
yv <- function(e) if (is.null(e$ycol)) "yi=yi, vi=vi" else paste0("yi=", e$ycol, ", vi=", e$vcol)

fit_rma <- function(e, method, test = "z", level = 95, mods = NULL, control = ctrl) {
  a <- list(yi = quote(yi), vi = quote(vi), data = e$df, method = method, test = test, level = level,
            control = control)
  if (!is.null(mods)) a$mods <- as.formula(mods)
  do.call(rma, a)
}
rma_output <- function(fit) {
  int_only <- fit$int.only
  sc <- function(x) if (int_only) unname(as.numeric(x)) else arr(x)
  out <- list(estimate = sc(fit$beta), se = sc(fit$se), zval = sc(fit$zval), pval = sc(fit$pval),
              ci.lb = sc(fit$ci.lb), ci.ub = sc(fit$ci.ub), tau2 = fit$tau2, se.tau2 = na1(fit$se.tau2),
              I2 = na1(fit$I2), H2 = na1(fit$H2), QE = fit$QE, QEp = fit$QEp, k = fit$k, p = fit$p,
              dfs = if (fit$test == "z") NULL else unname(fit$ddf[1]),
              ll_ML = unname(fit$fit.stats["ll", "ML"]), ll_REML = unname(fit$fit.stats["ll", "REML"]))
  if (int_only) {
    pr <- predict(fit)
    out$predict <- list(pred = pr$pred, se = pr$se, ci.lb = pr$ci.lb, ci.ub = pr$ci.ub,
                        pi.lb = na1(pr$pi.lb), pi.ub = na1(pr$pi.ub))
  } else {
    out$coef_names <- I(rownames(fit$beta))
    out$QM <- fit$QM; out$QMp <- fit$QMp
    out$QMdf <- I(if (fit$test == "z") c(fit$QMdf[1], NA) else fit$QMdf)
    out$R2 <- na1(fit$R2)
  }
  out
}
mods_tag <- function(mods) gsub("[^A-Za-z0-9]", "", gsub("~", "mods_", mods))
rma_call <- function(e, method, test, level, mods, ctrlname = "ctrl") {
  paste0("rma(", yv(e), ", ", if (!is.null(mods)) paste0("mods=", mods, ", ") else "", "data=", e$dname,
         ", method=\"", method, "\", test=\"", test, "\"", if (level != 95) paste0(", level=", level) else "",
         ", control=", ctrlname, ")")
}

case_rma <- function(e, method, test = "z", level = 95, mods = NULL, notes = NULL) {
  id <- paste0("rma_", e$tag, if (!is.null(mods)) paste0("_", mods_tag(mods)) else "", "_", method, "_", test,
               if (level != 95) paste0("_level", level) else "")
  r <- run(fit_rma(e, method, test, level, mods))
  args <- list(method = method, test = test, level = level, control = "ctrl")
  if (!is.null(mods)) args$mods <- mods
  if (is_err(r$res)) {
    add_case(id, "rma.uni", rma_call(e, method, test, level, mods), args, e$input, list(error = r$res$msg),
             r$warn, notes)
    return(invisible(NULL))
  }
  out <- rma_output(r$res)
  if (method %in% ITER) {
    d <- run(fit_rma(e, method, test, level, mods, control = list()))
    if (!is_err(d$res))
      out$metafor_default_control <- list(tau2 = d$res$tau2, estimate = if (r$res$int.only) c(d$res$beta) else arr(d$res$beta),
                                          se = if (r$res$int.only) c(d$res$se) else arr(d$res$se))
  }
  add_case(id, "rma.uni", rma_call(e, method, test, level, mods), args, e$input, out, r$warn, notes)
}

case_confint <- function(e, method, mods = NULL, level = 95, notes = NULL) {
  id <- paste0("confint_", e$tag, if (!is.null(mods)) paste0("_", mods_tag(mods)) else "", "_", method,
               if (level != 95) paste0("_level", level) else "")
  r <- run({ fit <- fit_rma(e, method, "z", 95, mods); confint(fit, level = level, control = cictrl) })
  model <- list(method = method)
  if (!is.null(mods)) model$mods <- mods
  call <- paste0("confint(", rma_call(e, method, "z", 95, mods), if (level != 95) paste0(", level=", level) else "",
                 ", control=cictrl)")
  a <- list(type = "QP", level = level, model = model)
  if (is_err(r$res)) { add_case(id, "confint.rma.uni", call, a, e$input, list(error = r$res$msg), r$warn, notes); return() }
  rr <- r$res$random
  row <- function(i) list(estimate = unname(rr[i, 1]), ci.lb = unname(rr[i, 2]), ci.ub = unname(rr[i, 3]))
  out <- list(tau2 = row(1), tau = row(2), I2 = row(3), H2 = row(4))
  add_case(id, "confint.rma.uni", call, a, e$input, out, r$warn, notes)
}

case_predict <- function(e, method, transf_name, targs_col = NULL, test = "z", level = 95) {
  id <- paste0("predict_", e$tag, "_", method, "_", test, if (level != 95) paste0("_level", level) else "")
  tf <- eval(parse(text = transf_name))
  r <- run({
    fit <- fit_rma(e, method, test, level)
    pr <- if (is.null(targs_col)) predict(fit, transf = tf) else predict(fit, transf = tf, targs = list(ni = dat[[targs_col]]))
    list(fit = fit, pr = pr)
  })
  a <- list(model = list(method = method, test = test, level = level), transf = transf_name,
            targs = if (is.null(targs_col)) NULL else paste0("list(ni=dat$", targs_col, ")"))
  call <- paste0("predict(", rma_call(e, method, test, level, NULL), ", transf=", transf_name,
                 if (!is.null(targs_col)) paste0(", targs=list(ni=dat$", targs_col, ")") else "", ")")
  pr <- r$res$pr; fit <- r$res$fit
  out <- list(pred = pr$pred, ci.lb = pr$ci.lb, ci.ub = pr$ci.ub, pi.lb = na1(pr$pi.lb), pi.ub = na1(pr$pi.ub),
              model = list(estimate = c(fit$beta), se = fit$se, tau2 = fit$tau2))
  add_case(id, "predict.rma", call, a, e$input, out, r$warn)
}

case_regtest <- function(e, model, predictor, method = "REML", ni_col = NULL, mods = NULL) {
  id <- paste0("regtest_", e$tag, if (!is.null(mods)) paste0("_", mods_tag(mods)) else "", "_", method, "_",
               model, "_", predictor)
  r <- run({
    a <- list(yi = quote(yi), vi = quote(vi), data = e$df, method = method, test = "z", control = ctrl)
    if (!is.null(ni_col)) a$ni <- e$df[[ni_col]]
    if (!is.null(mods)) a$mods <- as.formula(mods)
    fit <- do.call(rma, a)
    regtest(fit, model = model, predictor = predictor, ret.fit = TRUE)
  })
  a <- list(model = model, predictor = predictor, fitted_model = list(method = method, test = "z"))
  if (!is.null(ni_col)) a$ni <- ni_col
  if (!is.null(mods)) a$fitted_model$mods <- mods
  call <- paste0("regtest(rma(", yv(e), if (!is.null(ni_col)) paste0(", ni=", ni_col) else "",
                 if (!is.null(mods)) paste0(", mods=", mods) else "", ", data=", e$dname, ", method=\"", method,
                 "\", test=\"z\", control=ctrl), model=\"", model, "\", predictor=\"", predictor, "\")")
  if (is_err(r$res)) { add_case(id, "regtest", call, a, e$input, list(error = r$res$msg), r$warn); return() }
  rt <- r$res
  f <- rt$fit
  if (model == "lm") {
    cf <- summary(f)$coefficients
    fit <- list(coef_names = I(rownames(cf)), estimate = arr(cf[, 1]), se = arr(cf[, 2]))
  } else {
    fit <- list(coef_names = I(rownames(f$beta)), estimate = arr(f$beta), se = arr(f$se), tau2 = f$tau2)
  }
  out <- list(zval = rt$zval, pval = rt$pval, dfs = if (is.null(rt$dfs) || is.na(rt$dfs)) NULL else rt$dfs,
              est = na1(rt$est), ci.lb = na1(rt$ci.lb), ci.ub = na1(rt$ci.ub), fit = fit)
  add_case(id, "regtest", call, a, e$input, out, r$warn)
}

case_ranktest <- function(e, method = "REML") {
  r <- run(ranktest(fit_rma(e, method)))
  call <- paste0("ranktest(", rma_call(e, method, "z", 95, NULL), ")")
  ties <- any(grepl("ties", r$warn))
  add_case(paste0("ranktest_", e$tag, if (method != "REML") paste0("_", method) else ""), "ranktest", call,
           list(exact = !ties, fitted_model = list(method = method)), e$input,
           if (is_err(r$res)) list(error = r$res$msg) else list(tau = unname(r$res$tau), pval = r$res$pval), r$warn)
}

case_trimfill <- function(e, method = "REML", estimator = "L0", side = NULL) {
  id <- paste0("trimfill_", e$tag, "_", method, "_", estimator, if (!is.null(side)) paste0("_", side) else "")
  r <- run({
    fit <- fit_rma(e, method)
    if (is.null(side)) trimfill(fit, estimator = estimator, control = ctrl)
    else trimfill(fit, estimator = estimator, side = side, control = ctrl)
  })
  call <- paste0("trimfill(", rma_call(e, method, "z", 95, NULL), ", estimator=\"", estimator, "\"",
                 if (!is.null(side)) paste0(", side=\"", side, "\"") else "", ", control=ctrl)")
  a <- list(estimator = estimator, side = side, fitted_model = list(method = method))
  if (is_err(r$res)) { add_case(id, "trimfill", call, a, e$input, list(error = r$res$msg), r$warn); return() }
  tf <- r$res
  filled <- tf$fill          # aligned with yi.f/vi.f (all rows, including those with NAs)
  out <- list(k0 = tf$k0, side = tf$side, se.k0 = na1(tf$se.k0), p.k0 = na1(tf$p.k0), estimate = c(tf$beta),
              se = tf$se, zval = tf$zval, pval = tf$pval, ci.lb = tf$ci.lb, ci.ub = tf$ci.ub, tau2 = tf$tau2,
              QE = tf$QE, QEp = tf$QEp, I2 = na1(tf$I2), H2 = na1(tf$H2), k = tf$k,
              filled_yi = arr(tf$yi.f[filled]), filled_vi = arr(tf$vi.f[filled]))
  add_case(id, "trimfill", call, a, e$input, out, r$warn)
}

case_leave1out <- function(e, method = "REML", test = "z") {
  id <- paste0("leave1out_", e$tag, "_", method, if (test != "z") paste0("_", test) else "")
  r <- run(leave1out(fit_rma(e, method, test)))
  call <- paste0("leave1out(", rma_call(e, method, test, 95, NULL), ")")
  a <- list(fitted_model = list(method = method, test = test))
  if (is_err(r$res)) { add_case(id, "leave1out", call, a, e$input, list(error = r$res$msg), r$warn); return() }
  l <- r$res
  out <- list()
  for (nm in c("estimate", "se", "zval", "pval", "ci.lb", "ci.ub", "Q", "Qp", "tau2", "I2", "H2"))
    if (!is.null(l[[nm]])) out[[nm]] <- arr(l[[nm]])
  add_case(id, "leave1out", call, a, e$input, out, r$warn)
}

case_influence <- function(e, method = "REML", test = "z", mods = NULL) {
  id <- paste0("influence_", e$tag, if (!is.null(mods)) paste0("_", mods_tag(mods)) else "", "_", method,
               if (test != "z") paste0("_", test) else "")
  r <- run(influence(fit_rma(e, method, test, 95, mods)))
  call <- paste0("influence(", rma_call(e, method, test, 95, mods), ")")
  a <- list(fitted_model = list(method = method, test = test))
  if (!is.null(mods)) a$fitted_model$mods <- mods
  if (is_err(r$res)) { add_case(id, "influence", call, a, e$input, list(error = r$res$msg), r$warn); return() }
  inf <- r$res
  out <- list()
  for (nm in c("rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del", "hat", "weight"))
    out[[nm]] <- arr(inf$inf[[nm]])
  for (nm in colnames(inf$dfbs)) out[[paste0("dfbs_", nm)]] <- arr(inf$dfbs[[nm]])
  out$is_influential <- I(as.logical(inf$is.infl))
  add_case(id, "influence", call, a, e$input, out, r$warn,
           notes = "arrays are over the studies used in the fit (rows with missing yi/vi/moderators excluded)")
}

case_fsn <- function(e, type, alpha = 0.05, target = NULL) {
  id <- paste0("fsn_", e$tag, "_", type, if (alpha != 0.05) paste0("_alpha", alpha) else "",
               if (!is.null(target)) paste0("_target", target) else "")
  r <- run({
    if (is.null(target)) fsn(yi, vi, data = e$df, type = type, alpha = alpha)
    else fsn(yi, vi, data = e$df, type = type, alpha = alpha, target = target)
  })
  call <- paste0("fsn(", sub("yi=|vi=", "", yv(e)), ", data=", e$dname, ", type=\"", type, "\"",
                 if (alpha != 0.05) paste0(", alpha=", alpha) else "",
                 if (!is.null(target)) paste0(", target=", target) else "", ")")
  a <- list(type = type, alpha = alpha)
  if (!is.null(target)) a$target <- target
  if (is_err(r$res)) { add_case(id, "fsn", call, a, e$input, list(error = r$res$msg), r$warn); return() }
  f <- r$res
  add_case(id, "fsn", call, a, e$input,
           list(type = f$type, fsnum = f$fsnum, alpha = f$alpha, pval = na1(f$pval), meanes = na1(f$meanes),
                target = na1(f$target)), r$warn)
}

# The standard battery for one effect-size set.
battery <- function(e, mods = list(), transf = NULL, targs_col = NULL, ni_col = NULL, level90 = TRUE,
                    diagnostics = TRUE, knha = TRUE, confint_methods = setdiff(ALL_METHODS, c("EE", "FE"))) {
  for (m in ALL_METHODS) {
    case_rma(e, m, "z")
    if (knha) case_rma(e, m, "knha")
  }
  if (level90) for (m in c("EE", "DL", "REML", "PM")) case_rma(e, m, "z", level = 90)
  if (level90 && knha) case_rma(e, "REML", "knha", level = 90)
  for (m in confint_methods) case_confint(e, m)
  if (level90) case_confint(e, "REML", level = 90)
  for (md in mods) {
    for (m in c("EE", "DL", "HE", "ML", "REML", "PM", "SJ", "EB")) {
      case_rma(e, m, "z", mods = md)
      if (knha) case_rma(e, m, "knha", mods = md)
    }
    case_confint(e, "REML", mods = md)
  }
  if (!is.null(transf)) for (m in c("EE", "DL", "REML", "PM")) case_predict(e, m, transf, targs_col)
  if (!is.null(transf) && knha) case_predict(e, "REML", transf, targs_col, test = "knha")
  if (!diagnostics) return(invisible())
  preds <- if (is.null(ni_col)) c("sei", "vi") else c("sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv")
  for (p in preds) for (mdl in c("rma", "lm")) case_regtest(e, mdl, p, "REML", ni_col)
  case_regtest(e, "rma", "sei", "EE", ni_col)
  case_regtest(e, "rma", "sei", "DL", ni_col)
  if (length(mods)) case_regtest(e, "rma", "sei", "REML", ni_col, mods = mods[[1]])
  case_ranktest(e)
  for (m in c("REML", "EE", "DL")) for (est in c("L0", "R0")) case_trimfill(e, m, est)
  for (s in c("left", "right")) for (est in c("L0", "R0")) case_trimfill(e, "REML", est, s)
  for (m in c("REML", "EE", "DL", "PM")) case_leave1out(e, m)
  if (knha) case_leave1out(e, "REML", "knha")
  for (m in c("REML", "EE", "DL")) case_influence(e, m)
  if (length(mods)) case_influence(e, "REML", mods = mods[[1]])
  for (t in c("Rosenthal", "Orwin", "Rosenberg")) case_fsn(e, t)
  case_fsn(e, "Rosenthal", alpha = 0.1)
  case_fsn(e, "Orwin", target = 0.05)
}

lab <- function(a, y) paste(a, y)
src <- commandArgs()
message("metafor ", packageVersion("metafor"), ", metadat ", packageVersion("metadat"))

# =========================================================================== metadat datasets

# dat.bangertdrowns2004: SMDs given; moderators with NAs (length, wic); 48 studies
d <- dat.bangertdrowns2004
new_ds("dat.bangertdrowns2004", "dat.bangertdrowns2004",
       d[, c("id", "author", "year", "grade", "length", "wic", "feedback", "meta", "ni", "yi", "vi")],
       lab(d$author, d$year),
       "Writing-to-learn interventions (48 studies, standardised mean differences given). All estimators with z and knha, meta-regressions with a continuous moderator that has missing values and a factor with missing values, diagnostics with sample sizes.",
       c("missing values in moderators", "regtest with every predictor (ni given)", "k = 48"))
e <- given_yivi("SMD")
battery(e, mods = list("~ length", "~ factor(wic)", "~ length + factor(meta)"), ni_col = "ni")
write_ds()

# dat.egger2001: OR, 16 trials (magnesium); the classic funnel-asymmetry example
d <- dat.egger2001
new_ds("dat.egger2001", "dat.egger2001", d, lab(d$study, d$year),
       "Intravenous magnesium after myocardial infarction (16 trials, 2x2 tables from n and events). OR with all estimators and knha, funnel asymmetry diagnostics (ISIS-4 dominates the weights).",
       c("one dominant study (ISIS-4)", "funnel asymmetry", "regtest with every predictor"))
d$ni <- d$n1i + d$n2i; dat$ni <- d$ni; DS$data$columns$ni <- d$ni
e <- make_escalc("OR", "OR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"))
battery(e, mods = list("~ year"), transf = "exp", ni_col = "ni")
e <- make_escalc("RR", "RR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"))
for (m in c("EE", "DL", "REML", "PM")) case_rma(e, m)
write_ds()

# dat.egger2001 k = 2 (the README's example subset name) and k = 3
for (kk in 2:3) {
  d <- dat.egger2001[seq_len(kk), ]
  new_ds(paste0("dat.egger2001_k", kk), "dat.egger2001", d, lab(d$study, d$year),
         paste0("First ", kk, " trials of dat.egger2001 (k = ", kk, "): every estimator with z and knha, Q-profile CIs, diagnostics at minimal k."),
         c(paste0("k = ", kk)), subset = I(seq_len(kk)))
  e <- make_escalc("OR", "OR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"))
  battery(e, transf = "exp", mods = if (kk == 3) list("~ year") else list())
  write_ds()
}

# dat.nielweise2007: OR/RR with zero cells (catheter-related infections), 18 trials
d <- dat.nielweise2007
new_ds("dat.nielweise2007", "dat.nielweise2007", d, lab(d$author, d$year),
       "Anti-infective-treated central venous catheters (18 trials). OR and RR from tables with zero cells; all estimators; diagnostics.",
       c("zero cells", "tau2 = 0 for some estimators"))
e <- make_escalc("OR", "OR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"))
battery(e, transf = "exp")
e <- make_escalc("RR", "RR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"))
for (m in ALL_METHODS) case_rma(e, m)
for (m in c("DL", "REML", "PM", "ML")) case_confint(e, m)
write_ds()

# dat.nielweise2008: incidence rates (person-time), 9 trials
d <- dat.nielweise2008
new_ds("dat.nielweise2008", "dat.nielweise2008", d, lab(d$authors, d$year),
       "Catheter-related bloodstream infections per catheter-days (9 trials). IRR and IRLN (back-transformed with exp), IRD.",
       c("incidence rates", "small k"))
e <- make_escalc("IRR", "IRR", list(x1i = "x1i", t1i = "t1i", x2i = "x2i", t2i = "t2i"))
battery(e, transf = "exp")
e <- make_escalc("IRLN", "IRLN", list(xi = "x1i", ti = "t1i"))
for (m in ALL_METHODS) case_rma(e, m)
for (m in c("EE", "DL", "REML", "PM")) case_predict(e, m, "exp")
for (m in c("DL", "REML", "PMM")) case_confint(e, m)
e <- make_escalc("IRD", "IRD", list(x1i = "x1i", t1i = "t1i", x2i = "x2i", t2i = "t2i"))
for (m in ALL_METHODS) case_rma(e, m)
write_ds()

# dat.lee2004: RR/OR, 16 trials (acupoint stimulation)
d <- dat.lee2004
new_ds("dat.lee2004", "dat.lee2004", d, lab(d$study, d$year),
       "Acupoint P6 stimulation for postoperative nausea (16 trials). RR with all estimators, diagnostics.", character(0))
d$ni <- d$n1i + d$n2i; dat$ni <- d$ni; DS$data$columns$ni <- d$ni
e <- make_escalc("RR", "RR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"))
battery(e, transf = "exp", ni_col = "ni", mods = list("~ year"))
write_ds()

# dat.linde2005: RR with moderators (St John's wort), 26 trials
d <- dat.linde2005
new_ds("dat.linde2005", "dat.linde2005",
       d[, c("id", "study", "year", "major", "baseline", "duration", "ai", "n1i", "ci", "n2i")],
       lab(d$study, d$year),
       "St John's wort for depression (26 trials). RR, all estimators; meta-regression with a continuous and a factor moderator; diagnostics.",
       c("extreme heterogeneity", "factor and continuous moderators"))
e <- make_escalc("RR", "RR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"))
battery(e, transf = "exp", mods = list("~ baseline", "~ factor(major)", "~ baseline + factor(major)"))
write_ds()

# dat.mcdaniel1994: correlations (employment interviews), 160 studies; ZCOR with ztor back-transform
d <- dat.mcdaniel1994
new_ds("dat.mcdaniel1994", "dat.mcdaniel1994", d, paste("study", d$study),
       "Validity of employment interviews (160 correlations). ZCOR and COR, all estimators; factor moderators (one with missing values); predict with transf.ztor; diagnostics with ni.",
       c("large k (160)", "missing values in a factor moderator", "predict with transf.ztor"))
e <- make_escalc("ZCOR", "ZCOR", list(ri = "ri", ni = "ni"))
battery(e, transf = "transf.ztor", ni_col = "ni", mods = list("~ factor(type)", "~ factor(struct)", "~ factor(type) + factor(struct)"))
e <- make_escalc("COR", "COR", list(ri = "ri", ni = "ni"))
for (m in ALL_METHODS) case_rma(e, m)
write_ds()

# dat.gibson2002: MD and SMD (self-management education), continuous outcome with missing rows
d <- dat.gibson2002
new_ds("dat.gibson2002", "dat.gibson2002", d, lab(d$author, d$year),
       "Self-management education for asthma (15 trials; continuous outcome reported by some, dichotomous by others). MD and SMD: rows without means are NA and dropped; all estimators.",
       c("missing values (NA rows dropped)", "MD", "SMD"))
e <- make_escalc("MD", "MD", list(m1i = "m1i", sd1i = "sd1i", n1i = "n1i", m2i = "m2i", sd2i = "sd2i", n2i = "n2i"))
battery(e)
e <- make_escalc("SMD", "SMD", list(m1i = "m1i", sd1i = "sd1i", n1i = "n1i", m2i = "m2i", sd2i = "sd2i", n2i = "n2i"))
for (m in ALL_METHODS) { case_rma(e, m); case_rma(e, m, "knha") }
for (m in c("DL", "REML", "PM")) case_confint(e, m)
e <- make_escalc("OR", "OR", list(ai = "ai", bi = "bi", ci = "ci", di = "di"))
for (m in c("EE", "DL", "REML", "PM", "ML")) case_rma(e, m)
write_ds()

# dat.ishak2007: mean differences given, with missing yi/vi (Crohn's disease)
d <- dat.ishak2007
new_ds("dat.ishak2007", "dat.ishak2007", d, d$study,
       "Deep-brain stimulation in Parkinson's disease (46 studies; mean change at 3 months, y1i/v1i, and 12 months, y4i/v4i, with missing values). All estimators, meta-regression on mean disease duration and baseline score, diagnostics.",
       c("missing values in yi and vi", "meta-regression with two continuous moderators"))
e <- given_yivi("y1", "y1i", "v1i")
battery(e, mods = list("~ mdur", "~ mdur + mbase"))
e <- given_yivi("y4", "y4i", "v4i")
for (m in ALL_METHODS) case_rma(e, m)
for (m in c("REML", "DL")) case_leave1out(e, m)
write_ds()

# dat.debruin2009: proportions (PLO, PFT, PAS, PR) with back-transformations
d <- dat.debruin2009
new_ds("dat.debruin2009", "dat.debruin2009", d, lab(d$author, d$year),
       "Standard care quality in smoking cessation trials (13 trials; proportions of quit attempts). PLO, PFT, PAS, PR; predict with transf.ilogit, transf.ipft.hm (targs ni), transf.iarcsin.",
       c("proportions", "predict with transf for PLO/PFT/PAS"))
e <- make_escalc("PLO", "PLO", list(xi = "xi", ni = "ni"))
battery(e, transf = "transf.ilogit", ni_col = "ni", mods = list("~ scq", "~ factor(ethnicity)"))
e <- make_escalc("PFT", "PFT", list(xi = "xi", ni = "ni"))
for (m in ALL_METHODS) case_rma(e, m)
for (m in c("EE", "DL", "REML", "PM")) case_predict(e, m, "transf.ipft.hm", "ni")
case_predict(e, "REML", "transf.ipft.hm", "ni", test = "knha")
e <- make_escalc("PAS", "PAS", list(xi = "xi", ni = "ni"))
for (m in c("EE", "DL", "REML", "PM")) { case_rma(e, m); case_predict(e, m, "transf.iarcsin") }
e <- make_escalc("PR", "PR", list(xi = "xi", ni = "ni"))
for (m in c("EE", "DL", "REML", "PM", "HS", "SJ")) case_rma(e, m)
write_ds()

# dat.pagliaro1992 (treatment = beta-blockers): proportions with zero events, PLO/PLN with exp back-transform
d <- dat.pagliaro1992
new_ds("dat.pagliaro1992", "dat.pagliaro1992", d, paste("study", d$study, d$trt),
       "Prevention of first bleeding in cirrhosis (26 trials, 54 arms; proportions of patients with bleeding). PLO and PLN over all arms, with trt as a factor moderator.",
       c("proportions with xi = 0", "factor moderator", "predict with transf.ilogit and exp"))
e <- make_escalc("PLO", "PLO", list(xi = "xi", ni = "ni"))
battery(e, transf = "transf.ilogit", ni_col = "ni", mods = list("~ factor(trt)"))
e <- make_escalc("PLN", "PLN", list(xi = "xi", ni = "ni"))
for (m in c("EE", "DL", "REML", "PM", "ML", "SJ")) case_rma(e, m)
for (m in c("EE", "DL", "REML", "PM")) case_predict(e, m, "exp")
e <- make_escalc("PFT", "PFT", list(xi = "xi", ni = "ni"))
for (m in c("DL", "REML", "PM")) case_predict(e, m, "transf.ipft.hm", "ni")
write_ds()

# dat.konstantopoulos2011: the full set (56 schools) and one district (k = 4)
d <- dat.konstantopoulos2011
new_ds("dat.konstantopoulos2011", "dat.konstantopoulos2011", d, paste("district", d$district, "school", d$school),
       "Modified school calendars (56 schools; SMDs given). All estimators, meta-regression on year, diagnostics.",
       c("k = 56", "continuous moderator"))
e <- given_yivi("SMD")
battery(e, mods = list("~ year"))
write_ds()
for (dist in c(11, 58)) {
  rows <- which(dat.konstantopoulos2011$district == dist)
  d <- dat.konstantopoulos2011[rows, ]
  new_ds(paste0("dat.konstantopoulos2011_district", dist), "dat.konstantopoulos2011", d,
         paste("district", d$district, "school", d$school),
         paste0("Schools of district ", dist, " only (k = ", nrow(d), "). Small-k behaviour of every estimator and diagnostic."),
         c(paste0("k = ", nrow(d)), "small k"), subset = I(rows))
  e <- given_yivi("SMD")
  battery(e, mods = if (nrow(d) >= 5) list("~ year") else list())
  write_ds()
}

# dat.baskerville2012: SMD with given SE (vi = se^2) and a factor moderator
d <- dat.baskerville2012
d$vi <- d$se^2
new_ds("dat.baskerville2012", "dat.baskerville2012", d[, c("author", "year", "score", "blind", "itt", "smd", "se", "vi")],
       lab(d$author, d$year),
       "Practice facilitation in primary care (23 studies; SMDs with standard errors, vi = se^2). All estimators; meta-regression on quality score and on blinding.",
       c("continuous and factor moderators"))
e <- given_yivi("SMD", "smd", "vi")
battery(e, mods = list("~ score", "~ factor(blind)", "~ score + factor(blind)"))
write_ds()

# dat.begg1989: yi/vi given (20 studies); many tied variances
d <- dat.begg1989
new_ds("dat.begg1989", "dat.begg1989", d, paste("study", d$study, d$trt),
       "Bone marrow transplantation in leukaemia (20 studies; effect sizes given). All estimators, ranktest, trimfill, leave-one-out.",
       c("ties in ranktest"))
e <- given_yivi("yi")
battery(e, mods = list("~ factor(trt)"))
write_ds()

# dat.kalaian1996: SAT coaching (67 outcomes); hours as moderator
d <- dat.kalaian1996
new_ds("dat.kalaian1996", "dat.kalaian1996", d[, c("id", "study", "year", "n1i", "n2i", "outcome", "yi", "vi", "hrs", "ets", "homework")],
       paste(d$study, d$outcome),
       "Coaching for the SAT (67 outcomes; SMDs given). All estimators; meta-regression on log hours and ETS; diagnostics with ni = n1i + n2i.",
       c("k = 67", "tau2 near 0 for some estimators"))
dat$ni <- dat$n1i + dat$n2i; DS$data$columns$ni <- dat$ni
e <- given_yivi("SMD")
battery(e, mods = list("~ hrs", "~ hrs + factor(ets)"), ni_col = "ni")
write_ds()

# dat.fine1993: RR/OR (head and neck cancer), four outcome times with different heterogeneity
d <- dat.fine1993
new_ds("dat.fine1993", "dat.fine1993", d, paste("study", d$study),
       "Chemotherapy for head and neck cancer (17 trials; survival at four time points). OR at 1 and 4 years (e1i/c1i and e4i/c4i), all estimators.",
       c("missing values (not every trial reports every time point)"))
e <- make_escalc("OR1", "OR", list(ai = "e1i", n1i = "nei", ci = "c1i", n2i = "nci"))
battery(e, transf = "exp")
e <- make_escalc("OR4", "OR", list(ai = "e4i", n1i = "nei", ci = "c4i", n2i = "nci"))
for (m in ALL_METHODS) { case_rma(e, m); case_rma(e, m, "knha") }
for (m in c("DL", "REML", "PM")) case_confint(e, m)
write_ds()

# dat.collins1985a: diuretics in pregnancy (pre-eclampsia), OR with zero cells
d <- dat.collins1985a
new_ds("dat.collins1985a", "dat.collins1985a", d[, c("id", "trial", "year", "nti", "b.xti", "o.xti", "nci", "b.xci", "o.xci")],
       lab(d$trial, d$year),
       "Diuretics in pregnancy (27 trials; pre-eclampsia counts with missing values). OR with zero cells and NAs; all estimators.",
       c("zero cells", "missing values"))
e <- make_escalc("OR", "OR", list(ai = "b.xti", n1i = "nti", ci = "b.xci", n2i = "nci"))
battery(e, transf = "exp")
write_ds()

# dat.anand1999: OR with zero events in both arms (double-zero tables kept by escalc)
d <- dat.anand1999
new_ds("dat.anand1999", "dat.anand1999", d, lab(d$study, d$year),
       "Oral anticoagulants after myocardial infarction (34 trials). OR with double-zero tables (kept, 1/2 added); moderator intensity.",
       c("double-zero tables", "factor moderator"))
e <- make_escalc("OR", "OR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"))
battery(e, transf = "exp", mods = list("~ factor(intensity)"))
e <- make_escalc("OR_drop00", "OR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"), extra = list(drop00 = TRUE))
for (m in c("EE", "DL", "REML", "PM", "ML")) case_rma(e, m)
write_ds()

# dat.yusuf1985: beta blockers, table 9 (28 trials: zero cells, 6 double-zero tables, 2 rows NA) and table 6
for (tb in c("9", "6")) {
  rows <- which(dat.yusuf1985$table == tb)
  d <- dat.yusuf1985[rows, ]
  new_ds(paste0("dat.yusuf1985_table", tb), "dat.yusuf1985", d, d$trial,
         paste0("Beta blockers after myocardial infarction, outcome table ", tb, " (", nrow(d),
                " trials; zero cells, double-zero tables and missing counts). OR/RR/RD with every estimator; OR with drop00 = TRUE."),
         c("zero cells", "double-zero tables", "missing values"), subset = I(rows))
  e <- make_escalc("OR", "OR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"))
  if (tb == "9") battery(e, transf = "exp") else for (m in ALL_METHODS) { case_rma(e, m); case_rma(e, m, "knha") }
  e <- make_escalc("OR_drop00", "OR", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"), extra = list(drop00 = TRUE))
  for (m in c("EE", "DL", "REML", "PM", "ML", "SJ")) case_rma(e, m)
  for (m in c("DL", "REML")) case_confint(e, m)
  e <- make_escalc("RD", "RD", list(ai = "ai", n1i = "n1i", ci = "ci", n2i = "n2i"))
  for (m in ALL_METHODS) case_rma(e, m)
  case_leave1out(e, "REML"); case_trimfill(e, "REML", "L0")
  write_ds()
}

# dat.cannon2006: k = 4 (intensive statins)
d <- dat.cannon2006
new_ds("dat.cannon2006", "dat.cannon2006", d, d$trial,
       "Intensive versus moderate statin therapy (4 trials). RR for the first endpoint: every estimator and diagnostic at k = 4.",
       c("k = 4", "tau2 = 0"))
e <- make_escalc("RR", "RR", list(ai = "ep1t", n1i = "nt", ci = "ep1c", n2i = "nc"))
battery(e, transf = "exp")
write_ds()

# dat.axfors2021: hydroxychloroquine mortality, many zero and double-zero tables
d <- dat.axfors2021
d <- d[, c("id", "acronym", "high_dose", "Published", "hcq_arm_event", "hcq_arm_total", "control_arm_event", "control_arm_total")]
new_ds("dat.axfors2021", "dat.axfors2021", d, d$acronym,
       "Hydroxychloroquine/chloroquine and COVID-19 mortality (33 trials, many with zero deaths in one or both arms). OR and RD; tau2 = 0 for most estimators.",
       c("double-zero tables", "tau2 = 0", "RD"))
e <- make_escalc("OR", "OR", list(ai = "hcq_arm_event", n1i = "hcq_arm_total", ci = "control_arm_event", n2i = "control_arm_total"))
battery(e, transf = "exp", mods = list("~ factor(high_dose)"))
e <- make_escalc("RD", "RD", list(ai = "hcq_arm_event", n1i = "hcq_arm_total", ci = "control_arm_event", n2i = "control_arm_total"))
for (m in ALL_METHODS) case_rma(e, m)
write_ds()

# dat.dorn2007: RR (placebo response), 19 trials
d <- dat.dorn2007
new_ds("dat.dorn2007", "dat.dorn2007", d, lab(d$study, d$year),
       "Placebo response in irritable bowel syndrome (19 trials; responders in active/placebo arms). RR and its diagnostics; meta-regression on Jadad score.",
       character(0))
e <- make_escalc("RR", "RR", list(ai = "x.a", n1i = "n.a", ci = "x.p", n2i = "n.p"))
battery(e, transf = "exp", mods = list("~ jadad", "~ factor(ibs.crit)"))
write_ds()

# =========================================================================== synthetic edge cases
syn <- function(id, yi, vi, description, edge, extra = list(), labels = NULL) {
  d <- c(list(yi = yi, vi = vi), extra)
  new_ds(paste0("synthetic.", id), NULL, as.data.frame(d, stringsAsFactors = FALSE),
         if (is.null(labels)) paste("study", seq_along(yi)) else labels,
         paste0("Synthetic data (made-up numbers for the arithmetic; no real studies): ", description),
         edge, title = paste("Synthetic edge case:", id), source = "made-up numbers (generate.R)")
}
set.seed(20261124)

syn("k2", c(0.1, 0.7), c(0.02, 0.05), "k = 2, heterogeneous.", c("k = 2"))
battery(given_yivi("yi")); write_ds()

syn("k2_homog", c(0.3, 0.32), c(0.02, 0.05), "k = 2 with tau2 = 0 for every estimator.", c("k = 2", "tau2 = 0"))
battery(given_yivi("yi")); write_ds()

syn("k3", c(-0.2, 0.4, 0.9), c(0.03, 0.01, 0.06), "k = 3, heterogeneous.", c("k = 3"), list(x = c(1, 2, 4)))
battery(given_yivi("yi"), mods = list("~ x")); write_ds()

k <- 12; vi <- signif(runif(k, 0.02, 0.2), 6)
syn("homog", signif(0.25 + rnorm(k, 0, 0.02), 6), vi, "tau2 = 0 for every estimator (Q far below k - 1); confint bounds at 0.",
    c("tau2 = 0 for every estimator", "confint bounds at 0", "knha with tau2 = 0"), list(x = signif(runif(k), 6), g = rep(c("a", "b", "c"), 4)))
battery(given_yivi("yi"), mods = list("~ x", "~ factor(g)")); write_ds()

syn("identical", rep(0.5, 6), c(0.01, 0.02, 0.05, 0.03, 0.1, 0.02), "all yi identical (Q = 0).",
    c("identical yi", "tau2 = 0", "QE = 0"))
battery(given_yivi("yi")); write_ds()

k <- 15; vi <- signif(runif(k, 0.001, 0.01), 6)
syn("extreme", signif(rnorm(k, 0, 2), 6), vi, "extreme heterogeneity (I2 > 99.9%).", c("extreme heterogeneity"),
    list(x = signif(runif(k, 0, 10), 6)))
battery(given_yivi("yi"), mods = list("~ x")); write_ds()

k <- 10; vi <- signif(runif(k, 0.5, 3), 6)
syn("bigtau", signif(rnorm(k, 5, 25), 6), vi, "tau2 far above 100 (PM/PMM search above 100, ML/REML large).",
    c("tau2 > 100", "PM/PMM above the default search limit"), list(x = signif(runif(k), 6)))
battery(given_yivi("yi"), mods = list("~ x")); write_ds()

k <- 9; vi <- signif(runif(k, 1, 5), 6) * 1e-6
syn("scale_small", signif(0.001 * rnorm(k, 1, 2), 6), vi, "variances of order 1e-6 and effects of order 1e-3.",
    c("small scale (vi ~ 1e-6)"), list(x = signif(runif(k), 6)))
battery(given_yivi("yi"), mods = list("~ x")); write_ds()

k <- 9; vi <- signif(runif(k, 1, 5), 6) * 1e6
syn("scale_large", signif(1000 * rnorm(k, 1, 2), 6), vi, "variances of order 1e6 and effects of order 1e3 (tau2 = 0 for every estimator at this scale).",
    c("large scale (vi ~ 1e6)", "tau2 = 0"), list(x = signif(runif(k), 6)))
battery(given_yivi("yi"), mods = list("~ x")); write_ds()

syn("nan_rows", c(0.2, NA, 0.5, 0.1, 0.9, NA, 0.4, 0.35, -0.1, 0.6),
    c(0.04, 0.05, NA, 0.02, 0.06, NA, 0.03, 0.05, 0.04, 0.08),
    "missing yi and vi in some rows (dropped with a warning), and a moderator missing in another row.",
    c("missing values (NaN rows)"),
    list(x = c(1, 2, 3, 4, NA, 6, 7, 8, 9, 10), g = c("a", "b", "a", "b", "a", "b", "a", "b", "a", "b")))
battery(given_yivi("yi"), mods = list("~ x", "~ factor(g)", "~ x + factor(g)")); write_ds()

syn("dominant", c(0.05, 0.6, 0.8, 0.5, 0.9, 0.7, 0.4), c(1e-5, 0.1, 0.12, 0.08, 0.15, 0.1, 0.09),
    "one study with a variance 10,000 times smaller than the others.", c("one dominant study"),
    list(x = c(3, 1, 2, 1.5, 2.5, 1, 2)))
battery(given_yivi("yi"), mods = list("~ x")); write_ds()

k <- 20; x <- signif(runif(k, 0, 10), 6); g <- sample(c("low", "mid", "high"), k, replace = TRUE)
vi <- signif(runif(k, 0.01, 0.2), 6)
yi <- signif(0.1 + 0.08 * x + ifelse(g == "high", 0.4, ifelse(g == "mid", 0.2, 0)) + rnorm(k, 0, sqrt(vi + 0.05)), 6)
syn("metareg", yi, vi, "meta-regression with a continuous and a three-level factor moderator (levels sorted as R sorts strings).",
    c("factor and continuous moderators"), list(x = x, g = g))
battery(given_yivi("yi"), mods = list("~ x", "~ factor(g)", "~ x + factor(g)")); write_ds()

# ML with ll0check firing: the likelihood at tau2 = 0 is larger than at Fisher scoring's stationary point
find_ll0 <- function() {
  set.seed(7)
  for (i in 1:20000) {
    k <- sample(3:6, 1)
    yi <- signif(rnorm(k, 0, 1), 4); vi <- signif(exp(rnorm(k, -1, 2)), 4)
    f1 <- try(rma(yi, vi, method = "ML", control = ctrl), silent = TRUE)
    f2 <- try(rma(yi, vi, method = "ML", control = c(ctrl, ll0check = FALSE)), silent = TRUE)
    if (inherits(f1, "try-error") || inherits(f2, "try-error")) next
    if (f1$tau2 == 0 && f2$tau2 > 1e-6) return(list(yi = yi, vi = vi))
  }
  NULL
}
ll0 <- find_ll0()
if (!is.null(ll0)) {
  syn("ll0check", ll0$yi, ll0$vi, "ML's Fisher scoring stops at a stationary point whose log-likelihood is below the one at tau2 = 0, so ll0check returns tau2 = 0 (found by a seeded search).",
      c("ML ll0check fires"))
  battery(given_yivi("yi"))
  write_ds()
} else message("no ll0check dataset found")

# paired (pre/post) design: raw and standardised mean changes with the pre/post correlation ri
k <- 10; ni <- sample(12:60, k); ri <- signif(runif(k, 0.3, 0.8), 4)
m1i <- signif(rnorm(k, 24, 3), 5); m2i <- signif(m1i - rnorm(k, 3, 2), 5)
sd1i <- signif(runif(k, 4, 7), 4); sd2i <- signif(sd1i * runif(k, 0.8, 1.2), 4)
d <- data.frame(ni = ni, ri = ri, m1i = m1i, m2i = m2i, sd1i = sd1i, sd2i = sd2i)
new_ds("synthetic.paired", NULL, d, paste("study", seq_len(k)),
       "Synthetic data (made-up numbers for the arithmetic; no real studies): paired pre/post design with correlations ri; MC, SMCC and SMCR effect sizes, every estimator and diagnostic.",
       c("paired design (MC, SMCC, SMCR)"), title = "Synthetic edge case: paired", source = "made-up numbers (generate.R)")
e <- make_escalc("SMCC", "SMCC", list(m1i = "m1i", m2i = "m2i", sd1i = "sd1i", sd2i = "sd2i", ni = "ni", ri = "ri"))
battery(e, ni_col = "ni")
e <- make_escalc("MC", "MC", list(m1i = "m1i", m2i = "m2i", sd1i = "sd1i", sd2i = "sd2i", ni = "ni", ri = "ri"))
for (m in ALL_METHODS) case_rma(e, m)
e <- make_escalc("SMCR", "SMCR", list(m1i = "m1i", m2i = "m2i", sd1i = "sd1i", ni = "ni", ri = "ri"))
for (m in ALL_METHODS) { case_rma(e, m); case_rma(e, m, "knha") }
for (m in c("DL", "REML", "PM")) case_confint(e, m)
write_ds()

# ranktest without ties (exact p) and with ties (normal approximation)
syn("ranks_noties", c(0.12, 0.35, 0.51, 0.2, 0.77, 0.05, 0.43, 0.9), c(0.011, 0.052, 0.09, 0.03, 0.12, 0.02, 0.07, 0.15),
    "no ties: exact Kendall p-value; small studies larger (trimfill fills on the left).", c("ranktest exact", "trimfill k0 > 0"))
battery(given_yivi("yi")); write_ds()
syn("ranks_ties", c(0.2, 0.2, 0.5, 0.1, 0.3, 0.2, 0.8, 0.4, 0.5, 0.1), c(0.04, 0.02, 0.04, 0.08, 0.02, 0.05, 0.1, 0.05, 0.04, 0.01),
    "tied effects and tied variances: ranktest uses the normal approximation.", c("ranktest ties"))
battery(given_yivi("yi")); write_ds()
syn("funnel_right", c(-0.1, -0.45, -0.6, -0.2, -0.8, -0.02, -0.5, -0.95, -0.3), c(0.01, 0.06, 0.1, 0.02, 0.14, 0.005, 0.08, 0.2, 0.04),
    "negative effects larger in small studies: trimfill fills on the right.", c("trimfill right side", "trimfill k0 > 0"))
battery(given_yivi("yi")); write_ds()
# (not exactly symmetric: with a mirror-image funnel the slope that picks the side is 0 up to rounding
# and the ranks of |yi - b| tie, so metafor's answer would be decided by floating-point noise)
syn("symmetric", c(0.31, 0.12, 0.52, 0.24, 0.36, 0.01, 0.57, 0.3), c(0.01, 0.05, 0.05, 0.02, 0.02, 0.1, 0.1, 0.04),
    "a nearly symmetric funnel: trimfill estimates k0 = 0 on either side, with either estimator.", c("trimfill k0 = 0"))
battery(given_yivi("yi")); write_ds()
# heterogeneous at scale 1e6 (own seed, so the datasets above are unchanged)
# tau2 ~ 1e7: an absolute threshold of 1e-12 on the change in tau2 is below double precision
# there (metafor's Fisher scoring then stops with "did not converge"), so this file's ctrl uses
# threshold = 1e-5, the same relative precision as 1e-12 at tau2 ~ 1 (see the file's preamble)
ctrl$threshold <- 1e-5
set.seed(1e6)
k <- 9; vi <- signif(runif(k, 1, 5), 6) * 1e6
syn("scale_large_het", signif(1000 * rnorm(k, 1, 6), 6), vi, "variances of order 1e6 and tau2 of order 1e7 (PM/PMM roots far above 100).",
    c("large scale (vi ~ 1e6)", "tau2 > 100"), list(x = signif(runif(k), 6)))
battery(given_yivi("yi"), mods = list("~ x")); write_ds()
ctrl$threshold <- 1e-12
message("done")
