"""Passport pages, one module per concept. The public assertion documents and images (`assertions`) are
re-exported here for passport.urls."""

from passport.views.assertions import (
    BAKED_IMAGE_POLICY,
    assertion_baked,
    assertion_detail,
    revocation_list,
)

__all__ = [
    "BAKED_IMAGE_POLICY",
    "assertion_baked",
    "assertion_detail",
    "revocation_list",
]
