"""Obligations: a named formula plus the solver answer that proves the check.

An :class:`Obligation` is built from z3 assertions but stores only text
(SMT-LIB 2.6), so it pickles to worker processes and prints byte-identically.

>>> import z3
>>> x = z3.Real("x")
>>> ob = Obligation.build("square-nonneg", [x * x < 0], check="demo", subject="none")
>>> print(ob.to_smtlib())
; symrelu obligation square-nonneg
; check: demo
; subject: none
; region: -
; expected: unsat
(set-info :smt-lib-version 2.6)
(set-logic QF_NRA)
(set-info :status unsat)
(declare-fun x () Real)
(assert (< (* x x) 0.0))
(check-sat)
(exit)
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import z3

from ...errors import InputFormatError, TooLargeError

Status = Literal["sat", "unsat"]
DEFAULT_MAX_NODES = 200_000
"""Largest formula (distinct z3 AST nodes) an obligation accepts unless told otherwise."""

_NAME = re.compile(r"^[A-Za-z0-9_.:+-]+$")


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "-"


@dataclass(frozen=True)
class Obligation:
    """A standalone SMT problem, the answer that proves its check, and where it comes from.

    ``variables`` is the sorted tuple of ``(smt_name, sort)`` with sort
    ``"Real"`` or ``"Bool"``; ``assertions`` the SMT-LIB text of each assert.
    """

    name: str
    check: str
    subject: str
    region: str
    expected: Status
    logic: str
    variables: tuple[tuple[str, str], ...]
    assertions: tuple[str, ...]
    node_count: int

    @classmethod
    def build(
        cls,
        name: str,
        assertions: Iterable[z3.BoolRef],
        check: str,
        subject: str,
        region: str = "-",
        expected: Status = "unsat",
        max_nodes: int = DEFAULT_MAX_NODES,
    ) -> Obligation:
        """Freeze z3 assertions into text; refuse formulas over ``max_nodes`` nodes."""
        if not _NAME.match(name):
            raise InputFormatError(f"obligation name {name!r} must use letters, digits and _.:+- only")
        if expected not in ("sat", "unsat"):
            raise InputFormatError(f"obligation {name}: expected answer must be 'sat' or 'unsat', not {expected!r}")
        formulas = list(assertions)
        if not formulas:
            raise InputFormatError(f"obligation {name}: no assertions")
        for index, formula in enumerate(formulas):
            if not z3.is_bool(formula):
                raise InputFormatError(f"obligation {name}: assertion {index} is not a Boolean formula")
        variables, nodes, nonlinear = _scan(name, formulas, max_nodes)
        return cls(
            name=name,
            check=_one_line(check),
            subject=_one_line(subject),
            region=_one_line(region),
            expected=expected,
            logic="QF_NRA" if nonlinear else "QF_LRA",
            variables=variables,
            assertions=tuple(formula.sexpr() for formula in formulas),
            node_count=nodes,
        )

    def to_smtlib(self) -> str:
        """The standalone SMT-LIB 2.6 file text (deterministic; both z3 and cvc5 read it)."""
        lines = [
            f"; symrelu obligation {self.name}",
            f"; check: {self.check}",
            f"; subject: {self.subject}",
            f"; region: {self.region}",
            f"; expected: {self.expected}",
            "(set-info :smt-lib-version 2.6)",
            f"(set-logic {self.logic})",
            f"(set-info :status {self.expected})",
        ]
        lines += [f"(declare-fun {smt_name} () {sort})" for smt_name, sort in self.variables]
        lines += [f"(assert {text})" for text in self.assertions]
        lines += ["(check-sat)", "(exit)"]
        return "\n".join(lines) + "\n"

    @property
    def filename(self) -> str:
        """A file name for the exported text."""
        return f"{self.check}--{self.name}.smt2".replace("/", "_")


def _scan(name: str, formulas: list[z3.ExprRef], max_nodes: int) -> tuple[tuple[tuple[str, str], ...], int, bool]:
    """Collect free constants, count distinct nodes, detect nonlinearity; refuse huge formulas."""
    seen: set[int] = set()
    constants: dict[str, str] = {}
    nonlinear = False
    stack: list[z3.ExprRef] = list(formulas)
    while stack:
        node = stack.pop()
        ident = node.get_id()
        if ident in seen:
            continue
        seen.add(ident)
        if len(seen) > max_nodes:
            raise TooLargeError(
                f"obligation {name} has more than {max_nodes} formula nodes; verify a smaller network or "
                "box, or raise the limit (max_nodes)"
            )
        if z3.is_quantifier(node) or not z3.is_app(node):
            raise InputFormatError(f"obligation {name}: quantifiers and bound variables are not supported")
        sort = node.sort()
        if sort.kind() not in (z3.Z3_BOOL_SORT, z3.Z3_REAL_SORT):
            raise InputFormatError(f"obligation {name}: term {node} has sort {sort}; only Real and Bool are supported")
        kind = node.decl().kind()
        if z3.is_const(node) and kind == z3.Z3_OP_UNINTERPRETED:
            smt_name = node.sexpr()
            previous = constants.setdefault(smt_name, "Bool" if z3.is_bool(node) else "Real")
            if previous != ("Bool" if z3.is_bool(node) else "Real"):
                raise InputFormatError(f"obligation {name}: {smt_name} is used as both Real and Bool")
        elif kind == z3.Z3_OP_UNINTERPRETED:
            raise InputFormatError(f"obligation {name}: uninterpreted function {node.decl().name()} is not supported")
        if not nonlinear:  # once found, no further numeral tests (they walk whole subterms)
            if kind == z3.Z3_OP_MUL and sum(1 for arg in node.children() if not _is_numeral(arg)) >= 2:
                nonlinear = True
            if kind in (z3.Z3_OP_DIV, z3.Z3_OP_IDIV) and not _is_numeral(node.children()[1]):
                nonlinear = True
        if kind in (z3.Z3_OP_ADD, z3.Z3_OP_MUL) and node.num_args() < 2:
            raise InputFormatError(
                f"obligation {name}: unary sum/product {node.sexpr()} is not SMT-LIB 2.6; "
                "build sums with symrelu.verify.encodings.encode.add_all"
            )
        if kind == z3.Z3_OP_POWER:
            raise InputFormatError(
                f"obligation {name}: power term {node} is not SMT-LIB 2.6 (z3 prints '^'); write x * x instead"
            )
        stack.extend(node.children())
    return tuple(sorted(constants.items())), len(seen), nonlinear


def _is_numeral(term: z3.ExprRef) -> bool:
    if z3.is_rational_value(term) or z3.is_algebraic_value(term):
        return True
    kind = term.decl().kind() if z3.is_app(term) else None
    if kind in (z3.Z3_OP_UMINUS, z3.Z3_OP_DIV, z3.Z3_OP_MUL, z3.Z3_OP_ADD, z3.Z3_OP_SUB):
        return all(_is_numeral(child) for child in term.children())
    return False


def region_tag(pattern: str) -> str:
    """An obligation-name-safe form of a region pattern (``|`` → ``.``, ``;`` → ``+``, ``/`` → ``:``).

    >>> region_tag("10|1;01|0")
    '10.1+01.0'
    """
    return pattern.replace("|", ".").replace(";", "+").replace("/", ":")
