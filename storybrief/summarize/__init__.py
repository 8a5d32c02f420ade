"""Stage 5: summarize — extractive summarisers behind one interface and a name registry."""

from .base import (
    Summarizer,
    available_methods,
    count_words,
    cut_to_words,
    fill_budget,
    get_summarizer,
    register,
    to_spans,
)

# fmt: off
__all__ = [
    "Summarizer",
    "available_methods",
    "count_words",
    "cut_to_words",
    "fill_budget",
    "get_summarizer",
    "register",
    "to_spans",
]
# fmt: on
