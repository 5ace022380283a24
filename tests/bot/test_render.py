from bot.render import MAX_MESSAGE, pack, trim_at_clause


def test_pack_keeps_short_parts_in_one_message():
    assert pack(["a [1]", "b [2]", "<i>Source: X</i>"]) == ["a [1]\n\nb [2]\n\n<i>Source: X</i>"]


def test_long_answers_split_between_sentences_never_inside():
    sentences = [f"Sentence number {i} {'x' * 300}. [{i}]" for i in range(1, 31)]
    messages = pack(sentences)
    assert len(messages) > 1
    assert all(len(m) <= MAX_MESSAGE for m in messages)
    rejoined = [part for m in messages for part in m.split("\n\n")]
    assert rejoined == sentences


def test_a_giant_sentence_is_cut_at_spaces_as_a_last_resort():
    giant = " ".join(["word"] * 2000)
    messages = pack([giant])
    assert all(len(m) <= MAX_MESSAGE for m in messages)
    assert " ".join(messages).split() == giant.split()


def test_trim_keeps_short_sentences_whole():
    assert trim_at_clause("Troops are leaving, officials said.") == (
        "Troops are leaving, officials said."
    )


def test_trim_cuts_at_a_clause_and_keeps_the_attribution():
    text = (
        '"U.S. forces remain poised to respond to any ISIS threats that arise in the region '
        "as we support partner-led efforts to prevent the terrorist network's resurgence,\" "
        'the administration officials said, but the U.S. presence "at scale" in the country '
        "is no longer needed given Syrian President Ahmed al-Sharaa's government's willingness "
        "to take responsibility for addressing terrorist threats inside the nation."
    )
    trimmed = trim_at_clause(text, limit=220)
    assert trimmed.startswith('"U.S. forces remain poised')
    assert "\u2026" in trimmed
    assert len(trimmed) < len(text)
    # the cut falls on a clause boundary: what is kept is a prefix of whole clauses
    kept = trimmed.split(" \u2026")[0]
    assert text.startswith(kept) and text[len(kept)] in ", ;:"


def test_trim_never_cuts_inside_a_clause():
    text = "x" * 500
    assert trim_at_clause(text) == text
