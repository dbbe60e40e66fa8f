"""What the bundle's executable runs: the same ``main`` as the ``loyalty-terminal`` script."""

import sys

from terminal.cli import main

if __name__ == "__main__":
    sys.exit(main())
