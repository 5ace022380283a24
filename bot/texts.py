"""Every user-facing text, in one place so they can be reviewed (and translated) together.

Texts are HTML (the bot's parse mode); placeholders are filled with escaped values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    args: str
    description: str


COMMANDS = (
    Command("ask", "QUESTION", "Ask a question about the article"),
    Command("brief", "", "A short briefing of the article"),
    Command("source", "N", "Show sentence N in its paragraph"),
    Command("help", "", "What I can do"),
    Command("start", "", "Say hello and see what I know"),
)

DESCRIPTION = (
    "I answer questions about news articles with the article's own sentences, each cited, "
    "and never make anything up. Ask me in a private chat, mention me in a group, "
    "or type @ my name in any chat."
)
SHORT_DESCRIPTION = "Answers questions about a news article, quoting and citing it."

START = (
    "Hello! I answer questions about a news article using only its own sentences, "
    "each cited like [3].\n\n"
    "I know this article: {about}\n\n"
    "Try:\n• {example1}\n• {example2}\n\n"
    "/help lists everything I can do."
)

HELP_INTRO = (
    "Ask me anything about the article: in a private chat just type your question; "
    "in a group, mention me (@{username} ...) or reply to one of my messages."
)
HELP_INLINE = (
    "In any chat, type @{username} and a question to share an answer "
    "(an empty query offers the briefing)."
)

ASK_USAGE = "Please put your question after the command, e.g. <code>/ask {example}</code>"
EMPTY_MENTION = "Yes? Ask me a question about the article, e.g. <i>{example}</i>"
NO_TERMS = (
    "I couldn't find anything to look up in that. "
    "Ask about something in the article, e.g. <i>{example}</i>"
)
DOESNT_SAY = "The article doesn't say."
CLOSEST = "The closest it comes:"
SOURCE_USAGE = "Please give a sentence number from 1 to {count}, e.g. <code>/source 3</code>"
SOURCE_HEADING = "Sentence {number} of {count}, paragraph {paragraph}:"
BRIEF_HEADING = "<b>Briefing:</b> {about}"
TEXT_ONLY = "I can only read text questions. Please type your question about the article."
UNKNOWN_COMMAND = "I don't know that command. /help lists the ones I have."
TOO_LONG = "That question is too long for me. Please keep it under 4,096 characters."
RATE_LIMITED = (
    "You're asking faster than I can keep up with. Please wait a minute; I'll answer again then."
)
SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
INLINE_ANSWER_TITLE = "Answer from {about}"
INLINE_BRIEF_TITLE = "Briefing: {about}"
INLINE_NO_ANSWER = "The article doesn't say"

ABOUT_UNKNOWN = "an article without a title"


def command_list() -> str:
    return "\n".join(
        f"/{c.name}{' ' + c.args if c.args else ''} \u2014 {c.description}" for c in COMMANDS
    )
