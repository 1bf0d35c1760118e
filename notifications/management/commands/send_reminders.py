from django.core.management.base import BaseCommand

from notifications.services import send_reminders


class Command(BaseCommand):
    help = "Send due reminders once; safe to run from cron as often as you like."

    def handle(self, *args, **options):
        self.stdout.write(f"Reminders sent: {send_reminders()}")
