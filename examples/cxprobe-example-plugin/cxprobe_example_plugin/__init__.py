"""An example cxprobe plugin: the ``accessibility`` touchpoint and its ``alt_text`` probe."""

__version__ = "0.1.0"
