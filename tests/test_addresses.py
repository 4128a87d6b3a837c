"""Email addresses are refused with their real reason, and likely typos are pointed out."""

import pytest

from winback_app.addresses import AddressError, clean_address


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ann@harbor.test", "“harbor.test” is a reserved name"),
        ("bo@office.local", "“office.local” is a reserved name"),
        ("cy@localhost", "“localhost” is not a full domain"),
        ("dee.example.com", "needs an @ sign"),
        ("ed@@example.com", "The domain contains invalid characters"),
        ("fay@gmial.com", "Did you mean fay@gmail.com?"),
        ("gus@hotmial.com", "Did you mean gus@hotmail.com?"),
    ],
)
def test_a_bad_address_says_what_is_wrong(typed, message):
    with pytest.raises(AddressError) as refused:
        clean_address(typed)
    assert message in refused.value.message


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  ann@Harbor-Logistics.com ", "ann@harbor-logistics.com"),
        ("bo@gmx.com", "bo@gmx.com"),
        ("cy@gmail.co.uk", "cy@gmail.co.uk"),
        ("", ""),
    ],
)
def test_a_good_address_is_kept(typed, kept):
    assert clean_address(typed).lower() == kept
