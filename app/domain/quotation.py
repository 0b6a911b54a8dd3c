"""Text set inside quotation marks the page adds (``<q>…</q>``, “…”), without doubling them.

A key phrase or a sentence of an excerpt may carry its own quotation marks: the sentence
“Tokayev won his bet…,” this was the way… starts with one. Put inside ``<q>``, which draws
“ ” itself, it read "““Tokayev won…". The rule of English typography for a quotation inside
a quotation is the fix: the inner marks become single ones (‘Tokayev won his bet…,’ this
was…), and a text that is one quotation from end to end simply loses its own pair.
"""

from __future__ import annotations

_OPEN, _CLOSE = "“„«", "”»"


def _singled(text: str) -> str:
    out = []
    straight_open = True
    for index, char in enumerate(text):
        if char in _OPEN:
            out.append("‘")
        elif char in _CLOSE:
            out.append("’")
        elif char == '"':
            # A straight mark opens at the start or after a space or bracket, else closes.
            before = text[index - 1] if index else " "
            straight_open = before.isspace() or before in "([{—–-/"
            out.append("‘" if straight_open else "’")
        else:
            out.append(char)
    return "".join(out)


def inner_quote(text: str) -> str:
    """``text`` ready to sit inside quotation marks the page draws around it.

    >>> inner_quote("“a new form of republic”")
    'a new form of republic'
    >>> inner_quote("“Tokayev won his bet,” this was the way La commented.")
    '‘Tokayev won his bet,’ this was the way La commented.'
    >>> inner_quote('the "anti-terrorist" operation')
    'the ‘anti-terrorist’ operation'
    >>> inner_quote("protesters’ demands")
    'protesters’ demands'
    """
    if not text:
        return text
    stripped = text.strip()
    double = set(_OPEN + _CLOSE + '"')
    if (len(stripped) > 1 and stripped[0] in _OPEN + '"' and stripped[-1] in _CLOSE + '"'
            and not double & set(stripped[1:-1])):
        return stripped[1:-1]
    return _singled(text)
