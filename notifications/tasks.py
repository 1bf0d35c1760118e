from celery import shared_task

from . import services


@shared_task(name="notifications.send_reminders")
def send_reminders() -> int:
    return services.send_reminders()
