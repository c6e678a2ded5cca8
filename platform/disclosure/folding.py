"""Folding a township into its county, disclosure's part: applications follow their page
(columns.signals.pages_copied) with their history, files and 复议/诉讼 records, tracking codes unchanged, so an
applicant's code still finds the answer on the county's site and the county's annual report
counts them. Accounts of the township's schema are not carried: the rows keep their names."""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.dispatch import receiver
from django_tenants.utils import schema_context

from columns.signals import pages_copied

from .models import Application, ApplicationEvent, ApplicationFile, RemedyCase


@receiver(pages_copied)
def copy_applications(sender, source, target, fold, **kwargs):
    """In the county's schema (the current one), with the township's rows read from its own."""
    with schema_context(source.schema_name):
        applications = list(Application.objects.values())
        events = list(ApplicationEvent.objects.values())
        files = list(ApplicationFile.objects.values())
        cases = list(RemedyCase.objects.values())
    new_ids = {}
    for values in applications:
        old_id = values.pop("id")
        values["page_id"] = fold.page_ids.get(values["page_id"])
        values["answered_by_id"] = values["created_by_id"] = None
        new_ids[old_id] = Application.objects.create(**values).pk
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(**{**values, "id": None, "application_id": new_ids[values["application_id"]]})
        for values in events
    )
    RemedyCase.objects.bulk_create(
        RemedyCase(**{**values, "id": None, "recorded_by_id": None,
                      "application_id": new_ids[values["application_id"]]})
        for values in cases
    )
    private_source = Path(settings.PRIVATE_MEDIA_ROOT) / source.schema_name
    for values in files:
        path = private_source / values["file"]
        row = ApplicationFile(application_id=new_ids[values["application_id"]], kind=values["kind"],
                              name=values["name"], uploaded_at=values["uploaded_at"])
        if path.is_file():
            with open(path, "rb") as handle:
                row.file.save(Path(values["file"]).name, File(handle), save=False)
            fold.written_files.append(row.file.path)
            row.save()
    fold.counts["applications"] = len(new_ids)
