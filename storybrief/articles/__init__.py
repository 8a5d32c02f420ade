"""Stage 2: articles — the data model every later stage points into, and duplicate detection."""

from .model import REJECTION_REASONS, Article, Duplicate, Rejection, Span, hash_text

__all__ = ["REJECTION_REASONS", "Article", "Duplicate", "Rejection", "Span", "hash_text"]
