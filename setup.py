"""Package discovery (all metadata is in pyproject.toml).

``cypher/`` stays at the top of the repository, where analysts look for the
named queries, and ships inside the wheel and the sdist as the resource
package ``graphmodel.cypher`` (read with :mod:`importlib.resources`), which
``[tool.setuptools.packages.find]`` cannot express.
"""

from setuptools import find_namespace_packages, setup

_CYPHER = {"graphmodel.cypher": "cypher", "graphmodel.cypher.ddl": "cypher/ddl",
           "graphmodel.cypher.internal": "cypher/internal"}

setup(
    # namespace discovery: data folders such as graphmodel/views/vendor ship too
    packages=[*find_namespace_packages(include=["graphmodel", "graphmodel.*"]), *_CYPHER],
    package_dir=_CYPHER,
)
