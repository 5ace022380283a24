"""Who may change a chat's library: anyone in private chats, administrators in groups."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot import texts
from bot.i18n import _
from bot.replies import send_reply
from bot.state import Context

log = logging.getLogger("bot.admin")

_ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def may_manage(update: Update, context: Context) -> bool:
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    if not context.bot_data.settings.admins_only:
        return True
    if (
        message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    ):
        return True  # an anonymous administrator posts as the group itself
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as error:
        log.warning("could not check administrator status: %s", error)
        return False
    return member.status in _ADMIN_STATUSES


Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


def admins_only(handler: Handler) -> Handler:
    """The handler runs for those who ``may_manage``; anyone else is told who may."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: Context) -> None:
        if not await may_manage(update, context):
            if update.callback_query is not None:  # a button: the answer shows as an alert
                await update.callback_query.answer(_(texts.ADMINS_ONLY), show_alert=True)
            else:
                await send_reply(update, [_(texts.ADMINS_ONLY)])
            return
        await handler(update, context)

    return guarded
