"""The JSON reporter: the report contract, pretty-printed with sorted keys."""

from __future__ import annotations

import json
from typing import Any

from ..probe import Reporter


class JsonReporter(Reporter):
    """``--format json``: the full report (schema_version "1")."""

    name = "json"
    extension = ".json"
    description = "the JSON report contract (schema_version 1)"

    def render(self, report: dict[str, Any], config: Any) -> str:
        return json.dumps(report, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
