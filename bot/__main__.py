"""`python -m bot` is the same as the `suara-warga` console script."""

from bot.cli import main

raise SystemExit(main())
