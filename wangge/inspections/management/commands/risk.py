
from wangge.core import audit
from wangge.core.management.base import WanggeCommand
from wangge.inspections import risk, scans


class Command(WanggeCommand):
    help = "Reassess venue-code scan compliance and recompute every premises' risk score (daily: deadlines pass)"

    def handle(self, *args, **options):
        with audit.audit_context(request_id="risk-job"):
            linked = scans.link_premises()
            assessed = scans.assess()
            count = risk.refresh_all()
        self.stdout.write(f"{linked} scan rows linked; {assessed['assessed']} premises assessed, "
                          f"{assessed['flagged']} flagged; {count} risk scores recomputed.")
