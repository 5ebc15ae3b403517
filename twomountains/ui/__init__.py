"""Streamlit glue shared by the pages: language, cached data access. Domain logic lives elsewhere."""
