"""Text analysis for text indexes: Lucene-style tokenizers and token filters, in pure Python.

An analyzer is configured like SAI's `index_analyzer` (what Astra's `createTextIndex` passes through):
either a named analyzer (`"standard"`, `"english"`, `"whitespace"`, `"simple"`, `"stop"`, `"keyword"`)
or an object `{"tokenizer": {"name": ..., "args": {...}}, "filters": [{"name": ...}, ...],
"charFilters": []}` using Lucene's factory names.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

# Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (also StopFilterFactory's default set).
ENGLISH_STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    }
)
MAX_TOKEN_LENGTH = 255  # StandardTokenizer's default maxTokenLength

# ---------------------------------------------------------------- tokenizers

# UAX#29 word segmentation, as Lucene's StandardTokenizer applies it, approximated with one regex:
# runs of letters/digits/underscores (plus combining marks), joined across a single mid-word
# character when it sits between letters (' . : middle dot, curly apostrophe) or between digits
# (, ; . ' curly apostrophe).
# Han ideographs and Hiragana are single-character tokens, as in Lucene.
_IDEO = "\u3040-\u309f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_MID_LETTER = r"(?<=[^\W\d_])['.:\u00b7\u2018\u2019\u2024\ufe52\uff07\uff0e](?=[^\W\d_])"
_MID_NUM = r"(?<=\d)[,;.'\u2019\u066c\ufe50\ufe52\uff0c\uff0e](?=\d)"


def _word_regex(run: str) -> re.Pattern[str]:
    return re.compile(rf"{run}(?:(?:{_MID_LETTER}|{_MID_NUM}){run})*|[{_IDEO}]")


_STANDARD = _word_regex(rf"[^\W{_IDEO}]+")
# Combining marks (Unicode Extend) stay inside words; this slower form is used only when they occur.
_MARKS = re.compile(r"[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0900-\u0dff]")
_STANDARD_MARKS = _word_regex(rf"(?:[^\W{_IDEO}]|{_MARKS.pattern})+")
# The same rules restricted to ASCII, several times faster; used when the whole text is ASCII.
_STANDARD_ASCII = re.compile(
    r"[A-Za-z0-9_]+(?:(?:(?<=[A-Za-z])['.:](?=[A-Za-z])|(?<=[0-9])[,;.'](?=[0-9]))[A-Za-z0-9_]+)*"
)
_HAS_ALNUM = re.compile(r"[^\W_]")
_LETTERS = re.compile(r"[^\W\d_]+")
_WHITESPACE = re.compile(r"\S+")


def _split_long(tokens: Iterable[str], limit: int) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        if len(tok) <= limit:
            out.append(tok)
        else:  # Lucene splits over-long tokens at maxTokenLength
            out.extend(tok[i : i + limit] for i in range(0, len(tok), limit))
    return out


# ASCII characters that can be part of a token (word characters and the mid-word punctuation).
_ASCII_WORDISH = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_'.:,;")
_ASCII_BLANK = {i: " " for i in range(128) if chr(i) not in _ASCII_WORDISH}


def _ascii_tokens(text: str) -> list[str]:
    """`_STANDARD_ASCII.findall(text)`, faster: characters that can never be in a token split the text
    in C first, and only the chunks holding punctuation or `_` go through the regex."""
    chunks = text.translate(_ASCII_BLANK).split()
    special = [i for i, plain in enumerate(map(str.isalnum, chunks)) if not plain]
    if not special:
        return chunks
    out: list[str] = []
    start = 0
    for i in special:
        out.extend(chunks[start:i])
        out.extend(_STANDARD_ASCII.findall(chunks[i]))
        start = i + 1
    out.extend(chunks[start:])
    return out


_IDEO_CHAR = re.compile(f"[{_IDEO}]")
_EDGE_PUNCT = "'.:,;"  # the ASCII mid-word punctuation _ASCII_BLANK keeps


def _chunk_tokens(chunk: str) -> list[str]:
    if chunk.isascii():
        tokens = _STANDARD_ASCII.findall(chunk)
    else:
        tokens = (_STANDARD_MARKS if _MARKS.search(chunk) else _STANDARD).findall(chunk)
    return [t for t in tokens if "_" not in t or _HAS_ALNUM.search(t)]


def _token_counts(text: str) -> Counter[str]:
    """`Counter(standard_tokens(text))` of NFC text, faster. No token spans a blank or an ASCII
    character that is neither a word character nor mid-word punctuation, so those split the text
    in C and the chunks are counted in C; only distinct chunks that are not plainly one token (with
    punctuation, `_`, marks or ideographs) go through the regex."""
    counts = Counter(text.translate(_ASCII_BLANK).split())
    for chunk in [c for c in counts if not c.isalnum() or (not c.isascii() and _IDEO_CHAR.search(c))]:
        n = counts.pop(chunk)
        # Punctuation at either end never joins anything ("word," is the token "word").
        core = chunk.strip(_EDGE_PUNCT)
        plain = core.isalnum() and (core.isascii() or not _IDEO_CHAR.search(core))
        for tok in [core] if plain else _chunk_tokens(core):
            counts[tok] += n
    return counts


def _split_long_counts(counts: Counter[str], limit: int) -> Counter[str]:
    if not counts or max(map(len, counts)) <= limit:
        return counts
    out: Counter[str] = Counter()
    for tok, n in counts.items():
        for part in _split_long([tok], limit):
            out[part] += n
    return out


def standard_token_counts(text: str, max_len: int = MAX_TOKEN_LENGTH) -> Counter[str]:
    """How often each token of `standard_tokens(text, max_len)` occurs (what indexing needs)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return _split_long_counts(_token_counts(text), max_len)


def standard_tokens(text: str, max_len: int = MAX_TOKEN_LENGTH) -> list[str]:
    if text.isascii():
        tokens = _ascii_tokens(text)
    else:
        text = unicodedata.normalize("NFC", text)
        tokens = (_STANDARD_MARKS if _MARKS.search(text) else _STANDARD).findall(text)
    if "_" in text:  # a run of underscores alone is not a word (it has no letter or digit)
        tokens = [t for t in tokens if "_" not in t or _HAS_ALNUM.search(t)]
    if tokens and max(map(len, tokens)) > max_len:
        tokens = _split_long(tokens, max_len)
    return tokens


def whitespace_tokens(text: str, max_len: int = MAX_TOKEN_LENGTH) -> list[str]:
    return _split_long(_WHITESPACE.findall(text), max_len)


def letter_tokens(text: str, max_len: int = MAX_TOKEN_LENGTH) -> list[str]:
    return _split_long(_LETTERS.findall(text), max_len)


def keyword_tokens(text: str, max_len: int = MAX_TOKEN_LENGTH) -> list[str]:
    return [text] if text else []


TOKENIZERS: dict[str, Callable[[str, int], list[str]]] = {
    "standard": standard_tokens,
    "whitespace": whitespace_tokens,
    "letter": letter_tokens,
    "keyword": keyword_tokens,
}
# Tokenizers with a faster way to count their tokens than counting the list.
TOKEN_COUNTERS: dict[str, Callable[[str, int], Counter[str]]] = {"standard": standard_token_counts}

# ---------------------------------------------------------------- Porter stemmer


class _Porter:
    """Lucene's PorterStemmer (Martin Porter's reference algorithm with its two published departures).

    A line-by-line port of org.apache.lucene.analysis.en.PorterStemmer so stems match Lucene's.
    """

    def __init__(self, word: str) -> None:
        self.b = word  # a str: the steps rewrite it only on a match, and `ends` compares in C
        self.k = len(word) - 1
        self.j = 0

    def cons(self, i: int) -> bool:
        ch = self.b[i]
        if ch in "aeiou":
            return False
        if ch == "y":
            return True if i == 0 else not self.cons(i - 1)
        return True

    def m(self) -> int:
        n, i, j = 0, 0, self.j
        while True:
            if i > j:
                return n
            if not self.cons(i):
                break
            i += 1
        i += 1
        while True:
            while True:
                if i > j:
                    return n
                if self.cons(i):
                    break
                i += 1
            i += 1
            n += 1
            while True:
                if i > j:
                    return n
                if not self.cons(i):
                    break
                i += 1
            i += 1

    def vowel_in_stem(self) -> bool:
        return any(not self.cons(i) for i in range(self.j + 1))

    def doublec(self, j: int) -> bool:
        return j >= 1 and self.b[j] == self.b[j - 1] and self.cons(j)

    def cvc(self, i: int) -> bool:
        if i < 2 or not self.cons(i) or self.cons(i - 1) or not self.cons(i - 2):
            return False
        return self.b[i] not in "wxy"

    def ends(self, s: str) -> bool:
        o = self.k - len(s) + 1
        if o < 0 or not self.b.startswith(s, o, self.k + 1):
            return False
        self.j = self.k - len(s)
        return True

    def setto(self, s: str) -> None:
        o = self.j + 1
        self.b = self.b[:o] + s + self.b[self.k + 1 :]
        self.k = self.j + len(s)

    def r(self, s: str) -> None:
        if self.m() > 0:
            self.setto(s)

    def step1(self) -> None:
        b = self.b
        if b[self.k] == "s":
            if self.ends("sses"):
                self.k -= 2
            elif self.ends("ies"):
                self.setto("i")
            elif b[self.k - 1] != "s":
                self.k -= 1
        if self.ends("eed"):
            if self.m() > 0:
                self.k -= 1
        elif (self.ends("ed") or self.ends("ing")) and self.vowel_in_stem():
            self.k = self.j
            if self.ends("at"):
                self.setto("ate")
            elif self.ends("bl"):
                self.setto("ble")
            elif self.ends("iz"):
                self.setto("ize")
            elif self.doublec(self.k):
                ch = self.b[self.k]
                self.k -= 1
                if ch in "lsz":
                    self.k += 1
            elif self.m() == 1 and self.cvc(self.k):
                self.setto("e")

    def step2(self) -> None:
        if self.ends("y") and self.vowel_in_stem():
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1 :]

    def _suffixes(self, table: dict[str, tuple[tuple[str, str], ...]], ch: str) -> None:
        for suffix, repl in table.get(ch, ()):
            if self.ends(suffix):
                self.r(repl)
                return

    def step3(self) -> None:
        if self.k == 0:
            return
        self._suffixes(_STEP3, self.b[self.k - 1])

    def step4(self) -> None:
        self._suffixes(_STEP4, self.b[self.k])

    def step5(self) -> None:
        if self.k == 0:
            return
        ch = self.b[self.k - 1]
        if ch == "o":
            hit = (self.ends("ion") and self.j >= 0 and self.b[self.j] in "st") or self.ends("ou")
        else:
            hit = any(self.ends(s) for s in _STEP5.get(ch, ()))
        if hit and self.m() > 1:
            self.k = self.j

    def step6(self) -> None:
        self.j = self.k
        if self.b[self.k] == "e":
            a = self.m()
            if a > 1 or (a == 1 and not self.cvc(self.k - 1)):
                self.k -= 1
        if self.b[self.k] == "l" and self.doublec(self.k) and self.m() > 1:
            self.k -= 1

    def stem(self) -> str:
        if self.k > 1:
            self.step1()
            self.step2()
            self.step3()
            self.step4()
            self.step5()
            self.step6()
        return self.b[: self.k + 1]


_STEP3: dict[str, tuple[tuple[str, str], ...]] = {
    "a": (("ational", "ate"), ("tional", "tion")),
    "c": (("enci", "ence"), ("anci", "ance")),
    "e": (("izer", "ize"),),
    "l": (("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous")),
    "o": (("ization", "ize"), ("ation", "ate"), ("ator", "ate")),
    "s": (("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous")),
    "t": (("aliti", "al"), ("iviti", "ive"), ("biliti", "ble")),
    "g": (("logi", "log"),),
}
_STEP4: dict[str, tuple[tuple[str, str], ...]] = {
    "e": (("icate", "ic"), ("ative", ""), ("alize", "al")),
    "i": (("iciti", "ic"),),
    "l": (("ical", "ic"), ("ful", "")),
    "s": (("ness", ""),),
}
_STEP5: dict[str, tuple[str, ...]] = {
    "a": ("al",),
    "c": ("ance", "ence"),
    "e": ("er",),
    "i": ("ic",),
    "l": ("able", "ible"),
    "n": ("ant", "ement", "ment", "ent"),
    "s": ("ism",),
    "t": ("ate", "iti"),
    "u": ("ous",),
    "v": ("ive",),
    "z": ("ize",),
}


@functools.lru_cache(maxsize=200_000)
def porter_stem(word: str) -> str:
    """Porter stem of one token (cached: a corpus has far fewer distinct words than tokens)."""
    return _Porter(word).stem()


# ---------------------------------------------------------------- token filters

# Letters that do not decompose under NFKD but that Lucene's ASCIIFoldingFilter folds.
_FOLD_EXTRA = str.maketrans(
    {
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ł": "l",
        "Ł": "L",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "\u0131": "i",
        "ħ": "h",
        "Ħ": "H",
        "ŋ": "n",
        "Ŋ": "N",
        "ŧ": "t",
        "Ŧ": "T",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)


@functools.lru_cache(maxsize=50_000)
def ascii_fold(token: str) -> str:
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFKD", token.translate(_FOLD_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _possessive(token: str) -> str:
    if len(token) >= 2 and token[-1] in "sS" and token[-2] in "'\u2019\uff07":
        return token[:-2]
    return token


# A token filter maps one token to its output tokens (none = removed); all but ASCII folding with
# `preserveOriginal` emit at most one, which lets an analyzer memoise whole chains per distinct token.
Filter = Callable[[str], list[str]]


def _stop_filter(args: dict[str, Any]) -> tuple[Filter, bool]:
    words = args.get("words")
    stop = ENGLISH_STOP_WORDS
    if isinstance(words, str) and words:  # inline comma-separated list (Lucene reads a resource file)
        stop = frozenset(w.strip() for w in words.split(",") if w.strip())
    if str(args.get("ignoreCase", "false")).lower() == "true":
        lowered = frozenset(w.lower() for w in stop)
        return (lambda t: [] if t.lower() in lowered else [t]), False
    return (lambda t: [] if t in stop else [t]), False


def _fold_filter(args: dict[str, Any]) -> tuple[Filter, bool]:
    if str(args.get("preserveOriginal", "false")).lower() == "true":
        return (lambda t: [t] if ascii_fold(t) == t else [t, ascii_fold(t)]), True
    return (lambda t: [ascii_fold(t)]), False


FILTERS: dict[str, Callable[[dict[str, Any]], tuple[Filter, bool]]] = {
    "lowercase": lambda _a: ((lambda t: [t.lower()]), False),
    "uppercase": lambda _a: ((lambda t: [t.upper()]), False),
    "asciifolding": _fold_filter,
    "stop": _stop_filter,
    "porterstem": lambda _a: ((lambda t: [porter_stem(t)]), False),
    "englishpossessive": lambda _a: ((lambda t: [_possessive(t)]), False),
    "trim": lambda _a: ((lambda t: [t.strip()]), False),
}

# ---------------------------------------------------------------- analyzers

NAMED: dict[str, dict[str, Any]] = {
    # Lucene's StandardAnalyzer: no stop words by default since Lucene 8.
    "standard": {"tokenizer": {"name": "standard"}, "filters": [{"name": "lowercase"}]},
    "english": {
        "tokenizer": {"name": "standard"},
        "filters": [{"name": "englishpossessive"}, {"name": "lowercase"}, {"name": "stop"}, {"name": "porterstem"}],
    },
    "simple": {"tokenizer": {"name": "letter"}, "filters": [{"name": "lowercase"}]},
    "stop": {"tokenizer": {"name": "letter"}, "filters": [{"name": "lowercase"}, {"name": "stop"}]},
    "whitespace": {"tokenizer": {"name": "whitespace"}, "filters": []},
    "keyword": {"tokenizer": {"name": "keyword"}, "filters": []},
}


class AnalyzerError(ValueError):
    """The analyzer configuration is not one this server (or Lucene) knows."""


class Analyzer:
    """A tokenizer and a chain of token filters; `terms` is what gets indexed (or searched for)."""

    MEMO_LIMIT = 500_000

    def __init__(
        self,
        tokenize: Callable[[str], list[str]],
        filters: list[tuple[Filter, bool]],
        count_tokens: Callable[[str], Counter[str]] | None = None,
    ) -> None:
        self.tokenize = tokenize
        self.count_tokens = count_tokens or (lambda text: Counter(tokenize(text)))
        self.filters = tuple(f for f, _ in filters)
        self.expanding = any(expands for _, expands in filters)
        self._memo: dict[str, str] = {}

    def _chain(self, token: str) -> list[str]:
        tokens = [token]
        for f in self.filters:
            tokens = [out for t in tokens for out in f(t)]
        return [t for t in tokens if t]

    def _ready_memo(self) -> dict[str, str]:
        """The memo of each distinct token's term (every filter is one-to-one or drops the token, so a chain
        is memoised per distinct token, "" marking a dropped one), emptied once it grows past MEMO_LIMIT."""
        if len(self._memo) > self.MEMO_LIMIT:
            self._memo.clear()
        return self._memo

    def _remember(self, token: str) -> str:
        chained = self._chain(token)
        term = self._memo[token] = chained[0] if chained else ""
        return term

    def terms(self, text: str) -> list[str]:
        tokens = self.tokenize(text)
        if self.expanding:
            return [out for t in tokens for out in self._chain(t)]
        memo = self._ready_memo()
        for token in set(tokens).difference(memo):
            self._remember(token)
        return [m for m in map(memo.__getitem__, tokens) if m]

    def term_counts(self, text: str) -> dict[str, int]:
        """`Counter(self.terms(text))`, computed from the distinct tokens: what indexing stores (the
        values sum to the text's length in terms)."""
        if self.expanding:
            return Counter(self.terms(text))
        memo = self._ready_memo()
        out: dict[str, int] = {}
        get = out.get
        for token, n in self.count_tokens(text).items():
            term = memo.get(token)
            if term is None:
                term = self._remember(token)
            if term:
                out[term] = get(term, 0) + n
        return out


def _named(component: Any, kind: str) -> tuple[str, dict[str, Any]]:
    if isinstance(component, str):
        return component.lower(), {}
    if not isinstance(component, dict) or not isinstance(component.get("name"), str):
        raise AnalyzerError(f"each {kind} must be an object with a 'name'")
    args = component.get("args") or {}
    if not isinstance(args, dict):
        raise AnalyzerError(f"'args' of {kind} '{component['name']}' must be an object")
    return component["name"].lower(), args


def _tokenizer(raw: Any) -> tuple[Callable[[str], list[str]], Callable[[str], Counter[str]]]:
    name, args = _named(raw, "tokenizer")
    fn = TOKENIZERS.get(name)
    if fn is None:
        raise AnalyzerError(
            f"A SPI class of type org.apache.lucene.analysis.TokenizerFactory with name '{name}' does not exist. "
            f"Supported tokenizers: {', '.join(sorted(TOKENIZERS))}"
        )
    try:
        max_len = int(args.get("maxTokenLength", MAX_TOKEN_LENGTH))
    except (TypeError, ValueError) as exc:
        raise AnalyzerError(f"invalid maxTokenLength {args.get('maxTokenLength')!r}") from exc
    counter = TOKEN_COUNTERS.get(name)
    if counter is None:
        return (lambda text: fn(text, max_len)), (lambda text: Counter(fn(text, max_len)))
    return (lambda text: fn(text, max_len)), (lambda text: counter(text, max_len))


def _filter(raw: Any) -> tuple[Filter, bool]:
    name, args = _named(raw, "filter")
    factory = FILTERS.get(name)
    if factory is None:
        raise AnalyzerError(
            f"A SPI class of type org.apache.lucene.analysis.TokenFilterFactory with name '{name}' does not exist. "
            f"Supported filters: {', '.join(sorted(FILTERS))}"
        )
    return factory(args)


def expand(spec: str | dict[str, Any]) -> dict[str, Any]:
    """The analyzer object for a named analyzer (objects are returned as given)."""
    if isinstance(spec, str):
        named = NAMED.get(spec.lower())
        if named is None:
            raise AnalyzerError(f"Unknown analyzer '{spec}'. Supported named analyzers: {', '.join(sorted(NAMED))}")
        return named
    return spec


def build(spec: str | dict[str, Any]) -> Analyzer:
    """Validate an analyzer configuration and build it; raises AnalyzerError."""
    obj = expand(spec)
    unknown = sorted(set(obj) - {"tokenizer", "filters", "charFilters"})
    if unknown:
        raise AnalyzerError(f"Unknown analyzer options: {', '.join(unknown)}")
    if obj.get("charFilters"):
        raise AnalyzerError("charFilters are not supported by this server")
    filters = obj.get("filters") or []
    if not isinstance(filters, list):
        raise AnalyzerError("'filters' must be an array")
    tokenize, count_tokens = _tokenizer(obj.get("tokenizer") or {"name": "standard"})
    return Analyzer(tokenize, [_filter(f) for f in filters], count_tokens)


@functools.lru_cache(maxsize=256)
def from_key(key: str) -> Analyzer:
    """Analyzer for a canonical spec key (see `spec_key`); cached because triggers pass it per row."""
    return build(json.loads(key))


def spec_key(spec: str | dict[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, separators=(",", ":"))
