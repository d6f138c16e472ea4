"""REST API of the leaderboard app (mounted at /api/leaderboard/)."""
