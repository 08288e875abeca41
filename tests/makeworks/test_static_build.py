"""The production static build, run the way the Dockerfile runs it: collectstatic in a fresh process."""

import json
import re
from pathlib import Path

from tests.makeworks.test_settings import ROOT, manage

# `{% static 'path' %}` in a template; a path ending in "/" is a folder prefix, not a file.
STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")


def project_templates() -> list[Path]:
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return [path for folder in folders for path in folder.rglob("*.html")]


def test_production_collectstatic_builds_a_manifest_naming_every_file_our_templates_load(tmp_path):
    result = manage(
        "collectstatic",
        "--noinput",
        DJANGO_ENV="production",
        SECRET_KEY="collectstatic-only",
        BADGE_KEY_SECRET="collectstatic-only-never-used-at-run-time",
        STATIC_ROOT=str(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    referenced = {
        (template.relative_to(ROOT), name)
        for template in project_templates()
        for name in STATIC_TAG.findall(template.read_text())
    }
    assert referenced, "no {% static %} tag found: the template scan is broken"
    missing = [
        f"{template}: {name}"
        for template, name in sorted(referenced)
        if not (name.endswith("/") and (tmp_path / name).is_dir()) and name not in manifest
    ]
    assert not missing, missing
    # Each file a page names was hashed for caching; each stylesheet and script also compressed (images
    # such as the favicon's PNG are compressed already, and WhiteNoise rightly leaves them be).
    for _template, name in referenced:
        if not name.endswith("/"):
            assert (tmp_path / manifest[name]).is_file()
        if name.endswith((".css", ".js")):
            assert (tmp_path / f"{manifest[name]}.gz").is_file()
