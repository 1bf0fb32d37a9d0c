"""pytest settings for the teaching notebooks.

The ``NN_*.py`` files are jupytext sources of the notebooks, not modules: with the
project's ``--doctest-modules`` pytest would import (and so execute) each of them while
collecting. The ``.ipynb`` files are executed once per test run by
``tests/test_notebooks_paired.py``, which also checks that their committed outputs are fresh;
collecting them with nbmake as well would run every notebook twice.
"""

collect_ignore_glob = ["*.py", "*.ipynb"]
