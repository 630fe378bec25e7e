from wangge.core.management.base import WanggeCommand
from wangge.workorders.delivery import deliver_due


class Command(WanggeCommand):
    help = ("Send the notifications due on e-mail, WeCom and SMS, retrying failed ones with back-off "
            "(run every minute from a timer when there is no Celery beat; safe to run twice at once).")

    def handle(self, *args, **options):
        counts = deliver_due()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
