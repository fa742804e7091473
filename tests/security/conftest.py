"""Security tests run with the production thresholds (config/settings/base.py), not the test
settings' raised ones, unless a test lowers them further itself."""

import pytest

from config.settings import base


@pytest.fixture
def strict(settings):
    """The thresholds the README documents: lockout 5 per (account, address), 50 per address."""
    settings.LOGIN_LOCKOUT_FAILURES = base.LOGIN_LOCKOUT_FAILURES
    settings.LOGIN_IP_MAX_FAILURES = base.LOGIN_IP_MAX_FAILURES
    settings.LOGIN_LOCKOUT_SECONDS = base.LOGIN_LOCKOUT_SECONDS
    settings.LOGIN_FAILURE_WINDOW_SECONDS = base.LOGIN_FAILURE_WINDOW_SECONDS
    return settings


def rules(**limits):
    """base.RATE_LIMITS with some limits replaced: rules(search=3) ..."""
    return [{**rule, "limit": limits.get(rule["name"], rule["limit"])} for rule in base.RATE_LIMITS]
