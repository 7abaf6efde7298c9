"""leaflet-gen: Danish patient articles to print-ready, translated PDF leaflets.

The pipeline, one module per stage::

    load (Markdown + YAML)  ->  model  ->  translate (gettext, fail-closed)
        ->  render (Jinja2 HTML + print CSS)  ->  pdf (WeasyPrint, locked fetcher, shipped fonts)
"""

__version__ = "0.1.0"
