"""Parallel and distributed check: same answer as serial on a Dask LocalCluster; forged worker results are rejected."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from symrelu.check import check_property, load_vnnlib, parse_vnnlib
from symrelu.check.engine import _split
from symrelu.check.search import BoxOutcome, BoxTask, search_box, verify_outcome
from symrelu.loaders import load_network
from symrelu.network import Network

ABS = Network.from_rows([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])  # |x|
BOX = ((Fraction(-1), Fraction(1)),)


def test_local_cluster_gives_the_serial_answers(shared_nets: Path) -> None:
    from dask.distributed import Client, LocalCluster

    prop = load_vnnlib(shared_nets / "test_small.vnnlib")
    net = load_network(shared_nets / "test_small.onnx")
    fragile = Path(__file__).parent.parent / "symrelu" / "examples" / "nets"
    cases = [(net, prop)] + [
        (load_network(fragile / f"{name}.onnx"), load_vnnlib(fragile / f"{name}.vnnlib")) for name in ("peak_equal_sat", "peak_strict_unsat")
    ]
    # test_unsat with X_0 widened to [-0.32, -0.27] (Marabou 2.0 also answers unsat): the root box alone
    # does not decide it, so workers run
    text = (shared_nets / "test_prop.vnnlib").read_text(encoding="utf-8")
    text = text.replace("-0.30353115613746867", "-0.32").replace("-0.29855281193475053", "-0.27")
    wide = (load_network(shared_nets / "test_unsat.onnx"), parse_vnnlib(text))
    cases.append(wide)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, Client(cluster) as client:
        for network, prop_ in cases:
            serial = check_property(network, prop_)
            distributed = check_property(network, prop_, client=client)
            assert distributed.result == serial.result
            assert distributed.stats["pool"].startswith("dask")
            if (network, prop_) is wide:
                assert serial.result == "unsat" and distributed.stats["tasks"] > 1  # sub-boxes came back from workers
            if serial.result == "sat":
                assert prop_.holds(distributed.inputs, distributed.outputs) == 0


def test_local_processes_give_the_serial_answer() -> None:
    fragile = Path(__file__).parent.parent / "symrelu" / "examples" / "nets"
    net, prop = load_network(fragile / "tiny_above_unsat.onnx"), load_vnnlib(fragile / "tiny_above_unsat.vnnlib")
    assert check_property(net, prop, jobs=2).result == check_property(net, prop).result == "unsat"


def _task(strict: bool) -> BoxTask:
    return BoxTask(ABS, (((Fraction(-1),), Fraction(1), strict),), ((Fraction(0),),), BOX, 100)  # |x| >(=) 1


def test_forged_unsat_certificates_are_rejected() -> None:
    task = _task(strict=False)  # sat at x = +-1: no honest unsat exists
    real = search_box(task)
    assert real.status == "sat"
    forged_trees = [
        ("cert", (1, 0)),  # a multiplier choice that proves nothing
        ("cert", (5, 7)),
        ("cert", (-1, 0)),  # negative multiplier
        ("z3",),  # claims Z3 said unsat
        ("split", 0, Fraction(0), ("cert", (1, 0)), ("cert", (0, 1))),
        ("split", 0, Fraction(3), ("z3",), ("z3",)),  # split point outside the box
        ("split", 0, Fraction(0), ("z3",)),  # malformed
        ("nonsense",),
    ]
    for tree in forged_trees:
        assert verify_outcome(task, BoxOutcome("unsat", tree=tree)) == "unknown", tree
    assert verify_outcome(task, BoxOutcome("sat", witness=(Fraction(1, 2),))) == "unknown"  # |1/2| < 1
    assert verify_outcome(task, BoxOutcome("sat", witness=(Fraction(1),))) == "sat"


def test_honest_certificates_pass_and_tampering_fails() -> None:
    task = _task(strict=True)
    honest = search_box(task)
    assert honest.status == "unsat" and verify_outcome(task, honest) == "unsat"
    shrunk = replace(task, box=((Fraction(-1), Fraction(2)),))  # the same tree does not cover a larger box's truth
    assert verify_outcome(shrunk, honest) == "unknown"


def test_split_covers_the_box() -> None:
    pieces = _split(_task(strict=True), 8)
    assert len(pieces) >= 8
    edges = sorted((p.box[0][0], p.box[0][1]) for p in pieces)
    assert edges[0][0] == -1 and edges[-1][1] == 1
    assert all(a[1] == b[0] for a, b in zip(edges, edges[1:], strict=False))


@pytest.mark.parametrize("jobs", [0, -3])
def test_absurd_jobs(jobs: int) -> None:
    from symrelu.errors import InputFormatError

    with pytest.raises(InputFormatError):
        check_property(ABS, load_vnnlib(Path(__file__).parent.parent / "symrelu" / "examples" / "nets" / "peak_equal_sat.vnnlib"), jobs=jobs)


def test_progress_moves_as_sub_boxes_finish(shared_nets: Path, local_dask: object) -> None:
    text = (shared_nets / "test_prop.vnnlib").read_text(encoding="utf-8")
    text = text.replace("-0.30353115613746867", "-0.32").replace("-0.29855281193475053", "-0.27")
    net, prop = load_network(shared_nets / "test_unsat.onnx"), parse_vnnlib(text)
    nodes: list[int] = []
    result = check_property(net, prop, client=local_dask, progress=nodes.append)
    assert result.result == "unsat" and result.stats["tasks"] > 1
    # one report per finished sub-box (then one per disjunct), counting the boxes explored so far
    assert len(nodes) >= result.stats["tasks"] and nodes == sorted(nodes) and nodes[-1] == result.stats["nodes"]
