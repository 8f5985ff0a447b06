"""Paint Animation HTTP service: the Flask app factory, the /api blueprint and its services."""

__version__ = "0.1.0"
