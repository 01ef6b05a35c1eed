"""One module per CLI verb; each holds the library function the CLI calls."""
