from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User, WorkerHeartbeat

admin.site.site_header = "STP Portal administration"
admin.site.site_title = "STP Portal administration"
admin.site.register(User, UserAdmin)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker", "last_seen"]
