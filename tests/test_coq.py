"""The Coq line of evidence: every proofs/coq file compiles with only the standard axioms, gaps and false
statements are refused, a missing Coq fails, and user problems get a Coq-checked C1 certificate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from symrelu.cli.main import main
from symrelu.errors import InputFormatError, ShapeError
from symrelu.params.problem import problem_from_dict
from symrelu.proofs_support import coq
from symrelu.proofs_support.certificate import LIBRARY_FILES, c1_certificate, check_certificate

COQ_DIR = REPO_ROOT / "proofs" / "coq"
CLAIMS = [f"C{k}" for k in range(1, 8)]
COQ_BOOK_GROUP = "small-coq-book"  # one worker builds the small Coq book once for all its tests


def _require_coq() -> None:
    if coq.coqc_path() is None:
        pytest.fail("Coq not installed: run scripts/setup.sh (the README's test command installs it)", pytrace=False)


def _texts(*names: str) -> dict[str, str]:
    return {n: (COQ_DIR / n).read_text(encoding="utf-8") for n in names}


def test_every_coq_file_compiles_with_standard_axioms_only() -> None:
    """coqc accepts every file (compiled in a temporary folder, never in the checkout), each claim C1-C7 has a file
    whose main theorems print only the reals' axioms (primitive floats only for the interval enclosure)."""
    _require_coq()
    before = sorted(p.name for p in COQ_DIR.iterdir())
    run = coq.check_folder(COQ_DIR)
    assert run.problems == (), run.problems
    assert sorted(p.name for p in COQ_DIR.iterdir()) == before, "coqc wrote into the checkout"
    assert all(f.status == "compiled" for f in run.files)
    for ident in CLAIMS:
        files = run.for_claim(ident)
        assert files and all(f.theorems for f in files), ident
        assert run.claim_checked(ident)
    for f in run.files:
        for theorem, axioms in f.theorems:
            kinds = {coq.axiom_kind(a) for a in axioms}
            assert None not in kinds
            assert "ClassicalDedekindReals.sig_forall_dec" in axioms  # the reals are really used
            if theorem != "c6_interval_enclosure":
                assert kinds == {"reals"}, (theorem, axioms)


def test_sources_have_no_gaps_and_every_main_theorem_is_printed() -> None:
    for path in sorted(COQ_DIR.glob("*.v")):
        text = path.read_text(encoding="utf-8")
        assert coq.forbidden_words(text) == [], path.name
        body = coq.strip_comments(text)
        for theorem in coq._THEOREM.findall(body):
            assert f"Print Assumptions {theorem}." in body, (path.name, theorem)


def test_committed_coq_record_matches_the_sources() -> None:
    """artifacts/coq.json (written by `symrelu proofs build`) lists every file with its hash and clean axioms."""
    record = json.loads((REPO_ROOT / "proofs" / "artifacts" / "coq.json").read_text())
    assert record["problems"] == []
    files = {f["file"]: f for f in record["files"]}
    assert set(files) == {p.name for p in COQ_DIR.glob("*.v")}
    for name, entry in files.items():
        assert entry["status"] == "compiled"
        assert entry["sha256"] == coq.sha256_text((COQ_DIR / name).read_text(encoding="utf-8"))
        for theorem in entry["theorems"].values():
            assert "REFUSED" not in theorem["kinds"]


def test_a_false_statement_is_rejected() -> None:
    """C5 with G^2 = 19/10 instead of 2 is false (c5_sqrt2_is_tight); Coq must refuse the file."""
    _require_coq()
    texts = _texts("SymReluLib.v", "C5_clarke_condition.v")
    original = "inD th -> inD th' -> Rabs (loss (fst th) (snd th) - loss (fst th') (snd th')) <= sqrt 2 * enorm (vsub th th')."
    assert original in texts["C5_clarke_condition.v"]
    texts["C5_clarke_condition.v"] = texts["C5_clarke_condition.v"].replace(
        original, original.replace("sqrt 2 *", "sqrt (19 / 10) *"))
    run = coq.check_texts(texts)
    statuses = {f.name: f.status for f in run.files}
    assert statuses == {"SymReluLib.v": "compiled", "C5_clarke_condition.v": "rejected"}
    assert any("C5_clarke_condition.v: COQ REJECTED IT" in p for p in run.problems)


def test_gaps_and_foreign_axioms_are_refused() -> None:
    _require_coq()
    lib = _texts("SymReluLib.v")
    admitted = "From SymRelu Require Import SymReluLib.\nTheorem c9_x : False.\nProof. Admitted.\n"
    run = coq.check_texts({**lib, "C9_x.v": admitted})
    assert any("C9_x.v: contains Admitted" in p for p in run.problems)
    axiom = "From SymRelu Require Import SymReluLib.\nAxiom cheat : False.\nTheorem c9_y : False.\nProof. exact cheat. Qed.\n"
    run = coq.check_texts({**lib, "C9_y.v": axiom})
    assert any("C9_y.v: contains Axiom" in p for p in run.problems)
    no_print = "From SymRelu Require Import SymReluLib.\nTheorem c9_z : True.\nProof. exact I. Qed.\n"
    run = coq.check_texts({**lib, "C9_z.v": no_print})
    assert any("main theorem c9_z has no Print Assumptions line" in p for p in run.problems)
    printed = coq.parse_assumptions("Axioms:\nMy.cheat : False\n")
    assert printed == [("My.cheat",)] and coq.axiom_kind("My.cheat") is None


@pytest.mark.xdist_group(COQ_BOOK_GROUP)
def test_coq_missing_fails_the_check(small_coq_book: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(coq, "coqc_path", lambda: None)
    code = main(["proofs", "check", "--root", str(small_coq_book)])
    out = capsys.readouterr().out
    assert code == 1
    assert "Coq not installed" in out


@pytest.fixture(scope="module")
def small_coq_book_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary repository with one claim module and a one-file Coq folder, built with Coq present (once)."""
    _require_coq()
    root = tmp_path_factory.mktemp("small_coq_book")
    (root / "proofs" / "coq").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "proofs" / "c7_clarke_sets.py", root / "proofs")
    (root / "proofs" / "coq" / "C7_tiny.v").write_text(
        "Require Import Reals.\nOpen Scope R_scope.\nTheorem c7_tiny : 1 + 1 = 2.\nProof. ring. Qed.\n"
        "Print Assumptions c7_tiny.\n")
    assert main(["proofs", "build", "--root", str(root)]) == 0
    assert main(["proofs", "check", "--root", str(root)]) == 0
    report = (root / "proofs" / "REPORT.md").read_text()
    assert "| **yes** (1 theorems, `C7_tiny.v`) |" in report
    return root


@pytest.fixture()
def small_coq_book(small_coq_book_built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A fresh copy of the built small Coq book for one test to change."""
    capsys.readouterr()
    return Path(shutil.copytree(small_coq_book_built, tmp_path / "book"))


PAPER = {"network": {"layers": [{"weight": [["w1"], ["w2"]], "bias": ["0", "0"]},
                                {"weight": [["1", "1"]], "bias": ["0"]}]},
         "data": [{"x": ["1"], "y": ["1"]}], "loss": "squared"}
OTHER = {"network": {"layers": [{"weight": [["w1", "2"], ["w2", "w3"], ["1/2", "-1"]], "bias": ["b1", "b2", "1/3"]},
                                {"weight": [["a1", "-3/2", "a3"]], "bias": ["c"]}]},
         "data": [{"x": ["1", "-1/2"], "y": ["1"]}, {"x": ["-2", "3"], "y": ["-1/4"]}, {"x": ["0", "1"], "y": ["2"]}],
         "loss": "squared"}


def _library() -> list[tuple[str, str]]:
    return [(n, (COQ_DIR / n).read_text(encoding="utf-8")) for n in LIBRARY_FILES]


@pytest.mark.parametrize("spec", [PAPER, OTHER], ids=["paper-instance", "three-neurons-two-inputs"])
def test_c1_certificate_is_accepted_by_coq(spec: dict[str, object]) -> None:
    _require_coq()
    cert = c1_certificate(problem_from_dict(spec), "test")
    run = check_certificate(cert.text, _library())
    assert run.problems == (), run.problems
    assert dict(next(f for f in run.files if f.name == "Problem_c1.v").theorems)["c1_problem"]


def test_c1_certificate_with_a_wrong_kink_point_is_rejected() -> None:
    """Move theta* off the kink: the side condition 'pre-activation = 0' fails and Coq refuses the file."""
    _require_coq()
    cert = c1_certificate(problem_from_dict(PAPER), "test")
    assert "0%nat => 0 | 1%nat => (1 / 2)" in cert.text  # kink point (0, 1/2), found exactly
    broken = cert.text.replace("0%nat => 0 | 1%nat => (1 / 2)", "0%nat => (1 / 10) | 1%nat => (1 / 2)")
    run = check_certificate(broken, _library())
    assert any("Problem_c1.v: COQ REJECTED IT" in p for p in run.problems)


def test_c1_certificate_refuses_smooth_and_deep_problems() -> None:
    tied = json.loads((REPO_ROOT / "symrelu" / "examples" / "problem_tied_relu.json").read_text())
    with pytest.raises(InputFormatError, match="no kink point"):
        c1_certificate(problem_from_dict(tied), "tied")
    deep = json.loads((REPO_ROOT / "symrelu" / "examples" / "problem_two_layer.json").read_text())
    with pytest.raises(ShapeError, match="one hidden layer"):
        c1_certificate(problem_from_dict(deep), "deep")


def test_proofs_coq_command_on_the_bundled_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _require_coq()
    out = tmp_path / "paper_c1.v"
    code = main(["proofs", "coq", str(REPO_ROOT / "symrelu" / "examples" / "paper_instance.json"),
                 "--root", str(REPO_ROOT), "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "C1 PROVED for this problem" in text and out.read_text().startswith("(** * C1 for paper_instance.json")


@pytest.mark.xdist_group(COQ_BOOK_GROUP)
def test_an_edited_coq_file_makes_the_record_stale(small_coq_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_coq_book / "proofs" / "coq" / "C7_tiny.v"
    path.write_text(path.read_text() + "(* edited *)\n")
    code = main(["proofs", "check", "--root", str(small_coq_book)])
    out = capsys.readouterr().out
    assert code == 1
    assert "coq.json: STALE" in out


@pytest.mark.xdist_group(COQ_BOOK_GROUP)
def test_a_rejected_coq_file_fails_the_check(small_coq_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_coq_book / "proofs" / "coq" / "C7_tiny.v"
    path.write_text(path.read_text().replace("1 + 1 = 2", "1 + 1 = 3"))
    code = main(["proofs", "check", "--root", str(small_coq_book)])
    out = capsys.readouterr().out
    assert code == 1
    assert "C7_tiny.v: COQ REJECTED IT" in out


def test_compiled_files_are_reused_by_their_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a cache folder, a run reuses every file compiled before from the same text and libraries (coqc runs
    only on the new file), judges as an uncached run does, and compiles again what an edited library touches."""
    _require_coq()
    calls: list[str] = []
    compile_one = coq._compile_one

    def counting(coqc: str, folder: Path, name: str, timeout_s: float) -> tuple[int, str, str]:
        calls.append(name)
        return compile_one(coqc, folder, name, timeout_s)

    monkeypatch.setattr(coq, "_compile_one", counting)
    coq._check_texts_once.cache_clear()
    monkeypatch.setenv(coq.CACHE_VARIABLE, str(tmp_path))
    lib = "Definition two := 2.\n"
    use = "From SymRelu Require Import Lib.\nTheorem c9_{0} : two = 2.\nProof. reflexivity. Qed.\nPrint Assumptions c9_{0}.\n"
    first = coq.check_texts({"Lib.v": lib, "C9_a.v": use.format("a")})
    second = coq.check_texts({"Lib.v": lib, "C9_b.v": use.format("b")})
    assert calls == ["Lib.v", "C9_a.v", "C9_b.v"]
    assert first.problems == second.problems == () and dict(second.files[0].theorems) == {"c9_b": ()}
    monkeypatch.delenv(coq.CACHE_VARIABLE)
    assert coq.check_texts({"Lib.v": lib, "C9_b.v": use.format("b")}).files == second.files
    monkeypatch.setenv(coq.CACHE_VARIABLE, str(tmp_path))
    calls.clear()
    edited = coq.check_texts({"Lib.v": "Definition two := 1 + 1.\n", "C9_b.v": use.format("b")})
    assert calls == ["Lib.v", "C9_b.v"] and edited.problems == ()
