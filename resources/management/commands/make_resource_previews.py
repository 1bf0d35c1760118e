from django.core.management.base import BaseCommand

from resources.previews import queue_waiting


class Command(BaseCommand):
    help = (
        "Make the previews still waiting (lost jobs, files uploaded before previews existed); "
        "with --retry also those that failed or had no converter. Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--retry", action="store_true")

    def handle(self, *args, retry=False, **options):
        self.stdout.write(f"Previews started: {queue_waiting(retry=retry)}")
