from django.contrib import admin

from .models import OwnerRule


@admin.register(OwnerRule)
class OwnerRuleAdmin(admin.ModelAdmin):
    list_display = ["owner_type", "receiver", "deadline_month", "deadline_day"]
