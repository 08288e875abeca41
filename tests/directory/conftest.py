"""A small catalogue built through directory.services, shared by the view tests and the browser tests."""

from dataclasses import dataclass

import pytest

from directory import services
from directory.models import Listing, ListingKind, ListingStatus, Node, Term, Vocabulary

SECRET_EMAIL = "hidden-inbox@clyde-plywood.example"
SECRET_PHONE = "+44 141 496 0173"


@dataclass
class Catalogue:
    glasgow: Node
    paris: Node
    wood: Term
    plywood: Term
    steel: Term
    cnc: Term
    laser: Term
    furniture: Term
    prototyping: Term
    clyde: Listing
    govan: Listing
    kelvin: Listing
    belleville: Listing
    draft: Listing


def build_catalogue() -> Catalogue:
    glasgow = services.node_create(
        name="Glasgow",
        country="GB",
        latitude=55.8642,
        longitude=-4.2518,
        zoom=12,
        description="Makers along the **Clyde**.",
    )
    paris = services.node_create(name="Paris", country="FR", latitude=48.8566, longitude=2.3522)
    wood = services.term_create(vocabulary=Vocabulary.MATERIAL, name="Wood", name_fr="Bois")
    plywood = services.term_create(
        vocabulary=Vocabulary.MATERIAL, name="Plywood", name_fr="Contreplaqué", parent=wood
    )
    steel = services.term_create(vocabulary=Vocabulary.MATERIAL, name="Steel", name_fr="Acier")
    cnc = services.term_create(vocabulary=Vocabulary.PROCESS, name="CNC milling", name_fr="Fraisage CNC")
    laser = services.term_create(vocabulary=Vocabulary.PROCESS, name="Laser cutting", name_fr="Découpe laser")
    furniture = services.term_create(vocabulary=Vocabulary.SECTOR, name="Furniture", name_fr="Mobilier")
    prototyping = services.term_create(
        vocabulary=Vocabulary.SERVICE, name="Prototyping", name_fr="Prototypage"
    )

    clyde = services.listing_create(
        name="Clyde Plywood Works",
        kind=ListingKind.FABRICATOR,
        status=ListingStatus.PUBLISHED,
        verified=True,
        node=glasgow,
        terms=[plywood, cnc, furniture, prototyping],
        summary="CNC-cut plywood furniture and fit-outs.",
        description=(
            "## Our workshop\n\nWe cut **birch plywood** on two CNC routers.\n\n"
            "<script>alert('x')</script>\n\n[Our catalogue](https://clyde.example/catalogue)"
        ),
        address="12 Tradeston Street",
        city="Glasgow",
        postcode="G5 8BH",
        country="GB",
        latitude=55.8530,
        longitude=-4.2640,
        website="https://clyde.example",
        contact_email=SECRET_EMAIL,
        contact_phone=SECRET_PHONE,
        social_links=["https://www.instagram.com/clydeplywood", "javascript:alert(1)"],
        year_founded=2009,
        team_size="6-20",
        minimum_order="£250",
        lead_time="2–3 weeks",
        batch_sizes=["one-off", "small"],
        works_with=["businesses", "professionals"],
        production_access=["appointment"],
        languages=["en", "gd"],
        certifications=["Living Wage Employer"],
        circularity="Offcuts go to local schools.",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    govan = services.listing_create(
        name="Govan Laser Studio",
        kind=ListingKind.WORKSHOP,
        status=ListingStatus.PUBLISHED,
        node=glasgow,
        terms=[steel, laser, cnc],
        summary="Laser cutting and CNC milling in steel.",
        city="Glasgow",
        country="GB",
        latitude=55.8610,
        longitude=-4.3120,
    )
    kelvin = services.listing_create(
        name="Kelvin Timber Supply",
        kind=ListingKind.MATERIAL_SUPPLIER,
        status=ListingStatus.PUBLISHED,
        node=glasgow,
        terms=[plywood],
        summary="Sheet materials, cut to size.",
        city="Glasgow",
        country="GB",
        latitude=55.8720,
        longitude=-4.2890,
    )
    belleville = services.listing_create(
        name="Atelier Belleville",
        kind=ListingKind.FABRICATOR,
        status=ListingStatus.PUBLISHED,
        node=paris,
        terms=[plywood, cnc],
        summary="Fraisage CNC de contreplaqué.",
        city="Paris",
        country="FR",
        latitude=48.8720,
        longitude=2.3850,
    )
    draft = services.listing_create(
        name="Secret Draft Workshop",
        kind=ListingKind.WORKSHOP,
        status=ListingStatus.DRAFT,
        node=glasgow,
        terms=[plywood, cnc],
        city="Glasgow",
        country="GB",
        latitude=55.8600,
        longitude=-4.2500,
    )
    return Catalogue(
        glasgow=glasgow,
        paris=paris,
        wood=wood,
        plywood=plywood,
        steel=steel,
        cnc=cnc,
        laser=laser,
        furniture=furniture,
        prototyping=prototyping,
        clyde=clyde,
        govan=govan,
        kelvin=kelvin,
        belleville=belleville,
        draft=draft,
    )


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return build_catalogue()
