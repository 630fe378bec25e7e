"""`wangge generate --scale district|town [--seed N] [--force] [--background]`: synthetic data through bulk
paths, as a recorded background job with a progress bar (dashboard/generate/job.py).

district: 100,000 premises, 500,000 inspections (two answers each), 200,000 residents, 50,000 work
orders, in a generated district (code 310199) of 10 towns, 200 neighbourhoods and 1,000 grids with
boundaries; town: about a twentieth. Deterministic for a seed. Refuses a database that already holds
premises, residents or inspections outside the generated district (a real town's data) unless --force,
and does nothing when the district was generated already.
"""

from wangge.core.management.job_command import JobCommand

from ...generate.scales import SCALES


class Command(JobCommand):
    help = "Generate deterministic synthetic data at district or town scale (for load tests and benchmarks)"
    job_kind = "generate"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--force", action="store_true",
                            help="run even though the database holds data the generator did not make")

    def job_params(self, *, scale, seed=2022, force=False, **options) -> dict:
        return {"scale": scale, "seed": seed, "force": force}

    def handle(self, *args, **options):
        self.stdout.write(f"Generating {options['scale']} scale (seed {options.get('seed', 2022)}):")
        made = self.run_job(**options).result
        if made.get("exists"):
            self.stdout.write("The generated district exists already: nothing to do.")
            return
        for label, seconds in made["timings"].items():
            self.stdout.write(f"  {label:<12} {seconds:7.1f} s")
        self.stdout.write(self.style.SUCCESS(
            f"{made['premises']:,} premises, {made['residents']:,} residents, {made['inspections']:,} inspections, "
            f"{made['work_orders']:,} work orders in {sum(made['timings'].values()):.1f} s."))
