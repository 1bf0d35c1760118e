from celery import shared_task

from . import aggregation


@shared_task(name="activity.aggregate_activity")
def aggregate_activity() -> int:
    return aggregation.aggregate()
