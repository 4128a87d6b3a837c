"""Email addresses typed by the team: checked for form only (no mail server is asked), refused
with the real reason, and a likely typo in a well-known provider's name pointed out."""

from difflib import get_close_matches

from email_validator import EmailNotValidError, validate_email

# Providers whose misspellings ("gmial.com") are far likelier typos than real domains.
WELL_KNOWN = (
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "gmx.de",
    "web.de",
    "t-online.de",
    "orange.fr",
    "free.fr",
)


class AddressError(ValueError):
    """An address that cannot be used, with the message to show next to the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _reason(address: str, error: EmailNotValidError) -> str:
    text = str(error)
    if "@" not in address:
        return "An email address needs an @ sign, like name@example.com."
    domain = address.rpartition("@")[2]
    if "special-use or reserved" in text:
        return (
            f"“{domain}” is a reserved name that no real mailbox uses (such as .test, .local "
            "or .example): check the address."
        )
    if "should have a period" in text:
        return f"“{domain}” is not a full domain: it needs a dot, like {domain}.com."
    return text.replace("The part after the @-sign", "The domain").replace(
        "The part before the @-sign", "The name before the @"
    )


def clean_address(text: str | None) -> str:
    """``text`` as a normalised address, "" when blank; AddressError with the reason otherwise."""
    address = (text or "").strip()
    if not address:
        return ""
    try:
        normalized = validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise AddressError(_reason(address, error)) from None
    local, _, domain = normalized.rpartition("@")
    domain = domain.lower()
    if domain not in WELL_KNOWN:
        close = get_close_matches(domain, WELL_KNOWN, n=1, cutoff=0.85)
        if close:
            raise AddressError(f"Did you mean {local}@{close[0]}? Check the spelling.")
    return normalized
