"""Packaging beyond pyproject.toml: the top-level data/ and resources/ folders go into the wheel as
the packages app._data and app._resources (app/shipped.py finds them either way)."""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["app", "app.*"]) + ["app._data", "app._data.tle", "app._resources",
                                                        "app._resources.icons"],
    package_dir={"app._data": "data", "app._resources": "resources"},
    package_data={"app._data": ["*.json", "*.md"], "app._data.tle": ["*.tle"],
                  "app._resources": ["*.qss", "*.json", "*.md"], "app._resources.icons": ["*.svg"]},
)
