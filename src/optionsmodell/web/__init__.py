"""The local web page (``optionsmodell serve``): a JSON API over the same core as the command line,
and a page that calls it. Installed with the extra ``[web]``; the core never imports this package."""
