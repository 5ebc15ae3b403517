"""Forum mode: the slides of the annual green-development forum, shown on a page and exported as a deck."""
