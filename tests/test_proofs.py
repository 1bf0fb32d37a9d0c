"""``symrelu proofs``: the committed proof book checks clean, tampering is caught, builds are byte-identical."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import cvc5  # noqa: F401  (the dev extra installs it: the second opinion must run)
import pytest
from conftest import REPO_ROOT
from shared_runs import PROOFS_CHECK_GROUP, symrelu_in_checkout

from symrelu.cli.main import main
from symrelu.proofs_support import PendingItem, check_book, find_layout
from symrelu.proofs_support.build import claim_verdict
from symrelu.verify import Obligation, Runner, SolverAnswer, Verdict, Z3Backend

SMALL = ("c3_training_stable.py", "c7_clarke_sets.py")
SMALL_BOOK_GROUP = "small-book"  # one worker builds the small book once for all its tests


@pytest.mark.xdist_group(PROOFS_CHECK_GROUP)
def test_committed_proofs_check_passes() -> None:
    """CI gate: every committed .smt2 re-runs with Z3 and cvc5 as expected and nothing is stale.

    The run (``symrelu proofs check`` in the checkout) is shared with the README's example of it."""
    done = symrelu_in_checkout("proofs", "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("proofs check OK:"), done.stdout


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in ("timings.json", ".gitignore")}


def test_a_fresh_build_is_byte_identical_to_the_committed_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A build elsewhere (``--out``, ``--report``) writes exactly the committed files, which another process built
    at another time, possibly in another folder; no absolute path leaks into them."""
    out, report = tmp_path / "artifacts", tmp_path / "REPORT.md"
    assert main(["proofs", "build", "--root", str(REPO_ROOT), "--out", str(out), "--report", str(report)]) == 0
    capsys.readouterr()
    fresh, committed = _files(out), _files(REPO_ROOT / "proofs" / "artifacts")
    assert fresh == committed
    assert report.read_bytes() == (REPO_ROOT / "proofs" / "REPORT.md").read_bytes()
    assert any(name.endswith(".smt2") for name in fresh)
    assert (out / "timings.json").is_file()
    for name, data in [*fresh.items(), ("REPORT.md", report.read_bytes())]:
        text = data.decode("utf-8")
        assert str(tmp_path) not in text and str(REPO_ROOT) not in text, f"absolute path inside {name}"


@pytest.fixture(scope="module")
def small_book_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary repository with two claim modules, built and checked once (never the real files)."""
    root = tmp_path_factory.mktemp("small_book")
    (root / "proofs").mkdir()
    for name in SMALL:
        shutil.copy(REPO_ROOT / "proofs" / name, root / "proofs" / name)
    assert main(["proofs", "build", "--root", str(root)]) == 0
    assert main(["proofs", "check", "--root", str(root)]) == 0
    return root


@pytest.fixture()
def small_book(small_book_built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A fresh copy of the built small book for one test to tamper with."""
    capsys.readouterr()
    return Path(shutil.copytree(small_book_built, tmp_path / "book"))


def _check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["proofs", "check", "--root", str(root)])
    return code, capsys.readouterr().out


@pytest.mark.xdist_group(SMALL_BOOK_GROUP)
def test_tampered_smt2_fails(small_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rel = "c3_training_stable/invariant--consecution.smt2"
    path = small_book / "proofs" / "artifacts" / rel
    path.write_text(path.read_text().replace("(assert (> eta 0.0))", "(assert (> eta (- 1.0)))"))
    code, out = _check(small_book, capsys)
    assert code == 1
    assert f"{rel}: sha256 differs" in out
    assert f"{rel}: STALE" in out


@pytest.mark.xdist_group(SMALL_BOOK_GROUP)
def test_tampered_smt2_with_a_wrong_status_fails(small_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Drop the invariant from the consecution step: the formula becomes sat, both solvers say so."""
    rel = "c3_training_stable/invariant--consecution.smt2"
    path = small_book / "proofs" / "artifacts" / rel
    path.write_text(path.read_text().replace("(assert (and (= w1 w2) (> w1 0.0) (>= (/ 1.0 2.0) w1)))\n", ""))
    code, out = _check(small_book, capsys)
    assert code == 1
    assert f"{rel}: expected unsat, z3" in out and f"{rel}: expected unsat, cvc5" in out


@pytest.mark.xdist_group(SMALL_BOOK_GROUP)
def test_changed_expected_status_fails(small_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_book / "proofs" / "artifacts" / "c3_training_stable.json"
    data = json.loads(path.read_text())
    data["items"][0]["obligations"][0]["expected_status"] = "sat"
    rel = data["items"][0]["obligations"][0]["file"]
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    code, out = _check(small_book, capsys)
    assert code == 1
    assert f"{rel}: the file declares :status unsat, but c3_training_stable.json expects sat" in out
    assert f"{rel}: expected sat, z3" in out
    assert "c3_training_stable.json: STALE" in out


@pytest.mark.xdist_group(SMALL_BOOK_GROUP)
def test_stale_extra_file_and_missing_report_fail(small_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_book / "proofs" / "artifacts" / "c3_training_stable" / "old--gone.smt2").write_text("(check-sat)\n")
    (small_book / "proofs" / "REPORT.md").unlink()
    code, out = _check(small_book, capsys)
    assert code == 1
    assert "c3_training_stable/old--gone.smt2: not listed by any claim result" in out
    assert "REPORT.md: missing" in out


@dataclass(frozen=True)
class SaysSat:
    """A broken second solver: sat for everything, no model."""

    @property
    def name(self) -> str:
        return "says-sat"

    def check(self, obligation: Obligation, timeout_s: float) -> SolverAnswer:
        return SolverAnswer("says-sat", "sat", reason="no model")


@pytest.mark.xdist_group(SMALL_BOOK_GROUP)
def test_solver_disagreement_fails(small_book: Path) -> None:
    layout = find_layout(small_book)
    honest = Runner(timeout_s=30, isolate=False, require_all=True)
    liar = Runner(backends=(Z3Backend(), SaysSat()), timeout_s=30, isolate=False, require_all=True)
    result = check_book(layout, layout.artifacts, layout.report, liar, build_runner=honest)
    assert not result.ok
    assert any("c3_training_stable/invariant--consecution.smt2: SOLVERS DISAGREE" in p for p in result.problems)


def test_root_not_found_is_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["proofs", "check"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot find the repository's proofs/ folder" in err[0]


def test_pending_is_never_proved() -> None:
    verdict, reason = claim_verdict([PendingItem("later", "waits", "symrelu.verify.some_check")])
    assert verdict == Verdict.UNKNOWN.value and "pending" in reason
