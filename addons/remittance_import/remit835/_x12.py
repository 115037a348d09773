"""The core's x12 package, inside Odoo or on its own (plain unit tests, benchmarks)."""

import sys

if "odoo.addons.healthcare_billing_core" in sys.modules:  # inside Odoo, the core is loaded first
    from odoo.addons.healthcare_billing_core import x12
else:  # pragma: no cover - plain Python: the core's folder is on sys.path
    import x12

__all__ = ["x12"]
