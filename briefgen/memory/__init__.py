"""The memories: what editors correct and every build keeps (one YAML file per article).

- `translations`: the English of each sentence (content/translations/);
- `events`: the chronology's reading of each sentence (content/events/);
- `core`: what they share (key + occurrence matching, origins, comments kept, atomic
  writes only when the content changes).

`briefgen.memory` still names the translation memory's API, as before the split.
"""

from briefgen.memory.translations import *  # noqa: F403
from briefgen.memory.translations import (  # noqa: F401  (re-exported, with the private names tests use)
    ENTRY_ORIGINS,
    ENTRY_SCHEMA,
    HEADER,
    MAX_MEMORY_BYTES,
    ORIGINS,
    UNIT_KINDS,
    ArticleMemory,
    EntryOrigin,
    MemoryEntry,
    Origin,
    UnitKind,
    dump_memory,
    load_memory,
    memory_path,
    place_typed_entries,
    save_memory,
    sentence_key,
    write_atomically,
)
