"""The app's URLs are a promise: bookmarks, emailed links and other tools rely on them.

tests/data/urls.txt lists every URL rule with its methods. A change to it is a decision, made
by editing that file in the same commit, never a side effect of moving code around.
"""

from pathlib import Path

URLS = Path(__file__).parent / "data" / "urls.txt"


def _rules(app) -> list[str]:
    return sorted(
        f"{rule.rule} {','.join(sorted(rule.methods - {'HEAD', 'OPTIONS'}))}"
        for rule in app.url_map.iter_rules()
    )


def test_the_url_rules_are_exactly_the_listed_ones(app):
    listed = sorted(line for line in URLS.read_text().splitlines() if line.strip())
    assert _rules(app) == listed


def test_every_endpoint_is_named_after_the_package_that_holds_its_view(app):
    # Endpoint "contacts.add" is the view `add` in a package named `contacts` (its routes.py).
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue
        blueprint, name = endpoint.split(".")
        module = view.__module__.split(".")
        assert module[-1] == "routes", endpoint
        assert module[-2] == blueprint or (module[-2], blueprint) == ("auth", "auth"), endpoint
        assert view.__name__ == name, endpoint
