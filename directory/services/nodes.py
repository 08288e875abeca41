"""Writes to a node that its curators make from the site (the admin creates nodes: listings.node_create)."""

from django.db import transaction

from audit.services import audit_log
from directory.models import Node, NodeAction
from makeworks.lib.actors import Actor


@transaction.atomic
def node_describe(*, node: Node, description: str, description_fr: str, actor: Actor) -> Node:
    """Set the node's description in English and in French; the audit log keeps what each was."""
    before = {"description": node.description, "description_fr": node.description_fr}
    after = {"description": description.strip(), "description_fr": description_fr.strip()}
    if before == after:
        return node
    node.description, node.description_fr = after["description"], after["description_fr"]
    node.full_clean()
    node.save(update_fields=["description", "description_fr"])
    changes = {field: [before[field], after[field]] for field in after if before[field] != after[field]}
    audit_log(actor=actor, action=NodeAction.DESCRIBED, obj=node, label=node.name, data={"changes": changes})
    return node
