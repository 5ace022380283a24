"""Every user-facing text, in one place so they can be reviewed (and translated) together.

Texts are HTML (the bot's parse mode); placeholders are filled with escaped values.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_, _


@dataclass(frozen=True)
class Command:
    name: str
    args: str
    description: str


COMMANDS = (
    Command("ask", "QUESTION", N_("Ask a question about the articles")),
    Command("brief", "", N_("A short briefing of the current article")),
    Command("source", "N", N_("Show sentence N (or A:N) in its paragraph")),
    Command("add", "TEXT|URL", N_("Add an article (or reply /add to a message, or send a file)")),
    Command("articles", "", N_("List this chat's articles")),
    Command("use", "N", N_("Send questions to article N (/use all: every article)")),
    Command("remove", "N", N_("Remove article N")),
    Command("follow", "URL", N_("Follow a news feed: its new stories become articles")),
    Command("feeds", "", N_("List the feeds this chat follows")),
    Command("unfollow", "N", N_("Stop following feed N")),
    Command("watch", "on|off", N_("Links posted here become articles")),
    Command("schedule", "HH:MM [timezone]", N_("Post a daily briefing of new articles")),
    Command("unschedule", "", N_("Stop the daily briefing")),
    Command("language", "CODE|auto", N_("Choose the language I speak here")),
    Command("help", "", N_("What I can do")),
    Command("start", "", N_("Say hello and see what I know")),
)
ADMIN_COMMANDS = frozenset(
    {"add", "remove", "follow", "unfollow", "watch", "schedule", "unschedule", "language"}
)

DESCRIPTION = N_(
    "I answer questions about news articles with the article's own sentences, each cited, "
    "and never make anything up. Ask me in a private chat, mention me in a group, "
    "or type @ my name in any chat."
)
SHORT_DESCRIPTION = N_("Answers questions about a news article, quoting and citing it.")

START = N_(
    "Hello! I answer questions about a news article using only its own sentences, "
    "each cited like [3].\n\n"
    "I know this article: {about}\n\n"
    "Try:\n• {example1}\n• {example2}\n\n"
    "/help lists everything I can do."
)

HELP_INTRO = N_(
    "Ask me anything about the article: in a private chat just type your question; "
    "in a group, mention me (@{username} ...) or reply to one of my messages."
)
HELP_INLINE = N_(
    "In any chat, type @{username} and a question to share an answer "
    "(an empty query offers the briefing)."
)

ASK_USAGE = N_("Please put your question after the command, e.g. <code>/ask {example}</code>")
EMPTY_MENTION = N_("Yes? Ask me a question about the article, e.g. <i>{example}</i>")
NO_TERMS = N_(
    "I couldn't find anything to look up in that. "
    "Ask about something in the article, e.g. <i>{example}</i>"
)
CLOSEST = N_("The closest it comes:")
DOESNT_SAY = N_("The article doesn't say.")
NEAR_MISS = N_("Not a direct answer; the closest the article comes:")
READING_ACROSS = N_(
    "I'm still reading this chat's English articles so that questions in your language "
    "find them: ask again in a minute."
)
SOURCE = N_("Source: {source}")
LINK = N_("link")
SOURCE_USAGE = N_("Please give a sentence number from 1 to {count}, e.g. <code>/source 3</code>")
SOURCE_HEADING = N_("Sentence {number} of {count}, paragraph {paragraph}:")
BRIEF_HEADING = N_("<b>Briefing:</b> {about}")
TEXT_ONLY = N_("I can only read text questions. Please type your question about the article.")
UNKNOWN_COMMAND = N_("I don't know that command. /help lists the ones I have.")
TOO_LONG = N_("That question is too long for me. Please keep it under 4,096 characters.")
RATE_LIMITED = N_(
    "You're asking faster than I can keep up with. Please wait a minute; I'll answer again then."
)
SOMETHING_WENT_WRONG = N_("Sorry, something went wrong on my side. Please try again in a moment.")
INLINE_ANSWER_TITLE = N_("Answer from {about}")
INLINE_BRIEF_TITLE = N_("Briefing: {about}")
INLINE_NO_ANSWER = N_("The article doesn't say")

ABOUT_UNKNOWN = N_("an article without a title")
ABOUT_LIBRARY = N_("your articles")

LIBRARY_EMPTY = N_("This chat has no articles yet. Add one with /add and a link or the text.")
NO_SUCH_ARTICLE = N_("There is no article {number} here. /articles lists them.")
ADD_USAGE = N_(
    "Send <code>/add</code> followed by a link or the article text, reply <code>/add</code> "
    "to a message holding the text, or send a .txt, .md or .html file."
)
ADDED = N_("Added as article <b>{number}</b>: {about}")
ALREADY_THERE = N_("That article is already here as number <b>{number}</b>.")
ADD_FAILED = N_("I couldn't add that: {reason}")
WEB_LINKS_ONLY = N_("I can add http:// and https:// links only.")
BUSY = N_("I'm busy: {reason}.")
FILE_TYPES = N_("I can add .txt, .md and .html files only.")
FILE_TOO_BIG = N_("That file is too big; articles are limited to 2 MB.")
FILE_UNAVAILABLE = N_("I couldn't download that file from Telegram. Please send it again.")
FOLLOW_USAGE = N_(
    "Send <code>/follow</code> and a feed's link (RSS, Atom or JSON Feed), or a news site's "
    "page that names its feed."
)
NOT_A_FEED = N_(
    "That link is not a feed, and the page names none. Look for an RSS or Atom link on "
    "the site and send that."
)
FOLLOW_FAILED = N_("I couldn't follow that feed: {reason}")
FOLLOWING = N_(
    "Following <b>{name}</b> ({entries} entries there now). Its newest stories arrive as "
    "articles within a minute; /feeds lists what this chat follows."
)
NO_FEEDS = N_("This chat follows no feeds. Send <code>/follow</code> and a feed's link.")
FEEDS_HEADING = N_("<b>Feeds here</b>:")
FEED_LINE = N_("{number}. <b>{name}</b>: {items} articles, last new {last}{state}")
FEED_PAUSED = N_(" (paused)")
FEED_ERROR = N_("\n   last error: {error}")
OPML_CAPTION = N_("This chat's feeds as OPML: any feed reader imports it.")
OPML_FAILED = N_("I couldn't read that OPML file: {reason}")
OPML_FOLLOWED = N_("Following {count} of the {listed} feeds the file lists.")
WATCH_ON = N_(
    "Watching this chat: links posted here become articles, without a reply. "
    "<code>/watch off</code> stops it."
)
WATCH_OFF = N_("No longer watching this chat for links.")
WATCHING = N_("Links posted here become articles. <code>/watch off</code> stops it.")
NOT_WATCHING = N_("Links posted here are not added. <code>/watch on</code> adds them as articles.")
WATCH_PRIVATE = N_(
    "Here, just send me a link and I'll offer to add it. <code>/watch</code> is for "
    "groups and channels."
)
WATCH_USAGE = N_("Send <code>/watch on</code> or <code>/watch off</code>.")
UNFOLLOW_USAGE = N_("Please give a feed number from /feeds.")
UNFOLLOWED = N_("No longer following <b>{name}</b>. Its articles stay until they age out.")
FEED_FIRST_ITEMS = N_("From <b>{name}</b>: {count} new articles ({numbers}). Ask away.")
FEED_PAUSED_NOTICE = N_(
    "I stopped checking <b>{name}</b>: it has failed for days ({error}). "
    "/unfollow it and /follow it again to retry."
)
ARTICLES_HEADING = N_("<b>Articles here</b> (questions go to {target}):")
TARGET_ALL = N_("all of them")
TARGET_ONE = N_("number {number}")
USE_USAGE = N_("Please give an article number from /articles, or <code>/use all</code>.")
USING = N_("Questions now go to article <b>{number}</b>: {about}")
USING_ALL = N_("Questions now search all of this chat's articles.")
REMOVE_USAGE = N_("Please give the number of the article to remove, e.g. <code>/remove 3</code>.")
REMOVED = N_("Removed article {number}.")
CANNOT_REMOVE = N_("Article {number} isn't one this chat added, so it can't be removed here.")
ADMINS_ONLY = N_("Only this group's administrators can do that.")
SCHEDULE_USAGE = N_(
    "Please give a time and optionally a time zone, e.g. "
    "<code>/schedule 08:30 Europe/Berlin</code> (default UTC)."
)
SCHEDULED = N_(
    "Every day at {time} ({tz}) I'll post a briefing of the articles added since the last one."
)
UNSCHEDULED = N_("The daily briefing is off.")
NOT_SCHEDULED = N_("There was no daily briefing to stop.")
BAD_TIMEZONE = N_("I don't know the time zone {tz}. Try a name like Europe/London or UTC.")
DIGEST_HEADING = N_("<b>Daily digest</b> \u2014 {count} new article(s) from {feeds} feed(s)")
DIGEST_ADDED_HERE = N_("Added here")
DAILY_HEADING = N_("<b>Daily briefing</b> — {count} new article(s)")
DAILY_MORE = N_("…and {count} more; /articles lists them all.")
NOTHING_NEW = N_("No new articles since the last briefing.")


STATS = N_(
    "<b>Since {since} UTC</b> ({hours:.1f} h, {processes} bot process(es))\n"
    "Questions answered: {questions}\n"
    "The article didn't say: {abstained} ({rate:.1f} %)\n"
    "Median answer time: {p50}\n"
    "Articles stored: {articles}"
)


def command_list() -> str:
    return "\n".join(
        f"/{c.name}{' ' + c.args if c.args else ''} \u2014 {_(c.description)}" for c in COMMANDS
    )


SHARED_CHOICE = N_("What should I do with it?")
ADD_IT = N_("Add it")
ASK_ABOUT_IT = N_("Ask about it")
SHARED_ASK_PROMPT = N_(
    "What would you like to know about it? Reply to this message with your question."
)
SHARED_ASK_PLACEHOLDER = N_("Your question")
SHARED_GONE = N_("I can't see that message any more. Please send it again.")
SHARED_FAILED = N_("Sorry, I couldn't read that: {reason}")
SHARED_PROMPT_EXPIRED = N_(
    "I no longer remember what that question was about. Please share it again and press "
    "\u201cAsk about it\u201d."
)
RESTARTING = N_("I'm restarting right now; please ask again in a minute.")

LANGUAGE_CURRENT = N_(
    "I speak {language} in this chat ({how}). Choose another with "
    "<code>/language CODE</code>: {choices}. <code>/language auto</code> answers each "
    "person in their Telegram app's language."
)
LANGUAGE_FROM_APP = N_("your Telegram app's language")
LANGUAGE_CHOSEN = N_("chosen with /language")
LANGUAGE_SET = N_("From now on I speak {language} in this chat.")
LANGUAGE_AUTO = N_("From now on I answer each person in their Telegram app's language.")
LANGUAGE_USAGE = N_(
    "I don't speak that one. Choose one of: {choices}, or <code>/language auto</code>."
)
