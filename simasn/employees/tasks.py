"""Background jobs of the employees app (run by `manage.py db_worker`)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from simasn.core.errors import DomainError

from .models import ImportBatch

logger = logging.getLogger(__name__)


@task()
def run_import_batch(batch_id: int, actor_id: int) -> dict:
    """Commit a large import batch; the outcome is recorded on the batch itself for the progress page."""
    from . import importing

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    actor = get_user_model().objects.filter(pk=actor_id, is_active=True).first()
    if batch is None or actor is None:
        return {"status": "missing", "batch_id": batch_id}
    try:
        batch = importing.batch_commit(actor=actor, batch=batch)
    except DomainError as exc:
        # Expected refusals (stale preview, failed write) are already written onto the batch.
        logger.info("import batch %s not committed: %s", batch_id, exc.message)
        return {"status": "refused", "batch_id": batch_id, "code": exc.code, "detail": exc.message}
    return {"status": batch.status, "batch_id": batch_id, "created": batch.created_count,
            "updated": batch.updated_count}
