"""nhskg: a knowledge graph of how the NHS in England has commissioned care."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nhskg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
