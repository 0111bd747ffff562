"""Kinerja's JSON API (issue 19): /api/, OpenAPI 3 at /api/openapi.json (docs/api.md)."""
