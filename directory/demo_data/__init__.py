"""The demo catalogue as data: regions with their local detail, and trades described in English and
French. directory.seeding turns these into listings; nothing here runs anything."""

from directory.demo_data.regions import FRENCH_ADJECTIVES, REGIONS, Region, Town
from directory.demo_data.trades import FABRICATOR, FOOD, MAKERSPACE, SUPPLIER, TRADES, WORKSHOP, Trade

__all__ = [
    "FABRICATOR",
    "FOOD",
    "FRENCH_ADJECTIVES",
    "MAKERSPACE",
    "REGIONS",
    "SUPPLIER",
    "TRADES",
    "WORKSHOP",
    "Region",
    "Town",
    "Trade",
]
