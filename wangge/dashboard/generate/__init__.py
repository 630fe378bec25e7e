"""`wangge generate --scale district|town`: deterministic synthetic data for load and benchmarks."""
