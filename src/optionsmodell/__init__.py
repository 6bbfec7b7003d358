"""optionsmodell: a rules engine for § 27 GO NRW and the other Länder's integration bodies."""

__version__ = "0.1.0"
