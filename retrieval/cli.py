"""``python -m retrieval``: ask, search, brief and batch-answer from the command line.

Only argument parsing and printing live here; every answer comes from the library.
Exit codes: 0 success, 1 a bad article or question (one line on stderr),
2 bad usage (argparse's own message).

``--library`` takes a folder of article files. The bot's database is a layer
above retrieval, so its command (``python -m library``) runs this same CLI
with an ``open_database`` function: the arrow points down, never back up.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from retrieval import render
from retrieval.answers import answer, search
from retrieval.article import load_article
from retrieval.briefing import brief
from retrieval.collection import CollectionAnswer, load_shelf
from retrieval.errors import RetrievalError
from retrieval.index import ArticleIndex
from retrieval.seeds import default_article_path

EXIT_OK = 0
EXIT_BAD_INPUT = 1


AnswerAcross = Callable[[str], CollectionAnswer]
#: Opens a database file for one chat's library: ``(path, chat_id) -> answer a question``.
DatabaseOpener = Callable[[Path | str, int], AnswerAcross]


def main(
    argv: Sequence[str] | None = None,
    *,
    prog: str = "python -m retrieval",
    open_database: DatabaseOpener | None = None,
) -> int:
    args = _parser(prog, open_database).parse_args(argv)
    try:
        return int(args.run(args, sys.stdin, sys.stdout))
    except RetrievalError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `... | head` closed the pipe: not an error for the user
        return EXIT_OK


def _index(args: argparse.Namespace) -> ArticleIndex:
    path = Path(args.article if args.article is not None else default_article_path())
    try:
        found = path.stat()
    except OSError:
        found = None
    if found is None or not stat.S_ISREG(found.st_mode):
        return ArticleIndex(load_article(path))  # a pipe or device is read afresh every time
    return _indexed(str(path.resolve()), found.st_mtime_ns, found.st_size)


@functools.lru_cache(maxsize=4)
def _indexed(path: str, mtime_ns: int, size: int) -> ArticleIndex:
    """An unchanged file is indexed (and embedded) once per process: ``main`` may be called
    many times in one (tests, notebooks), and embedding the seed alone takes most of a second."""
    return ArticleIndex(load_article(Path(path)))


def _library(args: argparse.Namespace) -> AnswerAcross:
    """Answers across ``--library``: a folder of article files, or (``python -m library``)
    the bot's database."""
    if args.open_database is not None and "://" in str(args.library):
        return args.open_database(str(args.library), args.chat)  # a database server's URL
    path = Path(args.library)
    if path.is_dir():
        return load_shelf(path).answer
    if not path.is_file():
        raise RetrievalError(f"{path}: no such folder or database file")
    if args.open_database is None:
        raise RetrievalError(
            f"{path} is a file, not a folder of articles; for the bot's database run "
            f"python -m library {args.command} --db {path}"
        )
    return args.open_database(path, args.chat)


def _question(args: argparse.Namespace) -> str:
    return " ".join(args.question)


def _ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if args.library is not None:
        across = _library(args)(_question(args))
        if args.json:
            _print_json(render.across_json(across), stdout)
        else:
            print(render.across_text(across), file=stdout)
        return EXIT_OK
    index = _index(args)
    result = answer(index, _question(args))
    if args.json:
        _print_json(render.answer_json(result, index.article), stdout)
    else:
        print(render.answer_text(result, index.article), file=stdout)
    return EXIT_OK


def _search(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if args.k < 1:
        raise RetrievalError("-k must be at least 1")
    if args.library is not None:
        across = _library(args)(_question(args))
        print(render.ranked_across_text(across, args.k), file=stdout)
        return EXIT_OK
    index = _index(args)
    print(render.ranked_text(search(index, _question(args), args.k)), file=stdout)
    return EXIT_OK


def _brief(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if args.n < 1:
        raise RetrievalError("-n must be at least 1")
    index = _index(args)
    citations = brief(index, args.n)
    if args.json:
        _print_json(render.briefing_json(citations, index.article), stdout)
    else:
        print(render.briefing_text(citations, index.article), file=stdout)
    return EXIT_OK


def _batch(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """One JSON line out per line in; a bad line gets an ``error`` line and exit code 1."""
    answer_one = _batch_answerer(args)
    failures = 0
    for number, line in enumerate(_lines(stdin), start=1):
        if line is not None and not line.strip():
            continue
        question_id: Any = None
        try:
            if line is None:
                raise ValueError(f"longer than {MAX_LINE_CHARS:,} characters; not read")
            request = _json_line(line)
            if not isinstance(request, dict):
                raise ValueError("expected a JSON object")
            _check_unicode(request)
            question_id = _echoable(request.get("id"))
            question = request.get("question")
            if not isinstance(question, str):
                raise ValueError('"question" must be a string')
            _print_json(answer_one(question_id, question), stdout)
        except (ValueError, RetrievalError) as error:
            failures += 1
            _print_json({"id": question_id, "error": f"line {number}: {error}"}, stdout)
    if failures:
        print(f"error: {failures} line(s) could not be answered", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _not_json(name: str) -> Any:
    """``NaN`` and ``Infinity``: Python's json reads them, but they are not JSON and cannot be echoed."""
    raise ValueError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


#: A request line longer than this is answered with an error, and never held whole.
MAX_LINE_CHARS = 1_000_000


def _lines(stdin: TextIO) -> Iterator[str | None]:
    """Each line of ``stdin``; ``None`` for one over ``MAX_LINE_CHARS``, whose rest is read
    and dropped a piece at a time (a stranger's endless line must not fill the memory)."""
    while line := stdin.readline(MAX_LINE_CHARS + 1):
        if len(line) <= MAX_LINE_CHARS or line.endswith("\n"):
            yield line
            continue
        while (rest := stdin.readline(MAX_LINE_CHARS)) and not rest.endswith("\n"):
            pass
        yield None


def _json_line(line: str) -> Any:
    """One request line as JSON; ``ValueError`` for anything else, deep nesting included
    (Python's parser raises ``RecursionError`` past about a thousand levels)."""
    try:
        return json.loads(line, parse_constant=_not_json, parse_float=_finite)
    except RecursionError:
        raise ValueError("nested too deeply to be a request") from None


def _echoable(question_id: Any) -> Any:
    """The id, if it can be written back (an id nested a thousand deep cannot)."""
    try:
        json.dumps(question_id)
    except RecursionError:
        raise ValueError('"id" is nested too deeply to be echoed') from None
    return question_id


def _check_unicode(value: Any) -> None:
    """Refuse strings holding lone surrogates ("\\ud800"): they cannot be written back as UTF-8.

    Walks the value with a stack of its own, not by recursion: a request nested
    as deep as the parser allows must not exhaust Python's."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("a string holds a lone surrogate (not valid Unicode)") from None
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _batch_answerer(args: argparse.Namespace) -> Callable[[Any, str], dict[str, Any]]:
    if args.library is not None:
        across = _library(args)
        return lambda question_id, question: render.across_batch_json(question_id, across(question))
    index = _index(args)
    return lambda question_id, question: render.batch_json(question_id, answer(index, question))


def _print_json(value: Any, stdout: TextIO) -> None:
    print(json.dumps(value, ensure_ascii=False), file=stdout, flush=True)


def _parser(prog: str, open_database: DatabaseOpener | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Answer questions about a news article with its own, cited sentences.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, run: Any, help_text: str, *, library: bool = True
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        source = sub.add_mutually_exclusive_group()
        source.add_argument(
            "--article",
            type=Path,
            metavar="PATH",
            help="article file (default: the seed article shipped in seeds/)",
        )
        if library and open_database is None:
            source.add_argument(
                "--library",
                type=Path,
                metavar="FOLDER",
                help="answer across a folder of .txt/.md articles; citations then read "
                "[article:sentence]",
            )
        elif library:
            source.add_argument(
                "--db",
                "--library",
                dest="library",
                metavar="PATH_OR_DB",
                help="answer across the bot's database: a SQLite file or a postgresql:// URL "
                "(or a folder of .txt/.md articles); "
                "citations then read [article:sentence]",
            )
            sub.add_argument(
                "--chat",
                type=int,
                default=0,
                metavar="CHAT_ID",
                help="with a database: whose library (default 0, the shipped articles)",
            )
        sub.set_defaults(run=run, library=None, chat=0, open_database=open_database)
        return sub

    ask = command("ask", _ask, "answer a question with cited sentences")
    ask.add_argument("--json", action="store_true", help="print JSON instead of text")
    ask.add_argument("question", nargs="+", metavar="QUESTION")

    ranked = command("search", _search, "list the best-scoring sentences for a question")
    ranked.add_argument("-k", type=int, default=5, help="how many sentences (default 5)")
    ranked.add_argument("question", nargs="+", metavar="QUESTION")

    briefing = command("brief", _brief, "summarise the article in its own sentences", library=False)
    briefing.add_argument("-n", type=int, default=3, help="how many sentences (default 3)")
    briefing.add_argument("--json", action="store_true", help="print JSON instead of text")

    command(
        "batch",
        _batch,
        'answer JSON lines {"id": ..., "question": "..."} from stdin, one JSON line each',
    )
    return parser
