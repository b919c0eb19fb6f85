"""Loaders: read registered report texts, parse figures exactly as printed, store them in raw.

Python parses and never interprets: no unit conversion, no metric mapping (that is dbt's job).
"""

# Bump when a parser change can alter the rows extracted from an unchanged document.
PARSER_VERSION = "8"  # raw.documents keeps which version parsed each document (2: the reader registry;
#                       3: tables that print no year read undated, a blank line and a header end a layout table;
#                       4: a refused squashed split's candidates kept as figures;
#                       5: a comparison's starting year does not date the highlights after it;
#                       6: prose numbers in emphasis, with a magnitude alone, more units; a glued % kept in the value; timelines;
#                       7: ordinals, durations, ranges, ceilings, equivalences, plans and quoted speech refused;
#                       8: one reader vocabulary: every qualifier word in notes and PUE sentences, a negated
#                          lower-bound word (未突破, 不多于) is a ceiling; prose topics from seeds)
