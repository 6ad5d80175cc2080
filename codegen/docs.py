"""Stripe's descriptions (HTML and Markdown mixed) as plain docstring text."""

from __future__ import annotations

import html
import re
import textwrap

_BLOCK = re.compile(r"</?(p|ul|ol|div|br|h\d)\b[^>]*>", re.IGNORECASE)
_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_LINK = re.compile(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_CODE = re.compile(r"</?code>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_MD_RELATIVE = re.compile(r"\]\((/[^)]*)\)")


def _absolute(url: str) -> str:
    return f"https://stripe.com{url}" if url.startswith("/") else url


def plain(description: str | None) -> str:
    """Tags to text: paragraphs kept, links as Markdown links, everything else stripped."""
    if not description:
        return ""
    text = _LINK.sub(lambda m: f"[{_TAG.sub('', m.group(2))}]({_absolute(m.group(1))})", description)
    text = _MD_RELATIVE.sub(lambda m: f"]({_absolute(m.group(1))})", text)
    text = _ITEM.sub("\n\n- ", text)
    text = _BLOCK.sub("\n\n", text)
    text = _CODE.sub("`", text)
    text = html.unescape(_TAG.sub("", text))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def docstring(description: str | None, width: int = 96, indent: str = "") -> str:
    """Wrapped, escaped text for a triple-quoted docstring (without the quotes)."""
    paragraphs = plain(description).split("\n\n")
    lines: list[str] = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        bullet = paragraph.startswith("- ")
        wrapped = textwrap.wrap(
            paragraph,
            width=width,
            subsequent_indent="  " if bullet else "",
            break_on_hyphens=False,
            break_long_words=False,
        )
        if lines:
            lines.append("")
        lines.extend(wrapped)
    text = f"\n{indent}".join(lines)
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip('"')
