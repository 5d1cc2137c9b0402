"""Pure code every app may use (accounts is the lowest app): no Django, no database."""
