"""Snapshot every quarter that was already *Disahkan* before snapshots existed, with the same
code the approval runs (``freeze_quarter`` over this migration's models), dated by the
quarter's last approval event."""

from django.db import migrations


def snapshot_approved(apps, schema_editor):
    from django.utils import timezone

    from kinerja.record.snapshots import freeze_quarter

    Submission = apps.get_model("monitoring", "QuarterSubmission")
    Event = apps.get_model("monitoring", "SubmissionEvent")
    Snapshot = apps.get_model("record", "QuarterSnapshot")
    for sub in Submission.objects.filter(status="approved").order_by("pk"):
        if Snapshot.objects.filter(agency_id=sub.agency_id, year=sub.year,
                                   quarter=sub.quarter).exists():
            continue
        event = (Event.objects.filter(submission_id=sub.pk, to_status="approved")
                 .order_by("-at", "-pk").first())
        freeze_quarter(agency_id=sub.agency_id, year=sub.year, quarter=sub.quarter,
                       actor=None, at=event.at if event else timezone.now(), apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("record", "0001_initial"),
        ("monitoring", "0005_exact_numbers"),
        ("planning", "0004_exact_numbers"),
    ]

    operations = [migrations.RunPython(snapshot_approved, migrations.RunPython.noop)]
