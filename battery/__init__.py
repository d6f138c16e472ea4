"""The fault battery: a contest night's crashes and outages, made on purpose (``make battery``)."""
