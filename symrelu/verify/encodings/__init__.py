"""Exact encodings: networks, losses, spectral norms, intervals and closures as formulas."""
