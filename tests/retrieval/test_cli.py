"""The command line as users run it: ``python -m retrieval ...`` (in-process through
``main``, with one subprocess smoke test of the module itself)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.cli import main
from tests.cli import REPO, SEED, run_retrieval

run = run_retrieval


def test_python_m_retrieval_prints_cited_answer_and_source():
    result = subprocess.run(
        [sys.executable, "-m", "retrieval", "ask", "How many troops are in Syria?"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Currently, there are fewer than 1,000 troops in Syria. [13]\n\nSource: The Hill\n"
    )


def test_ask_accepts_unquoted_words():
    assert "[13]" in run("ask", "How", "many", "troops", "are", "in", "Syria?").stdout


def test_ask_json_has_answer_citations_and_source():
    result = run("ask", "--json", "Who did Marco Rubio meet?")
    data = json.loads(result.stdout)
    assert data["abstained"] is False
    assert data["answer"].endswith("[10]")
    assert data["citations"][0]["sentence"] == 10
    assert data["source"]["source"] == "The Hill"


def test_ask_off_topic_says_the_article_does_not_say():
    result = run("ask", "Who won the Super Bowl?")
    assert result.returncode == 0
    assert result.stdout.startswith("The article doesn't say.")


def test_search_lists_k_sentences_with_scores():
    result = run("search", "-k", "2", "ceasefire")
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert all("[" in line and float(line.split()[0]) > 0 for line in lines)


def test_brief_prints_bullets_in_article_order():
    result = run("brief", "-n", "3")
    bullets = [line for line in result.stdout.splitlines() if line.startswith("\u2022")]
    assert len(bullets) == 3
    assert bullets[0].endswith("[1]")
    assert result.stdout.rstrip().endswith("Source: The Hill")


def test_brief_json():
    data = json.loads(run("brief", "--json", "-n", "2").stdout)
    assert [c["sentence"] for c in data["briefing"]] == sorted(
        c["sentence"] for c in data["briefing"]
    )


def test_batch_answers_each_line_in_order_with_three_citations():
    lines = [
        {"id": "a", "question": "How many troops are in Syria?"},
        {"id": 7, "question": "Who won the Super Bowl?"},
    ]
    result = run(
        "batch", "--article", str(SEED), stdin="".join(json.dumps(x) + "\n" for x in lines)
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 7]
    assert set(out[0]) == {"id", "abstained", "answer", "citations"}
    assert out[0]["abstained"] is False and out[0]["citations"][0]["sentence"] == 13
    assert out[1]["abstained"] is True and len(out[1]["citations"]) >= 3
    citation = out[1]["citations"][0]
    assert set(citation) == {"sentence", "paragraph", "text", "score"}


def test_batch_reports_bad_lines_and_keeps_going():
    stdin = 'not json\n{"id": 1, "question": ""}\n{"id": 2, "question": "troops?"}\n'
    result = run("batch", "--article", str(SEED), stdin=stdin)
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert "error" in out[0] and "error" in out[1]
    assert out[2]["id"] == 2 and "citations" in out[2]
    assert result.stderr.strip() == "error: 2 line(s) could not be answered"


def batch_in_process(stdin: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    """``batch`` through ``main`` with a strict UTF-8 stdout, as a real pipe has."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setattr(sys, "stdout", stdout)
    code = main(["batch", "--article", str(SEED)])
    stdout.flush()
    return code, raw.getvalue().decode("utf-8").splitlines()


def _strict_json(line: str) -> object:
    def refuse(name: str) -> object:
        raise AssertionError(f"{name} in output: {line}")

    return json.loads(line, parse_constant=refuse)


def test_batch_answers_every_line_once_with_valid_json_whatever_the_input(monkeypatch):
    lines = [
        r'{"id": "\ud800", "question": "How many troops are in Syria?"}',
        r'{"id": 1, "question": "How many troops \udfff are in Syria?"}',
        '{"id": NaN, "question": "How many troops are in Syria?"}',
        '{"id": -Infinity, "question": "How many troops are in Syria?"}',
        '{"id": 1e999, "question": "How many troops are in Syria?"}',
        '{"id": "ok", "question": "How many troops are in Syria?"}',
    ]
    code, out = batch_in_process("\n".join(lines) + "\n", monkeypatch)
    assert code == 1
    assert len(out) == len(lines)
    parsed = [_strict_json(line) for line in out]
    assert all("error" in p for p in parsed[:5])
    assert "lone surrogate" in parsed[0]["error"] and parsed[0]["id"] is None
    assert "NaN is not a JSON value" in parsed[2]["error"]
    assert parsed[5]["id"] == "ok" and parsed[5]["citations"][0]["sentence"] == 13


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "--article", "/no/such/file.txt", "hi"), "error: /no/such/file.txt: no such file"),
        (("ask", "   "), "error: the question is empty"),
        (("search", "-k", "0", "x"), "error: -k must be at least 1"),
        (("brief", "-n", "0"), "error: -n must be at least 1"),
    ],
)
def test_errors_exit_non_zero_with_one_line(args, message):
    result = run(*args)
    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_binary_article_is_refused_by_name(tmp_path: Path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\x00\x10JFIF")
    result = run("ask", "--article", str(path), "what?")
    assert result.returncode == 1
    assert "photo.jpg: looks like a binary file" in result.stderr


def test_missing_command_is_a_usage_error():
    result = run()
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_ask_says_when_the_answer_is_only_the_closest_the_article_comes():
    weak = run("ask", "What is the situation in Syria?")
    assert weak.stdout.startswith("Not a direct answer; the closest the article comes: ")
    data = json.loads(run("ask", "--json", "What is the situation in Syria?").stdout)
    assert data["near_miss"] is True and not data["answer"].startswith("Not a direct")
    assert json.loads(run("ask", "--json", "Who declined to comment?").stdout)["near_miss"] is False


def test_batch_survives_nesting_deeper_than_the_parser_and_answers_later_lines():
    lines = [
        "[" * 100_000,
        '{"id": 1, "question": "How many troops are in Syria?"}',
        '{"id": ' + "[" * 50_000 + "]" * 50_000 + ', "question": "x"}',
        '{"id": 2, "question": "Who declined to comment?"}',
    ]
    result = run_retrieval("batch", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    assert out[0] == {"id": None, "error": "line 1: nested too deeply to be a request"}
    assert out[1]["id"] == 1 and "fewer than 1,000 troops" in out[1]["answer"]
    assert out[2]["error"].startswith("line 3:")
    assert out[3]["id"] == 2 and "answer" in out[3]
    assert result.returncode == 1


def test_batch_refuses_an_endless_line_without_reading_it_whole_and_goes_on():
    endless = '{"id": 1, "question": "' + "x" * 3_000_000 + '"}'
    lines = [endless, '{"id": 2, "question": "How many troops are in Syria?"}']
    result = run_retrieval("batch", stdin="\n".join(lines) + "\n")
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {"id": None, "error": "line 1: longer than 1,000,000 characters; not read"}
    assert second["id"] == 2 and "fewer than 1,000 troops" in second["answer"]
