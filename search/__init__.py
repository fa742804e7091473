"""The public case search: one port (`search.service`), two adapters (`search.backends`)."""
