"""REST API of the contest app (mounted at /api/contest/): `student` for pupils, `manage` for staff."""
