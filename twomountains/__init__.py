"""Domain logic of the Wulong two-mountains dashboard: catalog, periods, progress, database."""
