"""Landscapes, verify batches and the progress of split work: local processes and a Dask LocalCluster
give the serial results, byte for byte, and progress moves as tasks finish."""

from __future__ import annotations

import json
import socket
import threading
import time
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest

from symrelu.cli.main import main
from symrelu.errors import InputFormatError, SolverError, TooLargeError
from symrelu.network import Network
from symrelu.parallel import DaskPool, ProcessPool, SerialPool, dask_client
from symrelu.params import find_kinks, landscape_payload
from symrelu.params.kinks import search_for
from symrelu.params.landscape import enumerate_parameter_regions
from symrelu.params.landscape_tasks import recheck_kink
from symrelu.params.problem import Problem, problem_from_dict


def grid_spec(neurons: int, points: int) -> dict[str, Any]:
    """Hidden neuron j is relu(w_j x - 1), output sum of (-1)^j relu(...), data x_i = i + 1: the switches
    are w_j = 1/x_i, so (points + 1)^neurons regions and neurons * points * (points + 1)^(neurons - 1) kinks."""
    return {
        "network": {"layers": [
            {"weight": [[f"w{j}"] for j in range(neurons)], "bias": ["-1"] * neurons},
            {"weight": [[str((-1) ** j) for j in range(neurons)]], "bias": ["0"]},
        ]},
        "data": [{"x": [str(i + 1)], "y": [str(F(i % 3, 2))]} for i in range(points)],
        "loss": "squared",
        "domain": {f"w{j}": ["-2", "2"] for j in range(neurons)},
    }


def cubic_jumps() -> Problem:
    """Affine switches but a trainable output weight: the gradient jumps are cubic, so kinks need Z3."""
    net = Network.from_rows([([["w"], ["v"]], ["b", "1/3"]), ([["a", "1"]], ["0"])])
    return Problem(net, [((F(1),), (F(1),)), ((F(-1, 2),), (F(0),))], "squared", {"w": ("-1", "1"), "v": ("-1", "1"), "b": ("-1", "1"), "a": ("1/2", "2")})


def bilinear() -> Problem:
    """A switch bilinear in the parameters (the nonlinear path, which stays in this process)."""
    net = Network.from_rows([([["w"]], ["b"]), ([["a"]], ["0"])], output_relu=True)
    return Problem(net, [((F(1),), (F(1),)), ((F(-1),), (F(0),))], "squared", {"w": ("-1", "1"), "b": ("-1", "1"), "a": ("-1", "1")})


def document(problem: Problem, **where: Any) -> str:
    land = enumerate_parameter_regions(problem, progress=False, **where)
    return json.dumps(landscape_payload(land, find_kinks(land, **where), **where), sort_keys=True)


def test_landscape_is_the_serial_one_on_processes_and_dask(local_dask: Any) -> None:
    grid = problem_from_dict(grid_spec(3, 3))
    serial = document(grid)
    counts = json.loads(serial)
    assert (counts["count"], len(counts["kinks"])) == (4**3, 3 * 3 * 4**2)  # the grid's closed-form counts
    with ProcessPool(2) as pool:
        assert document(grid, pool=pool) == serial
    assert document(grid, client=local_dask) == serial


_SOLVER_CASES = """
import hashlib, json, sys
sys.path.insert(0, {tests!r})
from test_parallel_tasks import bilinear, cubic_jumps, document
from symrelu.parallel import ProcessPool
if __name__ == "__main__":
    with ProcessPool(int(sys.argv[1])) as pool:
        print(json.dumps([document(problem, pool=pool) for problem in (cubic_jumps(), bilinear())]))
"""


def test_pieces_for_z3_keep_the_serial_order_of_queries(tmp_path: Path) -> None:
    """Z3's models depend on the queries a process has asked before, so each run starts afresh: kinks that need
    Z3 (cubic jumps) come back from the workers undecided and are decided here in the serial order, and the
    nonlinear path stays here; the documents, witnesses included, are the serial ones."""
    import subprocess
    import sys

    script = tmp_path / "cases.py"
    script.write_text(_SOLVER_CASES.format(tests=str(Path(__file__).parent)), encoding="utf-8")
    runs = [subprocess.run([sys.executable, str(script), jobs], capture_output=True, text=True, check=True).stdout for jobs in ("1", "2")]
    assert runs[0] == runs[1]
    cubic, nonlinear = (json.loads(text) for text in json.loads(runs[0]))
    assert cubic["method"] == "polyhedral" and nonlinear["method"] == "nonlinear"
    assert any(len(k["jump"]) and any("**2" in j for j in k["jump"]) for k in cubic["kinks"])  # Z3 pieces were met


def test_split_enumeration_refuses_beyond_max_regions_as_serial(local_dask: Any) -> None:
    grid = problem_from_dict(grid_spec(3, 3))
    errors = []
    for where in ({}, {"client": local_dask}):
        with pytest.raises(TooLargeError) as info:
            enumerate_parameter_regions(grid, max_regions=40, progress=False, **where)
        errors.append((str(info.value), info.value.partial))
    assert errors[0] == errors[1] and errors[0][1] == 40


def test_forged_worker_kinks_are_refused() -> None:
    land = enumerate_parameter_regions(problem_from_dict(grid_spec(2, 2)), progress=False)
    kink = find_kinks(land)[0]
    search = search_for(land)
    below, above = land.region(kink.below), land.region(kink.above)
    recheck_kink(search, kink, below, above)  # the honest one passes
    assert kink.witness is not None
    moved = tuple(v + F(1, 10**6) for v in kink.witness)  # off the surface
    from dataclasses import replace

    for forged in (replace(kink, witness=moved), replace(kink, dangerous_witness=moved),
                   replace(kink, below=kink.above, above=kink.below if kink.below != kink.above else "x")):
        with pytest.raises(SolverError, match="re-check"):
            recheck_kink(search, forged, below, land.regions[-1] if forged.below != kink.below else above)


def _rendezvous(item: tuple[str, str]) -> bool:
    """Task 0 returns at once; task 1 waits (bounded) for the file that the caller's ``done`` for task 0 writes."""
    kind, path = item
    if kind == "first":
        return True
    for _ in range(6000):
        if Path(path).exists():
            return True
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("kind", ["serial", "processes", "dask"])
def test_done_is_called_as_each_task_finishes(kind: str, tmp_path: Path, local_dask: Any) -> None:
    pool = {"serial": SerialPool(), "processes": ProcessPool(2), "dask": DaskPool(local_dask)}[kind]
    flag = tmp_path / "first-done"
    seen: list[int] = []

    def done(index: int, result: bool) -> None:
        seen.append(index)
        if index == 0:
            flag.write_text("done", encoding="utf-8")

    # task 1 can only see the flag if done(0) ran while task 1 was still running: progress before the end
    assert pool.map(_rendezvous, [("first", str(flag)), ("second", str(flag))], done) == [True, True]
    assert seen == [0, 1]


def test_progress_advances_block_by_block(local_dask: Any) -> None:
    from symrelu.regions import enumerate_regions

    land = enumerate_parameter_regions(problem_from_dict(grid_spec(3, 3)), progress=False)
    counts: list[int] = []
    find_kinks(land, client=local_dask, progress=counts.append)
    serial: list[int] = []
    find_kinks(land, progress=serial.append)
    assert len(counts) > 2 and counts == sorted(counts) and counts[0] < counts[-1] == serial[-1] == len(serial)
    net = Network.from_rows([([[1, 0], [0, 1], [1, 1], [1, -1]], ["1/3", "-1/5", "1/7", 0]), ([[1, 1, 1, 1], [1, -1, 0, 1]], [0, "1/2"]), ([[1, 1]], [0])])
    cells: list[int] = []
    regions = enumerate_regions(net, [(-1, 1), (-1, 1)], progress=cells.append, client=local_dask)
    assert len(cells) > 2 and cells[0] < cells[-1] == len(regions)


def test_verify_batch_on_dask_gives_the_serial_outcomes(local_dask: Any) -> None:
    import z3

    from symrelu.verify.engine.obligation import Obligation
    from symrelu.verify.engine.runner import Runner

    x, y = z3.Reals("x y")
    obligations = [
        Obligation.build("square", [x * x < 0], check="demo", subject="none"),
        Obligation.build("half", [2 * x == 1, y > x], check="demo", subject="none", expected="sat"),
        Obligation.build("vacuous", [x > 1, x < 0, x * x < 0], check="demo", subject="none"),
        Obligation.build("refuted", [x > 0, x * y == 1, y < 0], check="demo", subject="none", expected="sat"),
    ]
    answered: list[str] = []
    serial = Runner(timeout_s=60, isolate=False).run(obligations)
    split = Runner(timeout_s=60, isolate=False, client=local_dask, on_answer=lambda a: answered.append(a.solver)).run(obligations)
    assert split == serial
    assert [o.verdict.value for o in serial] == ["PROVED", "PROVED", "UNKNOWN", "UNKNOWN"]
    assert len(answered) == 2 * (len(obligations) + 1)  # two solvers; one hypotheses check (for "square")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_cli_landscape_is_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str], local_dask: Any) -> None:
    problem = tmp_path / "grid.json"
    problem.write_text(json.dumps(grid_spec(2, 3)), encoding="utf-8")
    outputs = []
    for extra in ([], ["--jobs", "2"], ["--dask", local_dask.scheduler.address]):
        assert main(["landscape", str(problem), "--json", *extra]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2] and json.loads(outputs[0])["count"] == 16


def test_cli_verify_on_dask_writes_the_serial_artifacts(tmp_path: Path, capsys: pytest.CaptureFixture[str], local_dask: Any) -> None:
    """Each solver call still runs in a stoppable process, now started by a Dask worker."""
    runs = []
    for name, extra in (("serial", []), ("dask", ["--dask", local_dask.scheduler.address])):
        target = tmp_path / name
        assert main(["verify", "paper", "--checks", "gd_amplification_unbounded", "--json", "--artifacts", str(target), *extra]) == 0
        runs.append((capsys.readouterr().out, _tree(target)))
    assert runs[0] == runs[1] and json.loads(runs[0][0])["checks"][0]["verdict"] == "PROVED"


@pytest.mark.parametrize("command", [["landscape", "{problem}"], ["verify", "paper", "--checks", "gd_amplification_unbounded"],
                                     ["regions", "{net}", "--box=-1:1,-1:1"]])
@pytest.mark.parametrize("address", ["tcp://127.0.0.1:{closed}", "no-port-here"])
def test_bad_dask_address_is_one_line_and_exit_2(command: list[str], address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problem = tmp_path / "grid.json"
    problem.write_text(json.dumps(grid_spec(1, 1)), encoding="utf-8")
    net = tmp_path / "net.json"
    net.write_text(json.dumps({"layers": [{"weight": [["1", "0"]], "bias": ["0"]}, {"weight": [["1"]], "bias": ["0"]}]}), encoding="utf-8")
    with socket.socket() as probe:  # a port nobody listens on (bound, then closed)
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    args = [a.format(problem=problem, net=net) for a in command] + ["--dask", address.format(closed=closed)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Dask scheduler" in err and "Traceback" not in err, err


def test_a_silent_scheduler_is_given_up_after_the_timeout() -> None:
    """A port that accepts connections but never speaks Dask: the connection gives up, no hang."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        accepted: list[socket.socket] = []
        thread = threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True)
        thread.start()
        with pytest.raises(InputFormatError, match="cannot reach the Dask scheduler"):
            dask_client(f"tcp://127.0.0.1:{server.getsockname()[1]}", timeout_s=1)
        for connection in accepted:
            connection.close()
