"""Benchmarks against the LHA tables and the reference library eko (not run by default)."""
