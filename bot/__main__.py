"""`python -m bot` is the same as the `guidebot` command."""

from bot.cli import main

raise SystemExit(main())
