"""`cases.effects`: after-commit work collected in a block and flushed once at its end."""

from __future__ import annotations

import pytest

from cases import effects


def test_outside_a_block_there_is_no_bucket():
    assert effects.bucket("k", lambda items: None) is None


def test_a_bucket_is_flushed_once_at_the_end_of_the_outermost_block():
    flushed = []
    with effects.batched():
        with effects.batched():
            effects.bucket("a", flushed.append)[1] = True
        assert flushed == []
        effects.bucket("a", flushed.append)[2] = True
        effects.bucket("b", lambda items: flushed.append(("b", items)))["x"] = 1
    assert flushed == [{1: True, 2: True}, ("b", {"x": 1})]
    assert effects.bucket("a", flushed.append) is None


def test_a_failing_flush_does_not_stop_the_others_and_is_raised():
    flushed = []

    def fail(items):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        with effects.batched():
            effects.bucket("bad", fail)[1] = True
            effects.bucket("good", flushed.append)[2] = True
    assert flushed == [{2: True}]
    assert effects.bucket("good", flushed.append) is None
