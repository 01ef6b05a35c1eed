"""The data model: articles and what the pipeline adds to them, and the corpus."""
