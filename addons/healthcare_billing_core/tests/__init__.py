from . import test_codes
from . import test_partner_constraints
from . import test_coverage
from . import test_encounter
from . import test_billing
from . import test_automation
from . import test_security
from . import test_menus
