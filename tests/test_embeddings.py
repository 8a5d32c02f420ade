"""Sentence embeddings: many texts per encoder call, each vector still that of its text alone."""

from __future__ import annotations

import threading

import numpy as np

from storybrief.analysis.embeddings import CHUNK_TOKENS, DIMS, EmbeddingJob, load_encoder, unpack

SENTENCES = [
    "The harbour fire is out.",
    "Around 60 firefighters were called to the warehouse on St. Merrow's Quay shortly after midnight.",
    "No one was injured, the fire service said.",
]


def test_one_call_over_many_texts_gives_each_text_its_vector_alone():
    encoder = load_encoder()
    ids = [e.ids for e in encoder.tokenizer.encode_batch(SENTENCES)]
    together = encoder.run(ids)
    assert together.shape == (3, DIMS)
    for row, text_ids in zip(together, ids):
        assert (row == encoder.run([text_ids])[0]).all()  # bit for bit, not merely close
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert encoder.run([]).shape == (0, DIMS)


def test_threads_sharing_a_job_of_several_chunks_give_the_vectors_of_one_thread():
    sentences = [
        f"The council said {n} homes on Harbour Road were flooded overnight and {n + 3} families moved out."
        for n in range(60)
    ]
    alone = EmbeddingJob([sentences, SENTENCES]).result()
    job = EmbeddingJob([sentences, SENTENCES])
    threads = [threading.Thread(target=job.work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    shared = job.result()
    assert shared == alone
    tokens = sum(len(e.ids) for e in load_encoder().tokenizer.encode_batch(sentences))
    assert tokens > 2 * CHUNK_TOKENS  # so the threads really split the work between them
    rows = unpack(shared[0])[: len(sentences)]  # a row per sentence (then any clauses)
    assert len(rows) == len(sentences) and (np.linalg.norm(rows, axis=1) > 0.99).all()
