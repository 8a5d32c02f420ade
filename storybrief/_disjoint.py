"""scipy's ``DisjointSet`` (the union-find of people, timeline events and disagreements), imported cheaply.

``scipy.cluster.hierarchy`` re-exports the class from ``scipy._lib._disjoint_set``.  Importing
the public name loads scipy.cluster, scipy.spatial, scipy.linalg and scipy.special, which
nothing else a briefing does needs: about 0.2 s of CPU on the cold path of ``storybrief brief``
(after the model loads, so every second of it is wall time).  The defining module costs about
10 ms.  Should a scipy release move it, the public name is the fallback.
"""

from __future__ import annotations

try:
    from scipy._lib._disjoint_set import DisjointSet
except ImportError:  # pragma: no cover - a scipy that moved the class
    from scipy.cluster.hierarchy import DisjointSet

__all__ = ["DisjointSet"]
