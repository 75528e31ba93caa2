"""python -m etl: the project's command line, cli.py (the name the README and scripts use)."""
import sys

from cli import main

if __name__ == "__main__":
    sys.exit(main())
