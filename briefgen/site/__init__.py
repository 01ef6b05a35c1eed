"""Writers: the docs tree from `templates/`, the mkdocs configuration, the exports."""
