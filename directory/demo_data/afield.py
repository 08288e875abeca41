"""A few hand-written listings beyond the five demo nodes, in towns people type first when they try a
"near" search (London, Köln, Lyon, Nairobi), so the nearest results there are next door rather than
hundreds of kilometres away. They belong to no node: no curator looks after those regions yet."""

from dataclasses import dataclass

from directory.demo_data.trades import FABRICATOR, MAKERSPACE, SUPPLIER, WORKSHOP


@dataclass(frozen=True)
class AfieldListing:
    name: str
    kind: str
    city: str
    country: str
    latitude: float
    longitude: float
    postcode: str
    address: str
    summary: str
    description: str
    # (vocabulary, slug) of seeded terms.
    terms: tuple[tuple[str, str], ...]
    languages: tuple[str, ...]


# fmt: off
AFIELD_LISTINGS: tuple[AfieldListing, ...] = (
    AfieldListing(
        "Deptford Creek Makerspace", MAKERSPACE, "London", "GB", 51.4779, -0.0225, "SE8 4RJ",
        "Unit 6, 24 Creekside",
        "Members' makerspace with a laser cutter, 3D printers and a wood shop by Deptford Creek.",
        "A members' workshop in a former boatyard shed. Inductions run every Tuesday evening; "
        "day passes for anyone who holds an induction badge from another hub.",
        (("process", "laser-cutting"), ("process", "3d-printing"), ("material", "plywood"),
         ("sector", "education-and-research"), ("service", "space-and-equipment")),
        ("en",),
    ),
    AfieldListing(
        "Bermondsey Joinery Works", FABRICATOR, "London", "GB", 51.4975, -0.0640, "SE16 3UB",
        "Arch 12, Enid Street",
        "Bespoke joinery and CNC-cut furniture for shops, homes and exhibitions.",
        "Six joiners under a railway arch, cutting plywood and oak on a CNC router and finishing by hand.",
        (("process", "joinery"), ("process", "cnc-routing"), ("material", "oak"), ("material", "plywood"),
         ("sector", "furniture")),
        ("en",),
    ),
    AfieldListing(
        "Hackney Wick Timber", SUPPLIER, "London", "GB", 51.5435, -0.0243, "E9 5EN",
        "7 Wallis Road",
        "Sheet materials and reclaimed timber, cut to size while you wait.",
        "Plywood, MDF and reclaimed floorboards by the sheet or cut to your list; trade counter open daily.",
        (("material", "plywood"), ("material", "reclaimed-wood"), ("service", "materials-sourcing")),
        ("en",),
    ),
    AfieldListing(
        "Werkstatt Ehrenfeld", MAKERSPACE, "Köln", "DE", 50.9500, 6.9160, "50823",
        "Vogelsanger Straße 186",
        "Open workshop in Ehrenfeld: wood, metal, electronics and a laser cutter.",
        "An open workshop in an old factory yard. Anyone can book a machine after an induction; "
        "repair evenings on the first Friday of the month.",
        (("process", "woodworking"), ("process", "laser-cutting"), ("process", "soldering"),
         ("sector", "education-and-research")),
        ("de", "en"),
    ),
    AfieldListing(
        "Metallbau Deutz", FABRICATOR, "Köln", "DE", 50.9370, 6.9780, "50679",
        "Deutz-Mülheimer Straße 51",
        "Steel and stainless fabrication: railings, stairs and one-off frames.",
        "A family metalwork shop since 1964: cutting, bending and welding steel for architects and makers.",
        (("process", "welding"), ("process", "metal-bending"), ("material", "steel"),
         ("sector", "architecture-and-construction")),
        ("de",),
    ),
    AfieldListing(
        "Holzkontor Nippes", SUPPLIER, "Köln", "DE", 50.9650, 6.9540, "50733",
        "Neusser Straße 310",
        "Hardwood and plywood for furniture makers, cut to size.",
        "Oak, beech and birch plywood from certified forests; small orders welcome.",
        (("material", "oak"), ("material", "beech"), ("material", "birch-plywood"),
         ("service", "materials-sourcing")),
        ("de", "en"),
    ),
    AfieldListing(
        "Fab Lab de la Croix-Rousse", MAKERSPACE, "Lyon", "FR", 45.7740, 4.8310, "69004",
        "12 rue d'Austerlitz",
        "Fab lab associatif : découpe laser, impression 3D et électronique sur les pentes.",
        "Un fab lab associatif ouvert aux adhérents trois soirs par semaine. Formation obligatoire "
        "avant la première utilisation de chaque machine.",
        (("process", "laser-cutting"), ("process", "3d-printing"), ("process", "soldering"),
         ("sector", "education-and-research")),
        ("fr",),
    ),
    AfieldListing(
        "Ébénisterie de Gerland", FABRICATOR, "Lyon", "FR", 45.7300, 4.8320, "69007",
        "45 rue de Gerland",
        "Ébénisterie et agencement sur mesure, en bois massif et contreplaqué.",
        "Trois ébénistes qui fabriquent meubles et agencements, de la pièce unique à la petite série.",
        (("process", "cabinet-making"), ("process", "cnc-routing"), ("material", "oak"),
         ("sector", "furniture")),
        ("fr",),
    ),
    AfieldListing(
        "Atelier Partagé de Villeurbanne", WORKSHOP, "Villeurbanne", "FR", 45.7667, 4.8800, "69100",
        "8 rue Francis de Pressensé",
        "Atelier bois partagé : établis, machines et cours du soir.",
        "Des établis à louer à l'heure ou au mois, des machines à bois et des cours pour débuter.",
        (("process", "woodworking"), ("material", "wood"), ("service", "classes-and-workshops")),
        ("fr",),
    ),
    AfieldListing(
        "Kariobangi Maker Hub", MAKERSPACE, "Nairobi", "KE", -1.2510, 36.8800, "00100",
        "Outering Road, Kariobangi North",
        "Community makerspace with welding, woodwork, 3D printing and electronics.",
        "Young makers building furniture, solar kits and spare parts; training every Saturday morning.",
        (("process", "welding"), ("process", "3d-printing"), ("process", "soldering"),
         ("sector", "education-and-research"), ("service", "training")),
        ("en", "sw"),
    ),
    AfieldListing(
        "Gikomba Metal Works", FABRICATOR, "Nairobi", "KE", -1.2830, 36.8370, "00100",
        "Gikomba Market, Lamu Road",
        "Jua kali metal fabrication: frames, gates, jikos and repairs while you wait.",
        "A co-operative of metalworkers who cut, bend and weld sheet and recycled steel.",
        (("process", "welding"), ("process", "sheet-metal-fabrication"), ("material", "steel"),
         ("service", "repair")),
        ("en", "sw"),
    ),
    AfieldListing(
        "Industrial Area Timber Supplies", SUPPLIER, "Nairobi", "KE", -1.3080, 36.8500, "00500",
        "Enterprise Road",
        "Timber, plywood and MDF for joiners, delivered across Nairobi.",
        "Cypress, pine and plywood by the piece or the lorry load, with cutting to size.",
        (("material", "plywood"), ("material", "mdf"), ("service", "local-delivery")),
        ("en", "sw"),
    ),
)
# fmt: on
