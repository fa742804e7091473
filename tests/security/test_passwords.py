"""Password rules: length (a setting), three character classes, breached-password list (issue 8 §4)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from cases.demo.accounts import DEFAULT_DEMO_PASSWORD
from security.passwords import BreachedPasswordValidator, breached
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", [DEFAULT_PASSWORD, DEFAULT_DEMO_PASSWORD, "Xin-Mima-2026!", "灯塔Beacon#97"])
def test_good_passwords_pass_every_rule(password):
    validate_password(password)


@pytest.mark.parametrize(
    "password",
    ["P@ssw0rd", "Admin@123", "1qaz@WSX", "Passw0rd!", "Password2026!", "Qwer1234!", "Huawei@123",
     "Woaini1314!", "Aa123456", "Iloveyou2026!"],
)
def test_breached_passwords_are_refused_in_chinese(password):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert any("泄露" in m for m in exc.value.messages), exc.value.messages


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("Ab1!xyz", "太短"), ("abcdefgh12", "至少 3 类"), ("ABCDEFGH!!", "至少 3 类")],
)
def test_length_and_character_classes(password, fragment, settings):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    text = " ".join(exc.value.messages)
    assert fragment in text or ("8" in text and fragment == "太短"), text


def test_the_list_bundles_djangos_list_and_the_extras():
    words = breached()
    assert len(words) > 19_000
    assert {"password", "123456", "admin@123", "1qaz@wsx", "p@ssw0rd"} <= words
    assert "casebook-2026!" not in words


def test_the_validator_has_chinese_help_text():
    assert "泄露" in BreachedPasswordValidator().get_help_text()
