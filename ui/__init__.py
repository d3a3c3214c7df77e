"""Qt widgets and windows: they show what ``gaitcoach`` and ``analysis`` produce."""
