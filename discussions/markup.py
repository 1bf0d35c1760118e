"""People's text: Markdown to sanitised HTML, once, when a post or comment is saved.

Only a small set of tags survives (`nh3`); links get rel="nofollow ugc noopener"; characters a
word processor pastes invisibly (control characters other than tab and newline) are dropped from
the source itself. A video link (YouTube, Rutube, VK video) alone on its line becomes a link card
— no iframe and no third-party script (the CSP forbids them).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

VIDEO_HOSTS = {
    "youtube.com": "YouTube",
    "www.youtube.com": "YouTube",
    "m.youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "rutube.ru": "Rutube",
    "www.rutube.ru": "Rutube",
    "vk.com": "VK Видео",
    "www.vk.com": "VK Видео",
    "vkvideo.ru": "VK Видео",
    "www.vkvideo.ru": "VK Видео",
}
VIDEO_MARK = "▶\u2009"
# Tab, line feed and carriage return stay; other C0/C1 controls, and format characters (Cf:
# zero-width spaces and joiners, soft hyphens, bidi marks) that Word and browsers paste, go.
_KEEP = {"\t", "\n", "\r"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True}).enable(["linkify"])
# Headings people type as "#" become the two levels the page allows.
_HEADING = re.compile(r"<(/?)h([1-6])>")
_CARD = re.compile(r'<p><a href="([^"]+)" rel="[^"]*">' + re.escape(VIDEO_MARK))


def clean_text(text: str) -> str:
    """The source without invisible control and format characters, line ends as \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    ).strip()


def video_label(url: str) -> str | None:
    """The service's name when the URL is a video on YouTube, Rutube or VK, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    name = VIDEO_HOSTS.get(host)
    if name is None:
        return None
    if host.endswith("vk.com") and not parts.path.startswith(("/video", "/clip")):
        return None  # a VK page that is not a video stays a plain link
    return name


def _video_cards(source: str) -> str:
    lines = []
    for line in source.split("\n"):
        url = line.strip()
        if url and " " not in url and (label := video_label(url)):
            # A Markdown link of its own paragraph; `render` gives the paragraph its class.
            safe = url.replace("(", "%28").replace(")", "%29")
            lines += ["", f"[{VIDEO_MARK}{label}: {_short(url)}]({safe})", ""]
        else:
            lines.append(line)
    return "\n".join(lines)


def _short(url: str) -> str:
    shown = re.sub(r"^https?://(www\.)?", "", url)
    shown = shown if len(shown) <= 60 else shown[:57] + "…"
    return shown.replace("[", "").replace("]", "").replace("*", "").replace("_", "\\_")


def render(source: str) -> str:
    """Sanitised HTML of the Markdown source (call with `clean_text`'s output)."""
    html = _md.render(_video_cards(source))
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{3 if m.group(2) in '12' else 4}>", html)
    html = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        clean_content_tags={"script", "style"},
    )
    # The card's class is added after sanitising, to markup this module wrote itself.
    return _CARD.sub(lambda m: m.group(0).replace("<p>", '<p class="video-card">', 1), html)


MENTION = re.compile(r"(?<![\w@.])@([\w.+-]{2,150})", re.UNICODE)


def mentioned_logins(source: str) -> set[str]:
    """The logins written as @login (not inside an e-mail address); a trailing dot is not part of
    the login."""
    return {m.rstrip(".") for m in MENTION.findall(source)}
