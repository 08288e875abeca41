"""Factories that create through directory.services, so every test object is indexed as real ones are,
and through badges.services, so every issuer has its signing key and every badge image is checked."""

import io
from typing import Any

import factory
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from badges import services as badge_services
from badges.models import BadgeClass, Issuer, IssuerMembership, IssuerRole
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


def badge_png(colour: str = "#2a9d8f", size: int = 64) -> bytes:
    """A small, valid PNG badge image."""
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, "PNG")
    return buffer.getvalue()


class IssuerFactory(factory.django.DjangoModelFactory[Issuer]):
    class Meta:
        model = Issuer

    listing = factory.SubFactory(ListingFactory, kind=ListingKind.MAKERSPACE)
    name = factory.Sequence(lambda n: f"Makerspace {n}")
    url = factory.Sequence(lambda n: f"https://makerspace-{n}.example")
    email = factory.Sequence(lambda n: f"badges@makerspace-{n}.example")
    description = "Open access workshop with laser cutters, 3D printers and a wood shop."

    @classmethod
    def _create(cls, model_class: type[Issuer], *args: Any, **kwargs: Any) -> Issuer:
        return badge_services.issuer_create(**kwargs)


class BadgeClassFactory(factory.django.DjangoModelFactory[BadgeClass]):
    class Meta:
        model = BadgeClass

    issuer = factory.SubFactory(IssuerFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")
    description = "Shows the holder can use the machine safely and on their own."
    image = factory.LazyFunction(lambda: SimpleUploadedFile("badge.png", badge_png(), "image/png"))
    criteria_narrative = "Completed the induction and a supervised job."

    @classmethod
    def _create(cls, model_class: type[BadgeClass], *args: Any, **kwargs: Any) -> BadgeClass:
        return badge_services.badge_class_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"person-{n}")
    email = factory.LazyAttribute(lambda person: f"{person.username}@example.org")

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return User.objects.create_user(**kwargs)


class IssuerMembershipFactory(factory.django.DjangoModelFactory[IssuerMembership]):
    """A person with a role for an issuer, given through the membership service (so it is audited)."""

    class Meta:
        model = IssuerMembership

    issuer = factory.SubFactory(IssuerFactory)
    user = factory.SubFactory(UserFactory)
    role = IssuerRole.STAFF

    @classmethod
    def _create(cls, model_class: type[IssuerMembership], *args: Any, **kwargs: Any) -> IssuerMembership:
        return badge_services.issuer_member_add(actor=None, **kwargs)


class EquipmentFactory(factory.django.DjangoModelFactory[Any]):
    """A machine at a makerspace, added through machinery_map.services; `equipment_type` is a type slug."""

    class Meta:
        model = "machinery_map.Equipment"

    hub = factory.SubFactory(ListingFactory, kind=ListingKind.MAKERSPACE)
    equipment_type = "laser-cutter"
    make = "Trotec"
    model = "Speedy 400"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        # Imported here so the factories of the other apps load without machinery_map.
        from machinery_map import services as machine_services
        from machinery_map.models import EquipmentType

        kwargs["equipment_type"] = EquipmentType.objects.get(slug=kwargs["equipment_type"])
        return machine_services.equipment_create(**kwargs)
