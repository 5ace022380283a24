"""The embedding model: the vectors it gives are the model's, and they carry meaning."""

import json
from pathlib import Path

import numpy as np
import pytest

from retrieval.errors import RetrievalError
from retrieval.semantic import SentenceEncoder, shared_encoder

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "minilm_reference.json").read_text(encoding="utf-8")
)["vectors"]


@pytest.mark.parametrize("text", list(REFERENCE))
def test_vectors_match_what_sentence_transformers_computes(text):
    # The reference came from the original fp32 model under PyTorch; the shipped
    # int8 ONNX file with our tokenizer and pooling must point the same way.
    vector = shared_encoder().encode([text])[0]
    reference = np.array(REFERENCE[text])
    assert float(vector @ reference) > 0.99


def test_vectors_are_unit_length_and_keep_input_order():
    texts = ["A short one.", "A much longer sentence " * 20, "Middle length sentence here."]
    together = shared_encoder().encode(texts)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    for row, text in zip(together, texts, strict=True):
        alone = shared_encoder().encode([text])[0]
        assert float(row @ alone) > 0.999


def test_a_paraphrase_is_closer_than_a_sentence_on_another_subject():
    question, paraphrase, unrelated = shared_encoder().encode(
        [
            "Are American soldiers leaving Syria?",
            "The U.S. is preparing for a pullout of all troops stationed in Syria.",
            "The Wall Street Journal reported on the pullout earlier.",
        ]
    )
    assert question @ paraphrase > 0.5 > question @ unrelated


def test_nothing_is_encoded_for_no_texts():
    assert shared_encoder().encode([]).shape == (0, 384)


def test_a_changed_model_file_is_refused_before_it_is_run(tmp_path):
    model = tmp_path / "model.onnx"
    model.write_bytes(b"not the model we ship")
    with pytest.raises(
        RetrievalError, match=r"model\.onnx: the embedding model is not the expected"
    ):
        SentenceEncoder(model, expected_sha256="0" * 64)
