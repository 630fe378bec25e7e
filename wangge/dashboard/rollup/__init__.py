"""Per-grid roll-ups of the dashboard's counts (docs/DASHBOARD.md, "Roll-ups"): `compute` counts a set of
grids' figures from the source tables, `refresh` keeps GridFigure in step with the grids the triggers mark
stale, `read` sums them over what a user may see."""
