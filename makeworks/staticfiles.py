"""The production static files storage: WhiteNoise's compressed manifest, tolerant of vendor source maps.

Vendored libraries (the XStatic Leaflet packages) end their scripts with a `sourceMappingURL` comment
naming a `.map` file that the package does not always ship. Django's manifest storage rewrites that
comment to the map's hashed name and, when the map is missing, stops collectstatic, so no manifest is
written and every page is a 500. A source map only helps browser developer tools, so a missing one
leaves the comment as it was; every other reference (stylesheet `url()`, `@import`) stays strict.
"""

import re
from collections.abc import Callable
from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ProductionStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(
        self, name: str, hashed_files: dict[str, Any], template: str | None = None
    ) -> Callable[[re.Match[str]], str]:
        converter: Callable[[re.Match[str]], str] = super().url_converter(name, hashed_files, template)
        if template is None or "sourceMappingURL" not in template:
            return converter

        def source_map_converter(match: re.Match[str]) -> str:
            try:
                return converter(match)
            except ValueError:
                # The named map is not among the collected files: keep the comment untouched.
                return match.group("matched")

        return source_map_converter
