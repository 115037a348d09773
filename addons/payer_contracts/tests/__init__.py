from . import test_contract
from . import test_invoice_pricing
from . import test_override
from . import test_expiry
from . import test_import
from . import test_simulator
from . import test_simulation
