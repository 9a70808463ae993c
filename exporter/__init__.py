"""exporter: turn a library of psychotherapy techniques into a handbook, pocket cards, an Anki deck and handouts."""

__version__ = "0.3.0"
