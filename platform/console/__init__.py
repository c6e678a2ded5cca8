"""The platform console: the provincial admin's view of every site (public schema)."""
