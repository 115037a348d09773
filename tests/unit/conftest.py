"""Plain pytest tests of the addons' pure-Python packages (no Odoo, no database).

Each addon folder is put on sys.path so that its pure packages (``codes``,
``pricing``...) import without importing the addon itself, which needs Odoo.
"""

import pathlib
import sys

ADDONS = pathlib.Path(__file__).resolve().parents[2] / "addons"
for addon in sorted(ADDONS.iterdir()):
    if (addon / "__manifest__.py").exists() and str(addon) not in sys.path:
        sys.path.insert(0, str(addon))
