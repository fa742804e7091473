"""Administrative divisions (GB/T 2260): the ground floor that accounts and cases both stand on.

Imports nothing of the project (docs/architecture.md, "Layers")."""
