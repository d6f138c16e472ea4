"""Imports of administrative units, schools and class rosters (see ``schools.imports.jobs``)."""
