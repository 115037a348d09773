"""Plain, stable dicts of the 835 model (for expected-output files and the UI)."""

import dataclasses
from decimal import Decimal


def to_plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def file_result(result):
    """The outcome of ``read_file``: verdict, problems as sentences, and each remittance."""
    remittances = []
    for remittance in result.remittances:
        data = to_plain(remittance)
        data["problems"] = [f"{p.severity}: {p.describe()}" for p in remittance.problems]
        data.pop("sha256")
        remittances.append(data)
    return {
        "ok": result.ok,
        "file_problems": [f"{p.severity}: {p.describe()}" for p in result.problems],
        "remittances": remittances,
    }
