"""`python -m game` runs the Rapport command line."""

from game.cli import main

if __name__ == "__main__":
    main()
