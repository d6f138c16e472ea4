"""REST API of the schools app (mounted at /api/schools/)."""
