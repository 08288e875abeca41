"""The five demo regions (nodes) and the local detail their listings are written with."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Town:
    name: str
    latitude: float
    longitude: float
    # Patterns: "#" stands for a digit and "@" for a letter. Empty where addresses carry no postcode.
    postcodes: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    """A demo node and the local detail its listings are written with."""

    slug: str
    name: str
    name_fr: str
    country: str
    latitude: float
    longitude: float
    zoom: int
    description: str
    towns: tuple[Town, ...]  # The node's own city first.
    addresses: tuple[str, ...]  # Formats with {n}, {u} and {street}, plus "#" digits.
    phone: str
    money: str  # Format of an amount in local currency, e.g. "£{}".
    thousands: str
    per_euro: float
    name_language: str  # Which of a trade's name templates fit here: en, fr or de.
    text_language: str  # Which language descriptions are written in: en or fr.
    languages: tuple[tuple[str, ...], ...]
    places: tuple[str, ...]
    surnames: tuple[str, ...]
    words: tuple[str, ...]
    adjectives: tuple[str, ...] = ()
    organic: str = ""
    food_safety: str = ""
    certifications: tuple[str, ...] = ()


FRENCH_ADJECTIVES = ("Vivant", "Brut", "Sauvage", "Commun", "Clair", "Franc", "Libre", "Joyeux", "Vif")

# fmt: off
REGIONS: tuple[Region, ...] = (
    Region(
        slug="glasgow", name="Glasgow", name_fr="", country="GB", latitude=55.8642, longitude=-4.2518,
        zoom=11,
        description="Glasgow and the Clyde valley: shipyard skills turned into metalwork and joinery, print "
                    "studios in the East End and a busy food scene from Govan to Paisley.",
        towns=(
            Town("Glasgow", 55.8642, -4.2518,
                 ("G1 #@@", "G3 #@@", "G4 #@@", "G5 #@@", "G11 #@@", "G20 #@@", "G31 #@@", "G40 #@@"),
                 ("Argyle Street", "Duke Street", "London Road", "Govan Road", "Dumbarton Road", "Gallowgate",
                  "Maryhill Road", "Paisley Road West", "Tradeston Street", "Kelvinhaugh Street")),
            Town("Paisley", 55.8456, -4.4239, ("PA1 #@@", "PA2 #@@"), ("Causeyside Street", "High Street")),
            Town("Clydebank", 55.9019, -4.4037, ("G81 #@@",), ("Kilbowie Road", "Glasgow Road")),
            Town("Rutherglen", 55.8286, -4.2140, ("G73 #@@",), ("Main Street", "Farmeloan Road")),
            Town("East Kilbride", 55.7644, -4.1769, ("G74 #@@", "G75 #@@"), ("Stroud Road", "Nerston Road")),
        ),
        addresses=("{n} {street}", "Unit {u}, {n} {street}"), phone="+44 141 ### ####",
        money="£{}", thousands=",", per_euro=0.85, name_language="en", text_language="en",
        languages=(("en",), ("en",), ("en", "gd"), ("en", "pl"), ("en", "ur"), ("en", "fr")),
        places=("Clyde", "Kelvin", "Govan", "Partick", "Calton", "Finnieston", "Maryhill", "Tradeston",
                "Dennistoun", "Springburn", "Anderston", "Pollokshields"),
        surnames=("MacLeod", "Campbell", "Stewart", "Fraser", "Murray", "Docherty", "Kerr", "Sinclair",
                  "Baird", "Reid", "Ahmed", "Kowalski"),
        words=("Thistle", "Bothy", "Heron", "Rowan", "Tenement", "Saltire", "Red Brick", "Firth", "Crane"),
        organic="Soil Association Organic", food_safety="SALSA",
        certifications=("Living Wage Employer", "B Corp"),
    ),
    Region(
        slug="paris", name="Paris", name_fr="Paris", country="FR", latitude=48.8566, longitude=2.3522,
        zoom=12,
        description="Paris and the inner suburbs: cabinet makers of the Faubourg Saint-Antoine, a young "
                    "food-making scene in the north-east, and fab labs and shared workshops in Saint-Denis "
                    "and Montreuil.",
        towns=(
            Town("Paris", 48.8566, 2.3522,
                 ("75003", "75010", "75011", "75012", "75013", "75018", "75019", "75020"),
                 ("rue du Faubourg Saint-Antoine", "rue de Charonne", "rue de la Roquette", "rue Oberkampf",
                  "boulevard de Belleville", "rue de Ménilmontant", "rue des Vinaigriers", "rue de Bagnolet",
                  "avenue Parmentier", "rue de la Chapelle", "rue de Crimée", "rue Saint-Maur")),
            Town("Saint-Denis", 48.9362, 2.3574, ("93200",), ("rue de la République", "rue Gabriel Péri")),
            Town("Montreuil", 48.8638, 2.4485, ("93100",), ("rue de Paris", "rue Étienne Marcel")),
            Town("Ivry-sur-Seine", 48.8157, 2.3849, ("94200",), ("quai Marcel Boyer", "rue Molière")),
            Town("Pantin", 48.8944, 2.4093, ("93500",), ("avenue Jean Lolive", "rue Hoche")),
        ),
        addresses=("{n} {street}", "{n} bis {street}"), phone="+33 1 ## ## ## ##",
        money="{} €", thousands=" ", per_euro=1.0, name_language="fr", text_language="fr",
        languages=(("fr",), ("fr", "en"), ("fr", "en"), ("fr", "es"), ("fr", "ar"), ("fr", "pt")),
        places=("Belleville", "Ménilmontant", "Charonne", "Popincourt", "Bercy", "Picpus", "Montmartre",
                "Batignolles", "Clignancourt", "Javel", "Plaisance", "la Villette", "la Chapelle"),
        surnames=("Martin", "Lefèvre", "Moreau", "Girard", "Roux", "Fontaine", "Chevalier", "Benali",
                  "Nguyen", "Diallo", "Da Silva", "Laurent", "Morel", "Mercier"),
        words=("Canal", "Faubourg", "Passage", "Comptoir"), adjectives=FRENCH_ADJECTIVES,
        organic="Organic (AB)", certifications=("Entreprise du Patrimoine Vivant", "ESUS"),
    ),
    Region(
        slug="hamburg", name="Hamburg", name_fr="Hambourg", country="DE", latitude=53.5511, longitude=9.9937,
        zoom=11,
        description="Hamburg and its edge towns: port engineering, boatbuilders and metalworkers along the "
                    "Elbe, coffee roasters in the Speicherstadt tradition and open workshops from "
                    "Wilhelmsburg to Norderstedt.",
        towns=(
            Town("Hamburg", 53.5511, 9.9937,
                 ("20095", "20457", "20539", "22765", "22767", "20357", "21107", "22083", "20537", "22769"),
                 ("Schanzenstraße", "Stresemannstraße", "Billstraße", "Hongkongstraße", "Wendenstraße",
                  "Bahrenfelder Chaussee", "Friedensallee", "Ruhrstraße", "Große Elbstraße", "Harkortstraße",
                  "Veringstraße", "Fuhlsbüttler Straße")),
            Town("Norderstedt", 53.7064, 9.9994, ("22844", "22846"), ("Ulzburger Straße", "Rathausallee")),
            Town("Pinneberg", 53.6600, 9.7950, ("25421",), ("Elmshorner Straße", "Damm")),
            Town("Reinbek", 53.5170, 10.2485, ("21465",), ("Schmiedesberg", "Bergstraße")),
            Town("Ahrensburg", 53.6747, 10.2411, ("22926",), ("Hamburger Straße", "Große Straße")),
        ),
        addresses=("{street} {n}", "{street} {n}, Halle {u}"), phone="+49 40 ### ### ##",
        money="{} €", thousands=".", per_euro=1.0, name_language="de", text_language="en",
        languages=(("de",), ("de", "en"), ("de", "en"), ("de", "en", "tr"), ("de", "pl"), ("de", "en", "da")),
        places=("Hafen", "Elbe", "Alster", "Altona", "Ottensen", "Wilhelmsburg", "Veddel", "Barmbek",
                "Eimsbüttel", "Hammerbrook", "Rothenburgsort", "St. Pauli"),
        surnames=("Petersen", "Jansen", "Schröder", "Hansen", "Meyer", "Krüger", "Lorenzen", "Yılmaz",
                  "Nowak", "Wagner", "Brandt", "Voss"),
        words=("Hafen", "Anker", "Möwe", "Kran", "Speicher", "Deich", "Fleet", "Kontor", "Kompass"),
        organic="Bio-Siegel", food_safety="IFS Food", certifications=("Gemeinwohl-Bilanz",),
    ),
    Region(
        slug="yaounde", name="Yaoundé", name_fr="Yaoundé", country="CM", latitude=3.8480, longitude=11.5021,
        zoom=12,
        description="Yaoundé and its surroundings: joiners working ayous and sapele, tailors and ndop "
                    "weavers, cocoa and coffee processors and a growing community of fab labs.",
        towns=(
            Town("Yaoundé", 3.8480, 11.5021, (),
                 ("Mvog-Mbi", "Nlongkak", "Bastos", "Mokolo", "Essos", "Biyem-Assi", "Mendong", "Ekounou",
                  "Nkolbisson", "Tsinga", "Mimboman", "Mvan")),
            Town("Mbalmayo", 3.5167, 11.5000, (), ("Quartier Administratif", "Route de Yaoundé")),
            Town("Soa", 3.9833, 11.6000, (), ("Route de Soa", "Centre-ville")),
            Town("Obala", 4.1667, 11.5333, (), ("Route de Batchenga", "Centre-ville")),
        ),
        addresses=("Rue #.###, {street}", "{street}, BP ####"), phone="+237 6## ## ## ##",
        money="{} FCFA", thousands=" ", per_euro=655.957, name_language="fr", text_language="fr",
        languages=(("fr",), ("fr", "en"), ("fr", "en"), ("fr", "ff"), ("fr", "en", "de")),
        places=("Mvog-Mbi", "Nlongkak", "Bastos", "Mokolo", "Mendong", "Nkolbisson", "Tsinga", "Mimboman",
                "Mvan", "Biyem-Assi"),
        surnames=("Mbarga", "Atangana", "Essomba", "Nkodo", "Ngono", "Tchoumi", "Fotso", "Kamga", "Abena",
                  "Onana", "Manga", "Ndzana"),
        words=("Sanaga", "Mfoundi", "Nyong", "Baobab"), adjectives=FRENCH_ADJECTIVES, food_safety="ANOR",
    ),
    Region(
        slug="accra", name="Accra", name_fr="Accra", country="GH", latitude=5.6037, longitude=-0.1870,
        zoom=11,
        description="Greater Accra: garment makers and wax-print merchants, the metal and auto-parts trades "
                    "of Abossey Okai, cocoa, shea and cassava processors, and tech hubs from Osu to Tema.",
        towns=(
            Town("Accra", 5.6037, -0.1870, ("GA-###-####",),
                 ("Ring Road Central", "Spintex Road", "Oxford Street", "Kojo Thompson Road", "Graphic Road",
                  "Abossey Okai Road", "Kwame Nkrumah Avenue", "Liberation Road", "Independence Avenue")),
            Town("Tema", 5.6698, -0.0166, (), ("Harbour Road", "Meridian Road", "Heavy Industrial Area")),
            Town("Madina", 5.6833, -0.1667, (), ("Madina Market Road", "Adenta Road")),
            Town("Kasoa", 5.5342, -0.4190, (), ("Winneba Road", "Old Barrier Road")),
        ),
        addresses=("{n} {street}", "Plot {u}, {street}"), phone="+233 2# ### ####",
        money="GH₵ {}", thousands=",", per_euro=16.0, name_language="en", text_language="en",
        languages=(("en",), ("en", "ak"), ("en", "ak"), ("en", "ee"), ("en", "ha"), ("en", "fr")),
        places=("Osu", "Jamestown", "Labone", "Kaneshie", "Adabraka", "Nima", "Dansoman", "Teshie",
                "Korle Bu", "Labadi", "Achimota"),
        surnames=("Mensah", "Owusu", "Boateng", "Asante", "Ofori", "Quaye", "Tetteh", "Addo", "Lamptey",
                  "Ansah", "Agyeman", "Darko"),
        words=("Sankofa", "Adinkra", "Akwaaba", "Nyansapo", "Ananse", "Volta", "Black Star"),
        food_safety="FDA Ghana", certifications=("GSA certified",),
    ),
)
# fmt: on
