"""Build hook for the one compiled module, ``symrelu._cut2d`` (the 2-D engine's int64 cut).

Everything else is in pyproject.toml. The extension is optional: when it cannot be built (no C
compiler), the package installs without it and the 2-D engine cuts in Python, with the same results.
"""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # a build without Cython (pyproject.toml asks for it): no extension
    extensions = []
else:
    extensions = cythonize(
        [Extension("symrelu._cut2d", ["symrelu/_cut2d.pyx"], optional=True)],
        compiler_directives={"language_level": "3"},
    )

setup(ext_modules=extensions)
