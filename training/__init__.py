"""Training the answer-sentence reader that ships in ``retrieval/models/`` (issue 22).

Not part of the runtime packages or the wheel: it needs PyTorch (the ``train``
extra) and the fp32 all-MiniLM-L6-v2 weights, and it writes one shipped file,
``retrieval/models/reader-int8.onnx``, with its sha256 and model card. The
stages, each resumable, are ``python -m training prepare | train | evaluate |
export``; ``python -m training all`` runs them in order from scratch.
"""
