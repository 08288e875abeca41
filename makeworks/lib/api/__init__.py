"""The pieces of the partner API that the domains' own `api.py` modules build on: strict text fields
and the ModelSerializer that uses them, pagination, permissions, public-read caching, the error shape
and its error types, who a request comes from (`grants`), the bounded JSON parser and Idempotency-Key
replays. They sit in the bottom tier because no domain may import the front door (`api/`), which
assembles these views into /api/v1/ and holds everything only it needs: API keys, authentication,
throttles, the exception handler, the renderer, the schema and docs, and where replays are stored."""
