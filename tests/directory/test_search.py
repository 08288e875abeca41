"""The search service, as a visitor experiences it. CI runs this file on SQLite (FTS5) and again on
PostgreSQL (tsvector + pg_trgm): both back ends must give the same answers."""

import pytest
from django.db import connection
from django.http import QueryDict

from directory import services
from directory.models import Listing, ListingKind, ListingStatus, Vocabulary
from directory.search import SearchParamsError, engine, parse_search_params, search_listings, suggest
from directory.search.backends import SAMPLE_BUCKETS, SAMPLE_INDEX_BUCKETS, current_backend
from tests.factories import ListingFactory, NodeFactory, TermFactory

pytestmark = pytest.mark.django_db

GLASGOW = (55.8642, -4.2518)
PAISLEY = (55.8456, -4.4239)  # about 11 km west of Glasgow
EDINBURGH = (55.9533, -3.1883)  # about 67 km east of Glasgow


def run(query: str):
    return search_listings(parse_search_params(QueryDict(query)))


def names(results) -> list[str]:
    return [hit.name for hit in results.hits]


@pytest.fixture
def catalogue():
    glasgow = NodeFactory(name="Glasgow", slug="glasgow", latitude=GLASGOW[0], longitude=GLASGOW[1])
    paris = NodeFactory(name="Paris", slug="paris", country="FR", latitude=48.8566, longitude=2.3522)
    wood = TermFactory(name="Wood", name_fr="Bois", slug="wood")
    plywood = TermFactory(name="Plywood", name_fr="Contreplaqué", slug="plywood", parent=wood)
    ceramics = TermFactory(name="Ceramics", name_fr="Céramique", slug="ceramics")
    flour = TermFactory(name="Flour", name_fr="Farine", slug="flour")
    cnc = TermFactory(vocabulary=Vocabulary.PROCESS, name="CNC milling", slug="cnc-milling")
    baking = TermFactory(vocabulary=Vocabulary.PROCESS, name="Baking", name_fr="Boulangerie", slug="baking")
    return {
        "glasgow": glasgow,
        "paris": paris,
        "joinery": ListingFactory(
            name="Clyde Joinery", node=glasgow, terms=[plywood, cnc], summary="Furniture in birch ply"
        ),
        "pottery": ListingFactory(
            name="Govan Pottery", kind=ListingKind.WORKSHOP, node=glasgow, terms=[ceramics],
            latitude=55.8620, longitude=-4.3110, summary="Stoneware classes",
        ),
        "paisley": ListingFactory(
            name="Paisley Timber", kind=ListingKind.MATERIAL_SUPPLIER, node=glasgow, terms=[wood],
            city="Paisley", latitude=PAISLEY[0], longitude=PAISLEY[1],
            description="We also stock some ceramics glazes.",
        ),
        "edinburgh": ListingFactory(
            name="Leith Ceramics Studio", kind=ListingKind.WORKSHOP, terms=[ceramics], city="Edinburgh",
            latitude=EDINBURGH[0], longitude=EDINBURGH[1],
        ),
        "bakery": ListingFactory(
            name="Boulangerie Crème Brûlée", kind=ListingKind.FOOD_PRODUCER, node=paris,
            terms=[flour, baking],
            city="Paris", country="FR", latitude=48.8606, longitude=2.3376, summary="Pain au levain",
        ),
        "draft": ListingFactory(name="Secret Plywood Lab", terms=[plywood], status=ListingStatus.DRAFT),
    }  # fmt: skip


def test_a_misspelt_material_still_finds_its_makers(catalogue):
    results = run("q=plywod")
    assert names(results) == ["Clyde Joinery"]
    assert results.corrected_text == "plywood"


def test_a_singular_word_finds_the_plural(catalogue):
    assert set(names(run("q=ceramic"))) == {"Govan Pottery", "Leith Ceramics Studio", "Paisley Timber"}


def test_a_name_match_ranks_above_a_description_match(catalogue):
    found = names(run("q=ceramics"))
    assert found.index("Leith Ceramics Studio") < found.index("Paisley Timber")
    assert found.index("Govan Pottery") < found.index("Paisley Timber")


def test_accents_do_not_matter(catalogue):
    assert names(run("q=creme+brulee")) == ["Boulangerie Crème Brûlée"]
    assert names(run("q=Céramique")) == names(run("q=ceramique"))


def test_french_term_names_find_listings(catalogue):
    assert names(run("q=contreplaque")) == ["Clyde Joinery"]


def test_a_broader_term_finds_listings_tagged_with_a_narrower_one(catalogue):
    assert set(names(run("material=wood"))) == {"Clyde Joinery", "Paisley Timber"}
    assert set(names(run("q=wood"))) == {"Clyde Joinery", "Paisley Timber"}


def test_drafts_are_never_found(catalogue):
    assert "Secret Plywood Lab" not in names(run("q=plywood"))
    assert "Secret Plywood Lab" not in names(run(""))


def test_a_material_in_a_node_finds_only_that_node(catalogue):
    results = run("material=ceramics&node=glasgow")
    assert names(results) == ["Govan Pottery"]
    assert results.total == 1


def test_facet_counts_describe_the_results(catalogue):
    results = run("q=ceramics")
    kinds = {facet.value: facet.count for facet in results.facets["kind"]}
    assert kinds == {ListingKind.WORKSHOP: 2, ListingKind.MATERIAL_SUPPLIER: 1}
    materials = {facet.value: facet.count for facet in results.facets[Vocabulary.MATERIAL]}
    assert materials == {"ceramics": 2, "wood": 1}
    nodes = {facet.value: facet.count for facet in results.facets["node"]}
    assert nodes == {"glasgow": 2}


def test_other_kinds_keep_their_counts_when_one_kind_is_selected(catalogue):
    results = run("q=ceramics&kind=workshop")
    assert results.total == 2
    kinds = {facet.value: (facet.count, facet.selected) for facet in results.facets["kind"]}
    assert kinds == {ListingKind.WORKSHOP: (2, True), ListingKind.MATERIAL_SUPPLIER: (1, False)}
    assert {f.value: f.count for f in results.facets[Vocabulary.MATERIAL]} == {"ceramics": 2}


def test_near_keeps_listings_within_the_radius_nearest_first(catalogue):
    results = run("near=Glasgow&radius=20")
    assert names(results) == ["Clyde Joinery", "Govan Pottery", "Paisley Timber"]
    distances = [hit.distance_km for hit in results.hits]
    # GeoNames' centre of Glasgow lies some 400 m from the catalogue's.
    assert distances[0] == pytest.approx(0, abs=0.5)
    assert distances[2] == pytest.approx(11.1, abs=0.8)


def test_near_accepts_coordinates_and_a_wider_radius(catalogue):
    results = run(f"near={GLASGOW[0]},{GLASGOW[1]}&radius=80&q=ceramics")
    assert set(names(results)) == {"Govan Pottery", "Leith Ceramics Studio", "Paisley Timber"}


def test_place_names_match_without_accents_or_capitals(catalogue):
    NodeFactory(name="Yaoundé", country="CM", latitude=3.848, longitude=11.5021)
    ListingFactory(name="Atelier Mvog-Ada", city="Yaoundé", country="CM", latitude=3.86, longitude=11.51)
    assert names(run("near=YAOUNDE&radius=10")) == ["Atelier Mvog-Ada"]


def test_sorting_by_name_and_newest(catalogue):
    assert names(run("kind=workshop&sort=name")) == ["Govan Pottery", "Leith Ceramics Studio"]
    assert names(run("kind=workshop&sort=newest")) == ["Leith Ceramics Studio", "Govan Pottery"]


def test_pages_split_the_results_without_overlap():
    node = NodeFactory(slug="big")
    for n in range(45):
        ListingFactory(name=f"Maker {n:02d}", node=node)
    pages = [search_listings(parse_search_params(QueryDict(f"node=big&page={p}"))) for p in (1, 2, 3)]
    assert [len(page.hits) for page in pages] == [20, 20, 5]
    assert pages[0].num_pages == 3
    assert len({name for page in pages for name in names(page)}) == 45
    assert run("node=big&page=4").page_out_of_range


@pytest.mark.parametrize("filtered", [False, True])
def test_name_matches_come_first_and_pages_continue_into_the_other_matches(filtered):
    node = NodeFactory(slug="oakland")
    oak = TermFactory(name="Oak", slug="oak")
    for n in range(25):
        ListingFactory(name=f"Joiner {n:02d}", terms=[oak], node=node)
    for n in range(3):
        ListingFactory(name=f"Oak Studio {n}", node=node)
    query = "q=oak&node=oakland" if filtered else "q=oak"
    pages = [run(f"{query}&page={p}") for p in (1, 2)]
    assert pages[0].total == 28
    assert names(pages[0])[:3] == ["Oak Studio 0", "Oak Studio 1", "Oak Studio 2"]
    assert [len(page.hits) for page in pages] == [20, 8]
    assert len({name for page in pages for name in names(page)}) == 28


def test_the_index_follows_updates_and_deletes(catalogue):
    joinery = catalogue["joinery"]
    services.listing_update(listing=joinery, name="Clyde Boatbuilders")
    assert names(run("q=boatbuilders")) == ["Clyde Boatbuilders"]
    assert names(run("q=joinery")) == []
    services.listing_delete(listing=joinery)
    assert names(run("q=boatbuilders")) == []


def test_a_query_of_only_stop_words_lists_everything(catalogue):
    assert run("q=the+and+of").total == 5


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("material=unobtanium", "There is no material called “unobtanium”."),
        ("near=Glasgow&radius=-5", "The radius must be more than 0"),
        ("near=Glasgow&radius=nan", "The radius must be more than 0"),
        ("q=" + "x" * 10_000, "Your search is 10000 characters long"),
        ("page=abc", "The page number must be a whole number"),
        ("page=0", "The page number must be a whole number"),
        ("kind=spaceship", "is not a kind of listing we know"),
        ("node=narnia", "There is no node called “narnia”."),
        ("near=Narnia", "We could not find the place “Narnia”."),
        ("sort=distance", "Sorting by distance needs a place"),
        ("sort=random", "is not a way to sort results"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(catalogue, query, message):
    with pytest.raises(SearchParamsError) as error:
        parse_search_params(QueryDict(query))
    assert any(message in text for text in error.value.messages), error.value.messages


def test_every_problem_is_reported_at_once(catalogue):
    with pytest.raises(SearchParamsError) as error:
        parse_search_params(QueryDict("kind=spaceship&page=-1&material=unobtanium"))
    assert len(error.value.messages) == 3


def test_a_search_survives_its_own_url(catalogue):
    params = parse_search_params(
        QueryDict("q=ceramics&kind=workshop&material=ceramics&near=Glasgow&radius=80")
    )
    again = parse_search_params(QueryDict(params.to_query_string()))
    assert again == params
    assert names(search_listings(again)) == names(search_listings(params))


def test_suggestions_offer_materials_and_listing_names(catalogue):
    labels = {(s.kind, s.label) for s in suggest("ply")}
    assert ("material", "Plywood") in labels
    labels = {(s.kind, s.label) for s in suggest("gov")}
    assert ("listing", "Govan Pottery") in labels
    assert all(s.label != "Secret Plywood Lab" for s in suggest("secret"))


def test_facets_of_a_large_result_are_counted_on_a_sample_and_say_so(monkeypatch):
    monkeypatch.setattr(engine, "EXACT_FACETS_UP_TO", 8)
    node = NodeFactory.create(slug="busy")
    walnut = TermFactory.create(name="Walnut", slug="walnut")
    listings = [
        Listing(name=f"Maker {n:03d}", slug=f"maker-{n}", kind=ListingKind.FABRICATOR, node=node,
                status=ListingStatus.PUBLISHED)
        for n in range(768)
    ]  # fmt: skip
    services.listings_bulk_create(listings=listings, terms=[[walnut.pk] if n < 4 else [] for n in range(768)])
    everything = run("node=busy")
    assert everything.approximate
    assert everything.total == pytest.approx(768, rel=0.2)
    assert len(everything.hits) == 20
    counts = {facet.value: facet.count for facet in everything.facets["kind"]}
    assert counts[ListingKind.FABRICATOR] == pytest.approx(768, rel=0.2)
    few = run("node=busy&material=walnut")
    assert few.total == 4
    assert not few.approximate
    assert {f.value: f.count for f in few.facets["node"]} == {"busy": 4}


def test_within_a_tier_newer_listings_come_first(catalogue):
    node = NodeFactory(slug="tiers")
    oak = TermFactory(name="Oak", slug="oak")
    for n in range(3):
        ListingFactory(name=f"Joiner {n}", terms=[oak], node=node)
    assert names(run("q=oak&node=tiers")) == ["Joiner 2", "Joiner 1", "Joiner 0"]


def test_a_word_still_being_typed_finds_what_it_begins(catalogue):
    assert names(run("q=joine")) == ["Clyde Joinery"]
    assert ("listing", "Clyde Joinery") in {(s.kind, s.label) for s in suggest("cly")}


def test_a_selected_broader_term_stays_in_its_facet_to_be_undone(catalogue):
    results = run("material=wood")
    wood = [facet for facet in results.facets[Vocabulary.MATERIAL] if facet.value == "wood"]
    assert wood == [engine.FacetValue("wood", "Wood", results.total, True)]


def test_a_listing_deleted_behind_the_services_back_is_not_found(catalogue):
    # A bulk delete skips the services; the index must follow all the same.
    from directory.models import Listing

    Listing.objects.filter(pk=catalogue["joinery"].pk).delete()
    results = run("q=joinery")
    assert (results.total, names(results)) == (0, [])


def test_moving_a_term_under_a_broader_one_makes_its_listings_found_by_it(catalogue):
    craft = TermFactory(name="Craft", slug="craft")
    ceramics = catalogue["pottery"].terms.get(slug="ceramics")
    ceramics.parent = craft
    services.term_save(term=ceramics)
    assert set(names(run("q=craft"))) == {"Govan Pottery", "Leith Ceramics Studio"}


def test_a_deleted_term_no_longer_finds_the_listings_it_tagged(catalogue):
    flour = catalogue["bakery"].terms.get(slug="flour")
    assert names(run("q=farine")) == ["Boulangerie Crème Brûlée"]
    services.term_delete(term=flour)
    assert names(run("q=farine")) == []


def sampled_hits(word: str, buckets: int) -> set[int]:
    """The listings a count on the first `buckets` sample buckets matches for `word`, as the engine asks."""
    backend = current_backend()
    text = backend.text_condition(
        backend.prepare([word], whole_words={word}), fields="all", sample_buckets=buckets
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.listing_id FROM directory_searchentry e WHERE {text.sql} AND e.sample < %s",  # noqa: S608
            [*text.params, buckets],
        )
        return {row[0] for row in cursor.fetchall()}


def test_a_count_on_a_sample_finds_exactly_the_matching_listings_of_its_buckets_as_listings_change():
    node = NodeFactory.create(slug="sampled")
    walnut = TermFactory.create(name="Walnut", slug="walnut")
    listings = [
        Listing(name=f"Maker {n:03d}", slug=f"sampled-{n}", kind=ListingKind.FABRICATOR, node=node,
                status=ListingStatus.PUBLISHED)
        for n in range(600)
    ]  # fmt: skip
    services.listings_bulk_create(listings=listings, terms=[[walnut.pk] if n % 3 else [] for n in range(600)])
    carrying = set(Listing.objects.filter(terms=walnut).values_list("pk", flat=True))
    # A listing of the sample that stops carrying the word, and one that is deleted.
    first_bucket = sorted(pk for pk in carrying if pk % SAMPLE_BUCKETS < 5)
    services.listing_update(listing=Listing.objects.get(pk=first_bucket[0]), terms=[], actor=None)
    services.listing_delete(listing=Listing.objects.get(pk=first_bucket[1]), actor=None)
    carrying -= set(first_bucket[:2])

    for buckets in (1, 5, SAMPLE_INDEX_BUCKETS, SAMPLE_INDEX_BUCKETS + 1, SAMPLE_BUCKETS):
        expected = {pk for pk in carrying if pk % SAMPLE_BUCKETS < buckets}
        assert sampled_hits("walnut", buckets) == expected, buckets
    assert len(first_bucket) > 2  # the edits above really touched the sample's own index
