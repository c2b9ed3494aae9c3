"""``python -m graphstage``: the same as the ``graphstage`` console script."""

import sys

from graphstage.app.__main__ import main

sys.exit(main())
