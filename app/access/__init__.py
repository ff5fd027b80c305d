"""access layer."""
