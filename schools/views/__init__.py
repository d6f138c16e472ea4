"""Pages of the schools app. They call the same selectors and services as the API."""
