"""The partner API's front door: every piece of /api/ plumbing, in one place.

It may import every domain; no domain imports it. Each domain keeps its own `api.py` (its views and
`urlpatterns`), which `api.urls` mounts under /api/v1/. What those views build on (strict fields,
pagination, permissions, the error shape, Idempotency-Key replays) is in `makeworks.lib.api`, below
every domain. Here: API keys and the Idempotency-Key answers (`api.keys`, the former `partners` app,
which keeps its app label "partners" so its tables and migration history stay as they were), key
authentication, throttles, the exception handler, the JSON renderer, the OpenAPI schema extension,
the docs pages and the URL assembly.
"""
