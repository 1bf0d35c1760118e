from django.core.management.base import BaseCommand

from notifications.reports_notices import reminders


class Command(BaseCommand):
    help = (
        "Remind communities' leaders of the year's reports due soon or overdue (also part of "
        "send_reminders); safe to run again."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Year's report reminders sent: {reminders()}")
