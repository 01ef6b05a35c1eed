"""briefgen: bilingual (Arabic/English) briefing sites on Libya's wars."""

__version__ = "0.1.0"
