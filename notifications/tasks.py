from celery import shared_task

from . import delivery, services


@shared_task(name="notifications.send_reminders")
def send_reminders() -> int:
    return services.send_reminders()


@shared_task(name="notifications.send_digests")
def send_digests() -> int:
    return delivery.send_digests()
