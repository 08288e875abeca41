"""The seeded taxonomies of equipment types and manufacturing processes, loaded by migration 0002.

Open Know-Where names both by Wikipedia URL (WIKIPEDIA + article). A Wikidata id is given only where it
was checked, since a wrong id is worse than none. Aliases are the names dirty input uses for the same
thing ("3DP", "3d_printing", "laser"); the importer compares them after folding case, underscores and
hyphens to spaces (see machinery_map.matching), so each alias is written once in plain words.
"""

from typing import Final, NamedTuple

WIKIPEDIA: Final = "https://en.wikipedia.org/wiki/"
WIKIDATA: Final = "https://www.wikidata.org/wiki/"
OTHER_TYPE: Final = "other"


class ProcessRow(NamedTuple):
    slug: str
    name: str
    name_fr: str
    article: str
    wikidata_id: str
    aliases: tuple[str, ...]


class EquipmentTypeRow(NamedTuple):
    slug: str
    name: str
    name_fr: str
    parent: str  # slug of a broader type listed earlier, or ""
    article: str
    wikidata_id: str
    aliases: tuple[str, ...]
    processes: tuple[str, ...]  # slugs of the processes such a machine usually does


PROCESSES: Final[tuple[ProcessRow, ...]] = (
    ProcessRow(
        "3d-printing",
        "3D printing",
        "Impression 3D",
        "3D_printing",
        "Q229367",
        ("3dp", "3d print", "3d printer", "additive manufacturing", "additive", "3d printing service"),
    ),
    ProcessRow(
        "fused-filament-fabrication",
        "Fused filament fabrication",
        "Dépôt de fil fondu",
        "Fused_filament_fabrication",
        "",
        ("fff", "fdm", "fused deposition modeling", "fdm printing"),
    ),
    ProcessRow(
        "stereolithography",
        "Stereolithography",
        "Stéréolithographie",
        "Stereolithography",
        "",
        ("sla", "sla printer", "resin printing", "dlp", "msla", "vat photopolymerisation"),
    ),
    ProcessRow(
        "selective-laser-sintering",
        "Selective laser sintering",
        "Frittage sélectif par laser",
        "Selective_laser_sintering",
        "",
        ("sls", "powder bed fusion"),
    ),
    ProcessRow(
        "laser-cutting",
        "Laser cutting",
        "Découpe laser",
        "Laser_cutting",
        "",
        ("laser", "laser cut", "lasercutting", "laser cutter"),
    ),
    ProcessRow(
        "laser-engraving",
        "Laser engraving",
        "Gravure laser",
        "Laser_engraving",
        "",
        ("laser etching", "engraving", "laser marking"),
    ),
    ProcessRow(
        "cnc-milling",
        "CNC milling",
        "Fraisage CNC",
        "Milling_(machining)",
        "",
        ("milling", "cnc", "cnc machining", "cnc routing", "routing", "machining", "cnc router", "cnc mill"),
    ),
    ProcessRow("turning", "Turning", "Tournage", "Turning", "", ("lathe", "lathe work", "cnc turning")),
    ProcessRow(
        "vinyl-cutting",
        "Vinyl cutting",
        "Découpe vinyle",
        "Vinyl_cutter",
        "",
        ("vinyl", "vinyl cutter", "plotter cutting", "sticker cutting"),
    ),
    ProcessRow(
        "pcb-milling", "PCB milling", "Gravure de circuits imprimés", "PCB_milling", "", ("pcb mill",)
    ),
    ProcessRow(
        "surface-mount-assembly",
        "Surface-mount assembly",
        "Assemblage CMS",
        "Surface-mount_technology",
        "",
        ("smt", "smd assembly", "pick and place", "electronics assembly", "pcb assembly"),
    ),
    ProcessRow("soldering", "Soldering", "Brasage tendre", "Soldering", "", ("solder", "hand soldering")),
    ProcessRow(
        "reflow-soldering", "Reflow soldering", "Brasage par refusion", "Reflow_soldering", "", ("reflow",)
    ),
    ProcessRow("sewing", "Sewing", "Couture", "Sewing", "", ("stitching", "machine sewing")),
    ProcessRow(
        "machine-embroidery",
        "Machine embroidery",
        "Broderie machine",
        "Machine_embroidery",
        "",
        ("embroidery",),
    ),
    ProcessRow(
        "machine-knitting", "Machine knitting", "Tricot machine", "Machine_knitting", "", ("knitting",)
    ),
    ProcessRow("weaving", "Weaving", "Tissage", "Weaving", "", ("loom weaving",)),
    ProcessRow(
        "pottery", "Pottery", "Poterie", "Pottery", "", ("ceramics", "ceramic firing", "firing", "throwing")
    ),
    ProcessRow("baking", "Baking", "Cuisson au four", "Baking", "", ("bread making", "bakery")),
    ProcessRow("mixing", "Mixing", "Mélange", "Mixing_(process_engineering)", "", ("kneading", "blending")),
    ProcessRow(
        "fermentation",
        "Fermentation",
        "Fermentation",
        "Fermentation_in_food_processing",
        "",
        ("brewing", "fermenting"),
    ),
    ProcessRow(
        "food-drying", "Food drying", "Séchage des aliments", "Food_drying", "", ("dehydrating", "drying")
    ),
    ProcessRow("welding", "Welding", "Soudage", "Welding", "Q131172", ("weld", "mig welding", "tig welding")),
    ProcessRow("plasma-cutting", "Plasma cutting", "Découpe plasma", "Plasma_cutting", "", ("plasma",)),
    ProcessRow(
        "water-jet-cutting",
        "Water jet cutting",
        "Découpe jet d'eau",
        "Water_jet_cutter",
        "",
        ("waterjet", "water jet", "waterjet cutting"),
    ),
    ProcessRow("sawing", "Sawing", "Sciage", "Saw", "", ("saw", "cutting wood")),
    ProcessRow("drilling", "Drilling", "Perçage", "Drilling", "", ("drill",)),
    ProcessRow(
        "thermoforming",
        "Thermoforming",
        "Thermoformage",
        "Thermoforming",
        "",
        ("vacuum forming", "vacuum form"),
    ),
    ProcessRow(
        "injection-moulding",
        "Injection moulding",
        "Moulage par injection",
        "Injection_moulding",
        "",
        ("injection molding",),
    ),
    ProcessRow(
        "bending", "Bending", "Pliage", "Bending_(metalworking)", "", ("sheet metal bending", "press braking")
    ),
    ProcessRow("screen-printing", "Screen printing", "Sérigraphie", "Screen_printing", "", ("silkscreen",)),
    ProcessRow("3d-scanning", "3D scanning", "Numérisation 3D", "3D_scanning", "", ("3d scan", "scanning")),
    ProcessRow("woodworking", "Woodworking", "Travail du bois", "Woodworking", "", ("joinery", "carpentry")),
)

EQUIPMENT_TYPES: Final[tuple[EquipmentTypeRow, ...]] = (
    EquipmentTypeRow(
        "laser-cutter",
        "Laser cutter",
        "Découpeuse laser",
        "",
        "Laser_cutting",
        "",
        ("laser", "lasercutter", "laser engraver", "co2 laser", "laser cutting machine", "fibre laser"),
        ("laser-cutting", "laser-engraving"),
    ),
    EquipmentTypeRow(
        "cnc-router",
        "CNC router",
        "Défonceuse CNC",
        "",
        "CNC_router",
        "",
        ("router", "cnc", "shopbot", "cnc routing machine", "wood router"),
        ("cnc-milling",),
    ),
    EquipmentTypeRow(
        "cnc-mill",
        "CNC mill",
        "Fraiseuse CNC",
        "",
        "Milling_(machining)",
        "",
        ("milling machine", "mill", "cnc milling machine", "machining centre", "machining center"),
        ("cnc-milling", "drilling"),
    ),
    EquipmentTypeRow(
        "lathe",
        "Lathe",
        "Tour",
        "",
        "Lathe",
        "Q187833",
        ("cnc lathe", "metal lathe", "wood lathe"),
        ("turning",),
    ),
    EquipmentTypeRow(
        "3d-printer",
        "3D printer",
        "Imprimante 3D",
        "",
        "3D_printing",
        "Q229367",
        ("3dp", "3d printing", "3d printer", "additive manufacturing", "printer 3d"),
        ("3d-printing",),
    ),
    EquipmentTypeRow(
        "fdm-printer",
        "3D printer (FDM/FFF)",
        "Imprimante 3D (FDM/FFF)",
        "3d-printer",
        "Fused_filament_fabrication",
        "",
        ("fdm", "fff", "fdm printer", "fff printer", "filament printer", "fdm 3d printer"),
        ("3d-printing", "fused-filament-fabrication"),
    ),
    EquipmentTypeRow(
        "sla-printer",
        "3D printer (SLA/resin)",
        "Imprimante 3D (SLA/résine)",
        "3d-printer",
        "Stereolithography",
        "",
        ("sla", "sla printer", "resin printer", "msla printer", "dlp printer", "resin 3d printer"),
        ("3d-printing", "stereolithography"),
    ),
    EquipmentTypeRow(
        "sls-printer",
        "3D printer (SLS)",
        "Imprimante 3D (SLS)",
        "3d-printer",
        "Selective_laser_sintering",
        "",
        ("sls", "sls printer", "powder printer"),
        ("3d-printing", "selective-laser-sintering"),
    ),
    EquipmentTypeRow(
        "vinyl-cutter",
        "Vinyl cutter",
        "Plotter de découpe",
        "",
        "Vinyl_cutter",
        "",
        ("cutting plotter", "plotter cutter", "vinyl plotter", "cricut"),
        ("vinyl-cutting",),
    ),
    EquipmentTypeRow(
        "pick-and-place",
        "Pick-and-place machine",
        "Machine de placement CMS",
        "",
        "SMT_placement_equipment",
        "",
        ("pick and place", "pnp", "smt placement", "chip shooter"),
        ("surface-mount-assembly",),
    ),
    EquipmentTypeRow(
        "pcb-mill",
        "PCB milling machine",
        "Graveuse de circuits imprimés",
        "",
        "PCB_milling",
        "",
        ("pcb mill", "pcb milling", "pcb router", "othermill"),
        ("pcb-milling",),
    ),
    EquipmentTypeRow(
        "reflow-oven",
        "Reflow oven",
        "Four de refusion",
        "",
        "Reflow_oven",
        "",
        ("reflow",),
        ("reflow-soldering",),
    ),
    EquipmentTypeRow(
        "soldering-station",
        "Soldering station",
        "Station de soudage électronique",
        "",
        "Soldering_iron",
        "",
        ("soldering iron", "solder station"),
        ("soldering",),
    ),
    EquipmentTypeRow(
        "sewing-machine",
        "Sewing machine",
        "Machine à coudre",
        "",
        "Sewing_machine",
        "Q49013",
        ("sewing", "industrial sewing machine", "overlocker", "serger"),
        ("sewing",),
    ),
    EquipmentTypeRow(
        "embroidery-machine",
        "Embroidery machine",
        "Brodeuse",
        "",
        "Machine_embroidery",
        "",
        ("embroidery", "embroidery machine"),
        ("machine-embroidery",),
    ),
    EquipmentTypeRow(
        "knitting-machine",
        "Knitting machine",
        "Machine à tricoter",
        "",
        "Knitting_machine",
        "",
        ("knitting",),
        ("machine-knitting",),
    ),
    EquipmentTypeRow("loom", "Loom", "Métier à tisser", "", "Loom", "", ("weaving loom",), ("weaving",)),
    EquipmentTypeRow(
        "kiln",
        "Kiln",
        "Four à céramique",
        "",
        "Kiln",
        "",
        ("ceramic kiln", "pottery kiln", "glass kiln"),
        ("pottery",),
    ),
    EquipmentTypeRow(
        "potters-wheel",
        "Potter's wheel",
        "Tour de potier",
        "",
        "Potter's_wheel",
        "",
        ("pottery wheel", "throwing wheel"),
        ("pottery",),
    ),
    EquipmentTypeRow(
        "oven",
        "Oven",
        "Four",
        "",
        "Oven",
        "Q36539",
        ("deck oven", "bread oven", "convection oven", "baking oven", "combi oven"),
        ("baking",),
    ),
    EquipmentTypeRow(
        "mixer",
        "Mixer",
        "Pétrin / batteur",
        "",
        "Mixer_(appliance)",
        "",
        ("dough mixer", "stand mixer", "planetary mixer", "spiral mixer", "kneader"),
        ("mixing",),
    ),
    EquipmentTypeRow(
        "fermenter",
        "Fermenter",
        "Fermenteur",
        "",
        "Industrial_fermentation",
        "",
        ("fermentation tank", "fermenter", "fermentor", "brewing vessel"),
        ("fermentation",),
    ),
    EquipmentTypeRow(
        "dehydrator",
        "Food dehydrator",
        "Déshydrateur",
        "",
        "Food_dehydrator",
        "",
        ("dehydrator", "food dryer"),
        ("food-drying",),
    ),
    EquipmentTypeRow(
        "welder",
        "Welding machine",
        "Poste à souder",
        "",
        "Welding_power_supply",
        "",
        ("welder", "mig welder", "tig welder", "arc welder", "welding"),
        ("welding",),
    ),
    EquipmentTypeRow(
        "plasma-cutter",
        "Plasma cutter",
        "Découpeur plasma",
        "",
        "Plasma_cutting",
        "",
        ("plasma", "cnc plasma"),
        ("plasma-cutting",),
    ),
    EquipmentTypeRow(
        "waterjet-cutter",
        "Water jet cutter",
        "Découpe jet d'eau",
        "",
        "Water_jet_cutter",
        "",
        ("waterjet", "water jet"),
        ("water-jet-cutting",),
    ),
    EquipmentTypeRow(
        "table-saw",
        "Table saw",
        "Scie sur table",
        "",
        "Table_saw",
        "",
        ("circular saw bench", "panel saw"),
        ("sawing", "woodworking"),
    ),
    EquipmentTypeRow(
        "bandsaw", "Bandsaw", "Scie à ruban", "", "Bandsaw", "", ("band saw",), ("sawing", "woodworking")
    ),
    EquipmentTypeRow(
        "drill-press",
        "Drill press",
        "Perceuse à colonne",
        "",
        "Drill_press",
        "",
        ("pillar drill",),
        ("drilling",),
    ),
    EquipmentTypeRow(
        "vacuum-former",
        "Vacuum former",
        "Thermoformeuse",
        "",
        "Vacuum_forming",
        "",
        ("vacuum forming machine", "thermoformer"),
        ("thermoforming",),
    ),
    EquipmentTypeRow(
        "injection-moulder",
        "Injection moulding machine",
        "Presse à injecter",
        "",
        "Injection_moulding_machine",
        "",
        ("injection molding machine", "injection moulder"),
        ("injection-moulding",),
    ),
    EquipmentTypeRow(
        "press-brake",
        "Press brake",
        "Presse plieuse",
        "",
        "Press_brake",
        "",
        ("brake press", "sheet metal bender"),
        ("bending",),
    ),
    EquipmentTypeRow(
        "screen-printing-press",
        "Screen printing press",
        "Presse de sérigraphie",
        "",
        "Screen_printing",
        "",
        ("screen printer", "screen press"),
        ("screen-printing",),
    ),
    EquipmentTypeRow(
        "3d-scanner", "3D scanner", "Scanner 3D", "", "3D_scanning", "", ("3d scanner",), ("3d-scanning",)
    ),
    # What an import files a machine under when its type is not one of the above: the machine is kept,
    # with the type the source named (machinery_map.okw), rather than dropped.
    EquipmentTypeRow(OTHER_TYPE, "Other machine", "Autre machine", "", "Machine", "", (), ()),
)
