"""Factories that create through directory.services, so every test object is indexed as real ones are."""

from typing import Any

import factory

from directory import services
from directory.models import Listing, ListingKind, ListingStatus, Node, Term, Vocabulary


class NodeFactory(factory.django.DjangoModelFactory[Node]):
    class Meta:
        model = Node

    name = factory.Sequence(lambda n: f"Node {n}")
    country = "GB"
    latitude = 55.8642
    longitude = -4.2518

    @classmethod
    def _create(cls, model_class: type[Node], *args: Any, **kwargs: Any) -> Node:
        return services.node_create(**kwargs)


class TermFactory(factory.django.DjangoModelFactory[Term]):
    class Meta:
        model = Term

    vocabulary = Vocabulary.MATERIAL
    name = factory.Sequence(lambda n: f"Material {n}")

    @classmethod
    def _create(cls, model_class: type[Term], *args: Any, **kwargs: Any) -> Term:
        return services.term_create(**kwargs)


class ListingFactory(factory.django.DjangoModelFactory[Listing]):
    class Meta:
        model = Listing

    name = factory.Sequence(lambda n: f"Workshop {n}")
    kind = ListingKind.FABRICATOR
    status = ListingStatus.PUBLISHED
    city = "Glasgow"
    country = "GB"
    latitude = 55.8642
    longitude = -4.2518

    @classmethod
    def _create(cls, model_class: type[Listing], *args: Any, **kwargs: Any) -> Listing:
        return services.listing_create(**kwargs)
