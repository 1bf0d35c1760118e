from django.core.management.base import BaseCommand

from devtools.demo import DEMO_PASSWORD, load_demo
from notifications.delivery import muted

LOGINS = [
    ("admin", "superuser"),
    ("centre", "centre admin of Энская область"),
    ("curator", "curator of the network professional groups"),
    ("coordinator", "coordinator of the lead-school network «Компас»"),
    ("director", "school admin (director) of СШ № 14: approves plans"),
    ("deputy", "deputy director of СШ № 14: agrees plans before the director approves"),
    ("leader", "leader of the natural-science-and-maths PLC"),
    ("teacher", "teacher, PLC member"),
    ("mentor", "mentor in a leaders' network pair"),
    ("mentee", "mentee in a leaders' network pair"),
    ("mugalim", "teacher in a Kazakh-speaking district: the interface in Kazakh"),
]


class Command(BaseCommand):
    help = "Load the demo region (invented people); running it again changes nothing."

    def handle(self, *args, **options):
        # The demo's history (meetings held weeks ago, signed minutes) asks nobody to act now.
        with muted():
            counts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded: " + ", ".join(f"{k}: {v}" for k, v in counts.items())
            )
        )
        self.stdout.write(f"Demo logins (password «{DEMO_PASSWORD}»):")
        for login, what in LOGINS:
            self.stdout.write(f"  {login:<12} {what}")
