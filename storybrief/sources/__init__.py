"""Stage 1: sources — read files, folders and JSON dumps into articles.

Anything that cannot be read becomes a typed :class:`~storybrief.articles.Rejection`
(not an exception), so one bad file never stops a batch; see :mod:`.reader` for
the formats and :mod:`.plaintext` for the ``.txt`` header.
"""

from .multinews import Cluster, iter_clusters
from .reader import ReadResult, iter_sources, read_file, read_sources

__all__ = ["Cluster", "ReadResult", "iter_clusters", "iter_sources", "read_file", "read_sources"]
