"""REST API of the live app (mounted at /api/live/)."""
