"""A forwarded message or a bare link in a private chat: "Add it" or "Ask about it".

People share a story before they know what they want from it. Instead of
reading a link as a question, the bot offers both: "Add it" adds it to the
chat's library as ``/add`` would (``library_handlers.add_shared``); "Ask about
it" asks for a question, and a reply with one is answered from the shared
article without adding it (``handlers.answer_question``); the pending prompt is
kept in the store, so any replica, or the bot after a restart, answers it. In groups the same
questions are asked by replying to the shared message and mentioning the bot.
"""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import texts
from bot.i18n import _
from bot.replies import library, link_or_text, pressed_payload
from bot.state import Context
from library import off_loop

ADD = "shared:add"
ASK = "shared:ask"
CHOICES = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton(_(texts.ADD_IT), callback_data=ADD),
            InlineKeyboardButton(_(texts.ASK_ABOUT_IT), callback_data=ASK),
        ]
    ]
)


async def offer_choices(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or link_or_text(message) is None:
        return
    await message.reply_text(_(texts.SHARED_CHOICE), reply_markup=CHOICES, do_quote=True)


async def ask_shared(update: Update, context: Context) -> None:
    """The "Ask about it" button: prompt for a question, remembering what it is about."""
    payload = await pressed_payload(update)
    if payload is None or update.effective_chat is None:
        return
    prompt = await context.bot.send_message(
        update.effective_chat.id,
        _(texts.SHARED_ASK_PROMPT),
        reply_markup=ForceReply(input_field_placeholder=_(texts.SHARED_ASK_PLACEHOLDER)),
    )
    # In the store, not chat_data: the reply may reach another replica, or a restarted bot.
    await off_loop(
        library(context).asking.remember_prompt,
        update.effective_chat.id,
        prompt.message_id,
        payload,
    )
