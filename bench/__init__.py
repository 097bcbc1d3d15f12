"""Benchmarks: `python -m bench.run [--quick] [--json bench/results.json]` (see bench/README.md)."""
