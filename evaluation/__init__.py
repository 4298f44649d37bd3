"""Scoring Seamline's outputs against the demo world's ground truth (tests and benchmarks share it)."""
