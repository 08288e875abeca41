"""gunicorn's own settings file is found where every server here starts (the image's WORKDIR, CI, the
bench), so its worker hook really runs."""

import gc
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_started_in_the_project_reads_its_settings_file_and_worker_hook() -> None:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    printed = subprocess.run(  # noqa: S603 -- our own gunicorn with fixed arguments
        [str(gunicorn), "--print-config", "makeworks.wsgi:application"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "config                             = ./gunicorn.conf.py" in printed
    assert "post_worker_init                   = <post_worker_init()>" in printed


def test_a_worker_freezes_what_it_loaded_so_full_collections_skip_it() -> None:
    post_worker_init = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"]
    try:
        post_worker_init(None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
