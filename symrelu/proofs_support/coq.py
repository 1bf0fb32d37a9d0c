"""Coq: compile ``proofs/coq/*.v`` with ``coqc``, record ``Print Assumptions``, admit only the standard axioms.

Every ``.v`` file is compiled (in dependency order, in a temporary folder,
never next to the sources) as part of the logical library ``SymRelu``. A file
passes when ``coqc`` accepts it, its source (comments stripped) contains none
of ``Admitted``, ``admit``, ``Axiom``, ``Parameter``, ``Conjecture``, every main
theorem (``Theorem cN_...``) has a ``Print Assumptions`` line, and every axiom
printed is one of the axioms of Coq's real numbers (plus functional
extensionality and excluded middle, which the Reals library uses) or, in the
one lemma that calls the Interval tactic, the specification axioms of Coq's
primitive integers and floats.

>>> strip_comments("Lemma a. (* Admitted (* nested *) *) Qed.")
'Lemma a.  Qed.'
>>> forbidden_words("Proof. admit. Admitted. (* Axiom *)")
['admit', 'Admitted']
>>> parse_assumptions("Axioms:\\nA.x : nat\\n  -> nat\\nB.y\\n  : Prop\\nClosed under the global context\\n")
[('A.x', 'B.y'), ()]
>>> axiom_kind("ClassicalDedekindReals.sig_forall_dec"), axiom_kind("PrimFloat.add"), axiom_kind("Mine.cheat")
('reals', 'primitive', None)
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import pickle
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputFormatError

log = logging.getLogger(__name__)

LIBRARY = "SymRelu"
COQ_PACKAGES = ("coq", "libcoq-coquelicot", "libcoq-interval")
NOT_INSTALLED = ("Coq not installed: coqc was not found on PATH; run scripts/setup.sh "
                 "(or apt-get install " + " ".join(COQ_PACKAGES) + ")")

REALS_AXIOMS = frozenset({
    "ClassicalDedekindReals.sig_forall_dec",
    "ClassicalDedekindReals.sig_not_dec",
    "FunctionalExtensionality.functional_extensionality_dep",
    "Classical_Prop.classic",
})
PRIMITIVE_PREFIXES = ("PrimInt63.", "PrimFloat.", "Uint63.", "FloatAxioms.")

_FORBIDDEN = re.compile(r"\b(Admitted|admit|Axiom|Axioms|Parameter|Parameters|Conjecture)\b")
_REQUIRE = re.compile(r"From\s+" + LIBRARY + r"\s+Require\s+(?:Import\s+|Export\s+)?([\w\s.]+?)\.(?:\s|$)")
_THEOREM = re.compile(r"^\s*Theorem\s+([cx]\d_\w+)", re.MULTILINE)
_PRINTED = re.compile(r"^\s*Print\s+Assumptions\s+([\w.']+)\s*\.", re.MULTILINE)
_CLAIM_FILE = re.compile(r"^([CX])(\d)_\w+\.v$")
_GAPS = re.compile(r"\(\*\*\s*Not machine-checked:(.*?)\*\)", re.DOTALL)
_ERROR_AT = re.compile(r'File "\./([^"]+)", line (\d+), characters (\d+-\d+):')


def strip_comments(text: str) -> str:
    """``text`` without Coq comments (nested ``(* ... *)``)."""
    out, depth, i = [], 0, 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair == "(*":
            depth, i = depth + 1, i + 2
        elif pair == "*)" and depth:
            depth, i = depth - 1, i + 2
        else:
            if not depth:
                out.append(text[i])
            i += 1
    return "".join(out)


def forbidden_words(text: str) -> list[str]:
    """Words that would leave a gap (``Admitted``, ``admit``, ``Axiom``, ...) outside comments."""
    return _FORBIDDEN.findall(strip_comments(text))


def requires(text: str) -> list[str]:
    """Library files a ``.v`` file imports with ``From SymRelu Require Import ...``."""
    names: list[str] = []
    for group in _REQUIRE.findall(strip_comments(text)):
        names += group.split()
    return names


def parse_assumptions(stdout: str) -> list[tuple[str, ...]]:
    """The axiom names of each ``Print Assumptions`` answer, in order."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in stdout.splitlines():
        if line.strip() == "Closed under the global context":
            blocks.append([])
            current = None
        elif line.strip() == "Axioms:":
            current = []
            blocks.append(current)
        elif current is not None and line and not line[0].isspace():
            current.append(line.split(" : ", 1)[0].strip())
    return [tuple(b) for b in blocks]


def axiom_kind(name: str) -> str | None:
    """``reals`` (standard axioms of Coq's reals), ``primitive`` (Coq's primitive ints/floats) or None (refused)."""
    if name in REALS_AXIOMS:
        return "reals"
    if name.startswith(PRIMITIVE_PREFIXES):
        return "primitive"
    return None


def claim_of(filename: str) -> str | None:
    """``C5_clarke_condition.v`` -> ``C5`` (``X1_...`` -> ``X1``, our extensions); library files -> None."""
    match = _CLAIM_FILE.match(filename)
    return f"{match.group(1)}{match.group(2)}" if match else None


def declared_gaps(text: str) -> list[str]:
    """Items of the file's ``(** Not machine-checked: - ... *)`` comment: what the file itself does not prove."""
    items: list[str] = []
    for block in _GAPS.findall(text):
        for part in re.split(r"^\s*-\s+", block, flags=re.MULTILINE):
            part = " ".join(part.split())
            if part:
                items.append(part)
    return items


def dependency_levels(texts: Mapping[str, str]) -> list[list[str]]:
    """File names grouped so that each group depends only on earlier groups."""
    deps = {}
    for name, text in texts.items():
        needed = [f"{r}.v" for r in requires(text)]
        unknown = [r for r in needed if r not in texts]
        if unknown:
            raise InputFormatError(f"{name}: requires {', '.join(unknown)}, which is not in the Coq folder")
        deps[name] = set(needed)
    levels: list[list[str]] = []
    done: set[str] = set()
    while len(done) < len(deps):
        ready = sorted(n for n, d in deps.items() if n not in done and d <= done)
        if not ready:
            raise InputFormatError("the Coq files require each other in a cycle: " + ", ".join(sorted(set(deps) - done)))
        levels.append(ready)
        done |= set(ready)
    return levels


@dataclass(frozen=True)
class CoqFile:
    """One ``.v`` file after ``coqc``: status (``compiled``, ``rejected``, ``skipped``) and each theorem's axioms."""

    name: str
    sha256: str
    status: str
    message: str = ""
    theorems: tuple[tuple[str, tuple[str, ...]], ...] = ()
    gaps: tuple[str, ...] = ()

    @property
    def claim(self) -> str | None:
        return claim_of(self.name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.name, "sha256": self.sha256, "claim": self.claim, "status": self.status,
            "message": self.message,
            "theorems": {t: {"axioms": list(a), "kinds": sorted({axiom_kind(x) or "REFUSED" for x in a})}
                         for t, a in self.theorems},
            "not_machine_checked": list(self.gaps),
        }


@dataclass(frozen=True)
class CoqRun:
    """All files of a Coq folder after a run; ``problems`` empty means every file checked clean."""

    version: str | None
    files: tuple[CoqFile, ...] = ()
    problems: tuple[str, ...] = ()

    def for_claim(self, ident: str) -> list[CoqFile]:
        return [f for f in self.files if f.claim == ident]

    def claim_checked(self, ident: str) -> bool:
        """Coq checked ``ident``: it has a file, and every file of the run compiled clean."""
        mine = self.for_claim(ident)
        return bool(mine) and not self.problems and all(f.status == "compiled" for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {"coqc": self.version, "library": LIBRARY, "files": [f.to_dict() for f in self.files],
                "problems": list(self.problems), "allowed_axioms": sorted(REALS_AXIOMS),
                "allowed_primitive_prefixes": list(PRIMITIVE_PREFIXES)}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def coqc_path() -> str | None:
    """The ``coqc`` executable, or None when Coq is not installed."""
    return shutil.which("coqc")


def coqc_version(coqc: str) -> str:
    out = subprocess.run([coqc, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"version (\S+)", out)
    return match.group(1) if match else out.strip()


def _first_error(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if not ln.startswith("Warning") and "[ambiguous-paths" not in ln]
    where, message = "", ""
    for index, line in enumerate(lines):
        found = _ERROR_AT.search(line)
        if found and any("Error" in ln for ln in lines[index + 1:index + 3]):
            where = f"line {found.group(2)}"
            message = " ".join(" ".join(lines[index + 1:index + 4]).split())
            break
    if not message:
        errors = [ln for ln in lines if "Error" in ln]
        message = " ".join(" ".join(errors[:2] or lines[-2:]).split())
    text = f"{where}: {message}" if where else message
    return text[:300]


def _check_assumptions(name: str, text: str, stdout: str) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], list[str]]:
    printed = _PRINTED.findall(strip_comments(text))
    blocks = parse_assumptions(stdout)
    problems = []
    if len(blocks) != len(printed):
        problems.append(f"{name}: {len(printed)} Print Assumptions commands but {len(blocks)} answers in coqc's output")
    theorems = tuple(zip(printed, blocks, strict=False))  # a count mismatch is reported above
    for theorem in _THEOREM.findall(strip_comments(text)):
        if theorem not in printed:
            problems.append(f"{name}: main theorem {theorem} has no Print Assumptions line")
    for theorem, axioms in theorems:
        for axiom in axioms:
            if axiom_kind(axiom) is None:
                problems.append(f"{name}: {theorem} depends on {axiom}, which is not a standard axiom of Coq's reals")
    return theorems, problems


def _compile_one(coqc: str, folder: Path, name: str, timeout_s: float) -> tuple[int, str, str]:
    try:
        done = subprocess.run([coqc, "-q", "-Q", ".", LIBRARY, name], cwd=folder, capture_output=True, text=True,
                              timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return 124, "", f"coqc did not finish within {timeout_s:.0f} s (outer safety net)"
    return done.returncode, done.stdout, done.stderr


def check_texts(texts: Mapping[str, str], jobs: int = 2, coqc: str | None = None, timeout_s: float = 600.0) -> CoqRun:
    """Compile the ``.v`` texts (file name -> text) with ``coqc`` in a temporary folder and judge them.

    The verdict is a function of the texts and the ``coqc`` executable, so a
    repeated call with the same inputs in one process reuses the first run
    (a build followed by a check compiles once)."""
    coqc = coqc or coqc_path()
    if coqc is None:
        return CoqRun(None, (), (NOT_INSTALLED,))
    items = tuple(sorted(texts.items()))
    cache = os.environ.get(CACHE_VARIABLE)
    if not cache:
        return _check_texts_once(items, max(1, jobs), coqc, timeout_s, None)
    key = sha256_text(json.dumps([coqc, coqc_version(coqc), items]))
    entry = Path(cache) / f"coq-{key}.pickle"
    entry.parent.mkdir(parents=True, exist_ok=True)
    with _locked(entry.with_suffix(".lock")):  # a second process asking for the same run waits for the first
        if entry.is_file():
            with entry.open("rb") as stored:
                run: CoqRun = pickle.load(stored)
            return run
        run = _check_texts_once(items, max(1, jobs), coqc, timeout_s, cache)
        partial = entry.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as out:
            pickle.dump(run, out)
        partial.replace(entry)  # atomic: a reader without the lock sees all of it or nothing
    return run


CACHE_VARIABLE = "SYMRELU_COQ_CACHE"
"""When set, a folder where runs are kept by the hash of (coqc, its version, every file's text), and each
compiled file by the hash of (coqc, its version, its name and text, its libraries' hashes), so that processes
sharing it (the test suite's workers) compile identical sources once. Unset: no disk cache."""


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (POSIX ``flock``; without ``fcntl`` no lock, only the cache)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _compile_stored(coqc: str, folder: Path, name: str, timeout_s: float, key: str,
                    store: Path | None) -> tuple[int, str, str]:
    """:func:`_compile_one`, reusing (and filling) the compiled-file store when there is one.

    A stored ``.vo`` is keyed by its source and its libraries' keys; after a compile the stored copy (this
    process's or a concurrent one's) is what lands in ``folder``, so every file there was compiled against
    exactly the library files beside it."""
    if store is None:
        return _compile_one(coqc, folder, name, timeout_s)
    vo = Path(name).with_suffix(".vo").name
    entry = store / f"vo-{key}"
    if not (entry / "result.json").is_file():
        code, stdout, stderr = _compile_one(coqc, folder, name, timeout_s)
        if code != 0:
            return code, stdout, stderr
        partial = Path(tempfile.mkdtemp(prefix=f".vo-{key}-", dir=store))
        shutil.copyfile(folder / vo, partial / vo)
        (partial / "result.json").write_text(json.dumps({"stdout": stdout, "stderr": stderr}), encoding="utf-8")
        try:
            partial.rename(entry)  # atomic; fails when a concurrent process stored this file first
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)
    shutil.copyfile(entry / vo, folder / vo)
    result = json.loads((entry / "result.json").read_text(encoding="utf-8"))
    return 0, result["stdout"], result["stderr"]


@functools.lru_cache(maxsize=8)
def _check_texts_once(items: tuple[tuple[str, str], ...], jobs: int, coqc: str, timeout_s: float,
                      cache: str | None) -> CoqRun:
    texts = dict(items)
    version = coqc_version(coqc)
    dependency_levels(texts)  # refuses unknown requirements and cycles before anything runs
    deps = {name: [f"{r}.v" for r in requires(text)] for name, text in texts.items()}
    store = Path(cache) / "compiled" if cache else None
    if store is not None:
        store.mkdir(parents=True, exist_ok=True)
    keys: dict[str, str] = {}
    results: dict[str, CoqFile] = {}
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="symrelu-coq-") as tmp, \
            ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        folder = Path(tmp)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        running: dict[Future[tuple[int, str, str]], str] = {}
        waiting = set(texts)
        while waiting or running:
            # start every file whose libraries are done, largest first (the longest compile starts early)
            for name in sorted((n for n in waiting if all(d in results for d in deps[n])),
                               key=lambda n: (-len(texts[n]), n)):
                waiting.discard(name)
                text = texts[name]
                failed = [d for d in deps[name] if results[d].status != "compiled"]
                words = forbidden_words(text)
                if failed:
                    results[name] = CoqFile(name, sha256_text(text), "skipped", f"depends on {', '.join(failed)}")
                    problems.append(f"{name}: not compiled, it depends on {', '.join(failed)}")
                elif words:
                    results[name] = CoqFile(name, sha256_text(text), "rejected", "forbidden: " + ", ".join(words))
                    problems.append(f"{name}: contains {', '.join(sorted(set(words)))} (a gap in the proof)")
                else:
                    keys[name] = sha256_text(json.dumps([coqc, version, name, text, [keys[d] for d in deps[name]]]))
                    running[pool.submit(_compile_stored, coqc, folder, name, timeout_s, keys[name], store)] = name
            if not running:
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                name = running.pop(future)
                text = texts[name]
                code, stdout, stderr = future.result()
                if code != 0:
                    message = _first_error(stderr)
                    results[name] = CoqFile(name, sha256_text(text), "rejected", message, gaps=tuple(declared_gaps(text)))
                    problems.append(f"{name}: COQ REJECTED IT ({message})")
                    continue
                theorems, found = _check_assumptions(name, text, stdout)
                problems += found
                results[name] = CoqFile(name, sha256_text(text), "rejected" if found else "compiled",
                                        "; ".join(found), theorems, tuple(declared_gaps(text)))
    files = tuple(results[n] for n in sorted(results))
    return CoqRun(version, files, tuple(sorted(problems)))


def check_folder(folder: Path, jobs: int = 2, only: Sequence[str] = (), coqc: str | None = None) -> CoqRun:
    """Compile every ``.v`` of ``folder`` (or the claims in ``only``, e.g. ``("C1",)``, with their libraries)."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.v"))}
    if not texts:
        raise InputFormatError(f"{folder}: no .v files")
    if only:
        wanted = {n for n in texts if claim_of(n) in only or claim_of(n) is None}
        texts = {n: t for n, t in texts.items() if n in wanted}
    return check_texts(texts, jobs=jobs, coqc=coqc)
