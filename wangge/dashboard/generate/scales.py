"""How much each scale generates. District: the issue's figures; town: about a twentieth of them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    towns: int
    neighbourhoods_per_town: int
    grids_per_neighbourhood: int
    premises: int
    inspections: int
    residents: int
    work_orders: int
    campaigns: int = 5  # inspection rounds; the latest has a task per premises

    @property
    def grids(self) -> int:
        return self.towns * self.neighbourhoods_per_town * self.grids_per_neighbourhood


SCALES = {
    "district": Scale(towns=10, neighbourhoods_per_town=20, grids_per_neighbourhood=5, premises=100_000,
                      inspections=500_000, residents=200_000, work_orders=50_000),
    "town": Scale(towns=1, neighbourhoods_per_town=10, grids_per_neighbourhood=5, premises=5_000,
                  inspections=25_000, residents=10_000, work_orders=2_500),
}
