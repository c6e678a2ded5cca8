from .consultations import ConsultationPage, ConsultationQuestion, ConsultationState, Feedback
from .messages import Category, InvalidReason, Message, Status, statistics
from .pages import MailboxPage

__all__ = [
    "Category", "ConsultationPage", "ConsultationQuestion", "ConsultationState", "Feedback", "InvalidReason",
    "MailboxPage", "Message", "Status", "statistics",
]
