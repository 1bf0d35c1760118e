from django.core.management.base import BaseCommand

from activity.aggregation import aggregate


class Command(BaseCommand):
    help = "Fold the counted views and actions into the activity statistics; safe to repeat."

    def handle(self, *args, **options):
        self.stdout.write(f"Hits aggregated: {aggregate()}")
