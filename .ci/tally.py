"""Counts what one CI step ran, from its output, so .ci/run can end with one `ci: N passed, M failed`.

    some-step 2>&1 | tee LOG; python3 .ci/tally.py EXIT_STATUS < LOG   # prints "PASSED FAILED"

A step counts as its test runner counted: pytest's closing line ("== 12 passed, 1 failed in 3.4s =="),
or the plain line our own scripts end with ("api-fuzz: 6047 passed, 0 failed"). A step that prints
neither (lint, say) is one check, passed or failed by its exit status. A step that exits non-zero is
never counted as all passed, whatever it printed.
"""

import re
import sys

PYTEST_CLOSING = re.compile(r"^=+ (?P<body>.*) in [0-9.]+s(?: \([0-9:]+\))? =+$")
PLAIN_CLOSING = re.compile(r"^[a-z][a-z0-9-]*: (?P<passed>\d+) passed, (?P<failed>\d+) failed\b")
# Colours and other terminal escapes, which some runners print even into a pipe.
ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def count(output: str, status: int) -> tuple[int, int]:
    passed = failed = 0
    counted = False
    for raw in output.splitlines():
        line = ESCAPES.sub("", raw).strip()
        if match := PYTEST_CLOSING.match(line):
            numbers = {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", match["body"])}
            passed += numbers.get("passed", 0)
            failed += numbers.get("failed", 0) + numbers.get("error", 0) + numbers.get("errors", 0)
            counted = True
        elif match := PLAIN_CLOSING.match(line):
            passed += int(match["passed"])
            failed += int(match["failed"])
            counted = True
    if not counted:
        return (1, 0) if status == 0 else (0, 1)
    if status != 0 and failed == 0:
        failed = 1
    return passed, failed


if __name__ == "__main__":
    passed, failed = count(sys.stdin.read(), int(sys.argv[1]))
    print(passed, failed)
