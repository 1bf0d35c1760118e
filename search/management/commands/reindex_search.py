from django.core.management.base import BaseCommand

from search import services
from search.documents import SOURCES


class Command(BaseCommand):
    help = "Rebuild the search index from communities, people, posts, topics, resources, events."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=sorted(SOURCES), dest="kinds")
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, kinds=None, batch=2000, **options):
        written = services.reindex(kinds=kinds, batch=batch)
        self.stdout.write(f"search index: {written} entries")
