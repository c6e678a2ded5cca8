"""Folding a township into its county, interaction's part: citizen messages and consultation feedback
follow their pages (columns.signals.pages_copied), tracking codes unchanged, so a citizen's code
still finds the answer on the county's site. Attachments are copied."""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.dispatch import receiver
from django_tenants.utils import schema_context

from columns.signals import pages_copied

from .models import ConsultationQuestion, Feedback, Message

_QUESTIONS = ConsultationQuestion._meta.label_lower


@receiver(pages_copied)
def copy_messages(sender, source, target, fold, **kwargs):
    """In the county's schema (the current one), with the township's rows read from its own."""
    with schema_context(source.schema_name):
        messages = list(Message.objects.values())
        feedback = list(Feedback.objects.values())
    private_source = Path(settings.PRIVATE_MEDIA_ROOT) / source.schema_name
    copied = []
    for values in messages:
        values = dict(values)
        values.pop("id")
        values["mailbox_id"] = fold.page_ids.get(values.pop("mailbox_id"))
        values["assignee_id"] = values["replied_by_id"] = None  # accounts of the township's schema
        attachment = values.pop("attachment") or ""
        message = Message(**values)
        if attachment:
            path = private_source / attachment
            if path.is_file():
                with open(path, "rb") as handle:
                    message.attachment.save(Path(attachment).name, File(handle), save=False)
                fold.written_files.append(message.attachment.path)
        copied.append(message)
    # bulk_create: Message.save would recompute fields the township already settled.
    Message.objects.bulk_create(copied)
    questions = fold.row_ids.get(_QUESTIONS, {})
    rows = []
    for values in feedback:
        consultation = fold.page_ids.get(values["consultation_id"])
        if consultation is None:
            continue
        answers = {str(questions.get(int(k), k)) if str(k).isdigit() else k: v
                   for k, v in (values["answers"] or {}).items()}
        rows.append(Feedback(consultation_id=consultation, submitted_at=values["submitted_at"],
                             name=values["name"], contact=values["contact"], answers=answers,
                             comment=values["comment"]))
    Feedback.objects.bulk_create(rows)
    fold.counts["messages"] = len(copied)
