"""cxprobe's built-in touchpoint probes.

Each module is an ordinary plugin registered through the ``cxprobe`` entry-point group,
exactly as a third-party plugin would be: it registers its touchpoint and its probes
with ``@cxprobe.hookimpl`` and reads only public cxprobe API.
"""
