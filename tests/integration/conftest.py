"""Tests against the test database that setup/test has just installed.

They use real transactions committed from several threads, which Odoo's own
test cases (one rolled-back cursor) cannot do.  setup/test passes the database
and the configuration in HC_TEST_DB and HC_ODOO_RC; run alone they are skipped
only if those are missing, and setup/test always sets them.
"""

import os

import pytest


@pytest.fixture(scope="session")
def registry():
    database, rc = os.environ.get("HC_TEST_DB"), os.environ.get("HC_ODOO_RC")
    if not database or not rc:
        pytest.fail("HC_TEST_DB and HC_ODOO_RC must name the installed test database and its odoo.conf")
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    args = ["-c", rc]
    for option, variable in (("--db_host", "PGHOST"), ("--db_port", "PGPORT"), ("--db_user", "PGUSER")):
        if os.environ.get(variable):
            args += [option, os.environ[variable]]
    config.parse_config(args)
    odoo.service.server.load_server_wide_modules()
    return Registry(database)
