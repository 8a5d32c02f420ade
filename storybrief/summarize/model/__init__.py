"""Data files of the storybrief summariser, rebuilt by ``scripts/train_summarizer.py``.

* ``model.npz`` — what the summariser loads (in milliseconds, without LightGBM):
  the word and word-pair priors (how often a Multi-News reference keeps a source
  n-gram) as lookup arrays, and the three LightGBM models below converted to
  numpy tree arrays (:class:`storybrief.summarize.trees.TreeEnsemble`);
* ``uni.txt.gz``, ``bi.txt.gz`` — the LightGBM models, in LightGBM's text format, of a
  word's / word pair's count in the reference;
* ``sent.txt.gz`` — the LightGBM correction of a candidate sentence's value per word;
* ``meta.json`` — what was trained on what, and the selection settings that go with it.

The ``.txt.gz`` models are the training output that ``model.npz`` was converted
from; nothing reads them at run time (``tests/test_summary_model.py`` checks that
both give the same predictions).
"""
