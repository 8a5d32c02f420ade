"""Evaluation: how good the summaries are, measured the way the maintainers measure them."""

from .paths import resolve_paths
from .summary import (
    ROUGE_TYPES,
    SCORERS,
    ClusterScores,
    MethodScores,
    SummaryEvalResult,
    evaluate_summaries,
    make_scorer,
    to_reference_text,
    to_summary_text,
)

# fmt: off
__all__ = [
    "ROUGE_TYPES",
    "SCORERS",
    "ClusterScores",
    "MethodScores",
    "SummaryEvalResult",
    "evaluate_summaries",
    "make_scorer",
    "resolve_paths",
    "to_reference_text",
    "to_summary_text",
]
# fmt: on
