"""The engine: obligations, two solvers, their workers, the runner, verdicts and artifacts."""
