from django.core.management.base import BaseCommand

from notifications.delivery import send_digests


class Command(BaseCommand):
    help = (
        "Send today's digest e-mail to everyone who chose the daily digest and has not had it "
        "yet; safe to run from cron as often as you like (each person gets one a day)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Digests sent: {send_digests(respect_hour=False)}")
