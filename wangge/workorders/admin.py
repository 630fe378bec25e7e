from django.contrib import admin

from .choices import HolidaySource
from .models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The working-day calendar: public holidays off and weekend make-up working days. Official rows come
    from `wangge holidays --year N`; a row typed or changed here is a local setting the seeding keeps."""

    list_display = ("date", "name", "is_working_day", "source")
    list_filter = ("is_working_day", "source")
    ordering = ("-date",)
    readonly_fields = ("source",)

    def save_model(self, request, obj, form, change):
        if not change or form.changed_data:
            obj.source = HolidaySource.LOCAL
        super().save_model(request, obj, form, change)
