# Edge cases for escalc, rma.mh and rma.peto, computed with metafor (Debian r-cran-metafor 3.8-1).
# Regenerate: Rscript tests/data/metafor_edge/gen_escalc_mh_edge.R tests/data/metafor_edge/escalc_mh_edge.json
# All data below are made up for the arithmetic (zero cells, double-zero tables, NAs, k = 1 and 2,
# tiny samples, per-study vtype, paired designs); they describe no real study.
suppressMessages(library(metafor)); library(jsonlite)
outfile <- commandArgs(trailingOnly=TRUE)[1]
out <- list()
rec <- function(id, fun, args, res) { out[[length(out)+1]] <<- list(id=id, fun=fun, args=args, output=res) }
es <- function(id, args) {
  r <- tryCatch({ x <- suppressWarnings(do.call(escalc, args)); list(yi=as.numeric(x$yi), vi=as.numeric(x$vi)) },
                error=function(e) list(error=conditionMessage(e)))
  rec(id, "escalc", args, r)
}
set.seed(1)
two <- list(ai=c(0,3,5,NA,0,10,7), bi=c(10,17,0,5,20,0,13), ci=c(0,6,9,2,4,0,7), di=c(20,14,1,8,0,10,13))
for (m in c("RR","OR","RD","PETO","AS")) for (to in c("only0","all","if0all","none")) for (d0 in c(FALSE,TRUE)) {
  es(paste("2x2",m,to,d0), c(list(measure=m, to=to, drop00=d0), two))
}
es("2x2 RD UB", c(list(measure="RD", vtype="UB"), two))
es("2x2 RD AV", c(list(measure="RD", vtype="AV"), two))
es("2x2 OR add1", c(list(measure="OR", add=1), two))
es("2x2 AS add.5", c(list(measure="AS", add=0.5), two))
pt <- list(x1i=c(0,4,10,NA,0), x2i=c(3,0,12,5,0), t1i=c(100,120,300,80,50), t2i=c(90,110,310,70,40))
for (m in c("IRR","IRD","IRSD")) for (to in c("only0","all","if0all","none")) for (d0 in c(FALSE,TRUE))
  es(paste("pt",m,to,d0), c(list(measure=m, to=to, drop00=d0), pt))
pr <- list(xi=c(0,5,10,NA,3), ni=c(10,20,10,15,3))
for (m in c("PR","PLN","PLO","PAS","PFT")) for (to in c("only0","all","if0all","none"))
  es(paste("pr",m,to), c(list(measure=m, to=to), pr))
es("pr PR UB", c(list(measure="PR", vtype="UB"), pr)); es("pr PR AV", c(list(measure="PR", vtype="AV"), pr))
es("pr PLO AV", c(list(measure="PLO", vtype="AV"), pr)); es("pr PLN AV", c(list(measure="PLN", vtype="AV"), pr))
es("pr PFT add", c(list(measure="PFT", add=0.5), pr))
es("pr mi", list(measure="PLO", xi=c(0,5,10), mi=c(10,15,0)))
ir <- list(xi=c(0,5,10,NA), ti=c(100,200,50,80))
for (m in c("IR","IRLN","IRS","IRFT")) for (to in c("only0","all","none")) es(paste("ir",m,to), c(list(measure=m, to=to), ir))
mn <- list(m1i=c(10,12,8,NA,5,20), m2i=c(9,10,8.5,3,4,18), sd1i=c(2,3,1.5,1,1,4), sd2i=c(2.5,2,2,1,1.2,5), n1i=c(10,25,8,12,3,100), n2i=c(12,20,9,12,2,90))
for (m in c("MD","SMD","SMDH","ROM")) es(paste("mn",m), c(list(measure=m), mn))
for (v in c("UB","HO")) es(paste("mn MD",v), c(list(measure="MD", vtype=v), mn))
for (v in c("UB","LS2","AV")) es(paste("mn SMD",v), c(list(measure="SMD", vtype=v), mn))
es("mn SMDH LS2", c(list(measure="SMDH", vtype="LS2"), mn))
for (v in c("HO","AV","AVHO")) es(paste("mn ROM",v), c(list(measure="ROM", vtype=v), mn))
es("mn SMD di", list(measure="SMD", di=c(0.5,NA,-0.2), m1i=c(NA,3,NA), m2i=c(NA,2,NA), sd1i=c(NA,1,NA), sd2i=c(NA,1.5,NA), n1i=c(10,20,30), n2i=c(11,21,31)))
es("mn SMD ti", list(measure="SMD", ti=c(2.1,-1), n1i=c(10,20), n2i=c(11,21)))
co <- list(ri=c(0.3,-0.5,0.99,NA,0.2,1), ni=c(50,20,10,30,3,40))
for (m in c("COR","ZCOR")) es(paste("cor",m), c(list(measure=m), co))
es("cor COR AV", c(list(measure="COR", vtype="AV"), co))
pp <- list(m1i=c(12,15,8,NA,20), m2i=c(10,15.5,6,3,18), sd1i=c(3,4,2,1,5), sd2i=c(3.5,4,2.2,1,6), ni=c(20,35,8,12,2), ri=c(0.5,0.8,0,0.3,0.6))
for (m in c("MC","SMCC","SMCR","ROMC")) es(paste("pp",m), c(list(measure=m), pp))
for (m in c("SMCC","SMCR")) es(paste("pp",m,"LS2"), c(list(measure=m, vtype="LS2"), pp))
es("pp SMCR nosd2", list(measure="SMCR", m1i=c(12,15), m2i=c(10,15.5), sd1i=c(3,4), ni=c(20,35), ri=c(0.5,0.8)))
es("pp SMCC r1", list(measure="SMCC", m1i=c(12,15), m2i=c(10,15.5), sd1i=c(3,4), sd2i=c(3,4), ni=c(20,35), ri=c(1,-1)))

# more measures: variability ratios, single-group means, heteroscedastic / dependent-sample measures
for (m in c("VR","CVR")) es(paste("mn",m), c(list(measure=m), mn))
es("mn VR no means", list(measure="VR", sd1i=c(2,3,NA), sd2i=c(2.5,2,1), n1i=c(10,25,8), n2i=c(12,20,9)))
sg <- list(mi=c(10,12,0.5,NA,5,20), sdi=c(2,3,1.5,1,NA,4), ni=c(10,25,2,12,3,100))
for (m in c("MN","MNLN","CVLN","SDLN","SMN")) es(paste("sg",m), c(list(measure=m), sg))
es("sg SDLN nomean", list(measure="SDLN", sdi=c(2,3), ni=c(10,20)))
es("sg err neg mean", list(measure="MNLN", mi=c(-1,2), sdi=c(1,1), ni=c(10,10)))
for (m in c("SMCRH","CVRC","VRC")) es(paste("pp",m), c(list(measure=m), pp))
es("pp VRC nomeans", list(measure="VRC", sd1i=c(3,4), sd2i=c(3.5,NA), ni=c(20,35), ri=c(0.5,0.8)))

fit1 <- function(id, fun, args) {
  r <- tryCatch({ f <- suppressWarnings(do.call(fun, args));
    keep <- c("beta","se","zval","pval","ci.lb","ci.ub","QE","QEp","I2","H2","k","k.yi","k.pos","MH","MHp","CO","COp","BD","BDp","TA","TAp")
    res <- lapply(keep, function(n) { v <- f[[n]]; if (is.null(v)) NA else as.numeric(v) }); names(res) <- keep
    res$weights <- as.numeric(suppressWarnings(weights(f)))
    res }, error=function(e) list(error=conditionMessage(e)))
  rec(id, fun, args, r)
}
tabs <- list(
  k2=list(ai=c(3,10), bi=c(17,40), ci=c(6,12), di=c(14,38)),
  dz=list(ai=c(0,3,5,0,2), bi=c(20,22,25,15,18), ci=c(0,6,9,0,5), di=c(20,19,21,15,15)),
  na=list(ai=c(4,NA,6,1), bi=c(16,10,14,19), ci=c(8,5,NA,2), di=c(12,15,10,18)),
  allev=list(ai=c(10,3,5), bi=c(0,17,15), ci=c(10,6,9), di=c(0,14,11)),
  onezero=list(ai=c(0,0,0), bi=c(20,22,25), ci=c(2,6,9), di=c(18,19,21)),
  k1=list(ai=c(7), bi=c(13), ci=c(12), di=c(8)),
  hom=list(ai=c(10,30,5), bi=c(20,60,10), ci=c(5,15,2.5), di=c(25,75,12.5)),
  big=list(ai=c(0,1,3,12,40,2,0), bi=c(50,49,100,300,900,20,30), ci=c(2,0,6,20,52,1,0), di=c(48,50,97,290,880,21,30))
)
for (tn in names(tabs)) {
  for (m in c("OR","RR","RD")) {
    fit1(paste("mh",tn,m), "rma.mh", c(list(measure=m), tabs[[tn]]))
    fit1(paste("mh",tn,m,"nocorr drop"), "rma.mh", c(list(measure=m, correct=FALSE, drop00=c(TRUE,TRUE), level=90), tabs[[tn]]))
    fit1(paste("mh",tn,m,"add"), "rma.mh", c(list(measure=m, add=c(0.5,0.5), to=c("all","only0"), drop00=c(FALSE,FALSE)), tabs[[tn]]))
  }
  fit1(paste("peto",tn), "rma.peto", tabs[[tn]])
  fit1(paste("peto",tn,"drop add"), "rma.peto", c(list(add=c(0.5,0.5), to=c("if0all","only0"), drop00=c(FALSE,TRUE), level=99), tabs[[tn]]))
}
ptab <- list(
  k2=list(x1i=c(5,9), x2i=c(3,11), t1i=c(1000,1500), t2i=c(900,1600)),
  z=list(x1i=c(0,4,10,0), x2i=c(3,0,12,0), t1i=c(100,120,300,50), t2i=c(90,110,310,40)),
  na=list(x1i=c(2,NA,8), x2i=c(4,3,6), t1i=c(100,120,NA), t2i=c(90,110,310)),
  zero1=list(x1i=c(0,0), x2i=c(3,4), t1i=c(100,120), t2i=c(90,110))
)
for (tn in names(ptab)) for (m in c("IRR","IRD")) {
  fit1(paste("mh",tn,m), "rma.mh", c(list(measure=m), ptab[[tn]]))
  fit1(paste("mh",tn,m,"nocorr drop"), "rma.mh", c(list(measure=m, correct=FALSE, drop00=c(FALSE,TRUE), to=c("all","none")), ptab[[tn]]))
  fit1(paste("mh",tn,m,"add"), "rma.mh", c(list(measure=m, add=c(0.5,0.5), to=c("only0","if0all")), ptab[[tn]]))
}

es("mn SMD tiny", list(measure="SMD", m1i=c(1,2,3), m2i=c(0,1,1), sd1i=c(1,1,1), sd2i=c(1,1,1), n1i=c(1,2,1), n2i=c(1,1,2)))
es("mn SMD tiny AV", list(measure="SMD", vtype="AV", m1i=c(1,2,3), m2i=c(0,1,1), sd1i=c(1,1,1), sd2i=c(1,1,1), n1i=c(1,2,5), n2i=c(1,1,6)))
es("mn SMD vtype vec", c(list(measure="SMD", vtype=c("LS","UB","LS2","AV","LS","UB")), mn))
es("mn ROM vtype vec", c(list(measure="ROM", vtype=c("LS","HO","AV","AVHO","LS","HO")), mn))
es("2x2 RD vtype vec", c(list(measure="RD", vtype=c("LS","UB","AV","LS","UB","AV","LS")), two))
es("pp SMCC tiny", list(measure="SMCC", m1i=c(1,2,3), m2i=c(0,1,1), sd1i=c(1,1,1), sd2i=c(1,2,1), ni=c(1,2,3), ri=c(.5,.5,.5)))
es("pp SMCR tiny", list(measure="SMCR", m1i=c(1,2,3), m2i=c(0,1,1), sd1i=c(1,1,1), ni=c(1,2,3), ri=c(.5,NA,.5)))
es("pp MC ri NA", list(measure="MC", m1i=c(1,2,3), m2i=c(0,1,1), sd1i=c(1,1,1), sd2i=c(1,2,1), ni=c(10,20,30), ri=c(.5,NA,.5)))
es("pp SMCR ri NA", list(measure="SMCR", m1i=c(1,2,3), m2i=c(0,1,1), sd1i=c(1,1,1), ni=c(10,20,30), ri=c(.5,NA,.5)))
es("pp ROMC NA", list(measure="ROMC", m1i=c(1,2,3), m2i=c(2,1,1), sd1i=c(1,NA,1), sd2i=c(1,2,1), ni=c(10,20,30), ri=c(.5,.2,.5)))
es("err neg", list(measure="RR", ai=c(-1,2), bi=c(3,4), ci=c(1,2), di=c(3,4)))
es("err ri", list(measure="ZCOR", ri=c(1.5,.2), ni=c(10,20)))
es("err n1i", list(measure="OR", ai=c(1,2), bi=c(3,4), n1i=c(5,6), ci=c(1,2), di=c(3,4)))
es("err ai>n1i", list(measure="OR", ai=c(7,2), n1i=c(5,6), ci=c(1,2), n2i=c(3,4)))
es("err sd", list(measure="MD", m1i=1, m2i=2, sd1i=-1, sd2i=1, n1i=5, n2i=5))
es("err t", list(measure="IRR", x1i=1, x2i=2, t1i=0, t2i=5))
es("plo full none", list(measure="PLO", xi=c(10,5), ni=c(10,10), to="none"))
es("zcor r1", list(measure="ZCOR", ri=c(1,-1,.5), ni=c(10,10,10)))
tabs2 <- list(
  allzero=list(ai=c(0,0), bi=c(10,12), ci=c(0,0), di=c(11,9)),
  allzero3=list(ai=c(0,0,1), bi=c(10,12,9), ci=c(0,0,0), di=c(11,9,10)),
  allev=list(ai=c(5,3), bi=c(0,0), ci=c(6,4), di=c(0,0))
)
for (tn in names(tabs2)) {
  for (m in c("OR","RR","RD")) {
    fit1(paste("mh",tn,m), "rma.mh", c(list(measure=m), tabs2[[tn]]))
    fit1(paste("mh",tn,m,"keep"), "rma.mh", c(list(measure=m, drop00=c(FALSE,FALSE)), tabs2[[tn]]))
  }
  fit1(paste("peto",tn), "rma.peto", tabs2[[tn]])
}
fit1("mh pt allzero IRD", "rma.mh", list(measure="IRD", x1i=c(0,0), x2i=c(0,0), t1i=c(10,20), t2i=c(30,40)))
fit1("mh pt allzero IRR", "rma.mh", list(measure="IRR", x1i=c(0,0), x2i=c(0,0), t1i=c(10,20), t2i=c(30,40)))
doc <- list(format="ldn-atlas escalc/rma.mh/rma.peto edge cases", R=paste(R.version$major, R.version$minor, sep="."),
            metafor=as.character(packageVersion("metafor")), jsonlite=as.character(packageVersion("jsonlite")),
            number_format="jsonlite digits=NA (15 significant digits)", cases=out)
writeLines(toJSON(doc, digits=NA, na="null", auto_unbox=TRUE, null="null"), outfile)
cat(length(out), "cases\n")
