"""Background work of the tracking app (django_tasks)."""

from django_tasks import task

from . import services


@task()
def build_bulk_export(export_id):
    """Build the ZIP of BulkExport ``export_id`` (safe to run twice)."""
    return services.build_bulk_export(export_id)


@task()
def refresh_certification_states(agency_ids=None):
    """Rebuild the stored certification states of the trainees of
    ``agency_ids`` (all when None) after a change of what they require.
    Safe to run twice."""
    from . import certification

    return certification.refresh_all(agency_ids=agency_ids)
