"""The command line: the same services as the GUI, headless, printing JSON."""
