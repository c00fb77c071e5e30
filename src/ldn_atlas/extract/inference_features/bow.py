"""Bag of stems (and stem bigrams) around the outcome, from a vocabulary learned on the training split."""

from __future__ import annotations

from collections.abc import Container

from ldn_atlas.extract.inference_features.sentence import SentenceView


def bag_of_stems(view: SentenceView, vocab: Container[str]) -> dict[str, float]:
    """``bow:<stem>`` and ``bow:<stem>_<stem>`` features for the window's stems that are in ``vocab``."""
    f: dict[str, float] = {}
    stems_, lo, hi = view.stems, view.lo, view.hi
    bstems = stems_
    for i in range(lo, hi):
        t = bstems[i]
        if t[0].isdigit():
            continue
        key = "bow:" + t
        if key in vocab:
            f[key] = 1.0
        if i + 1 < hi:
            key2 = "bow:" + t + "_" + bstems[i + 1]
            if key2 in vocab:
                f[key2] = 1.0
    return f
