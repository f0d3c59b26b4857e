"""``python -m drillsim``: the same as the ``drillsim`` command."""

import sys

from .cli import main

sys.exit(main())
