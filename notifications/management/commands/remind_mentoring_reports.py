from django.core.management.base import BaseCommand

from notifications.mentoring_notices import remind_reports


class Command(BaseCommand):
    help = (
        "Remind the sides of mentoring pairs of the reports they owe (from two weeks before "
        "the due date); safe to run from cron as often as you like (each report once)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Mentoring report reminders sent: {remind_reports()}")
