"""The proof book machinery behind ``symrelu proofs``: claim items, build, report, check.

The claims themselves live in the repository's ``proofs/`` folder (one module
per claim, loaded by path); this package holds only what the installed
command needs to build and check them.
"""

from __future__ import annotations

from .build import Book, build_book, sha256_text, write_book
from .check import CheckReport, check_book
from .locate import Layout, find_layout
from .model import ClaimInfo, ComputedItem, Item, PendingItem, SolverItem
from .pending import check_or_pending
from .report import render_report
from .solving import SmtFile, exact_replay, solve

__all__ = [
    "Book",
    "CheckReport",
    "ClaimInfo",
    "ComputedItem",
    "Item",
    "Layout",
    "PendingItem",
    "SmtFile",
    "SolverItem",
    "build_book",
    "check_book",
    "check_or_pending",
    "exact_replay",
    "find_layout",
    "render_report",
    "sha256_text",
    "solve",
    "write_book",
]
