"""`wangge rotate_keys [--background]`: re-encrypt every personal field with the newest key in
WANGGE_FIELD_KEYS, as a recorded background job (core/key_rotation.py) with a progress bar.

Rotation: put a new key first in WANGGE_FIELD_KEYS (keep the old ones after it), restart, run this,
then drop the old keys. See docs/SECURITY.md.
"""

from wangge.core.management.job_command import JobCommand


class Command(JobCommand):
    help = "Re-encrypt personal fields with the newest key."
    job_kind = "rotate_keys"

    def handle(self, *args, **options):
        job = self.run_job(**options)
        self.stdout.write(f"re-encrypted {job.result['values']} value(s)")
