from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread(request):
    """The unread count on 通知 in the navigation: one COUNT over the (user, read_at) index, made only when
    a page shows it (an htmx fragment does not)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(
        lambda: Notification.objects.filter(user=user, read_at__isnull=True).count())}
