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
    Command("ask", "QUESTION", "Ask a question about the articles"),
    Command("brief", "", "A short briefing of the current article"),
    Command("source", "N", "Show sentence N (or A:N) in its paragraph"),
    Command("add", "TEXT|URL", "Add an article (or reply /add to a message, or send a file)"),
    Command("articles", "", "List this chat's articles"),
    Command("use", "N", "Send questions to article N (/use all: every article)"),
    Command("remove", "N", "Remove article N"),
    Command("follow", "URL", "Follow a news feed: its new stories become articles"),
    Command("feeds", "", "List the feeds this chat follows"),
    Command("unfollow", "N", "Stop following feed N"),
    Command("watch", "on|off", "Links posted here become articles"),
    Command("schedule", "HH:MM [timezone]", "Post a daily briefing of new articles"),
    Command("unschedule", "", "Stop the daily briefing"),
    Command("help", "", "What I can do"),
    Command("start", "", "Say hello and see what I know"),
)
ADMIN_COMMANDS = frozenset(
    {"add", "remove", "follow", "unfollow", "watch", "schedule", "unschedule"}
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
ABOUT_LIBRARY = "your articles"

LIBRARY_EMPTY = "This chat has no articles yet. Add one with /add and a link or the text."
NO_SUCH_ARTICLE = "There is no article {number} here. /articles lists them."
ADD_USAGE = (
    "Send <code>/add</code> followed by a link or the article text, reply <code>/add</code> "
    "to a message holding the text, or send a .txt, .md or .html file."
)
ADDED = "Added as article <b>{number}</b>: {about}"
ALREADY_THERE = "That article is already here as number <b>{number}</b>."
ADD_FAILED = "I couldn't add that: {reason}"
WEB_LINKS_ONLY = "I can add http:// and https:// links only."
BUSY = "I'm busy: {reason}."
FILE_TYPES = "I can add .txt, .md and .html files only."
FILE_TOO_BIG = "That file is too big; articles are limited to 2 MB."
FILE_UNAVAILABLE = "I couldn't download that file from Telegram. Please send it again."
FOLLOW_USAGE = (
    "Send <code>/follow</code> and a feed's link (RSS, Atom or JSON Feed), or a news site's "
    "page that names its feed."
)
NOT_A_FEED = (
    "That link is not a feed, and the page names none. Look for an RSS or Atom link on "
    "the site and send that."
)
FOLLOW_FAILED = "I couldn't follow that feed: {reason}"
FOLLOWING = (
    "Following <b>{name}</b> ({entries} entries there now). Its newest stories arrive as "
    "articles within a minute; /feeds lists what this chat follows."
)
NO_FEEDS = "This chat follows no feeds. Send <code>/follow</code> and a feed's link."
FEEDS_HEADING = "<b>Feeds here</b>:"
FEED_LINE = "{number}. <b>{name}</b>: {items} articles, last new {last}{state}"
FEED_PAUSED = " (paused)"
FEED_ERROR = "\n   last error: {error}"
OPML_CAPTION = "This chat's feeds as OPML: any feed reader imports it."
OPML_FAILED = "I couldn't read that OPML file: {reason}"
OPML_FOLLOWED = "Following {count} of the {listed} feeds the file lists."
WATCH_ON = (
    "Watching this chat: links posted here become articles, without a reply. "
    "<code>/watch off</code> stops it."
)
WATCH_OFF = "No longer watching this chat for links."
WATCHING = "Links posted here become articles. <code>/watch off</code> stops it."
NOT_WATCHING = "Links posted here are not added. <code>/watch on</code> adds them as articles."
WATCH_PRIVATE = (
    "Here, just send me a link and I'll offer to add it. <code>/watch</code> is for "
    "groups and channels."
)
WATCH_USAGE = "Send <code>/watch on</code> or <code>/watch off</code>."
UNFOLLOW_USAGE = "Please give a feed number from /feeds."
UNFOLLOWED = "No longer following <b>{name}</b>. Its articles stay until they age out."
FEED_FIRST_ITEMS = "From <b>{name}</b>: {count} new articles ({numbers}). Ask away."
FEED_PAUSED_NOTICE = (
    "I stopped checking <b>{name}</b>: it has failed for days ({error}). "
    "/unfollow it and /follow it again to retry."
)
ARTICLES_HEADING = "<b>Articles here</b> (questions go to {target}):"
TARGET_ALL = "all of them"
TARGET_ONE = "number {number}"
USE_USAGE = "Please give an article number from /articles, or <code>/use all</code>."
USING = "Questions now go to article <b>{number}</b>: {about}"
USING_ALL = "Questions now search all of this chat's articles."
REMOVE_USAGE = "Please give the number of the article to remove, e.g. <code>/remove 3</code>."
REMOVED = "Removed article {number}."
CANNOT_REMOVE = "Article {number} isn't one this chat added, so it can't be removed here."
ADMINS_ONLY = "Only this group's administrators can do that."
SCHEDULE_USAGE = (
    "Please give a time and optionally a time zone, e.g. "
    "<code>/schedule 08:30 Europe/Berlin</code> (default UTC)."
)
SCHEDULED = (
    "Every day at {time} ({tz}) I'll post a briefing of the articles added since the last one."
)
UNSCHEDULED = "The daily briefing is off."
NOT_SCHEDULED = "There was no daily briefing to stop."
BAD_TIMEZONE = "I don't know the time zone {tz}. Try a name like Europe/London or UTC."
DIGEST_HEADING = "<b>Daily digest</b> \u2014 {count} new article(s) from {feeds} feed(s)"
DIGEST_ADDED_HERE = "Added here"
DAILY_HEADING = "<b>Daily briefing</b> — {count} new article(s)"
DAILY_MORE = "…and {count} more; /articles lists them all."
NOTHING_NEW = "No new articles since the last briefing."


STATS = (
    "<b>Since {since} UTC</b> ({hours:.1f} h, {processes} bot process(es))\n"
    "Questions answered: {questions}\n"
    "The article didn't say: {abstained} ({rate:.1f} %)\n"
    "Median answer time: {p50}\n"
    "Articles stored: {articles}"
)


def command_list() -> str:
    return "\n".join(
        f"/{c.name}{' ' + c.args if c.args else ''} \u2014 {c.description}" for c in COMMANDS
    )


SHARED_CHOICE = "What should I do with it?"
ADD_IT = "Add it"
ASK_ABOUT_IT = "Ask about it"
SHARED_ASK_PROMPT = (
    "What would you like to know about it? Reply to this message with your question."
)
SHARED_ASK_PLACEHOLDER = "Your question"
SHARED_GONE = "I can't see that message any more. Please send it again."
SHARED_FAILED = "Sorry, I couldn't read that: {reason}"
SHARED_PROMPT_EXPIRED = (
    "I no longer remember what that question was about. Please share it again and press "
    "\u201cAsk about it\u201d."
)
RESTARTING = "I'm restarting right now; please ask again in a minute."
