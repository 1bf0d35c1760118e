from celery import shared_task

from . import delivery, services


@shared_task(name="notifications.send_reminders")
def send_reminders() -> int:
    return services.send_reminders()


@shared_task(name="notifications.send_digests")
def send_digests() -> int:
    return delivery.send_digests()


@shared_task(name="notifications.send_notice_emails")
def send_notice_emails(ids: list[int]) -> int:
    return delivery.email_notices(ids)
