"""Figure providers: one small function per module, `provider(user, period) -> Section | None`.

Each returns its module's figures over what the user may see (None when the user may see none of
it), every figure with the URL of the list behind it, already filtered. A module that lands later
(vaccination, screening, sampling, special groups) adds one file here and one line below; nothing
else changes. Figures come from the modules' own figure functions, never recomputed differently.
"""

from . import economy, inspections, places, residents, risk, sampling, vaccination, workorders

# The inspections provider comes first and answers a list (a round and its look-back): see collect().
PROVIDERS = [
    workorders.provide,
    places.provide,
    risk.provide,
    economy.provide,
    sampling.provide,
    residents.provide,
    vaccination.provide,
]


def collect(user, period, rounds=None):
    """Every section the user may see, in the dashboard's order; `rounds` (dashboard.rounds.pick) names the
    inspection round shown, by default the largest active one."""
    return [*inspections.provide(user, period, rounds),
            *(section for provide in PROVIDERS if (section := provide(user, period)) is not None)]
