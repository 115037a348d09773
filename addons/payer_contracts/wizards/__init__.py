from . import hc_price_override
from . import hc_price_simulator
from . import hc_contract_simulation
