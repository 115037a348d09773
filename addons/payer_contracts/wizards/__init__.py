from . import hc_price_override
from . import hc_price_simulator
