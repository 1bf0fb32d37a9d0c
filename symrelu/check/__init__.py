"""Exact property verification (VNN-LIB): sat with a replayed witness, unsat with checked certificates."""
