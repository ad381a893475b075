"""The one WeasyPrint entry point: HTML to PDF, fetching nothing but embedded ``data:`` URIs."""

from __future__ import annotations


def render_pdf(html: str) -> bytes:
    """PDF bytes of ``html``. WeasyPrint may read only ``data:`` URIs (no files, no network), so a
    document's content can never make the server fetch something."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # late: loading it takes about a second
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    return bytes(HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf())
