"""The text report's line wrapping (report._wrap) gives exactly textwrap's lines: it skips
textwrap's slowest steps only where they change nothing."""

import textwrap

from hypothesis import example, given, settings
from hypothesis import strategies as st

from optionsmodell.report import _wrap

# the characters that steer textwrap: spaces of every kind, hyphens and dashes, sentence ends
pieces = st.sampled_from([" ", "  ", "-", "--", "–", "—", "\t", "\n", "\r", "\x0b", "\x0c", "\xa0", "\u2028",
                          ".", ",", "!", "?", "„", "“", "§", "(", ")", "1", "27", "Abs.", "Satz", "Integrationsrat",
                          "Nordrhein-Westfalen", "x" * 40, "ä", "ß", "https://example.org/a-b/c"])
texts = st.lists(pieces, max_size=60).map("".join)


@settings(max_examples=3000)
@given(texts, st.sampled_from(["", "  ", "    ", "      "]), st.integers(min_value=8, max_value=120))
@example("kurz", "  ", 100)
@example("", "  ", 100)
@example("Ende \xa0", "  ", 100)
@example("Wort-Wort " * 12, "    ", 100)
def test_same_lines_as_textwrap(text: str, indent: str, width: int) -> None:
    expected = textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent) or [indent]
    assert _wrap(text, indent, width) == expected
