"""Stage 1 — article input: a file becomes an :class:`Article` (body text, metadata, furniture).

Accepted inputs
---------------
* plain text or Markdown with an optional YAML front-matter block (``---`` … ``---``); offsets
  into the article mean offsets into the *body*, the text after the newline that ends the closing
  ``---`` line;
* saved HTML pages (``.html``/``.htm``): main text and metadata through trafilatura.

Malformed metadata is ignored field by field with a warning (``url: unknown (...)`` is not a URL;
``date: yesterday`` is not a date). Page furniture (newsletter promos, "Read the full article
here", photo credits, bylines) is recorded as :attr:`Article.furniture` spans so extraction skips
them; "Additional reporting by …" lines become contributors.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .facts import ArticleMeta, Contributor

MAX_BYTES = 20 * 1024 * 1024
MAX_BODY_CHARS = 1_000_000  # spaCy's limit; no news article comes near it
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


class ArticleError(ValueError):
    """The file cannot be read as an article. The message names the file and the problem."""


@dataclass
class Article:
    """One article: its id (the file stem), body text and metadata."""

    id: str
    body: str
    meta: ArticleMeta
    furniture: list[tuple[int, int]] = field(default_factory=list)
    path: Path | None = None

    @property
    def warnings(self) -> list[str]:
        return self.meta.warnings

    @property
    def date(self) -> _dt.date | None:
        return _dt.date.fromisoformat(self.meta.date) if self.meta.date else None

    def is_furniture(self, start: int, end: int) -> bool:
        """True when ``start..end`` lies inside a furniture line."""
        return any(a <= start and end <= b for a, b in self.furniture)


_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")


def article_id(path: Path) -> str:
    """A stable, IRI-safe id from the file name (stem, non-safe characters replaced by '-')."""
    stem = path.name
    for suffix in sorted(TEXT_SUFFIXES | HTML_SUFFIXES, key=len, reverse=True):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = unicodedata.normalize("NFKC", stem)
    out = _ID_BAD.sub("-", stem).strip("-.")
    return out[:120] or "article-" + hashlib.sha256(path.name.encode()).hexdigest()[:12]


def read_article(path: str | Path) -> Article:
    """Read a text, Markdown or HTML article.

    Raises :class:`ArticleError` for a missing, empty, binary, undecodable or oversized file.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise ArticleError(f"{path}: {len(raw)} bytes is over the {MAX_BYTES} byte limit for one article")
    if not raw.strip():
        raise ArticleError(f"{path}: empty file")
    if b"\x00" in raw[:8192]:
        raise ArticleError(f"{path}: binary file (NUL bytes), not an article")
    text = _decode(raw, path)
    if path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(text):
        return _read_html(text, path, raw)
    return parse_text(text, path=path, raw=raw)


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{path}: not UTF-8 text (invalid byte at offset {exc.start}); convert it to UTF-8"
        ) from None


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


def parse_text(text: str, *, path: Path | None = None, raw: bytes | None = None) -> Article:
    """Parse text with optional YAML front matter into an :class:`Article`."""
    text = _normalise_newlines(text)
    name = str(path) if path else "<text>"
    warnings: list[str] = []
    meta_raw: dict = {}
    body = text
    m = _FRONT.match(text)
    if m:
        body = text[m.end():]
        block = m.group(1) or ""
        try:
            # BaseLoader: every scalar stays a string (no surprise dates, numbers or booleans)
            loaded = yaml.load(block, Loader=yaml.BaseLoader) if block.strip() else {}
        except (yaml.YAMLError, ValueError):
            loaded = _fields_line_by_line(block, warnings)
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            warnings.append("front matter is not a mapping of fields; metadata ignored")
            loaded = {}
        meta_raw = loaded
    if not body.strip():
        raise ArticleError(f"{name}: no article body after the front matter")
    if len(body) > MAX_BODY_CHARS:
        raise ArticleError(f"{name}: body of {len(body)} characters is over the {MAX_BODY_CHARS} character limit for one article; split it")
    digest = hashlib.sha256(raw if raw is not None else text.encode("utf-8")).hexdigest()
    aid = article_id(path) if path else "text-" + digest[:12]
    meta = _clean_meta(meta_raw, warnings)
    fmt = "markdown" if path and path.suffix.lower() in {".md", ".markdown"} else "text"
    art = Article(
        id=aid,
        body=body,
        meta=ArticleMeta(id=aid, source=path.name if path else None, sha256=digest, format=fmt,
                         body_length=len(body), warnings=warnings, **meta),
        path=path,
    )
    _scan_furniture(art)
    if art.meta.date is None:
        art.meta.warnings.append("no valid publication date: relative dates ('on Monday', 'last week') stay unresolved")
    return art


_LINE_FIELD = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*)$")


def _fields_line_by_line(block: str, warnings: list[str]) -> dict:
    """Fallback when the block as a whole is not YAML: read ``key: value`` lines one by one, so
    one malformed field does not cost the others."""
    out: dict = {}
    for n, line in enumerate(block.split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LINE_FIELD.match(line)
        if not m:
            warnings.append(f"front matter line {n} is not 'field: value'; ignored")
            continue
        key, value = m.group(1), m.group(2).strip()
        try:
            parsed = yaml.load(value, Loader=yaml.BaseLoader) if value else None
        except (yaml.YAMLError, ValueError):
            parsed = value
        # a value such as "US deadline: Zelenskyy" is one string on its own line, not a mapping
        out[key] = value if isinstance(parsed, (dict, list)) else parsed
    return out


def _read_html(text: str, path: Path, raw: bytes) -> Article:
    import trafilatura

    body = trafilatura.extract(text, include_comments=False, include_tables=False, favor_precision=True)
    if not body or not body.strip():
        raise ArticleError(f"{path}: HTML page has no main text that trafilatura could find")
    md = trafilatura.extract_metadata(text)
    meta_raw: dict = {}
    if md is not None:
        meta_raw = {
            "title": md.title, "publisher": md.sitename, "date": md.date, "url": md.url,
            "language": getattr(md, "language", None), "authors": md.author,
        }
    warnings: list[str] = []
    meta = _clean_meta({k: v for k, v in meta_raw.items() if v}, warnings)
    body = _normalise_newlines(body)
    aid = article_id(path)
    art = Article(
        id=aid, body=body, path=path,
        meta=ArticleMeta(id=aid, source=path.name, sha256=hashlib.sha256(raw).hexdigest(), format="html",
                         body_length=len(body), warnings=warnings, **meta),
    )
    _scan_furniture(art)
    if art.meta.date is None:
        art.meta.warnings.append("no valid publication date: relative dates ('on Monday', 'last week') stay unresolved")
    return art


_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_KNOWN = {"title", "publisher", "date", "url", "language", "authors", "author", "source", "license", "byline"}


def _clean_meta(raw: dict, warnings: list[str]) -> dict:
    """Keep each well-formed field; warn about and drop each malformed one."""
    out: dict = {}

    def text_field(name: str, value) -> str | None:
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            warnings.append(f"front matter field {name!r} is not a string; ignored")
            return None
        s = str(value).strip()
        return s or None

    title = text_field("title", raw.get("title"))
    if title:
        out["title"] = title[:1000]
    publisher = text_field("publisher", raw.get("publisher"))
    if publisher:
        out["publisher"] = _clean_publisher(publisher)
    if "date" in raw:
        d = _parse_date(raw.get("date"))
        if d is None:
            warnings.append(f"front matter date {str(raw.get('date'))[:60]!r} is not a valid date (YYYY-MM-DD); ignored")
        else:
            out["date"] = d
    if "url" in raw:
        url = text_field("url", raw.get("url"))
        bare = re.sub(r"\s+\([^)]*\)\s*$", "", url) if url else None  # "https://… (syndication note)"
        if bare and _URL.match(bare):
            out["url"] = bare
        elif url:
            warnings.append(f"front matter url {url[:60]!r} is not a URL; ignored")
    lang = text_field("language", raw.get("language"))
    if lang:
        if _LANG.match(lang):
            out["language"] = lang.lower()
        else:
            warnings.append(f"front matter language {lang[:30]!r} is not a language code; ignored")
    authors = raw.get("authors", raw.get("author"))
    names: list[str] = []
    if isinstance(authors, str):
        names = [a.strip() for a in re.split(r",| and ", authors) if a.strip()]
    elif isinstance(authors, list):
        names = [str(a).strip() for a in authors if isinstance(a, (str, int)) and str(a).strip()]
    elif authors is not None:
        warnings.append("front matter authors is neither a string nor a list; ignored")
    if not names and publisher:
        m = re.search(r"\(byline:\s*([^)]+)\)", publisher)
        if m:
            names = [m.group(1).strip()]
    if names:
        out["authors"] = names
    for k in sorted(set(map(str, raw)) - _KNOWN):
        warnings.append(f"front matter field {k!r} is not known; ignored")
    return out


def _clean_publisher(s: str) -> str:
    """'The Korea Herald (byline: X)' -> 'The Korea Herald'; 'AFP (…) — attribution…' -> 'AFP'."""
    s = re.split(r"\s+[—–]\s+", s, maxsplit=1)[0]
    s = re.sub(r"\s*\([^)]*\)", "", s).strip()
    return s or "unknown"


def _parse_date(value) -> str | None:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        d = value
    else:
        s = str(value).strip()
        m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", s)
        if not m:
            return None
        try:
            d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    if not (1900 <= d.year <= 2100):
        return None
    return d.isoformat()


_FURNITURE = [
    re.compile(r"^\s*(unlock|sign up|subscribe|get)\b.*\bnewsletter\b", re.I),
    re.compile(r"^\s*the stories that matter\b", re.I),
    re.compile(r"^\s*read (the full|more)\b", re.I),
    re.compile(r"^\s*(photo|image|picture|video)s?\s*(credit)?\s*[:(]", re.I),
    re.compile(r"\((photo|image)\s*:", re.I),
    re.compile(r"^\s*(getty images|reuters/|ap photo|afp via getty)", re.I),
    # credit lines, bare or in parentheses: "(Additional reporting by X in Y; Editing by Z)",
    # "(Writing and additional reporting by X in Y …)", "(Additional reporting X in Y …)"
    re.compile(r"^\s*\(?\s*(editing|writing|reporting) by\b", re.I),
    re.compile(r"^\s*\(?\s*additional reporting by\b", re.I),
    re.compile(r"^\s*\((?:(?:additional\s+)?(?:reporting|writing|editing)\s+and\s+)*"
               r"(?:additional\s+)?(?:reporting|writing|editing)\b", re.I),
    # a contributor line: "X reported from Y. Z in W contributed to this report.", "… and the
    # agency's staff contributed." (no quotation in it)
    re.compile(r"^[^\"“”]{0,400}\bcontributed (?:to this (?:report|story)|reporting)\b[^\"“”.]{0,80}\.?\s*$", re.I),
    re.compile(r"^(?=[^\"“”]{0,400}$)[^\"“”]*\b[A-Z][\w.'’-]+ in [A-Z][^\"“”]*\bcontributed\.?\s*$"),
    re.compile(r"^\s*(by|byline:)\s+[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,3}\s*$"),
    re.compile(r"^\s*copyright\b|^\s*©", re.I),
    re.compile(r"^\s*(follow|share)\b.*\b(twitter|facebook|x|whatsapp)\b", re.I),
    re.compile(r"^\s*\[?(advertisement|ad)\]?\s*$", re.I),
    re.compile(r"^\s*(related|recommended|most read)\s*:?\s*$", re.I),
    re.compile(r"^\s*#+\s"),
    re.compile(r"^\s*!\[.*\]\(.*\)\s*$"),
]
_CREDIT = re.compile(r"(additional reporting|reporting|writing|editing)(?: by)?\s+(.+?)\s*(?=;|\)|$)", re.I)
# "X in Washington contributed to this report.", "CNN's X and Y contributed reporting as did Z."
_CONTRIBUTED = re.compile(r"(?:^|(?<=[a-z]\.\s))((?:[^.]|(?<=\b[A-Z])\.)*?)\s+contributed (?:to this (?:report|story)|reporting)"
                          r"(?:\s+as did\s+([^.]*))?", re.I)
_NAME_PREFIX = re.compile(r"^(?:(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?['’]s\s+"
                          r"|(?:associated press\s+)?(?:journalists?|writers?|reporters?|correspondents?)\s+)+", re.I)
_LOC_SPLIT = re.compile(r"\s+in\s+([A-Z][\w' -]+)$")


def _scan_furniture(art: Article) -> None:
    pos = 0
    contributors: list[Contributor] = []
    for line in art.body.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        if any(p.search(line) for p in _FURNITURE):
            art.furniture.append((start, end))
        if re.match(r"^\s*\(?\s*(additional reporting|reporting by|writing by|editing by)\b", line, re.I):
            for m in _CREDIT.finditer(line):
                role = {"additional reporting": "additional-reporting", "editing": "editing"}.get(
                    m.group(1).lower(), "author")
                contributors.extend(_contributors(m.group(2), role))
        for m in _CONTRIBUTED.finditer(line):
            for part in (m.group(1), m.group(2) or ""):
                contributors.extend(c for c in _contributors(part, "additional-reporting")
                                    if c.name.lower() not in ("the associated press", "associated press"))
    art.meta.contributors = contributors


def _contributors(text: str, role: str) -> list[Contributor]:
    """'Felicia Schwartz in Washington and Max Seddon in Riga' -> two contributors with places."""
    out: list[Contributor] = []
    for part in re.split(r";|,\s*(?:and\s+)?|\s+and\s+", text):
        part = part.strip(" .")
        if not part:
            continue
        loc = None
        m = _LOC_SPLIT.search(part)
        if m:
            loc = m.group(1).strip()
            part = part[: m.start()].strip()
        part = _NAME_PREFIX.sub("", part).strip()
        if part and part[0].isupper() and len(part.split()) <= 5:
            out.append(Contributor(name=part, location=loc, role=role))
    return out
