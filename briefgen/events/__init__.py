"""The event subsystem (issue 12): how a sentence's event is dated, placed and linked.

- `dating`: which of a sentence's time expressions dates its event, background clauses,
  «منذ» ranges, and the narrative's date a continuing sentence takes (classes 1–3);
- `places`: a place's role in the sentence — event site, locating reference or topic —
  and the most specific sites (class 5);
- `follow_ups`: follow-up sentences about the same event in one article (class 7).

The stage that runs them is briefgen/pipeline/events.py; the type lexicon is
briefgen/event_types.py; the merge into chronology entries (class 4) is briefgen/chronology.py.
"""
