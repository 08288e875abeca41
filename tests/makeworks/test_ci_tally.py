"""CI's closing line counts what each step ran (.ci/tally.py), so a green run is never read as 'no test'."""

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("tally", Path(__file__).parents[2] / ".ci" / "tally.py")
assert spec
assert spec.loader
tally = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tally)


def test_a_pytest_run_counts_its_passed_and_its_failed_and_errored_tests():
    output = "tests/a.py ....F\n=== 3 failed, 1536 passed, 4 skipped, 2 errors in 401.22s (0:06:41) ===\n"
    assert tally.count(output, 1) == (1536, 5)


def test_a_step_closing_with_its_own_plain_line_counts_its_cases():
    assert tally.count("== Done in 122 s\napi-fuzz: 6047 passed, 0 failed\n", 0) == (6047, 0)


def test_a_step_without_a_count_is_one_check_judged_by_its_exit_status():
    assert tally.count("Success: no issues found in 280 source files\n", 0) == (1, 0)
    assert tally.count("Found 2 errors.\n", 2) == (0, 1)


def test_a_step_that_exits_non_zero_is_never_counted_as_all_passed():
    assert tally.count("conformance: 10 passed, 0 failed\n", 1) == (10, 1)


def test_pytest_finding_no_test_is_a_failure():
    assert tally.count("============ no tests ran in 0.01s ============\n", 5) == (0, 1)
