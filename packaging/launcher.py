"""PyInstaller entry script: the same entry point as the installed ``screening-app`` command."""

from screening_app.__main__ import main

if __name__ == "__main__":
    main()
