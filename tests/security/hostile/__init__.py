"""A corpus of hostile input for tests/security/test_hostile_*.py: strings (strings.py) and
files built in memory (files.py)."""
