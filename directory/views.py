from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


def search(request: HttpRequest) -> HttpResponse:
    return HttpResponse("search")


def suggestions(request: HttpRequest) -> HttpResponse:
    return HttpResponse("suggest")


def node_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("node")


def listing_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("listing")
