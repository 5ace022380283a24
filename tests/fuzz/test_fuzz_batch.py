"""The batch CLI: any line in, exactly one JSON line out, and the next line still answered."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tests.cli import run_retrieval

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_requests = st.fixed_dictionaries(
    {}, optional={"id": _json, "question": st.text(max_size=200) | _json, "extra": _json}
).map(lambda d: json.dumps(d, ensure_ascii=False))
_nested = st.builds(
    lambda n, open_, close: open_ * n + close * n,
    st.integers(1, 200_000),
    st.sampled_from(["[", '{"a":']),
    st.sampled_from(["]", "}", ""]),
)
_lines = st.one_of(st.text(max_size=400), _requests, _nested).map(
    lambda line: line.replace("\r", " ").replace("\n", " ")
)
CHECK = '{"id": "check", "question": "How many troops are in Syria?"}'


@given(_lines)
def test_any_line_gets_one_json_line_and_the_next_line_its_answer(line):
    result = run_retrieval("batch", stdin=f"{line}\n{CHECK}\n")
    out = result.stdout.split("\n")[:-1]
    expected = 2 if line.strip() else 1
    assert len(out) == expected, result.stderr
    replies = [json.loads(item) for item in out]
    assert replies[-1]["id"] == "check" and "fewer than 1,000 troops" in replies[-1]["answer"]
    if expected == 2:
        assert set(replies[0]) >= {"id"} and ("error" in replies[0] or "answer" in replies[0])
    assert "Traceback" not in result.stderr
