"""From text to the positioned tree of `nodes.py`, whatever the format.

`document` applies the document-level limits and picks the loader; `yaml_loader` builds
the tree from libyaml's events, `toml_loader` from tomllib's result with the positions
`toml_scan` finds; `textmap` maps characters of decoded strings back to the document.
"""

from .document import FORMATS, format_of, load

__all__ = ["FORMATS", "format_of", "load"]
