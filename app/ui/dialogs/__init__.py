"""Dialogs of the workbench: new order, plan, compare, commit, find, about."""
