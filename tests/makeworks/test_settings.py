"""Production settings, checked the way an operator would: by running manage.py in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; no real deployment carries it.
    unset = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in unset}
    return subprocess.run(  # noqa: S603 -- our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_deploy_check_is_clean_in_production_mode():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        BADGE_KEY_SECRET="another-long-random-production-secret-" + "y" * 40,
        SITE_URL="https://makeworks.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_ENV="production", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_badge_key_secret():
    result = manage("check", DJANGO_ENV="production", SECRET_KEY="x" * 60, BADGE_KEY_SECRET="")
    assert result.returncode != 0
    assert "BADGE_KEY_SECRET must be set" in result.stderr


def test_production_refuses_a_short_badge_key_secret():
    result = manage("check", DJANGO_ENV="production", SECRET_KEY="x" * 60, BADGE_KEY_SECRET="too-short")
    assert result.returncode != 0
    assert "BADGE_KEY_SECRET must be at least 32 characters" in result.stderr


def test_an_unknown_environment_name_is_refused():
    result = manage("check", DJANGO_ENV="staging")
    assert result.returncode != 0
    assert "DJANGO_ENV must be" in result.stderr
