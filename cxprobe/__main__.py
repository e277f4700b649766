"""``python -m cxprobe``."""

from .cli import main

main()
