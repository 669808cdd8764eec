"""How a command says what went wrong: on stderr, each line a sentence ending in a full stop
("Error: FILE: no such file: x.csv.", "  - orgs.csv, line 3, name: is required.").

The services word their reasons as phrases ("is required"), which the web shows beside a field
and the API in a field's ``reason``; the command line prints them as sentences, here, in one
place, rather than each message ending in a full stop of its own.
"""

import typer

#: How a line that is a sentence already ends (a quoted or bracketed sentence too).
_SENTENCE_ENDS = (".", "?", "!", '."', ".)", ".'", "?)", '?"')
#: Punctuation that ends a line introducing a list or a clause, made a full stop instead.
_OPEN_ENDS = (":", ";", ",")


def as_sentence(line: str) -> str:
    """``line`` ending in a full stop: kept when it ends a sentence already (never ".."), its
    trailing colon, semicolon or comma replaced, else a full stop added; a blank line stays."""
    text = line.rstrip()
    if not text.strip() or text.endswith(_SENTENCE_ENDS):
        return text
    if text.endswith(_OPEN_ENDS):
        return f"{text[:-1]}."
    return f"{text}."


def as_sentences(message: str) -> str:
    """Each line of ``message`` as a sentence (`as_sentence`)."""
    return "\n".join(as_sentence(line) for line in message.splitlines())


def print_error(message: str, *, prefix: str = "Error: ") -> None:
    """Print ``message`` to stderr after ``prefix``, each line a sentence (`as_sentence`)."""
    typer.echo(as_sentences(f"{prefix}{message}"), err=True)
