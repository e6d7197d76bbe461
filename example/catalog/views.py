from django.http import HttpRequest, HttpResponse

BOOKS = ["The Left Hand of Darkness", "A Wizard of Earthsea", "The Dispossessed"]


def book_list(request: HttpRequest) -> HttpResponse:
    items = "".join(f"<li>{title}</li>" for title in BOOKS)
    return HttpResponse(f"<h1>Catalog</h1><ul>{items}</ul>")
