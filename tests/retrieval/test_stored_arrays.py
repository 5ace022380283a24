"""Stored vector archives are read in place, exactly as ``np.load`` reads them."""

import io
import zipfile

import numpy as np
import pytest

from retrieval.stored_arrays import read_archive
from retrieval.vectors import ArticleVectors


def _saved(save=np.savez, **arrays) -> bytes:
    buffer = io.BytesIO()
    save(buffer, **arrays)
    return buffer.getvalue()


def test_every_array_reads_back_as_np_load_reads_it():
    arrays = {
        "tokens": np.arange(-60, 60, dtype=np.int8).reshape(4, 30),
        "scales": np.linspace(0.1, 2, 7).astype(np.float16),
        "bounds": np.array([0, 3, 7], dtype=np.int64),
        "empty": np.zeros((0, 128), dtype=np.int8),
        "scalar": np.float32(2.5),
    }
    blob = _saved(**arrays)
    read = read_archive(blob)
    with np.load(io.BytesIO(blob)) as expected:
        assert sorted(read) == sorted(expected.files)
        for name in expected.files:
            assert read[name].dtype == expected[name].dtype
            assert read[name].shape == expected[name].shape
            assert np.array_equal(read[name], expected[name])


def test_stored_vectors_are_the_same_whichever_reader(seed_article, seed_index):
    blob = seed_index.embed_all().to_bytes()
    fast = ArticleVectors.from_bytes(blob, len(seed_article.sentences))
    with np.load(io.BytesIO(blob)) as data:
        arrays = dict(data)
    slow = ArticleVectors.from_bytes(
        _saved(np.savez_compressed, **arrays), len(seed_article.sentences)
    )
    assert fast is not None and slow is not None  # a compressed archive still reads (np.load)
    for name in ("context", "passage", "tokens", "scales", "token_ids", "bounds"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name))


def _zip_of_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not an array")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "blob",
    [_saved(np.savez_compressed, a=np.ones(3)), _zip_of_text(), b"not a zip"],
    ids=["compressed", "not-npy", "not-zip"],
)
def test_what_np_savez_did_not_write_is_left_to_np_load(blob):
    with pytest.raises(ValueError):
        read_archive(blob)


def test_a_truncated_array_is_refused():
    blob = bytearray(_saved(a=np.arange(100, dtype=np.int64)))
    cut = bytes(blob[:-200])
    with pytest.raises(ValueError):
        read_archive(cut)


def test_arrays_with_long_headers_read_too():
    # numpy writes a version 2 header when the version 1 length field cannot hold it.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, archive.open("wide.npy", "w") as member:
        np.lib.format.write_array(
            member, np.arange(6, dtype=np.int16).reshape(2, 3), version=(2, 0)
        )
    assert read_archive(buffer.getvalue())["wide"].tolist() == [[0, 1, 2], [3, 4, 5]]
