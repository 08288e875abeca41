"""Writes of the passport app, one module per concept. Awarding and revoking badges (`assertions`), and
baking and e-mailing them (`delivery`), are used everywhere and re-exported here; other concepts are
imported from their modules."""

from passport.services.assertions import (
    BATCH_SIZE,
    MAX_FAILURE_LENGTH,
    MAX_REASON_LENGTH,
    Award,
    AwardProblem,
    assertion_email_resend,
    assertion_issue,
    assertion_revoke,
    assertions_delivery_fail,
    assertions_issue,
    assertions_revoke,
    awards_check,
    issue_batch_create,
    issue_batch_retry,
)
from passport.services.delivery import (
    IMAGE_CONTENT_TYPES,
    TASK_CHUNK,
    EmailClaimedError,
    assertion_bake,
    assertion_email,
    assertions_delivery_sweep,
)

__all__ = [
    "BATCH_SIZE",
    "IMAGE_CONTENT_TYPES",
    "MAX_FAILURE_LENGTH",
    "MAX_REASON_LENGTH",
    "TASK_CHUNK",
    "Award",
    "AwardProblem",
    "EmailClaimedError",
    "assertion_bake",
    "assertion_email",
    "assertion_email_resend",
    "assertion_issue",
    "assertion_revoke",
    "assertions_delivery_fail",
    "assertions_delivery_sweep",
    "assertions_issue",
    "assertions_revoke",
    "awards_check",
    "issue_batch_create",
    "issue_batch_retry",
]
