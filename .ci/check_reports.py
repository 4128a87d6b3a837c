"""Fail unless every JUnit report ran tests, skipped none and ran the browser tests."""

import sys
import xml.etree.ElementTree as ET


def check(path: str) -> list[str]:
    suite = ET.parse(path).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    cases = suite.findall("testcase")
    skipped = [c.get("name") for c in cases if c.find("skipped") is not None]
    browser = [c for c in cases if c.get("classname", "").startswith("tests.browser.")]
    problems = []
    if not cases:
        problems.append(f"{path}: no tests ran")
    if skipped:
        problems.append(f"{path}: {len(skipped)} skipped: {', '.join(skipped[:10])}")
    if not browser:
        problems.append(f"{path}: no browser test ran")
    print(f"{path}: {len(cases)} tests, {len(browser)} in the browser, {len(skipped)} skipped")
    return problems


problems = [problem for path in sys.argv[1:] for problem in check(path)]
for problem in problems:
    print("FAIL:", problem)
sys.exit(1 if problems else 0)
