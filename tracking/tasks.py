"""Background work of the tracking app (django_tasks)."""

from django_tasks import task

from . import services


@task()
def build_bulk_export(export_id):
    """Build the ZIP of BulkExport ``export_id`` (safe to run twice)."""
    return services.build_bulk_export(export_id)
