"""Citizens' personal data in the admin: masked where it is listed, shown in full only on request (audited),
and cleared once a handled message or a closed consultation is older than PERSONAL_DATA_RETENTION_YEARS.

The masks keep what an editor needs to tell two people apart (the surname, a phone number's first
three and last four digits, an address's first letter and domain) and nothing that reaches them.
Clearing blanks the name and contact fields and deletes a message's attachment; the message, its
reply and the statistics stay, and `anonymised_at` says when it was done.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Feedback, Message
from .models.messages import OPEN_STATUSES


def mask_name(name):
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone):
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(digits)


def mask_email(email):
    local, at, domain = (email or "").partition("@")
    if not at:
        return mask_contact(email)
    return f"{local[:1]}***@{domain}"


def mask_contact(text):
    """A free-form contact (a consultation's): an address or a number, masked as such; anything else starred."""
    text = (text or "").strip()
    if "@" in text:
        return mask_email(text)
    if re.search(r"\d{7,}", re.sub(r"[\s-]", "", text)):
        return mask_phone(text)
    return text[:1] + "***" if text else ""


def masked_contact(message):
    return " / ".join(value for value in (mask_phone(message.phone), mask_email(message.email)) if value)


def retention_cutoff(now=None):
    return (now or timezone.now()) - timedelta(days=365 * settings.PERSONAL_DATA_RETENTION_YEARS)


def anonymise_expired(now=None):
    """Clear the personal data of this site's messages handled and received before the cut-off, and of
    feedback on consultations closed before it. Returns (messages, feedback) counts; the caller audits."""
    cutoff = retention_cutoff(now)
    now = now or timezone.now()
    with transaction.atomic():
        expired = Message.objects.select_for_update().filter(received_at__lt=cutoff, anonymised_at=None).exclude(
            status__in=OPEN_STATUSES)
        attachments = [m.attachment for m in expired if m.attachment]
        messages = expired.update(name="", phone="", email="", attachment="", attachment_name="", anonymised_at=now)
        feedback = Feedback.objects.filter(consultation__closes_at__lt=cutoff).exclude(name="", contact="").update(
            name="", contact="")
    for attachment in attachments:  # after the commit: a rolled-back run keeps its files
        attachment.storage.delete(attachment.name)
    return messages, feedback
