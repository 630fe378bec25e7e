"""A command whose work is a background job (background.py): it records the job, then runs it here with a
progress bar, or with --background hands it to the worker (Celery, or the embedded `wangge worker`) and
follows it with the same bar. Either way the job page shows who ran what, when, and how it went."""

import sys

from django.core.management import CommandError

from wangge.core import background

from .base import WanggeCommand

WIDTH = 30


class ProgressBar:
    """`[#########.....]  45%  450/1,000` on stderr, redrawn in place on a terminal; elsewhere (a log, cron's
    mail) one line per tenth, so the output stays short. The job's messages go there too; stdout keeps the
    command's own summary."""

    def __init__(self, stream, tty: bool | None = None):
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.shown = -1
        self.open = False

    def progress(self, done: int, total: int) -> None:
        if total <= 0:
            return
        done = max(0, min(done, total))
        percent = 100 * done // total
        step = percent if self.tty else percent // 10 * 10
        if step == self.shown:
            return
        self.shown = step
        filled = WIDTH * done // total
        line = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {percent:3d}%  {done:,}/{total:,}"
        if self.tty:
            self.stream.write("\r" + line)
            self.open = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def say(self, text: str) -> None:
        self.end()
        self.stream.write(text + "\n")

    def end(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.open = False


class JobCommand(WanggeCommand):
    job_kind = ""

    def add_arguments(self, parser):
        parser.add_argument("--background", action="store_true",
                            help="hand the work to the background worker and follow its progress here")

    def job_params(self, **options) -> dict:
        return {}

    def run_job(self, **options):
        """Run (or hand over and follow) the job; its messages are printed, a failure is one line, exit 2."""
        params = self.job_params(**options)
        bar = ProgressBar(getattr(self.stderr, "_out", sys.stderr))
        if options.get("background"):
            job = background.submit(self.job_kind, None, params)
            bar.say(f"job {job.pk} handed to the worker")
            job = background.follow(job.pk, bar)
            for text in job.messages:
                bar.say(text)
        else:
            job = background.run_here(self.job_kind, None, params, echo=bar)
        bar.end()
        if job.status != "done":
            raise CommandError(job.error or f"job {job.pk} did not finish ({job.status})")
        return job

