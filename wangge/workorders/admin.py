from django.contrib import admin

from .models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The working-day calendar: public holidays off and weekend make-up working days."""

    list_display = ("date", "name", "is_working_day")
    list_filter = ("is_working_day",)
    ordering = ("-date",)
