"""Sentence and paragraph splitting: moved to :mod:`storybrief.language.sentences`, the one place
that repairs syntok's splits.  Kept so that ``storybrief.analysis.sentences`` imports go on working."""

from __future__ import annotations

from ..language.sentences import split_paragraphs, split_sentences

__all__ = ["split_paragraphs", "split_sentences"]
