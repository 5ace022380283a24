"""Answers across many articles: ``python -m retrieval ... --library FOLDER`` and
``python -m library ... --db FILE`` (the bot's database), and the layers' imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from library.service import Library
from retrieval.seeds import seed_paths
from tests.cli import REPO, SEED, run_library
from tests.cli import run_retrieval as run

BAKERY = (
    "A bakery in Dunmore won the national bread award on Saturday.\n"
    "The judges praised its rye sourdough, which is baked overnight.\n"
    "Owner Lena Fisk said the prize money would pay for a second oven."
)
CHAT = -100555


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "a-syria.txt").write_text(SEED.read_text())
    (tmp_path / "b-bakery.md").write_text(BAKERY)
    (tmp_path / "notes.json").write_text("{}")  # not an article: skipped
    return tmp_path


@pytest.fixture
def database(tmp_path) -> Path:
    path = tmp_path / "bot.db"
    shelf = Library.open(path, seeds=seed_paths())
    shelf.articles.add(CHAT, BAKERY, title="Dunmore bakery wins bread award")
    shelf.close()
    return path


def test_folder_library_answers_with_article_and_sentence_markers(folder):
    result = run("ask", "--library", str(folder), "What did the judges praise?")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "The judges praised its rye sourdough, which is baked overnight. [2:2]\n\n"
        "[2] Source: b-bakery.md\n"
    )


def test_folder_library_finds_the_right_article_for_each_question(folder):
    result = run("ask", "--library", str(folder), "How many troops are in Syria?")
    assert result.stdout.startswith("Currently, there are fewer than 1,000 troops in Syria. [1:13]")


def test_library_declines_questions_none_of_the_articles_answer(folder):
    result = run("ask", "--library", str(folder), "Who won the Super Bowl?")
    assert result.stdout.startswith("The articles don't say.")


def test_database_library_answers_from_a_chats_articles(database):
    mine = run_library(
        "ask", "--db", str(database), "--chat", str(CHAT), "What did the judges praise?"
    )
    shipped_only = run_library("ask", "--db", str(database), "What did the judges praise?")
    assert mine.stdout.startswith(
        "The judges praised its rye sourdough, which is baked overnight. [2:2]"
    )
    assert "[2] Source: Dunmore bakery wins bread award" in mine.stdout
    assert shipped_only.stdout.startswith("The articles don't say.")


def test_database_library_answers_from_postgresql_without_showing_its_password(postgres_url):
    shelf = Library.open(postgres_url, seeds=seed_paths())
    shelf.articles.add(CHAT, BAKERY, title="Dunmore bakery wins bread award")
    shelf.close()
    mine = run_library(
        "ask", "--db", postgres_url, "--chat", str(CHAT), "What did the judges praise?"
    )
    assert mine.stdout.startswith(
        "The judges praised its rye sourdough, which is baked overnight. [2:2]"
    )
    missing = postgres_url.replace("postgres@", "postgres:hunter2@").rsplit("/", 1)[0] + "/nodb"
    refused = run_library("ask", "--db", missing, "Who?")
    assert refused.returncode == 1
    (line,) = refused.stderr.strip().splitlines()
    assert "/nodb: cannot connect to PostgreSQL" in line and "hunter2" not in line


def test_python_m_library_answers_from_the_database(database):
    question = "What did the judges praise?"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "library",
            "ask",
            "--db",
            str(database),
            "--chat",
            str(CHAT),
            question,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("The judges praised its rye sourdough")


def test_a_database_given_to_the_retrieval_cli_points_to_python_m_library(database):
    result = run("ask", "--library", str(database), "What did the judges praise?")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {database} is a file, not a folder of articles; for the bot's database run "
        f"python -m library ask --db {database}"
    )


def test_json_and_search_name_the_article_of_each_citation(folder):
    answer = json.loads(
        run("ask", "--json", "--library", str(folder), "What did the judges praise?").stdout
    )
    assert answer["article"] == 2 and answer["abstained"] is False
    assert answer["quoted"][0] == {
        "article": 2,
        "sentence": 2,
        "paragraph": 2,
        "text": "The judges praised its rye sourdough, which is baked overnight.",
        "score": answer["quoted"][0]["score"],
    }
    ranked = run("search", "--library", str(folder), "-k", "2", "rye sourdough").stdout.splitlines()
    assert len(ranked) == 2 and "[2:2] The judges praised its rye sourdough" in ranked[0]


def test_batch_over_a_library_keeps_the_contract_and_adds_the_article(folder):
    lines = '{"id": "q1", "question": "What did the judges praise?"}\n{"id": 2, "question": "Who won the Super Bowl?"}\n'
    result = run("batch", "--library", str(folder), stdin=lines)
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["id"] == "q1" and first["abstained"] is False
    assert first["citations"][0]["article"] == 2 and first["citations"][0]["sentence"] == 2
    assert second["id"] == 2 and second["abstained"] is True
    assert len(second["citations"]) >= 3


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p / "missing", "no such folder or database file"),
        (lambda p: p, "holds no .txt or .md article"),
    ],
)
def test_bad_library_paths_exit_1_with_one_line(tmp_path, setup, message):
    result = run("ask", "--library", str(setup(tmp_path)), "anything at all?")
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_damaged_database_is_a_clear_error_and_left_alone(tmp_path):
    path = tmp_path / "bot.db"
    path.write_bytes(b"not a database" * 100)
    result = run_library("ask", "--db", str(path), "anything?")
    assert result.returncode == 1
    assert "is not a usable SQLite database" in result.stderr
    assert path.read_bytes() == b"not a database" * 100


def test_library_and_article_cannot_be_combined(folder):
    result = run("ask", "--library", str(folder), "--article", str(SEED), "troops?")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr
