"""VNN-LIB 1.0 properties, read exactly, as a :class:`~symrelu.check.property.Property`.

A small s-expression reader of its own (not Z3's SMT-LIB parser, not the ``vnnlib``
package, which reads only VNN-LIB 2.0): it keeps the line of every term, so each
refusal names its line, it turns every numeral (``0.1``, ``-3``, ``1.5e-3``) into the
rational written, and it accepts exactly the VNN-LIB 1.0 subset and nothing that would
need a solver to interpret: ``declare-const`` of ``X_i``/``Y_j`` of sort ``Real``,
``assert`` over ``and``, ``or``, ``<=``, ``>=``, ``<``, ``>``, ``=`` of linear terms built
with ``+``, ``-`` and ``*`` by constants. The asserts are conjoined and brought to a
disjunction of conjunctions; every disjunct must bound every input from both sides.

>>> prop = parse_vnnlib('''
... (declare-const X_0 Real)
... (declare-const Y_0 Real)
... (assert (<= X_0 0.5))
... (assert (>= X_0 -1e-1))
... (assert (or (and (>= Y_0 (* 2 X_0))) (and (< Y_0 -3))))''')
>>> prop.inputs, prop.outputs, len(prop.disjuncts), prop.disjuncts[0].box
(1, 1, 2, ((Fraction(-1, 10), Fraction(1, 2)),))
>>> print(prop.disjuncts[1].constraints[0])
Y_0 + 3 < 0
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..errors import InputFormatError, TooLargeError
from .property import Disjunct, LinearConstraint, Property, build_disjunct

MAX_DISJUNCTS = 100_000
"""Refuse properties whose disjunctive normal form would exceed this many disjuncts."""

MAX_DEPTH = 200
"""Refuse s-expressions nested deeper than this (every reader here recurses on the nesting)."""

MAX_EXPONENT = 400
"""Numerals with a larger decimal exponent are refused (their exact value would not fit in memory)."""
_TOKEN = re.compile(r";[^\n]*|\(|\)|[^\s();]+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_VARIABLE = re.compile(r"^([XY])_(0|[1-9]\d*)$")
_COMPARISONS = ("<=", ">=", "<", ">", "=")


@dataclass(frozen=True)
class _Atom:
    text: str
    line: int


@dataclass(frozen=True)
class _List:
    items: tuple[_Node, ...]
    line: int


_Node = _Atom | _List
Linear = tuple[dict[str, Fraction], Fraction]
"""A linear term: coefficient per variable name, and a constant."""


def _read(text: str, source: str) -> list[_Node]:
    """Tokenise and nest; every node keeps the line it starts on."""
    stack: list[list[_Node]] = [[]]
    starts: list[int] = []
    line, last = 1, 0
    for match in _TOKEN.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        token = match.group()
        if token.startswith(";"):
            continue
        if token == "(":
            stack.append([])
            starts.append(line)
            if len(starts) > MAX_DEPTH:
                raise InputFormatError(f"{source} line {line}: parentheses nested more than {MAX_DEPTH} levels deep")
        elif token == ")":
            if len(stack) == 1:
                raise InputFormatError(f"{source} line {line}: unbalanced ')'")
            items = stack.pop()
            stack[-1].append(_List(tuple(items), starts.pop()))
        else:
            stack[-1].append(_Atom(token, line))
    if len(stack) != 1:
        raise InputFormatError(f"{source} line {starts[-1]}: '(' opened here is never closed")
    return stack[0]


def _head(node: _Node) -> str:
    return node.items[0].text if isinstance(node, _List) and node.items and isinstance(node.items[0], _Atom) else ""


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.declared: dict[str, int] = {}

    def fail(self, node: _Node, message: str) -> InputFormatError:
        return InputFormatError(f"{self.source} line {node.line}: {message}")

    def declare(self, node: _List) -> None:
        if len(node.items) != 3 or not all(isinstance(i, _Atom) for i in node.items):
            raise self.fail(node, "declare-const needs a name and a sort, e.g. (declare-const X_0 Real)")
        name, sort = node.items[1].text, node.items[2].text  # type: ignore[union-attr]
        if not _VARIABLE.match(name):
            raise self.fail(node, f"variable {name!r} is not an input X_i or an output Y_j")
        if sort != "Real":
            raise self.fail(node, f"variable {name} has sort {sort}; VNN-LIB variables are Real")
        if name in self.declared:
            raise self.fail(node, f"variable {name} is declared twice (first on line {self.declared[name]})")
        self.declared[name] = node.line

    def term(self, node: _Node) -> Linear:
        if isinstance(node, _Atom):
            if _NUMBER.match(node.text):
                exponent = node.text.lower().partition("e")[2]
                if exponent and abs(int(exponent)) > MAX_EXPONENT:
                    raise self.fail(node, f"number {node.text} has an exponent beyond +-{MAX_EXPONENT}")
                return {}, Fraction(node.text)
            if node.text in self.declared:
                return {node.text: Fraction(1)}, Fraction(0)
            if _VARIABLE.match(node.text):
                raise self.fail(node, f"variable {node.text} is used but never declared")
            raise self.fail(node, f"{node.text!r} is neither a number nor a declared variable")
        head, args = _head(node), node.items[1:]
        if head in ("+", "-", "*") and args:
            parts = [self.term(a) for a in args]
            if head == "+":
                return _sum(parts)
            if head == "-":
                if len(parts) == 1:
                    return _scale(parts[0], Fraction(-1))
                return _sum([parts[0]] + [_scale(p, Fraction(-1)) for p in parts[1:]])
            product: Linear = ({}, Fraction(1))
            for part, arg in zip(parts, args, strict=True):
                if product[0] and part[0]:
                    raise self.fail(arg, "a product of two variables is not linear; VNN-LIB 1.0 terms must be linear")
                product = _scale(part, product[1]) if not product[0] else _scale(product, part[1])
            return product
        raise self.fail(node, f"term ({head or '...'} ...) is not supported; use numbers, variables, +, - and * by a constant")

    def formula(self, node: _Node) -> list[list[LinearConstraint]]:
        """Disjunctive normal form: a list of conjunctions."""
        head, args = _head(node), node.items[1:] if isinstance(node, _List) else ()
        if head == "and":
            result: list[list[LinearConstraint]] = [[]]
            for arg in args:
                result = [left + right for left in result for right in self.formula(arg)]
                if len(result) > MAX_DISJUNCTS:
                    raise TooLargeError(f"{self.source} line {node.line}: more than {MAX_DISJUNCTS} disjuncts")
            return result
        if head == "or":
            if not args:
                raise self.fail(node, "(or) with no arguments is false; give at least one disjunct")
            return [conj for arg in args for conj in self.formula(arg)]
        if head in _COMPARISONS:
            if len(args) != 2:
                raise self.fail(node, f"({head} ...) needs two terms, got {len(args)}")
            left, right = self.term(args[0]), self.term(args[1])
            diff = _sum([left, _scale(right, Fraction(-1))])  # left - right
            if head in ("<=", "<"):
                return [[_constraint(diff, head == "<", node.line)]]
            if head in (">=", ">"):
                return [[_constraint(_scale(diff, Fraction(-1)), head == ">", node.line)]]
            return [[_constraint(diff, False, node.line), _constraint(_scale(diff, Fraction(-1)), False, node.line)]]
        raise self.fail(node, f"({head or '...'} ...) is not a VNN-LIB 1.0 formula; use and, or, <=, >=, <, >, =")


def _sum(parts: list[Linear]) -> Linear:
    coefficients: dict[str, Fraction] = {}
    constant = Fraction(0)
    for part, value in parts:
        constant += value
        for name, c in part.items():
            coefficients[name] = coefficients.get(name, Fraction(0)) + c
    return {k: v for k, v in coefficients.items() if v != 0}, constant


def _scale(term: Linear, factor: Fraction) -> Linear:
    return ({k: v * factor for k, v in term[0].items() if v * factor != 0}, term[1] * factor)


def _constraint(term: Linear, strict: bool, line: int) -> LinearConstraint:
    return LinearConstraint.from_names(term[0], term[1], strict, line)


def parse_vnnlib(text: str, source: str = "<vnnlib>") -> Property:
    """Read VNN-LIB 1.0 text exactly (see the module doc); errors name the line."""
    reader = _Reader(source)
    conjunction: list[list[list[LinearConstraint]]] = []
    for node in _read(text, source):
        head = _head(node)
        if not isinstance(node, _List) or not head:
            raise reader.fail(node, "expected a command such as (declare-const X_0 Real) or (assert ...)")
        if head == "declare-const":
            reader.declare(node)
        elif head == "assert":
            if len(node.items) != 2:
                raise reader.fail(node, "assert takes exactly one formula")
            conjunction.append(reader.formula(node.items[1]))
        elif head in ("check-sat", "get-model", "exit", "set-info", "set-logic"):
            continue
        else:
            raise reader.fail(node, f"command {head!r} is not part of VNN-LIB 1.0")
    inputs = _count(reader, "X", source)
    outputs = _count(reader, "Y", source)
    dnf: list[list[LinearConstraint]] = [[]]
    for part in conjunction:
        dnf = [left + right for left in dnf for right in part]
        if len(dnf) > MAX_DISJUNCTS:
            raise TooLargeError(f"{source}: the property has more than {MAX_DISJUNCTS} disjuncts")
    disjuncts: list[Disjunct] = []
    for constraints in dnf:
        disjuncts.append(build_disjunct(constraints, inputs, outputs, source, reader.declared))
    return Property(inputs, outputs, tuple(disjuncts), source)


def _count(reader: _Reader, letter: str, source: str) -> int:
    indices = sorted(int(name[2:]) for name in reader.declared if name[0] == letter)
    if not indices:
        raise InputFormatError(f"{source}: no {letter}_i variable is declared")
    if indices != list(range(len(indices))):
        missing = min(set(range(indices[-1] + 1)) - set(indices))
        raise InputFormatError(f"{source}: {letter}_{missing} is not declared, but {letter}_{indices[-1]} is")
    return len(indices)


def load_vnnlib(path: str | Path) -> Property:
    """Read a ``.vnnlib`` file (only read, never written); a bare name such as ``"test_prop"`` that is no
    file here means the bundled property of that name (``symrelu/examples/nets/*.vnnlib``)."""
    from ..loaders.examples import PROPERTY_SUFFIXES, list_examples, resolve_input

    path = resolve_input(path, PROPERTY_SUFFIXES)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFormatError(f"{path}: property file not found; or name a bundled property "
                               f"({', '.join(list_examples(PROPERTY_SUFFIXES))})") from None
    except UnicodeDecodeError:
        raise InputFormatError(f"{path.name}: not a text file (VNN-LIB is UTF-8 text)") from None
    except OSError as err:
        raise InputFormatError(f"{path}: cannot read the property file ({err.strerror})") from None
    return parse_vnnlib(text, path.name)

