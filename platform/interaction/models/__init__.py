from .messages import Category, InvalidReason, Message, Status, statistics
from .pages import MailboxPage

__all__ = ["Category", "InvalidReason", "MailboxPage", "Message", "Status", "statistics"]
