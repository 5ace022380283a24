"""The Telegram bot: questions in private and group chats, briefings, inline mode."""
