"""``python -m studio.cli``: the same as the ``studio`` command."""

from studio.cli import main

main()
