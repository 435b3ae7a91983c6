"""Benchmark suite for issue 6: see bench/README.md. Not shipped with the package."""
