"""Data files of the storybrief summariser, rebuilt by ``scripts/train_summarizer.py``.

* ``priors.json.gz`` — how often a Multi-News reference keeps a source word / word pair;
* ``uni.txt.gz``, ``bi.txt.gz`` — LightGBM models of a word's / word pair's count in the reference;
* ``sent.txt.gz`` — LightGBM correction of a candidate sentence's value per word;
* ``meta.json`` — what was trained on what, and the selection settings that go with it.
"""
