"""pytest settings for the teaching notebooks.

The ``NN_*.py`` files are jupytext sources of the notebooks, not modules: with the
project's ``--doctest-modules`` pytest would import (and so execute) each of them while
collecting. Only the paired ``.ipynb`` files are collected, by nbmake.
"""

collect_ignore_glob = ["*.py"]
