"""`python -m nhskg` runs the command line."""

from .cli import main

main()
