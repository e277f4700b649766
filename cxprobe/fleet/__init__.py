"""``cxprobe fleet``: many sites, one Dask task each.

- :mod:`.sites`: the SITES file (text or TOML), read and checked on the client;
- :mod:`.task`: what runs on a worker (one ordinary audit; the worker's identity);
- :mod:`.engine`: the Dask client (a LocalCluster by default), the worker check, and the
  loop that hands out sites (politeness per host, retries, deadlines, lost workers);
- :mod:`.summary`: the fleet summary (terminal table, Markdown, JSON, HTML index).

Dask is imported only here, and only when the fleet runs: ``cxprobe --help`` never loads it.
"""
