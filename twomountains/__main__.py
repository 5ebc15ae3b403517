import sys

from twomountains.cli import main

sys.exit(main())
