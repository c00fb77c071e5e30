"""LDN Atlas tests (a regular package, so ``tests.*`` imports resolve here and not to a
third-party ``tests`` package installed in site-packages, e.g. by pubmed_parser)."""
