"""Reading back the ``np.savez`` archives this package stores, without ``np.load``'s costs.

A library question loads several articles that are not cached, and each brings
its vectors as one archive of nine arrays. ``np.load`` opens every member
through ``zipfile`` and parses every header with ``ast.literal_eval`` (a
compile per array): about 1.5 ms an article, as long as ranking the article.
``np.savez`` stores members uncompressed, so each array is a header and raw
bytes at a known offset: read in place, it costs a few microseconds.

Only what ``np.savez`` writes is read this way; anything else (a compressed
member, an object array, a header of another form) raises ``ValueError`` and the
caller falls back to ``np.load``. The arrays are read-only views of the blob.
"""

from __future__ import annotations

import io
import math
import re
import struct
import zipfile

import numpy as np

_MAGIC = b"\x93NUMPY"
_HEADER = re.compile(
    r"\{'descr': '(?P<descr>[^']+)', 'fortran_order': False, 'shape': \((?P<shape>[\d, ]*)\), \}"
)
#: Fixed part of a zip local file header; name and extra-field lengths sit at byte 26.
_LOCAL_HEADER = 30


def read_archive(blob: bytes) -> dict[str, np.ndarray]:
    """The arrays of an ``np.savez`` archive by name; ``ValueError`` if it is not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ValueError(str(error)) from None
    arrays = {}
    for member in members:
        if member.compress_type != zipfile.ZIP_STORED or not member.filename.endswith(".npy"):
            raise ValueError(f"{member.filename}: not a stored .npy member")
        at = member.header_offset
        if blob[at : at + 4] != b"PK\x03\x04":
            raise ValueError(f"{member.filename}: no local header")
        name_length, extra_length = struct.unpack_from("<HH", blob, at + 26)
        start = at + _LOCAL_HEADER + name_length + extra_length
        arrays[member.filename[: -len(".npy")]] = _read_npy(blob, start, member.file_size)
    return arrays


def _read_npy(blob: bytes, start: int, size: int) -> np.ndarray:
    if blob[start : start + 6] != _MAGIC:
        raise ValueError("not an .npy array")
    major = blob[start + 6]
    if major == 1:
        (header_length,) = struct.unpack_from("<H", blob, start + 8)
        data = start + 10 + header_length
    elif major in (2, 3):
        (header_length,) = struct.unpack_from("<I", blob, start + 8)
        data = start + 12 + header_length
    else:
        raise ValueError(f".npy version {major}")
    header = blob[data - header_length : data].decode("latin1")
    found = _HEADER.match(header)
    if found is None:
        raise ValueError(f"unexpected .npy header {header.strip()!r}")
    dtype = np.dtype(found["descr"])
    if dtype.hasobject:
        raise ValueError("object arrays are never stored")
    shape = tuple(int(part) for part in found["shape"].split(",") if part.strip())
    count = math.prod(shape)
    if data + count * dtype.itemsize > start + size:
        raise ValueError("truncated .npy array")
    return np.frombuffer(blob, dtype=dtype, count=count, offset=data).reshape(shape)
