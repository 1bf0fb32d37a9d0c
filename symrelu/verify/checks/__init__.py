"""The checks ``symrelu verify`` runs, one module each."""
