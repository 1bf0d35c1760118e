import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collegium.settings")

app = Celery("collegium")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
