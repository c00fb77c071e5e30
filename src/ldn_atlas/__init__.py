"""LDN Atlas: a computable evidence atlas for low-dose naltrexone (LDN).

The package is organised as one pipeline, each stage importing only from
stages to its left and from :mod:`ldn_atlas.model`::

    sources -> extract -> store -> stats -> appraise -> report / web / cli
"""

__version__ = "0.1.0"
