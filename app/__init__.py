"""Mission Planning Workbench: plan Earth-observation acquisitions for a constellation."""
__version__ = "0.1.0"
